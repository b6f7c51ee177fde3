//! COMMENT ON tables and columns.

use crate::emit::AlterOp;
use crate::rules::{CatalogUpdate, Cx, Object};
use crate::types::fold_ident;
use sqlparser::ast::{CommentObject, ObjectName};

use crate::lower::{absent, shadowed, table_name};

pub(crate) fn comment_on(
    cx: &mut Cx,
    kind: CommentObject,
    name: &ObjectName,
    comment: Option<&str>,
) {
    match kind {
        CommentObject::Table => {
            let table = table_name(cx, name);
            let Some(mut t) = cx.catalog.table_copy(&table) else {
                absent(
                    cx,
                    Object::Table(&table),
                    false,
                    "COMMENT ON TABLE needs the table",
                );
                return;
            };
            if shadowed(cx, "table", &table, &t.name.clone(), "its COMMENT") {
                return;
            }
            t.comment = comment.map(str::to_string);
            let op = AlterOp::Comment(comment.unwrap_or("").to_string());
            cx.alter(&t.name, op);
            cx.catalog_updates.push(CatalogUpdate::Table(Box::new(t)));
        }
        CommentObject::Column => {
            let parts: Vec<String> = name
                .0
                .iter()
                .filter_map(|p| p.as_ident())
                .map(|i| fold_ident(&i.value, i.quote_style))
                .collect();
            if parts.len() < 2 {
                let name = parts.join(".");
                let needed = "COMMENT ON COLUMN needs table.column";
                absent(cx, Object::Table(&name), false, needed);
                return;
            }
            let col = parts[parts.len() - 1].clone();
            let tname = ObjectName(name.0[..name.0.len() - 1].to_vec());
            let table = table_name(cx, &tname);
            let Some(mut t) = cx.catalog.table_copy(&table) else {
                let needed = "COMMENT ON COLUMN needs the table's current definition";
                absent(cx, Object::Table(&table), false, needed);
                return;
            };
            if shadowed(cx, "table", &table, &t.name.clone(), "its COMMENT") {
                return;
            }
            let known = t.column(&col).map(|c| c.name.clone());
            if known.is_some_and(|k| shadowed(cx, "column", &col, &k, "its COMMENT")) {
                return;
            }
            let Some(c) = t.column_mut(&col) else {
                let column = Object::Column {
                    table: &table,
                    column: &col,
                };
                absent(cx, column, false, "");
                return;
            };
            c.comment = comment.map(str::to_string);
            let c = c.clone();
            cx.alter(&t.name, AlterOp::ModifyColumn(c.clone()));
            cx.catalog_updates.push(CatalogUpdate::Table(Box::new(t)));
        }
        // Other objects: taken by the statement hooks.
        _ => {}
    }
}
