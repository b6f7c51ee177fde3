//! ALTER TABLE: one operation at a time.

use crate::emit;
use crate::expr::to_tidb;
use crate::model::{ident, Table};
use crate::rules::identifier_case::{self, clash};
use crate::rules::{self, unknown_object, unsupported_statement, CatalogUpdate, Cx};
use crate::types::fold_ident;
use sqlparser::ast::{AlterTableOperation, TableConstraint};

use crate::lower::{
    alter_column::alter_column, column::add_column, column::drop_column, column::rename_column,
    constraint::drop_constraint, constraint::table_constraint, ident_loc, index::rename_index,
    namespace_clash, object_last, shadowed, table_name,
};

pub(crate) fn alter_table_op(cx: &mut Cx, table: &str, if_exists: bool, op: &AlterTableOperation) {
    if let Some(parent) = cx.catalog.partitions.get(&table.to_lowercase()).cloned() {
        rules::partition::report_on_partition(cx, table, &parent);
        return;
    }
    match op {
        AlterTableOperation::AttachPartition { partition } => {
            let child = match partition {
                sqlparser::ast::Partition::Expr(e) => to_tidb(e)
                    .unwrap_or_else(|_| e.to_string())
                    .replace('`', ""),
                other => other.to_string(),
            };
            rules::partition::report_attach(cx, table, &child);
            return;
        }
        AlterTableOperation::AttachPartitionOf { partition, .. } => {
            let child = table_name(cx, partition);
            rules::partition::report_attach(cx, table, &child);
            return;
        }
        _ => {}
    }
    // Operations that need no table knowledge.
    if rules::pg_only_statement::drop_alter_op(cx, op) {
        return;
    }
    if let AlterTableOperation::RenameTable { table_name } = op {
        let new = match table_name {
            sqlparser::ast::RenameTableNameKind::To(n)
            | sqlparser::ast::RenameTableNameKind::As(n) => object_last(n),
        };
        let known = cx.catalog.table(table).map(|t| t.name.clone());
        if known.is_some_and(|k| shadowed(cx, "table", table, &k, "its RENAME")) {
            return;
        }
        // Another table (not this one in another case) with the new name.
        if let Some(existing) =
            namespace_clash(cx.catalog, &new).filter(|e| !e.eq_ignore_ascii_case(table))
        {
            identifier_case::report_clash(cx, cx.loc, "table", &new, &existing, "");
            return;
        }
        cx.output
            .push(format!("RENAME TABLE {} TO {}", ident(table), ident(&new)));
        if let Some(t) = cx.catalog.table_copy(table) {
            let mut t = t;
            cx.catalog_updates
                .push(CatalogUpdate::RemoveTable(t.name.clone()));
            t.name = new.clone();
            // Foreign keys follow the rename: the table's own, and those of
            // the tables that reference it.
            let follow = |t: &mut Table| {
                for f in &mut t.foreign_keys {
                    if f.ref_table.eq_ignore_ascii_case(table) {
                        f.ref_table = new.clone();
                    }
                }
            };
            follow(&mut t);
            cx.catalog_updates.push(CatalogUpdate::Table(Box::new(t)));
            let others: Vec<Table> = cx
                .catalog
                .referencing(table)
                .filter(|o| !o.name.eq_ignore_ascii_case(table))
                .map(std::borrow::Cow::into_owned)
                .collect();
            for mut o in others {
                follow(&mut o);
                cx.catalog_updates.push(CatalogUpdate::Table(Box::new(o)));
            }
            // So do its triggers (the RemoveTable above forgets them).
            let prefix = rules::pg_object_key("trigger", &format!("{table}."));
            let moved: Vec<CatalogUpdate> = cx
                .catalog
                .pg_objects
                .range(prefix.clone()..)
                .take_while(|(k, _)| k.starts_with(&prefix))
                .map(|(k, detail)| CatalogUpdate::PgObject {
                    key: rules::if_exists_noop::trigger_key(&new, &k[prefix.len()..]),
                    detail: detail.clone(),
                })
                .collect();
            cx.catalog_updates.extend(moved);
        }
        return;
    }
    let Some(mut t) = cx.catalog.table_copy(table) else {
        if if_exists {
            rules::if_exists_noop::report_absent(cx, &format!("table `{table}`"));
        } else {
            unknown_object::report_table(
                cx,
                table,
                "ALTER TABLE needs the table's current definition",
            );
        }
        return;
    };
    if shadowed(cx, "table", table, &t.name.clone(), "ALTER TABLE") {
        return;
    }
    // Several ALTERs in one statement touch `t` in turn: read the latest copy.
    if let Some(CatalogUpdate::Table(latest)) = cx
        .catalog_updates
        .iter()
        .rev()
        .find(|u| matches!(u, CatalogUpdate::Table(x) if x.name.eq_ignore_ascii_case(table)))
    {
        t = (**latest).clone();
    }
    let before = t.clone();
    match op {
        AlterTableOperation::AddColumn {
            if_not_exists,
            column_def,
            ..
        } => add_column(cx, &mut t, *if_not_exists, column_def),
        AlterTableOperation::DropColumn {
            column_names,
            if_exists,
            ..
        } => {
            for c in column_names {
                let c = fold_ident(&c.value, c.quote_style);
                drop_column(cx, &mut t, &c, *if_exists);
            }
        }
        AlterTableOperation::AlterColumn { column_name, op } => {
            let c = fold_ident(&column_name.value, column_name.quote_style);
            let loc = ident_loc(column_name, cx.loc);
            alter_column(cx, &mut t, &c, op, loc);
        }
        AlterTableOperation::RenameColumn {
            old_column_name,
            new_column_name,
        } => {
            let old = fold_ident(&old_column_name.value, old_column_name.quote_style);
            let new = fold_ident(&new_column_name.value, new_column_name.quote_style);
            let Some(known) = t.column(&old).map(|c| c.name.clone()) else {
                unknown_object::report_column(cx, &t.name, &old);
                return;
            };
            if shadowed(cx, "column", &old, &known, "its RENAME") {
                return;
            }
            // Another column (not this one in another case) with the new name.
            if let Some(c) = t
                .columns
                .same_to_tidb(&new)
                .filter(|c| clash(&new, &c.name) && c.name != known)
            {
                let scope = format!(" of table `{}`", t.name);
                identifier_case::report_clash(cx, cx.loc, "column", &new, &c.name, &scope);
                return;
            }
            cx.output.push(emit::alter(
                &t.name,
                &format!("RENAME COLUMN {} TO {}", ident(&old), ident(&new)),
            ));
            rename_column(&mut t, &old, &new);
        }
        AlterTableOperation::AddConstraint {
            constraint,
            not_valid,
        } => {
            if *not_valid {
                rules::check_constraint::not_valid(cx);
            }
            if let Some(clause) = table_constraint(cx, &mut t, constraint, true) {
                if matches!(constraint, TableConstraint::PrimaryKey(_)) && !cx.fold {
                    rules::clustered_primary_key::report_nonclustered(cx, &t.name);
                }
                cx.output.push(emit::alter(&t.name, &clause));
            }
        }
        AlterTableOperation::DropConstraint {
            if_exists, name, ..
        } => {
            let n = fold_ident(&name.value, name.quote_style);
            drop_constraint(cx, &mut t, &n, *if_exists);
        }
        AlterTableOperation::RenameConstraint { old_name, new_name } => {
            let old = fold_ident(&old_name.value, old_name.quote_style);
            let new = fold_ident(&new_name.value, new_name.quote_style);
            let known = t.index(&old).map(|i| i.name.clone());
            if known
                .as_ref()
                .is_some_and(|k| shadowed(cx, "index", &old, k, "its RENAME"))
            {
                return;
            }
            let other = t
                .indexes
                .same_to_tidb(&new)
                .filter(|i| clash(&new, &i.name) && Some(&i.name) != known.as_ref())
                .map(|i| i.name.clone());
            if let Some(existing) = other {
                let scope = format!(" of table `{}`", t.name);
                identifier_case::report_clash(cx, cx.loc, "index", &new, &existing, &scope);
                return;
            }
            if known.is_some() {
                cx.output.push(emit::alter(
                    &t.name,
                    &format!("RENAME INDEX {} TO {}", ident(&old), ident(&new)),
                ));
                rename_index(&mut t, &old, &new);
            } else {
                unsupported_statement::report_text(cx, &format!("RENAME CONSTRAINT {old}: TiDB can rename indexes only; foreign keys and checks keep their old name"));
            }
        }
        other => unsupported_statement::report_text(
            cx,
            &format!("ALTER TABLE operation `{other}` has no TiDB translation"),
        ),
    }
    if t != before {
        cx.catalog_updates.push(CatalogUpdate::Table(Box::new(t)));
    }
}
