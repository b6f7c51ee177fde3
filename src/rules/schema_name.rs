//! Schema-qualified names are flattened into the one target database: `public.` is dropped silently, other schemas once with a warning.
//!
//! ## What it does
//! `public.users` becomes `users`. A name in another schema (`auth.users`)
//! also becomes its bare name, and the first use of each such schema is
//! reported. Every identifier is backquoted, and unquoted names are folded
//! to lower case as PostgreSQL does.
//!
//! ## Why
//! A TiDB "schema" is a database (tidb-facts §10); PostgreSQL schemas live
//! inside one database. pg2tidb's policy is one PostgreSQL database → one
//! TiDB database: the migration runs against the database you connect to.
//! Two tables with the same name in different schemas would collide; keep
//! them apart by converting each schema's migrations into its own database.
use crate::expr::last_name;
use crate::rules::{Cx, Rule, RuleMeta};
use crate::types::fold_ident;
use sqlparser::ast::ObjectName;

crate::declare_rule!(SchemaName, "schema-name", Warning, SCHEMA_NAME);

impl Rule for SchemaName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}

/// The TiDB name for a possibly schema-qualified PostgreSQL name.
pub fn resolve(cx: &mut Cx, name: &ObjectName) -> String {
    let parts: Vec<String> = name
        .0
        .iter()
        .filter_map(|p| p.as_ident())
        .map(|i| fold_ident(&i.value, i.quote_style))
        .collect();
    if parts.len() >= 2 {
        let schema = &parts[parts.len() - 2];
        if schema != "public" && schema != "pg_catalog" {
            let loc = cx.loc;
            cx.report_once(
                &META,
                &format!("schema:{schema}"),
                loc,
                format!(
                    "schema `{schema}` flattened into the target database (`{schema}.x` → `x`)"
                ),
            );
        }
    }
    last_name(name)
}
