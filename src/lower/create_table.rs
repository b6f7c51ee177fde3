//! CREATE TABLE.

use crate::emit::Stmt;
use crate::model::{Check, Column, IndexKind, KeyPart, PrimaryKey, Table};
use crate::rules::{
    self, CatalogUpdate, ColumnDraft, ColumnMode, ConstraintDraft, ConstraintVerdict, Cx, Event,
    ForeignKeyCheck, IndexDraft, KeyDraft, Object, PrimaryKeyDraft, Refit,
};
use crate::types::fold_ident;
use sqlparser::ast::{ColumnDef, ColumnOption, CreateTable, Expr, TableConstraint};
use std::collections::BTreeSet;

use crate::lower::{
    absent, column::column_draft, constraint::check_from, constraint::foreign_key_draft,
    constraint::foreign_key_from, constraint::table_constraint, default_constraint_name,
    dropped_by, ident_loc, name_taken, name_taken_by, namespace_taken, new_name, qualified_name,
    table_name,
};

pub(crate) fn create_table(cx: &mut Cx, ct: &CreateTable) {
    let (name, schema) = qualified_name(cx, &ct.name);
    let last = ct.name.0.last().and_then(|p| p.as_ident());
    let loc = last.map(|i| ident_loc(i, cx.loc)).unwrap_or(cx.loc);
    if let Some(i) = last {
        new_name(cx, &i.value, loc);
    }
    if dropped_by(cx, Event::CreateTable { ct, name: &name }) {
        return;
    }
    if namespace_taken(cx, "table", &name, loc, |_| false) {
        return;
    }
    let mut t = Table {
        name: name.clone(),
        if_not_exists: ct.if_not_exists,
        temporary: ct.temporary,
        schema,
        ..Table::default()
    };
    if let Some(by) = &ct.partition_by {
        let by = by.to_string();
        rules::run_event(
            cx,
            &Event::PartitionedBy {
                table: &name,
                by: &by,
            },
        );
    }
    if !inherit(cx, ct, &mut t) {
        return;
    }
    let key_columns = key_columns_of(ct);
    for def in &ct.columns {
        let mut d = column_draft(cx, &name, def, ColumnMode::Create);
        d.in_key = key_columns.contains(&d.col.name.to_lowercase());
        rules::run_column(cx, &mut d);
        if d.dropped {
            continue;
        }
        let taken = t.columns.same_to_tidb(&d.col.name).map(|c| c.name.clone());
        if taken.is_some_and(|e| name_taken_by(cx, &t, "column", &d.col.name, &e, d.loc)) {
            continue;
        }
        push_column(cx, &mut t, def, d);
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
    rules::run_keys(cx, &mut t);
    check_foreign_keys(cx, &mut t);
    rules::run_table(cx, &mut t);
    cx.emit(Stmt::CreateTable(t.clone()));
    cx.catalog_updates.push(CatalogUpdate::Table(Box::new(t)));
}

/// INHERITS: the parents' columns come first, as PostgreSQL stores them.
/// False when a parent is not known (reported).
fn inherit(cx: &mut Cx, ct: &CreateTable, t: &mut Table) -> bool {
    for p in ct.inherits.iter().flatten() {
        let parent = table_name(cx, p);
        let catalog = cx.catalog;
        let Some(pt) = catalog.table(&parent) else {
            let needed = "INHERITS needs the parent's columns";
            absent(cx, Object::Table(&parent), false, needed);
            return false;
        };
        t.columns.extend(pt.columns.iter().cloned().map(|mut c| {
            c.auto_increment = false;
            c
        }));
        t.checks.extend(
            pt.checks
                .iter()
                .map(|k| k.renamed(default_constraint_name(&t.name, &[], &k.name))),
        );
        let auto_increment = pt.auto_increment_columns();
        let e = Event::Inherits {
            child: &t.name,
            parent: &parent,
            auto_increment: &auto_increment,
        };
        rules::run_event(cx, &e);
    }
    true
}

/// A column of CREATE TABLE, with the constraints written on it.
fn push_column(cx: &mut Cx, t: &mut Table, def: &ColumnDef, d: ColumnDraft) {
    let col_name = d.col.name.clone();
    if d.auto_increment_start.is_some() {
        t.auto_increment_start = d.auto_increment_start;
    }
    for (i, ck) in d.domain_checks.iter().enumerate() {
        let suffix = if i == 0 {
            "check".to_string()
        } else {
            format!("check{i}")
        };
        let name = default_constraint_name(&t.name, std::slice::from_ref(&col_name), &suffix);
        let c = Check::new(name, ck.clone(), std::slice::from_ref(&col_name));
        t.checks.push(c);
    }
    // Inline constraints become table-level ones (TiDB ignores inline REFERENCES).
    for opt in &def.options {
        let cname = opt
            .name
            .as_ref()
            .map(|n| fold_ident(&n.value, n.quote_style));
        match &opt.option {
            ColumnOption::PrimaryKey(_) => {
                let key = PrimaryKey {
                    name: cname,
                    parts: vec![KeyPart::col(&col_name)],
                    clustered: true,
                };
                let mut pk = PrimaryKeyDraft {
                    table: t,
                    key,
                    in_alter: false,
                    dropped: false,
                };
                rules::run_primary_key(cx, &mut pk);
                let key = (!pk.dropped).then_some(pk.key);
                if key.is_some() {
                    t.primary_key = key;
                }
            }
            ColumnOption::Unique(u) => {
                let iname = cname.unwrap_or_else(|| {
                    default_constraint_name(&t.name, std::slice::from_ref(&col_name), "key")
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
                pending_index(cx, t, &mut ix, Some(&d.col));
            }
            ColumnOption::ForeignKey(fk) => {
                let c = TableConstraint::ForeignKey(fk.clone());
                let columns = [col_name.clone()];
                let mut draft = ConstraintDraft {
                    table: t,
                    constraint: &c,
                    columns: &columns,
                    loc: d.loc,
                    in_alter: false,
                    changed: vec![],
                };
                if rules::run_constraint(cx, &mut draft) == ConstraintVerdict::Keep {
                    let name = t.name.clone();
                    if let Some(mut f) =
                        foreign_key_from(cx, &name, fk, vec![col_name.clone()], Some(t))
                    {
                        if let Some(n) = &cname {
                            f.name = n.clone();
                        }
                        if !name_taken(cx, t, "foreign key", &f.name, d.loc) {
                            t.foreign_keys.push(f);
                        }
                    }
                }
            }
            ColumnOption::Check(ck) => {
                let n = cname
                    .as_ref()
                    .map(|n| sqlparser::ast::Ident::new(n.clone()));
                let name = t.name.clone();
                if let Some(c) = check_from(
                    cx,
                    &name,
                    n.as_ref().or(ck.name.as_ref()),
                    &ck.expr,
                    std::slice::from_ref(&col_name),
                    &t.checks,
                ) {
                    if !name_taken(cx, t, "check", &c.name, d.loc) {
                        t.checks.push(c);
                    }
                }
            }
            _ => {}
        }
    }
    t.columns.push(d.col);
}

/// The foreign keys, once all columns are known: the rules may change
/// their actions and their columns' types, or leave them out. Keys sized
/// before a column's length changed must fit again.
fn check_foreign_keys(cx: &mut Cx, t: &mut Table) {
    let fks = std::mem::take(&mut t.foreign_keys);
    let mut realign = false;
    for fk in fks {
        let mut d = foreign_key_draft(cx.catalog, t, fk, ForeignKeyCheck::Create);
        rules::run_foreign_key(cx, &mut d);
        realign |= !d.changed.is_empty();
        let (fk, dropped) = (d.fk, d.dropped);
        if !dropped {
            t.foreign_keys.push(fk);
        }
    }
    if realign {
        let view = t.clone();
        for ix in &mut t.indexes {
            let mut key = Refit {
                table: &view,
                name: &ix.name,
                parts: &mut ix.parts,
                column: None,
            };
            rules::run_refit(cx, &mut key);
        }
        if let Some(pk) = &mut t.primary_key {
            let mut key = Refit {
                table: &view,
                name: "PRIMARY",
                parts: &mut pk.parts,
                column: None,
            };
            rules::run_refit(cx, &mut key);
        }
    }
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
