//! CREATE VIEW.

use crate::expr::{self};
use crate::model::ident;
use crate::rules::identifier_case::{self};
use crate::rules::{self, schema_name, unsupported_statement, CatalogUpdate, Cx};

use crate::lower::{namespace_clash, shadowed, table_name};

/// Views whose query translates are created as TiDB views (read-only there).
pub(crate) fn create_view(cx: &mut Cx, v: &sqlparser::ast::CreateView) {
    let name = table_name(cx, &v.name);
    if let Some(existing) = namespace_clash(cx.catalog, &name) {
        identifier_case::report_clash(cx, cx.loc, "view", &name, &existing, "");
        return;
    }
    match crate::query::to_tidb_query(&v.query) {
        Ok(body) => {
            // The tables and views it selects from, by their exact names.
            for used in selected_from(&body) {
                let known = cx
                    .catalog
                    .table(&used)
                    .map(|t| t.name.clone())
                    .or_else(|| cx.catalog.view_name(&used).cloned());
                if known.is_some_and(|k| shadowed(cx, "table", &used, &k, &format!("view {name}")))
                {
                    return;
                }
            }
            let cols = if v.columns.is_empty() {
                String::new()
            } else {
                let c: Vec<String> = v.columns.iter().map(|c| expr::ident_sql(&c.name)).collect();
                format!(" ({})", c.join(", "))
            };
            if !matches!(v.options, sqlparser::ast::CreateTableOptions::None) {
                rules::pg_only_statement::report_view_options(cx, &name);
            }
            let sql = format!(
                "CREATE {}VIEW {}{cols} AS {body}",
                if v.or_replace { "OR REPLACE " } else { "" },
                ident(&name)
            );
            cx.catalog_updates.push(CatalogUpdate::View {
                name: name.clone(),
                sql: sql.clone(),
            });
            cx.catalog_updates.push(CatalogUpdate::FlattenedFrom {
                key: rules::pg_object_key("view", &name),
                schema: schema_name::schema_of(&v.name),
            });
            cx.output.push(sql);
        }
        Err(why) => unsupported_statement::report_text(cx, &format!("view {name}: {why}")),
    }
}

/// The names after `FROM` and `JOIN` in TiDB SQL (a view's tables and views).
pub(crate) fn selected_from(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    for kw in ["FROM `", "JOIN `"] {
        for (i, _) in sql.match_indices(kw) {
            // `` `a``b` ``: a doubled backquote is part of the name.
            let mut name = String::new();
            let mut chars = sql[i + kw.len()..].chars().peekable();
            while let Some(c) = chars.next() {
                if c == '`' {
                    if chars.peek() == Some(&'`') {
                        chars.next();
                    } else {
                        break;
                    }
                }
                name.push(c);
            }
            out.push(name);
        }
    }
    out
}
