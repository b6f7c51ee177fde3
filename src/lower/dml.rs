//! Migration DML: INSERT … VALUES, UPDATE … SET … WHERE, DELETE … WHERE.
//!
//! Migrations carry small bookkeeping and seed statements (Alembic's
//! `alembic_version` rows). They are printed with expressions mapped and
//! `RETURNING` removed; forms with no simple TiDB equivalent (INSERT …
//! SELECT, UPDATE … FROM, ON CONFLICT DO UPDATE) are reported.

use crate::expr::{ident_sql, to_tidb};
use crate::lower::view::selected_from;
use crate::lower::{column_shadowed, shadowed, table_name};
use crate::model::{backquoted, ident};
use crate::rules::{self, Cx, Event, ExprUse, Untranslated};
use sqlparser::ast::{
    AssignmentTarget, Delete, FromTable, Insert, ObjectName, OnConflictAction, OnInsert, SetExpr,
    Statement, TableFactor, TableObject, TableWithJoins, Update,
};

pub fn lower(cx: &mut Cx, stmt: &Statement) {
    let r = match stmt {
        Statement::Insert(i) => insert(cx, i),
        Statement::Update(u) => update(cx, u),
        Statement::Delete(d) => delete(cx, d),
        _ => Err("not DML".into()),
    };
    match r {
        Ok(sql) => cx.emit(sql),
        Err(why) => {
            rules::run_event(cx, &Event::Untranslated(Untranslated::Dml(&why)));
        }
    }
}

fn exprs(cx: &mut Cx, list: &[sqlparser::ast::Expr]) -> Result<String, String> {
    let mut out = Vec::with_capacity(list.len());
    for e in list {
        match to_tidb(e) {
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
    Ok(out.join(", "))
}

fn column_name(name: &ObjectName) -> String {
    name.0
        .last()
        .and_then(|p| p.as_ident())
        .map(ident_sql)
        .unwrap_or_default()
}

fn insert(cx: &mut Cx, i: &Insert) -> Result<String, String> {
    let TableObject::TableName(name) = &i.table else {
        return Err("INSERT INTO a table function".into());
    };
    let table = table_name(cx, name);
    let mut head = "INSERT";
    match &i.on {
        None => {}
        Some(OnInsert::OnConflict(oc)) if matches!(oc.action, OnConflictAction::DoNothing) => {
            head = "INSERT IGNORE";
        }
        Some(_) => return Err("INSERT … ON CONFLICT DO UPDATE is not converted yet".into()),
    }
    let source = i.source.as_ref().ok_or("INSERT without VALUES")?;
    let SetExpr::Values(values) = source.body.as_ref() else {
        return Err("INSERT … SELECT is not converted yet".into());
    };
    let cols: Vec<String> = i.columns.iter().map(column_name).collect();
    let mut rows = Vec::with_capacity(values.rows.len());
    for row in &values.rows {
        rows.push(format!("({})", exprs(cx, &row.content)?));
    }
    if i.returning.is_some() {
        rules::run_event(cx, &Event::Returning);
    }
    let cols = if cols.is_empty() {
        String::new()
    } else {
        format!(" ({})", cols.join(", "))
    };
    Ok(format!(
        "{head} INTO {}{cols} VALUES {}",
        ident(&table),
        rows.join(", ")
    ))
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

fn update(cx: &mut Cx, u: &Update) -> Result<String, String> {
    if u.from.is_some() {
        return Err("UPDATE … FROM is not converted yet".into());
    }
    let table = single_table(cx, &u.table)?;
    let mut sets = Vec::with_capacity(u.assignments.len());
    for a in &u.assignments {
        let AssignmentTarget::ColumnName(col) = &a.target else {
            return Err("UPDATE with tuple assignment is not converted yet".into());
        };
        let v = exprs(cx, std::slice::from_ref(&a.value))?;
        sets.push(format!("{} = {v}", column_name(col)));
    }
    let mut sql = format!("UPDATE {} SET {}", ident(&table), sets.join(", "));
    if let Some(w) = &u.selection {
        sql.push_str(" WHERE ");
        sql.push_str(&exprs(cx, std::slice::from_ref(w))?);
    }
    if u.returning.is_some() {
        rules::run_event(cx, &Event::Returning);
    }
    Ok(sql)
}

fn delete(cx: &mut Cx, d: &Delete) -> Result<String, String> {
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
    let mut sql = format!("DELETE FROM {}", ident(&table));
    if let Some(w) = &d.selection {
        sql.push_str(" WHERE ");
        sql.push_str(&exprs(cx, std::slice::from_ref(w))?);
    }
    if d.returning.is_some() {
        rules::run_event(cx, &Event::Returning);
    }
    Ok(sql)
}

/// INSERT, UPDATE, DELETE: their table and columns by their exact names
/// (one that differs only in case is another object, not carried over).
pub(crate) fn dml_names(cx: &mut Cx) {
    let Some(sql) = cx.output.first() else {
        return;
    };
    let names = backquoted(sql);
    // The statement's table is the first name it writes.
    let Some(table) = selected_from(
        &sql.replacen("INTO `", "FROM `", 1)
            .replacen("UPDATE `", "FROM `", 1),
    )
    .into_iter()
    .next() else {
        return;
    };
    let Some(t) = cx.catalog.table(&table).map(std::borrow::Cow::into_owned) else {
        return;
    };
    let what = "this statement".to_string();
    let columns = names.iter().map(String::as_str).filter(|n| *n != table);
    let lost = shadowed(cx, "table", &table, &t.name, &what)
        || column_shadowed(cx, &t, columns, None, &what);
    if lost {
        cx.output.clear();
    }
}
