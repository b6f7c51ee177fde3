//! CREATE TABLE.

use crate::emit;
use crate::model::{Check, Column, Index, IndexKind, KeyPart, PrimaryKey, Table};
use crate::rules::identifier_case::{self, clash};
use crate::rules::{
    self, schema_name, serial, unknown_object, unsupported_statement, CatalogUpdate, ColumnMode,
    ConstraintDraft, ConstraintVerdict, Cx, IndexDraft, KeyDraft,
};
use crate::types::fold_ident;
use sqlparser::ast::{ColumnOption, CreateTable, Expr, TableConstraint};
use std::collections::BTreeSet;

use crate::lower::{
    column::column_draft, constraint::check_from, constraint::foreign_key_from,
    constraint::table_constraint, default_constraint_name, ident_loc, name_taken, namespace_clash,
    table_name,
};

pub(crate) fn create_table(cx: &mut Cx, ct: &CreateTable) {
    let name = table_name(cx, &ct.name);
    let loc = ct
        .name
        .0
        .last()
        .and_then(|p| p.as_ident())
        .map(|i| ident_loc(i, cx.loc))
        .unwrap_or(cx.loc);
    if let Some(i) = ct.name.0.last().and_then(|p| p.as_ident()) {
        rules::identifier_length::check(cx, &i.value, loc);
    }
    if let Some(parent) = &ct.partition_of {
        let parent = table_name(cx, parent);
        rules::partition::report_partition_of(cx, &name, &parent);
        cx.catalog_updates.push(CatalogUpdate::Partition {
            child: name,
            parent,
        });
        return;
    }
    if ct.query.is_some() || ct.like.is_some() {
        unsupported_statement::report_create_table_form(cx, ct);
        return;
    }
    if let Some(existing) = namespace_clash(cx.catalog, &name) {
        identifier_case::report_clash(cx, loc, "table", &name, &existing, "");
        return;
    }
    let mut t = Table {
        name: name.clone(),
        if_not_exists: ct.if_not_exists,
        temporary: ct.temporary,
        schema: schema_name::schema_of(&ct.name),
        ..Table::default()
    };
    if let Some(by) = &ct.partition_by {
        rules::partition::report_partitioned(cx, &name, &by.to_string());
    }
    // INHERITS: the parents' columns come first, as PostgreSQL stores them.
    for p in ct.inherits.iter().flatten() {
        let parent = table_name(cx, p);
        match cx.catalog.table(&parent) {
            Some(pt) => {
                t.columns.extend(pt.columns.iter().cloned().map(|mut c| {
                    c.auto_increment = false;
                    c
                }));
                t.checks.extend(pt.checks.iter().map(|k| Check {
                    name: default_constraint_name(&name, &[], &k.name),
                    expr: k.expr.clone(),
                }));
                let ai = pt.auto_increment_columns();
                rules::partition::report_inherits(cx, &name, &parent, &ai);
            }
            None => {
                unknown_object::report_table(cx, &parent, "INHERITS needs the parent's columns");
                return;
            }
        }
    }
    let mut pending_keys: Vec<String> = vec![];
    let key_columns = key_columns_of(ct);
    for def in &ct.columns {
        let mut d = column_draft(cx, &name, def, ColumnMode::Create);
        d.in_key = key_columns.contains(&d.col.name.to_lowercase());
        rules::run_column(cx, &mut d);
        if d.dropped {
            continue;
        }
        if let Some(c) = t
            .columns
            .same_to_tidb(&d.col.name)
            .filter(|c| clash(&d.col.name, &c.name))
        {
            let scope = format!(" of table `{name}`");
            identifier_case::report_clash(cx, d.loc, "column", &d.col.name, &c.name, &scope);
            continue;
        }
        let col_name = d.col.name.clone();
        if d.needs_key {
            pending_keys.push(col_name.clone());
        }
        if d.auto_increment_start.is_some() {
            t.auto_increment_start = d.auto_increment_start;
        }
        for (i, ck) in d.domain_checks.iter().enumerate() {
            let suffix = if i == 0 {
                "check".to_string()
            } else {
                format!("check{i}")
            };
            t.checks.push(Check {
                name: default_constraint_name(&name, std::slice::from_ref(&col_name), &suffix),
                expr: ck.clone(),
            });
        }
        // Inline constraints become table-level ones (TiDB ignores inline REFERENCES).
        for opt in &def.options {
            let cname = opt
                .name
                .as_ref()
                .map(|n| fold_ident(&n.value, n.quote_style));
            match &opt.option {
                ColumnOption::PrimaryKey(_) => {
                    t.primary_key = Some(PrimaryKey {
                        name: cname,
                        parts: vec![KeyPart::col(&col_name)],
                        clustered: true,
                    })
                }
                ColumnOption::Unique(u) => {
                    let iname = cname.unwrap_or_else(|| {
                        default_constraint_name(&name, std::slice::from_ref(&col_name), "key")
                    });
                    let mut ix = IndexDraft {
                        name: iname,
                        unique: true,
                        method: None,
                        keys: vec![KeyDraft {
                            part: KeyPart::col(&col_name),
                            pg_expr: None,
                            opclass: None,
                            desc: false,
                        }],
                        predicate: None,
                        include: vec![],
                        nulls_not_distinct: u.nulls_distinct
                            == sqlparser::ast::NullsDistinctOption::NotDistinct,
                        vector: false,
                        dropped: false,
                        loc: d.loc,
                    };
                    pending_index(cx, &mut t, &mut ix, Some(&d.col));
                }
                ColumnOption::ForeignKey(fk) => {
                    let c = TableConstraint::ForeignKey(fk.clone());
                    if rules::run_constraint(
                        cx,
                        &ConstraintDraft {
                            table: &name,
                            constraint: &c,
                            loc: d.loc,
                            in_alter: false,
                        },
                    ) == ConstraintVerdict::Keep
                    {
                        if let Some(mut f) =
                            foreign_key_from(cx, &name, fk, vec![col_name.clone()], Some(&t))
                        {
                            if let Some(n) = &cname {
                                f.name = n.clone();
                            }
                            if !name_taken(cx, &t, "foreign key", &f.name, d.loc) {
                                t.foreign_keys.push(f);
                            }
                        }
                    }
                }
                ColumnOption::Check(ck) => {
                    let n = cname
                        .as_ref()
                        .map(|n| sqlparser::ast::Ident::new(n.clone()));
                    if let Some(c) = check_from(
                        cx,
                        &name,
                        n.as_ref().or(ck.name.as_ref()),
                        &ck.expr,
                        std::slice::from_ref(&col_name),
                        &t.checks,
                    ) {
                        if !name_taken(cx, &t, "check", &c.name, d.loc) {
                            t.checks.push(c);
                        }
                    }
                }
                _ => {}
            }
        }
        t.columns.push(d.col);
    }
    for c in &ct.constraints {
        table_constraint(cx, &mut t, c, false);
    }
    // PostgreSQL makes primary-key columns NOT NULL.
    if let Some(pk) = &t.primary_key {
        let cols: Vec<String> = pk
            .parts
            .iter()
            .filter_map(|p| p.column_name().map(str::to_string))
            .collect();
        for c in cols {
            if let Some(col) = t.column_mut(&c) {
                col.nullable = false;
            }
        }
    }
    // Like PostgreSQL, one index for UNIQUE constraints that repeat the
    // primary key or an earlier UNIQUE of the same CREATE TABLE.
    let mut seen: std::collections::HashSet<Vec<KeyPart>> =
        t.primary_key.iter().map(|pk| pk.parts.clone()).collect();
    t.indexes
        .retain(|ix| ix.kind != IndexKind::Unique || seen.insert(ix.parts.clone()));
    serial::one_auto_increment(cx, &mut t);
    serial::auto_random(cx, &mut t);
    let fks = std::mem::take(&mut t.foreign_keys);
    let mut realign = false;
    for mut fk in fks {
        rules::fk_set_default::set_null_on_not_null(cx, &t, &mut fk);
        match rules::fk_type_mismatch::align(cx, &mut t, &fk) {
            Ok(changed) => {
                realign |= !changed.is_empty();
                t.foreign_keys.push(fk);
            }
            // Reported already (the parent is named only in another case).
            Err(msg) if msg.is_empty() => {}
            Err(msg) => unsupported_statement::report_text(cx, &msg),
        }
    }
    if realign {
        // Column lengths changed: keys sized before must fit again.
        let view = t.clone();
        for ix in &mut t.indexes {
            rules::index_key_length::refit_quietly(&view, &mut ix.parts);
        }
        if let Some(pk) = &mut t.primary_key {
            rules::index_key_length::refit_quietly(&view, &mut pk.parts);
        }
    }
    for c in pending_keys {
        if !t.column(&c).is_some_and(|x| x.auto_increment) {
            continue;
        }
        if !t.column_leads_a_key(&c) {
            let ix = Index {
                name: format!("{c}_ai_key"),
                kind: IndexKind::Plain,
                parts: vec![KeyPart::col(&c)],
            };
            serial::report_added_key(cx, &c);
            t.indexes.push(ix);
        }
    }
    rules::run_table(cx, &mut t);
    cx.output.push(emit::create_table(&t));
    cx.catalog_updates.push(CatalogUpdate::Table(Box::new(t)));
}

/// Lower-case names of the columns in a primary, unique or foreign key of a CREATE TABLE.
pub(crate) fn key_columns_of(ct: &CreateTable) -> BTreeSet<String> {
    let mut set = BTreeSet::new();
    let mut add = |i: &sqlparser::ast::Ident| {
        set.insert(fold_ident(&i.value, i.quote_style).to_lowercase());
    };
    for c in &ct.columns {
        if c.options.iter().any(|o| {
            matches!(
                o.option,
                ColumnOption::PrimaryKey(_) | ColumnOption::Unique(_) | ColumnOption::ForeignKey(_)
            )
        }) {
            add(&c.name);
        }
    }
    for tc in &ct.constraints {
        let cols: Vec<&sqlparser::ast::IndexColumn> = match tc {
            TableConstraint::PrimaryKey(pk) => pk.columns.iter().collect(),
            TableConstraint::Unique(u) => u.columns.iter().collect(),
            TableConstraint::ForeignKey(fk) => {
                fk.columns.iter().for_each(&mut add);
                vec![]
            }
            _ => vec![],
        };
        for ic in cols {
            if let Expr::Identifier(i) = &ic.column.expr {
                add(i);
            }
        }
    }
    set
}

pub(crate) fn pending_index(
    cx: &mut Cx,
    t: &mut Table,
    ix: &mut IndexDraft,
    extra_col: Option<&Column>,
) {
    // The column may not be in `t` yet (inline UNIQUE): check against a view that has it.
    let view;
    let table_view = match extra_col {
        Some(c) if t.column(&c.name).is_none() => {
            let mut tv = t.clone();
            tv.columns.push(c.clone());
            view = tv;
            &view
        }
        _ => &*t,
    };
    rules::run_index(cx, Some(table_view), ix);
    if !ix.dropped && !name_taken(cx, t, "index", &ix.name, ix.loc) {
        t.indexes.push(ix.to_index());
    }
}

#[cfg(test)]
mod tests {
    use crate::{convert_str, Options};

    #[test]
    fn unique_constraints_that_repeat_a_key_make_no_second_index_as_in_postgresql() {
        let sql = convert_str(
            "CREATE TABLE t (id int PRIMARY KEY, a int UNIQUE, b int, UNIQUE (id), UNIQUE (a), UNIQUE (a, b));",
            Options::default(),
        )
        .output_sql();
        assert_eq!(sql.matches("UNIQUE KEY").count(), 2, "{sql}");
        assert!(sql.contains("UNIQUE KEY `t_a_key` (`a`)"), "{sql}");
        assert!(sql.contains("(`a`, `b`)"), "{sql}");
    }
}
