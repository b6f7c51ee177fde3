//! Table constraints: foreign keys, CHECKs, UNIQUE and primary keys; adding and dropping them.

use crate::emit;
use crate::expr::to_tidb;
use crate::model::{ident, Check, ForeignKey, Index, IndexKind, KeyPart, PrimaryKey, Table};
use crate::rules::identifier_case::{backquoted, clash};
use crate::rules::{
    self, unknown_object, unsupported_expression, unsupported_statement, ConstraintDraft,
    ConstraintVerdict, Cx,
};
use crate::types::fold_ident;
use sqlparser::ast::{Expr, TableConstraint};

use crate::lower::{
    default_constraint_name, expr_loc, idents, index::index_draft, index_column_names, is_pk_name,
    key_leads_with, name_taken, referential_action, shadowed, shadowed_column, table_name,
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
    // (Another table's are checked where its types are read, in
    // fk_type_mismatch::align, so that it is not read twice.)
    let what = format!("the foreign key of `{table}` that references it");
    let same = ref_table == table;
    if !same && shadowed(cx, "table", &ref_table, table, &what) {
        return None;
    }
    if let Some((n, k)) = current
        .filter(|_| same)
        .and_then(|t| shadowed_column(t, ref_columns.iter().map(String::as_str)))
    {
        let (requested, known) = (format!("{ref_table}.{n}"), format!("{ref_table}.{k}"));
        shadowed(cx, "column", &requested, &known, &what);
        return None;
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
                unknown_object::report_table(
                    cx,
                    &ref_table,
                    "its primary key is needed for REFERENCES without columns",
                );
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
            let mut used: Vec<String> = sql
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect();
            used.sort();
            used.dedup();
            let single = if used.len() == 1 { used } else { vec![] };
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
            rules::check_constraint::note(cx, expr_loc(e, cx.loc));
            Some(Check { name, expr: sql })
        }
        Err(why) => {
            let l = expr_loc(e, cx.loc);
            let what = match name {
                Some(n) => format!("CHECK {} on {table}", fold_ident(&n.value, n.quote_style)),
                None => format!("CHECK constraint on {table}"),
            };
            unsupported_expression::report(cx, l, &format!("{what} dropped: {why}"));
            None
        }
    }
}

/// A table-level constraint in CREATE TABLE or ALTER TABLE ADD CONSTRAINT.
/// Returns the clause to ADD in ALTER mode.
pub(crate) fn table_constraint(
    cx: &mut Cx,
    t: &mut Table,
    c: &TableConstraint,
    in_alter: bool,
) -> Option<String> {
    let loc = cx.loc;
    let cols: Vec<String> = match c {
        TableConstraint::PrimaryKey(pk) => index_column_names(&pk.columns).unwrap_or_default(),
        TableConstraint::Unique(u) => index_column_names(&u.columns).unwrap_or_default(),
        TableConstraint::ForeignKey(fk) => idents(&fk.columns),
        _ => vec![],
    };
    if let Some((n, known)) = shadowed_column(t, cols.iter().map(String::as_str)) {
        let what = format!("this constraint of `{}`", t.name);
        shadowed(cx, "column", &n, &known, &what);
        return None;
    }
    if in_alter {
        for col in rules::text_key::fix_columns(cx, t, &cols) {
            cx.output.push(emit::modify_column(&t.name, &col));
        }
    }
    let draft = ConstraintDraft {
        table: &t.name.clone(),
        constraint: c,
        loc,
        in_alter,
    };
    if rules::run_constraint(cx, &draft) == ConstraintVerdict::Drop {
        return None;
    }
    match c {
        TableConstraint::PrimaryKey(pk) => {
            let Some(cols) = index_column_names(&pk.columns) else {
                unsupported_statement::report_text(
                    cx,
                    &format!(
                        "primary key of {} on an expression: keys are on columns",
                        t.name
                    ),
                );
                return None;
            };
            if in_alter && t.primary_key.is_some() {
                unsupported_statement::report_text(
                    cx,
                    &format!("{} already has a primary key that TiDB cannot drop (a clustered key), so a new one cannot be added", t.name),
                );
                return None;
            }
            let key = PrimaryKey {
                name: pk
                    .name
                    .as_ref()
                    .map(|n| fold_ident(&n.value, n.quote_style)),
                parts: cols.iter().map(KeyPart::col).collect(),
                clustered: !in_alter || cx.fold,
            };
            for c in &cols {
                if let Some(col) = t.column_mut(c) {
                    col.nullable = false;
                }
            }
            let clause = format!("ADD {}", emit::primary_key(&key));
            t.primary_key = Some(key);
            Some(clause)
        }
        TableConstraint::Unique(u) => {
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
            ix.nulls_not_distinct =
                u.nulls_distinct == sqlparser::ast::NullsDistinctOption::NotDistinct;
            rules::run_index(cx, Some(t), &mut ix);
            if ix.dropped {
                return None;
            }
            let index = ix.to_index();
            let clause = format!("ADD {}", emit::index_element(&index));
            t.indexes.push(index);
            Some(clause)
        }
        TableConstraint::ForeignKey(fk) => {
            let cols = idents(&fk.columns);
            let table_copy = t.clone();
            let mut f = foreign_key_from(cx, &t.name, fk, cols, Some(&table_copy))?;
            if name_taken(cx, t, "foreign key", &f.name, loc) {
                return None;
            }
            if in_alter {
                rules::fk_set_default::set_null_on_not_null(cx, t, &mut f);
            }
            // In CREATE TABLE the types are aligned once all columns are known.
            if in_alter {
                match rules::fk_type_mismatch::align(cx, t, &f) {
                    Ok(changed) => {
                        for c in changed {
                            cx.output.push(emit::modify_column(&t.name, &c));
                        }
                    }
                    Err(msg) => {
                        if !msg.is_empty() {
                            unsupported_statement::report_text(cx, &msg);
                        }
                        return None;
                    }
                }
            }
            let clause = format!("ADD {}", emit::foreign_key(&f));
            t.foreign_keys.push(f);
            Some(clause)
        }
        TableConstraint::Check(ck) => {
            let c = check_from(cx, &t.name, ck.name.as_ref(), &ck.expr, &[], &t.checks)?;
            if let Some((n, known)) =
                shadowed_column(t, backquoted(&c.expr).iter().map(String::as_str))
            {
                let what = format!("CHECK {} of `{}`", c.name, t.name);
                shadowed(cx, "column", &n, &known, &what);
                return None;
            }
            if name_taken(cx, t, "check", &c.name, loc) {
                return None;
            }
            let clause = format!("ADD {}", emit::check(&c));
            t.checks.push(c);
            if in_alter && rules::check_auto_increment::filter_last(cx, t) {
                return None;
            }
            Some(clause)
        }
        other => {
            unsupported_statement::report_constraint(cx, other);
            None
        }
    }
}

/// Write `DROP FOREIGN KEY` for foreign key `name` of `t`. The index TiDB
/// (like MySQL) made for the key when no other led with its columns stays,
/// under the key's name: the model keeps it too.
pub(crate) fn drop_foreign_key(cx: &mut Cx, t: &mut Table, name: &str) {
    let Some(fk) = t.foreign_keys.remove(name).into_iter().next() else {
        return;
    };
    cx.output.push(emit::alter(
        &t.name,
        &format!("DROP FOREIGN KEY {}", ident(&fk.name)),
    ));
    if !key_leads_with(t, &fk.columns) && t.index(&fk.name).is_none() {
        t.indexes.push(Index {
            name: fk.name.clone(),
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
        cx.output.push(emit::alter(
            &t.name,
            &format!("ADD {}", emit::index_element(&ix)),
        ));
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
    if !names.iter().any(|x| x == n) {
        if let Some(k) = names.iter().find(|x| clash(n, x)) {
            shadowed(cx, "constraint", n, k, "its DROP CONSTRAINT");
            return;
        }
    }
    if is_pk_name(t, n) {
        if t.primary_key.as_ref().is_some_and(|pk| pk.clustered) {
            rules::clustered_primary_key::report_drop_clustered(cx, &t.name);
            return;
        }
        cx.output.push(emit::alter(&t.name, "DROP PRIMARY KEY"));
        t.primary_key = None;
    } else if t.foreign_keys.get(n).is_some() {
        drop_foreign_key(cx, t, n);
    } else if t.index(n).is_some() {
        keep_fk_index(cx, t, n);
        cx.output
            .push(emit::alter(&t.name, &format!("DROP INDEX {}", ident(n))));
        t.indexes.remove(n);
    } else if t.checks.get(n).is_some() {
        cx.output.push(emit::alter(
            &t.name,
            &format!("DROP CONSTRAINT {}", ident(n)),
        ));
        t.checks.remove(n);
    } else if if_exists {
        rules::if_exists_noop::report_absent(cx, &format!("constraint `{n}` on `{}`", t.name));
    } else {
        unknown_object::report_constraint(cx, &t.name, n);
    }
}
