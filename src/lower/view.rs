//! CREATE VIEW.

use crate::expr::{self};
use crate::model::ident;
use crate::rules::{self, CatalogUpdate, Cx, Event, Untranslated};

use crate::lower::{namespace_taken, qualified_name, shadowed};

/// Views whose query translates are created as TiDB views (read-only there).
pub(crate) fn create_view(cx: &mut Cx, v: &sqlparser::ast::CreateView) {
    let (name, schema) = qualified_name(cx, &v.name);
    if namespace_taken(cx, "view", &name, cx.loc, |_| false) {
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
                rules::run_event(cx, &Event::ViewOptions { view: &name });
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
                schema,
            });
            cx.emit(sql);
        }
        Err(why) => {
            let e = Untranslated::View {
                name: &name,
                why: &why,
            };
            rules::run_event(cx, &Event::Untranslated(e));
        }
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
