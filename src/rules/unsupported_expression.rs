//! An expression with no TiDB translation (a CHECK, a generated column, an index key) is not carried over.
//!
//! ## What it does
//! Expressions are translated by a printer that knows the PostgreSQL
//! operators and functions with TiDB equivalents (`||` → `CONCAT`,
//! `= ANY (ARRAY[…])` → `IN (…)`, `length` → `CHAR_LENGTH`, …). Anything
//! else (`AT TIME ZONE`, `@>`, `to_tsvector`, subqueries) is never passed
//! through: the constraint or column that needs it is reported as an error
//! and left out.
use crate::rules::{Cx, Event, ExprUse, Rule, RuleMeta, Taken};

crate::declare_rule!(
    UnsupportedExpression,
    "unsupported-expression",
    Error,
    UNSUPPORTED_EXPRESSION
);

impl Rule for UnsupportedExpression {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn event(&self, cx: &mut Cx, e: &Event) -> Option<Taken> {
        let Event::Expression { at, used, why } = *e else {
            return None;
        };
        let what = match used {
            ExprUse::Generated { column } => format!("generated column {column}: {why}"),
            ExprUse::DomainCheck => format!("domain CHECK: {why}"),
            ExprUse::Check {
                name: Some(name),
                table,
            } => format!("CHECK {name} on {table} dropped: {why}"),
            ExprUse::Check { name: None, table } => {
                format!("CHECK constraint on {table} dropped: {why}")
            }
            ExprUse::Value => why.to_string(),
        };
        cx.report(&META, at, format!("{what}; not carried over"));
        Some(Taken::Drop)
    }
}
