//! ALTER TABLE: one operation at a time.

use crate::emit::{AlterOp, Stmt};
use crate::model::Table;
use crate::rules::{self, CatalogUpdate, Cx, Event, Object, Untranslated};
use crate::types::fold_ident;
use sqlparser::ast::{AlterTableOperation, Ident};

use crate::lower::{
    absent, alter_column::alter_column, column::add_column, column::drop_column,
    column::rename_column, constraint::drop_constraint, constraint::table_constraint, dropped_by,
    ident_loc, index::rename_index, name_taken_by, namespace_taken, object_last, shadowed,
};

pub(crate) fn alter_table_op(cx: &mut Cx, table: &str, if_exists: bool, op: &AlterTableOperation) {
    // Operations that need no table knowledge.
    if dropped_by(cx, Event::OnTable { table }) || dropped_by(cx, Event::AlterOp { table, op }) {
        return;
    }
    if let AlterTableOperation::RenameTable { table_name } = op {
        let new = match table_name {
            sqlparser::ast::RenameTableNameKind::To(n)
            | sqlparser::ast::RenameTableNameKind::As(n) => object_last(n),
        };
        rename_table(cx, table, new);
        return;
    }
    let Some(mut t) = cx.catalog.table_copy(table) else {
        let needed = "ALTER TABLE needs the table's current definition";
        absent(cx, Object::Table(table), if_exists, needed);
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
        } => rename_column_op(cx, &mut t, old_column_name, new_column_name),
        AlterTableOperation::AddConstraint {
            constraint,
            not_valid,
        } => {
            if *not_valid {
                rules::run_event(cx, &Event::NotValid);
            }
            if let Some(op) = table_constraint(cx, &mut t, constraint, true) {
                cx.alter(&t.name, op);
            }
        }
        AlterTableOperation::DropConstraint {
            if_exists, name, ..
        } => {
            let n = fold_ident(&name.value, name.quote_style);
            drop_constraint(cx, &mut t, &n, *if_exists);
        }
        AlterTableOperation::RenameConstraint { old_name, new_name } => {
            rename_constraint(cx, &mut t, old_name, new_name)
        }
        other => {
            let e = Event::Untranslated(Untranslated::AlterTableOp(other));
            rules::run_event(cx, &e);
        }
    }
    if t != before {
        cx.catalog_updates.push(CatalogUpdate::Table(Box::new(t)));
    }
}

/// `ALTER TABLE t RENAME TO new`: the foreign keys that reference it and its
/// triggers follow.
fn rename_table(cx: &mut Cx, table: &str, new: String) {
    let known = cx.catalog.table(table).map(|t| t.name.clone());
    if known.is_some_and(|k| shadowed(cx, "table", table, &k, "its RENAME")) {
        return;
    }
    // Another table (not this one in another case) with the new name.
    let itself = |e: &str| e.eq_ignore_ascii_case(table);
    if namespace_taken(cx, "table", &new, cx.loc, itself) {
        return;
    }
    cx.emit(Stmt::RenameTable {
        from: table.to_string(),
        to: new.clone(),
    });
    let Some(mut t) = cx.catalog.table_copy(table) else {
        return;
    };
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
            key: rules::trigger_key(&new, &k[prefix.len()..]),
            detail: detail.clone(),
        })
        .collect();
    cx.catalog_updates.extend(moved);
}

/// `ALTER TABLE t RENAME COLUMN old TO new`.
fn rename_column_op(cx: &mut Cx, t: &mut Table, old: &Ident, new: &Ident) {
    let old = fold_ident(&old.value, old.quote_style);
    let new = fold_ident(&new.value, new.quote_style);
    let Some(known) = t.column(&old).map(|c| c.name.clone()) else {
        let column = Object::Column {
            table: &t.name,
            column: &old,
        };
        absent(cx, column, false, "");
        return;
    };
    if shadowed(cx, "column", &old, &known, "its RENAME") {
        return;
    }
    // Another column (not this one in another case) with the new name.
    let other = t
        .columns
        .same_to_tidb(&new)
        .filter(|c| c.name != known)
        .map(|c| c.name.clone());
    if other.is_some_and(|e| name_taken_by(cx, t, "column", &new, &e, cx.loc)) {
        return;
    }
    let op = AlterOp::RenameColumn {
        from: old.clone(),
        to: new.clone(),
    };
    cx.alter(&t.name, op);
    rename_column(t, &old, &new);
}

/// `ALTER TABLE t RENAME CONSTRAINT old TO new`: TiDB renames indexes only.
fn rename_constraint(cx: &mut Cx, t: &mut Table, old: &Ident, new: &Ident) {
    let old = fold_ident(&old.value, old.quote_style);
    let new = fold_ident(&new.value, new.quote_style);
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
        .filter(|i| Some(&i.name) != known.as_ref())
        .map(|i| i.name.clone());
    if other.is_some_and(|e| name_taken_by(cx, t, "index", &new, &e, cx.loc)) {
        return;
    }
    if known.is_some() {
        let op = AlterOp::RenameIndex {
            from: old.clone(),
            to: new.clone(),
        };
        cx.alter(&t.name, op);
        rename_index(t, &old, &new);
    } else {
        let e = Event::Untranslated(Untranslated::RenameConstraint(&old));
        rules::run_event(cx, &e);
    }
}
