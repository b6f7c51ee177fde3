//! CREATE VIEW.

use crate::catalog::View;
use crate::emit::{Emitted, Stmt};
use crate::expr;
use crate::rules::{self, CatalogUpdate, Cx, Event, Untranslated};
use crate::types::fold_ident;

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
            let uses = relations(&v.query);
            for used in &uses {
                let known = cx
                    .catalog
                    .table(used)
                    .map(|t| t.name.clone())
                    .or_else(|| cx.catalog.view_name(used).cloned());
                if known.is_some_and(|k| shadowed(cx, "table", used, &k, &format!("view {name}"))) {
                    return;
                }
            }
            let columns = v
                .columns
                .iter()
                .map(|c| fold_ident(&c.name.value, c.name.quote_style))
                .collect();
            if !matches!(v.options, sqlparser::ast::CreateTableOptions::None) {
                rules::run_event(cx, &Event::ViewOptions { view: &name });
            }
            let create = Emitted::new(Stmt::CreateView {
                name: name.clone(),
                or_replace: v.or_replace,
                columns,
                query: body,
                uses,
            });
            cx.catalog_updates.push(CatalogUpdate::View {
                name: name.clone(),
                view: View {
                    create: create.clone(),
                },
            });
            cx.catalog_updates.push(CatalogUpdate::FlattenedFrom {
                key: rules::pg_object_key("view", &name),
                schema,
            });
            cx.emit(create);
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

/// The tables and views a query selects from (the last part of each name,
/// as the query is written for TiDB), in order of first use, each once.
fn relations(q: &sqlparser::ast::Query) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let _ = sqlparser::ast::visit_relations(q, |name| {
        let n = expr::last_name(name);
        if !out.contains(&n) {
            out.push(n);
        }
        std::ops::ControlFlow::<()>::Continue(())
    });
    out
}
