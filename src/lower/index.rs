//! CREATE INDEX and the indexes of constraints.

use crate::emit::Stmt;
use crate::expr::to_tidb;
use crate::model::{KeyPart, Loc, Table};
use crate::rules::{self, CatalogUpdate, Cx, Event, IndexDraft, KeyDraft, Object};
use crate::types::fold_ident;
use sqlparser::ast::{CreateIndex, Expr, OrderByExpr};

use crate::lower::{
    absent, column_shadowed, default_constraint_name, dropped_by, idents, index_column_names,
    name_taken, new_name, object_last, shadowed, table_name,
};

/// Build, check and return an index draft for a UNIQUE constraint or CREATE INDEX.
pub(crate) fn index_draft(
    name: String,
    unique: bool,
    method: Option<String>,
    columns: &[sqlparser::ast::IndexColumn],
    loc: Loc,
) -> IndexDraft {
    let mut keys = Vec::new();
    let mut dropped = false;
    for c in columns {
        let OrderByExpr {
            expr: e, options, ..
        } = &c.column;
        let desc = matches!(options.sort, Some(sqlparser::ast::OrderBySort::Desc));
        let opclass = c.operator_class.as_ref().map(object_last);
        let part = match e {
            Expr::Identifier(i) => KeyDraft {
                part: KeyPart::col(fold_ident(&i.value, i.quote_style)),
                pg_expr: None,
                opclass,
                desc,
            },
            other => match to_tidb(other) {
                Ok(sql) => KeyDraft {
                    part: KeyPart::Expr(sql),
                    pg_expr: Some(other.clone()),
                    opclass,
                    desc,
                },
                Err(why) => {
                    // The index-method/expression rules decide; keep the PG expression.
                    KeyDraft {
                        part: KeyPart::Expr(format!("/* {why} */")),
                        pg_expr: Some(other.clone()),
                        opclass,
                        desc,
                    }
                }
            },
        };
        keys.push(part);
    }
    if keys.is_empty() {
        dropped = true;
    }
    IndexDraft {
        name,
        unique,
        method,
        keys,
        predicate: None,
        include: vec![],
        nulls_not_distinct: false,
        vector: false,
        dropped,
        loc,
    }
}

pub(crate) fn create_index(cx: &mut Cx, ci: &CreateIndex) {
    let table = table_name(cx, &ci.table_name);
    if dropped_by(cx, Event::OnTable { table: &table }) {
        return;
    }
    let loc = cx.loc;
    let name = match &ci.name {
        Some(n) => object_last(n),
        None => {
            let cols = index_column_names(&ci.columns).unwrap_or_else(|| vec!["expr".into()]);
            default_constraint_name(&table, &cols, "idx")
        }
    };
    if let Some(i) = ci
        .name
        .as_ref()
        .and_then(|n| n.0.last())
        .and_then(|p| p.as_ident())
    {
        new_name(cx, &i.value, loc);
    }
    let method = ci.using.as_ref().map(|m| m.to_string().to_lowercase());
    let mut ix = index_draft(name, ci.unique, method, &ci.columns, loc);
    ix.predicate = ci.predicate.clone();
    ix.include = idents(&ci.include);
    ix.nulls_not_distinct = ci.nulls_distinct == Some(false);
    let Some(known) = cx.catalog.table_copy(&table) else {
        let needed = "CREATE INDEX needs the table (to check key length and column types, and because TiDB would refuse it)";
        absent(cx, Object::Table(&table), false, needed);
        return;
    };
    if shadowed(
        cx,
        "table",
        &table,
        &known.name,
        &format!("index {}", ix.name),
    ) {
        return;
    }
    let key_columns = ix.keys.iter().filter_map(|k| k.part.column_name());
    if column_shadowed(cx, &known, key_columns, None, &format!("index {}", ix.name)) {
        return;
    }
    if name_taken(cx, &known, "index", &ix.name, loc) {
        return;
    }
    let known = Some(known);
    rules::run_index(cx, known.as_ref(), &mut ix);
    if ix.dropped {
        return;
    }
    let index = ix.to_index();
    cx.emit(Stmt::CreateIndex {
        table: table.clone(),
        index: index.clone(),
        if_not_exists: ci.if_not_exists,
    });
    if let Some(mut t) = known {
        t.indexes.remove(&index.name);
        t.indexes.push(index);
        cx.catalog_updates.push(CatalogUpdate::Table(Box::new(t)));
    }
}

/// The table that has index `name`, exactly (PostgreSQL index names are
/// schema-wide and case-sensitive; TiDB's belong to a table). `Err` with the
/// name the model has when it has the index only in another case.
pub(crate) fn index_table(cx: &Cx, name: &str) -> Result<Option<Table>, String> {
    let Some(t) = cx.catalog.table_of_index(name) else {
        return Ok(None);
    };
    if t.indexes.get(name).is_some_and(|i| i.name == name) {
        return Ok(Some(t.into_owned()));
    }
    let known = t.index(name).map(|i| i.name.clone()).unwrap_or_default();
    // Another table may have it exactly: the lookup aid keeps one table per
    // name in any case, so look through them (only in this rare case).
    cx.catalog
        .tables()
        .find(|t| t.indexes.iter().any(|i| i.name == name))
        .map(|t| Some(t.into_owned()))
        .ok_or(known)
}

pub(crate) fn rename_index(t: &mut Table, old: &str, new: &str) {
    t.indexes.rename(old, new);
}
