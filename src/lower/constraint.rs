//! Table constraints: foreign keys, CHECKs, UNIQUE and primary keys; adding and dropping them.

use crate::catalog::Catalog;
use crate::emit::AlterOp;
use crate::expr::to_tidb;
use crate::model::{Check, ForeignKey, Index, IndexKind, KeyPart, PrimaryKey, Table};
use crate::rules::{
    self, ConstraintDraft, ConstraintVerdict, Cx, Event, ExprUse, ForeignKeyCheck, ForeignKeyDraft,
    Object, PrimaryKeyDraft, Untranslated,
};
use crate::types::fold_ident;
use sqlparser::ast::{Expr, TableConstraint};

use crate::lower::{
    absent, column_shadowed, default_constraint_name, dropped_by, expr_loc, idents,
    index::index_draft, index_column_names, is_pk_name, key_leads_with, name_taken,
    referential_action, shadowed, table_name,
};

/// A FOREIGN KEY constraint → model (resolving an omitted column list to the PK).
pub(crate) fn foreign_key_from(
    cx: &mut Cx,
    table: &str,
    fk: &sqlparser::ast::ForeignKeyConstraint,
    columns: Vec<String>,
    current: Option<&Table>,
) -> Option<ForeignKey> {
    let ref_table = table_name(cx, &fk.foreign_table);
    let mut ref_columns = idents(&fk.referred_columns);
    // The referenced table and columns by their exact names: one that differs
    // only in case is another object, which was not carried over.
    // (Another table's are checked where its types are read, by the
    // foreign-key hooks, so that it is not read twice.)
    let what = format!("the foreign key of `{table}` that references it");
    let same = ref_table == table;
    if !same && shadowed(cx, "table", &ref_table, table, &what) {
        return None;
    }
    if let Some(t) = current.filter(|_| same) {
        let names = ref_columns.iter().map(String::as_str);
        if column_shadowed(cx, t, names, Some(&ref_table), &what) {
            return None;
        }
    }
    if ref_columns.is_empty() {
        let target = if same {
            current.map(std::borrow::Cow::Borrowed)
        } else {
            cx.catalog.table(&ref_table)
        };
        let known = target.as_ref().map(|t| t.name.clone());
        if known.is_some_and(|k| shadowed(cx, "table", &ref_table, &k, &what)) {
            return None;
        }
        match target.as_deref().and_then(|t| t.primary_key.as_ref()) {
            Some(pk) => {
                ref_columns = pk
                    .parts
                    .iter()
                    .filter_map(|p| p.column_name().map(str::to_string))
                    .collect()
            }
            None => {
                let needed = "its primary key is needed for REFERENCES without columns";
                absent(cx, Object::Table(&ref_table), false, needed);
                return None;
            }
        }
    }
    let name = fk
        .name
        .as_ref()
        .map(|n| fold_ident(&n.value, n.quote_style))
        .unwrap_or_else(|| default_constraint_name(table, &columns, "fkey"));
    Some(ForeignKey {
        name,
        columns,
        ref_table,
        ref_columns,
        on_delete: referential_action(&fk.on_delete),
        on_update: referential_action(&fk.on_update),
        tidb_name: None,
    })
}

pub(crate) fn check_from(
    cx: &mut Cx,
    table: &str,
    name: Option<&sqlparser::ast::Ident>,
    e: &Expr,
    cols: &[String],
    taken: &crate::model::Named<Check>,
) -> Option<Check> {
    match to_tidb(e) {
        Ok(sql) => {
            // PostgreSQL names an unnamed CHECK `<table>_<column>_check` when it
            // uses one column, `<table>_check` otherwise, numbering duplicates.
            let used = crate::expr::columns(e);
            let single = if used.len() == 1 {
                used.clone()
            } else {
                vec![]
            };
            let cols = if cols.is_empty() { &single[..] } else { cols };
            let name = match name {
                Some(n) => fold_ident(&n.value, n.quote_style),
                None => {
                    let base = default_constraint_name(table, cols, "check");
                    let mut n = base.clone();
                    let mut i = 1;
                    while taken.get(&n).is_some() {
                        n = format!("{base}{i}");
                        i += 1;
                    }
                    n
                }
            };
            let at = expr_loc(e, cx.loc);
            rules::run_event(cx, &Event::CheckKept { at });
            Some(Check::new(name, sql, &used))
        }
        Err(why) => {
            let name = name.map(|n| fold_ident(&n.value, n.quote_style));
            let e = Event::Expression {
                at: expr_loc(e, cx.loc),
                used: ExprUse::Check {
                    name: name.as_deref(),
                    table,
                },
                why: &why,
            };
            rules::run_event(cx, &e);
            None
        }
    }
}

/// A foreign key of `t` on its way to the foreign-key hooks, with its
/// parent as the model has it (for a reference to itself: `t` as it is).
pub(crate) fn foreign_key_draft<'d>(
    catalog: &'d Catalog,
    t: &'d mut Table,
    fk: ForeignKey,
    check: ForeignKeyCheck,
) -> ForeignKeyDraft<'d> {
    let parent = if fk.ref_table.eq_ignore_ascii_case(&t.name) {
        Some(std::borrow::Cow::Owned(t.clone()))
    } else {
        catalog.table(&fk.ref_table)
    };
    ForeignKeyDraft {
        table: t,
        fk,
        parent,
        check,
        changed: vec![],
        dropped: false,
    }
}

/// A table-level constraint in CREATE TABLE or ALTER TABLE ADD CONSTRAINT.
/// Returns the clause to ADD in ALTER mode.
pub(crate) fn table_constraint(
    cx: &mut Cx,
    t: &mut Table,
    c: &TableConstraint,
    in_alter: bool,
) -> Option<AlterOp> {
    let loc = cx.loc;
    let cols: Vec<String> = match c {
        TableConstraint::PrimaryKey(pk) => index_column_names(&pk.columns).unwrap_or_default(),
        TableConstraint::Unique(u) => index_column_names(&u.columns).unwrap_or_default(),
        TableConstraint::ForeignKey(fk) => idents(&fk.columns),
        _ => vec![],
    };
    let what = format!("this constraint of `{}`", t.name);
    if column_shadowed(cx, t, cols.iter().map(String::as_str), None, &what) {
        return None;
    }
    let mut draft = ConstraintDraft {
        table: t,
        constraint: c,
        columns: &cols,
        loc,
        in_alter,
        changed: vec![],
    };
    let verdict = rules::run_constraint(cx, &mut draft);
    for col in std::mem::take(&mut draft.changed) {
        cx.alter(&t.name, AlterOp::ModifyColumn(col.clone()));
    }
    if verdict == ConstraintVerdict::Drop {
        return None;
    }
    match c {
        TableConstraint::PrimaryKey(pk) => primary_key(cx, t, pk, in_alter),
        TableConstraint::Unique(u) => unique(cx, t, u),
        TableConstraint::ForeignKey(fk) => foreign_key(cx, t, fk, in_alter),
        TableConstraint::Check(ck) => check(cx, t, ck, in_alter),
        other => {
            rules::run_event(cx, &Event::Untranslated(Untranslated::Constraint(other)));
            None
        }
    }
}

/// PRIMARY KEY: the primary-key hooks decide whether it is clustered, and
/// whether it can be added at all.
fn primary_key(
    cx: &mut Cx,
    t: &mut Table,
    pk: &sqlparser::ast::PrimaryKeyConstraint,
    in_alter: bool,
) -> Option<AlterOp> {
    let Some(cols) = index_column_names(&pk.columns) else {
        let table = &t.name;
        let e = Untranslated::PrimaryKeyExpression { table };
        rules::run_event(cx, &Event::Untranslated(e));
        return None;
    };
    let key = PrimaryKey {
        name: pk
            .name
            .as_ref()
            .map(|n| fold_ident(&n.value, n.quote_style)),
        parts: cols.iter().map(KeyPart::col).collect(),
        clustered: true,
    };
    let mut draft = PrimaryKeyDraft {
        table: t,
        key,
        in_alter,
        dropped: false,
    };
    rules::run_primary_key(cx, &mut draft);
    if draft.dropped {
        return None;
    }
    let key = draft.key;
    for c in &cols {
        if let Some(col) = t.column_mut(c) {
            col.nullable = false;
        }
    }
    let clause = AlterOp::AddPrimaryKey(key.clone());
    t.primary_key = Some(key);
    Some(clause)
}

/// UNIQUE: an index, through the index hooks.
fn unique(cx: &mut Cx, t: &mut Table, u: &sqlparser::ast::UniqueConstraint) -> Option<AlterOp> {
    let loc = cx.loc;
    let cols = index_column_names(&u.columns).unwrap_or_default();
    let name = u
        .name
        .as_ref()
        .map(|n| fold_ident(&n.value, n.quote_style))
        .unwrap_or_else(|| default_constraint_name(&t.name, &cols, "key"));
    if name_taken(cx, t, "index", &name, loc) {
        return None;
    }
    let mut ix = index_draft(name, true, None, &u.columns, loc);
    ix.nulls_not_distinct = u.nulls_distinct == sqlparser::ast::NullsDistinctOption::NotDistinct;
    rules::run_index(cx, Some(t), &mut ix);
    if ix.dropped {
        return None;
    }
    let index = ix.to_index();
    let clause = AlterOp::AddIndex(index.clone());
    t.indexes.push(index);
    Some(clause)
}

/// FOREIGN KEY: in ALTER TABLE the foreign-key hooks check it at once (in
/// CREATE TABLE, once all columns are known).
fn foreign_key(
    cx: &mut Cx,
    t: &mut Table,
    fk: &sqlparser::ast::ForeignKeyConstraint,
    in_alter: bool,
) -> Option<AlterOp> {
    let cols = idents(&fk.columns);
    let table_copy = t.clone();
    let mut f = foreign_key_from(cx, &t.name, fk, cols, Some(&table_copy))?;
    if name_taken(cx, t, "foreign key", &f.name, cx.loc) {
        return None;
    }
    if in_alter {
        let mut d = foreign_key_draft(cx.catalog, t, f, ForeignKeyCheck::Add);
        rules::run_foreign_key(cx, &mut d);
        let (changed, dropped) = (std::mem::take(&mut d.changed), d.dropped);
        f = d.fk;
        if dropped {
            return None;
        }
        for c in changed {
            cx.alter(&t.name, AlterOp::ModifyColumn(c.clone()));
        }
    }
    let clause = AlterOp::AddForeignKey(f.clone());
    t.foreign_keys.push(f);
    Some(clause)
}

/// CHECK: kept, named; in ALTER TABLE the rules may refuse it.
fn check(
    cx: &mut Cx,
    t: &mut Table,
    ck: &sqlparser::ast::CheckConstraint,
    in_alter: bool,
) -> Option<AlterOp> {
    let c = check_from(cx, &t.name, ck.name.as_ref(), &ck.expr, &[], &t.checks)?;
    let used: Vec<String> = c.columns().map(str::to_string).collect();
    let what = format!("CHECK {} of `{}`", c.name, t.name);
    if column_shadowed(cx, t, used.iter().map(String::as_str), None, &what) {
        return None;
    }
    if name_taken(cx, t, "check", &c.name, cx.loc) {
        return None;
    }
    let clause = AlterOp::AddCheck(c.clone());
    let added = Event::CheckAdded {
        table: t,
        check: &c,
    };
    if in_alter && dropped_by(cx, added) {
        return None;
    }
    t.checks.push(c);
    Some(clause)
}

/// Write `DROP FOREIGN KEY` for foreign key `name` of `t`. The index TiDB
/// (like MySQL) made for the key when no other led with its columns stays,
/// under the key's name: the model keeps it too.
pub(crate) fn drop_foreign_key(cx: &mut Cx, t: &mut Table, name: &str) {
    let Some(fk) = t.foreign_keys.remove(name).into_iter().next() else {
        return;
    };
    cx.alter(&t.name, AlterOp::DropForeignKey(fk.tidb_name().to_string()));
    if !key_leads_with(t, &fk.columns) && t.index(fk.tidb_name()).is_none() {
        t.indexes.push(Index {
            name: fk.tidb_name().to_string(),
            kind: IndexKind::Plain,
            parts: fk.columns.iter().map(KeyPart::col).collect(),
        });
    }
}

/// A foreign key needs an index whose leading columns are its columns; if
/// the index about to be dropped is the only one, add a plain one first
/// (TiDB and MySQL refuse the drop otherwise, 1553).
pub(crate) fn keep_fk_index(cx: &mut Cx, t: &mut Table, dropping: &str) {
    let leads = |parts: &[KeyPart], cols: &[String]| {
        cols.len() <= parts.len()
            && cols
                .iter()
                .zip(parts)
                .all(|(c, p)| p.column_name().is_some_and(|n| n.eq_ignore_ascii_case(c)))
    };
    let mut added = Vec::new();
    for fk in &t.foreign_keys {
        let Some(ix) = t.index(dropping) else { return };
        if !leads(&ix.parts, &fk.columns) {
            continue;
        }
        let other = t
            .indexes
            .iter()
            .any(|i| !i.name.eq_ignore_ascii_case(dropping) && leads(&i.parts, &fk.columns))
            || t.primary_key
                .as_ref()
                .is_some_and(|pk| leads(&pk.parts, &fk.columns));
        if !other {
            added.push(Index {
                name: fk.name.clone(),
                kind: IndexKind::Plain,
                parts: fk.columns.iter().map(KeyPart::col).collect(),
            });
        }
    }
    for ix in added {
        cx.alter(&t.name, AlterOp::AddIndex(ix.clone()));
        t.indexes.push(ix);
    }
}

pub(crate) fn drop_constraint(cx: &mut Cx, t: &mut Table, n: &str, if_exists: bool) {
    // The constraint by its exact name (a name that differs only in case is
    // another constraint, which was not carried over).
    let names: Vec<String> = t
        .primary_key_name()
        .into_iter()
        .chain(t.foreign_keys.same_to_tidb(n).map(|f| f.name.clone()))
        .chain(t.indexes.same_to_tidb(n).map(|i| i.name.clone()))
        .chain(t.checks.same_to_tidb(n).map(|k| k.name.clone()))
        .collect();
    if !names.iter().any(|x| x == n)
        && names
            .iter()
            .any(|k| shadowed(cx, "constraint", n, k, "its DROP CONSTRAINT"))
    {
        return;
    }
    if is_pk_name(t, n) {
        if dropped_by(cx, Event::DropPrimaryKey { table: t }) {
            return;
        }
        cx.alter(&t.name, AlterOp::DropPrimaryKey);
        t.primary_key = None;
    } else if t.foreign_keys.get(n).is_some() {
        drop_foreign_key(cx, t, n);
    } else if t.index(n).is_some() {
        keep_fk_index(cx, t, n);
        cx.alter(&t.name, AlterOp::DropIndex(n.to_string()));
        t.indexes.remove(n);
    } else if t.checks.get(n).is_some() {
        cx.alter(&t.name, AlterOp::DropCheck(n.to_string()));
        t.checks.remove(n);
    } else {
        let name = Object::Constraint {
            table: &t.name,
            name: n,
        };
        absent(cx, name, if_exists, "");
    }
}
