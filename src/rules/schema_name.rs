//! Schema-qualified names are flattened into the one target database: `public.` is dropped silently, other schemas once with a warning.
//!
//! ## What it does
//! `public.users` becomes `users`. A name in another schema (`auth.users`)
//! also becomes its bare name, and the first use of each such schema is
//! reported. Every identifier is backquoted, and unquoted names are folded
//! to lower case as PostgreSQL does.
//!
//! ## DROP SCHEMA
//! The model remembers the schema each table, view, sequence and type
//! (enum, domain) was flattened from. `DROP SCHEMA x CASCADE` drops them as
//! PostgreSQL does, with one warning listing them: `DROP VIEW`, then
//! `DROP FOREIGN KEY` for other tables' keys that reference x's tables and
//! `DROP COLUMN` for their columns of x's enum types, then one `DROP TABLE`
//! (each table after the others that reference it; a cycle loses its
//! foreign keys first), `DROP SEQUENCE`. `DROP SCHEMA x` without CASCADE
//! while x holds any of these fails in PostgreSQL: it is reported as an
//! error (`unsupported-statement`) naming them, and not carried over. An
//! empty schema's DROP is dropped (`pg-only-statement`), an unknown one's
//! with IF EXISTS too (`if-exists-noop`). Unqualified names count as
//! `public`. Functions, triggers and views in other schemas that use x's
//! objects are not followed.
//!
//! ## Why
//! A TiDB "schema" is a database (tidb-facts §10); PostgreSQL schemas live
//! inside one database. pg2tidb's policy is one PostgreSQL database → one
//! TiDB database: the migration runs against the database you connect to.
//! Two tables with the same name in different schemas would collide; keep
//! them apart by converting each schema's migrations into its own database.
use crate::expr::last_name;
use crate::rules::{Cx, Event, NameDraft, Rule, RuleMeta, Taken};
use crate::types::fold_ident;
use sqlparser::ast::ObjectName;

crate::declare_rule!(SchemaName, "schema-name", Warning, SCHEMA_NAME);

impl Rule for SchemaName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn name(&self, cx: &mut Cx, n: &mut NameDraft) {
        // Unqualified: nothing to flatten.
        if n.written.0.len() < 2 {
            return;
        }
        resolve(cx, n.written);
        n.schema = schema_of(n.written);
    }

    fn event(&self, cx: &mut Cx, e: &Event) -> Option<Taken> {
        let Event::SchemaDropped {
            schema,
            list,
            outside,
        } = e
        else {
            return None;
        };
        cx.report_here(
            &META,
            format!(
                "DROP SCHEMA {schema} CASCADE drops what was flattened from {schema}: {list}{outside}"
            ),
        );
        Some(Taken::Keep)
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

/// The non-`public` PostgreSQL schema of a qualified name (lower case as
/// PostgreSQL folds it): what the object is flattened from.
pub fn schema_of(name: &ObjectName) -> Option<String> {
    let parts: Vec<String> = name
        .0
        .iter()
        .filter_map(|p| p.as_ident())
        .map(|i| fold_ident(&i.value, i.quote_style))
        .collect();
    let schema = parts.get(parts.len().checked_sub(2)?)?;
    (schema != "public" && schema != "pg_catalog").then(|| schema.clone())
}
