//! Migration DML: INSERT … VALUES, UPDATE … SET … WHERE, DELETE … WHERE.
//!
//! Migrations carry small bookkeeping and seed statements (Alembic's
//! `alembic_version` rows). They are printed with expressions mapped and
//! `RETURNING` removed; forms with no simple TiDB equivalent (INSERT …
//! SELECT, UPDATE … FROM, ON CONFLICT DO UPDATE) are reported.

use crate::emit::Stmt;
use crate::expr::{assigned_literal, columns, last_name, string_value, to_tidb};
use crate::lower::{column_shadowed, shadowed, table_name};
use crate::model::TiType;
use crate::rules::{self, Cx, Event, ExprUse, Taken, Untranslated};
use sqlparser::ast::{
    AssignmentTarget, Delete, Expr, FromTable, Insert, ObjectName, OnConflictAction, OnInsert,
    SetExpr, Statement, TableFactor, TableObject, TableWithJoins, Update,
};
use std::collections::{BTreeMap, BTreeSet};

/// A DML statement as written for TiDB, with the table it writes and the
/// names (columns) it uses, taken from the statement, not its SQL.
struct Dml {
    stmt: Stmt,
    table: String,
    names: BTreeSet<String>,
    /// String literals longer than their column's TiDB type holds: column
    /// → the longest, in characters.
    long: BTreeMap<String, u32>,
}

pub fn lower(cx: &mut Cx, stmt: &Statement) {
    let r = match stmt {
        Statement::Insert(i) => insert(cx, i),
        Statement::Update(u) => update(cx, u),
        Statement::Delete(d) => delete(cx, d),
        _ => Err("not DML".into()),
    };
    match r {
        Ok(d) => {
            if !names_lost(cx, &d.table, &d.names) && fits(cx, &d.table, &d.long) {
                cx.emit(d.stmt);
            }
        }
        Err(why) => {
            rules::run_event(cx, &Event::Untranslated(Untranslated::Dml(&why)));
        }
    }
}

/// The values of `list`, the `k`th written into a column of type `types[k]`
/// where it is known (a literal then means what PostgreSQL's assignment
/// makes of it: bytea input, a bit string as text).
fn exprs_into(
    cx: &mut Cx,
    list: &[sqlparser::ast::Expr],
    types: &[Option<TiType>],
) -> Result<Vec<String>, String> {
    let mut out = Vec::with_capacity(list.len());
    for (k, e) in list.iter().enumerate() {
        let assigned = types
            .get(k)
            .and_then(Option::as_ref)
            .and_then(|ty| assigned_literal(e, ty));
        match assigned.unwrap_or_else(|| to_tidb(e)) {
            Ok(s) => out.push(s),
            Err(why) => {
                let at = cx.loc;
                let used = ExprUse::Value;
                rules::run_event(
                    cx,
                    &Event::Expression {
                        at,
                        used,
                        why: &why,
                    },
                );
                return Err(format!("value {e} cannot be translated"));
            }
        }
    }
    Ok(out)
}

fn expr(cx: &mut Cx, e: &sqlparser::ast::Expr) -> Result<String, String> {
    Ok(exprs_into(cx, std::slice::from_ref(e), &[])?.remove(0))
}

/// The column names `list` uses.
fn names_in(list: &[Expr], names: &mut BTreeSet<String>) {
    for e in list {
        names.extend(columns(e));
    }
}

fn insert(cx: &mut Cx, i: &Insert) -> Result<Dml, String> {
    let TableObject::TableName(name) = &i.table else {
        return Err("INSERT INTO a table function".into());
    };
    let table = table_name(cx, name);
    let mut ignore = false;
    match &i.on {
        None => {}
        Some(OnInsert::OnConflict(oc)) if matches!(oc.action, OnConflictAction::DoNothing) => {
            let e = Event::OnConflictDoNothing {
                target: oc.conflict_target.is_some(),
            };
            match rules::run_event(cx, &e) {
                Some(Taken::Keep) => ignore = true,
                _ => return Err("INSERT … ON CONFLICT DO NOTHING has no TiDB form".into()),
            }
        }
        Some(_) => return Err("INSERT … ON CONFLICT DO UPDATE is not converted yet".into()),
    }
    let source = i.source.as_ref().ok_or("INSERT without VALUES")?;
    let SetExpr::Values(values) = source.body.as_ref() else {
        return Err("INSERT … SELECT is not converted yet".into());
    };
    let columns: Vec<String> = i.columns.iter().map(last_name).collect();
    let mut names: BTreeSet<String> = columns.iter().cloned().collect();
    let types = column_types(cx, &table, &i.columns);
    let order = column_order(cx, &table, &columns);
    let mut long = BTreeMap::new();
    let mut rows = Vec::with_capacity(values.rows.len());
    for row in &values.rows {
        rows.push(exprs_into(cx, &row.content, &types)?);
        too_long(&row.content, &types, &order, &mut long);
        names_in(&row.content, &mut names);
    }
    if i.returning.is_some() {
        rules::run_event(cx, &Event::Returning);
    }
    let stmt = Stmt::Insert {
        table: table.clone(),
        ignore,
        columns,
        rows,
    };
    Ok(Dml {
        stmt,
        table,
        names,
        long,
    })
}

/// The TiDB types of the columns an INSERT or UPDATE writes, in order
/// (every column of the table when `named` is empty), `None` where unknown.
fn column_types(cx: &Cx, table: &str, named: &[ObjectName]) -> Vec<Option<TiType>> {
    let Some(t) = cx.catalog.table(table) else {
        return vec![];
    };
    if named.is_empty() {
        return t.columns.iter().map(|c| Some(c.ty.clone())).collect();
    }
    named
        .iter()
        .map(|n| t.column(&last_name(n)).map(|c| c.ty.clone()))
        .collect()
}

/// The columns an INSERT writes, in order (the table's, when it names none).
fn column_order(cx: &Cx, table: &str, named: &[String]) -> Vec<String> {
    if !named.is_empty() {
        return named.to_vec();
    }
    cx.catalog
        .table(table)
        .map(|t| t.columns.iter().map(|c| c.name.clone()).collect())
        .unwrap_or_default()
}

/// Note each string literal of `values` longer than its column's type
/// holds (`types`, `columns`: in the same order), the longest per column.
fn too_long(
    values: &[Expr],
    types: &[Option<TiType>],
    columns: &[String],
    long: &mut BTreeMap<String, u32>,
) {
    for (k, v) in values.iter().enumerate() {
        let (Some(Some(ty)), Some(column)) = (types.get(k), columns.get(k)) else {
            continue;
        };
        let (TiType::Varchar(n) | TiType::Char(n)) = ty else {
            continue;
        };
        let Some(s) = string_value(v) else { continue };
        let chars = u32::try_from(s.chars().count()).unwrap_or(u32::MAX);
        if chars > *n {
            let m = long.entry(column.clone()).or_insert(0);
            *m = (*m).max(chars);
        }
    }
}

/// Every value fits its column, or a rule made it fit (wider column) or
/// said why the statement is not carried over (false).
fn fits(cx: &mut Cx, table: &str, long: &BTreeMap<String, u32>) -> bool {
    if long.is_empty() {
        return true;
    }
    let Some(t) = cx.catalog.table_copy(table) else {
        return true;
    };
    let e = Event::ValuesTooLong { table: &t, long };
    rules::run_event(cx, &e) != Some(Taken::Drop)
}

fn single_table(cx: &mut Cx, t: &TableWithJoins) -> Result<String, String> {
    if !t.joins.is_empty() {
        return Err("UPDATE/DELETE with joins is not converted yet".into());
    }
    match &t.relation {
        TableFactor::Table {
            name, alias: None, ..
        } => Ok(table_name(cx, name)),
        _ => Err("UPDATE/DELETE of an aliased or derived table is not converted yet".into()),
    }
}

fn update(cx: &mut Cx, u: &Update) -> Result<Dml, String> {
    if u.from.is_some() {
        return Err("UPDATE … FROM is not converted yet".into());
    }
    let table = single_table(cx, &u.table)?;
    let mut set = Vec::with_capacity(u.assignments.len());
    let mut names = BTreeSet::new();
    let mut long = BTreeMap::new();
    for a in &u.assignments {
        let AssignmentTarget::ColumnName(col) = &a.target else {
            return Err("UPDATE with tuple assignment is not converted yet".into());
        };
        let ty = column_types(cx, &table, std::slice::from_ref(col));
        let v = exprs_into(cx, std::slice::from_ref(&a.value), &ty)?.remove(0);
        too_long(
            std::slice::from_ref(&a.value),
            &ty,
            &[last_name(col)],
            &mut long,
        );
        set.push((last_name(col), v));
        names.insert(last_name(col));
        names_in(std::slice::from_ref(&a.value), &mut names);
    }
    let filter = filter(cx, u.selection.as_ref(), &mut names)?;
    if u.returning.is_some() {
        rules::run_event(cx, &Event::Returning);
    }
    let stmt = Stmt::Update {
        table: table.clone(),
        set,
        filter,
    };
    Ok(Dml {
        stmt,
        table,
        names,
        long,
    })
}

fn delete(cx: &mut Cx, d: &Delete) -> Result<Dml, String> {
    if d.using.is_some() {
        return Err("DELETE … USING is not converted yet".into());
    }
    let from = match &d.from {
        FromTable::WithFromKeyword(t) | FromTable::WithoutKeyword(t) => t,
    };
    let [t] = from.as_slice() else {
        return Err("DELETE from several tables is not converted yet".into());
    };
    let table = single_table(cx, t)?;
    let mut names = BTreeSet::new();
    let filter = filter(cx, d.selection.as_ref(), &mut names)?;
    if d.returning.is_some() {
        rules::run_event(cx, &Event::Returning);
    }
    let stmt = Stmt::Delete {
        table: table.clone(),
        filter,
    };
    Ok(Dml {
        stmt,
        table,
        names,
        long: BTreeMap::new(),
    })
}

/// A WHERE condition, translated, and the names it uses.
fn filter(
    cx: &mut Cx,
    w: Option<&Expr>,
    names: &mut BTreeSet<String>,
) -> Result<Option<String>, String> {
    let Some(w) = w else { return Ok(None) };
    let out = expr(cx, w)?;
    names_in(std::slice::from_ref(w), names);
    Ok(Some(out))
}

/// INSERT, UPDATE, DELETE: their table and columns by their exact names
/// (one that differs only in case is another object, not carried over).
/// True when the statement is lost (and a rule said why); what the
/// statement's rules wrote is then left out too.
fn names_lost(cx: &mut Cx, table: &str, names: &BTreeSet<String>) -> bool {
    let Some(t) = cx.catalog.table(table).map(std::borrow::Cow::into_owned) else {
        return false;
    };
    let what = "this statement".to_string();
    let columns = names.iter().map(String::as_str).filter(|n| *n != table);
    let lost = shadowed(cx, "table", table, &t.name, &what)
        || column_shadowed(cx, &t, columns, None, &what);
    if lost {
        cx.output.clear();
    }
    lost
}
