//! An expression with no TiDB translation (a CHECK, a generated column, an index key) is not carried over.
//!
//! ## What it does
//! Expressions are translated by a printer that knows the PostgreSQL
//! operators and functions with TiDB equivalents (`||` → `CONCAT`,
//! `= ANY (ARRAY[…])` → `IN (…)`, `length` → `CHAR_LENGTH`, …). Anything
//! else (`AT TIME ZONE`, `@>`, `to_tsvector`, subqueries) is never passed
//! through: the constraint or column that needs it is reported as an error
//! and left out.
use crate::model::Loc;
use crate::rules::{Cx, Rule, RuleMeta};

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
}

pub fn report(cx: &mut Cx, loc: Loc, what: &str) {
    cx.report(&META, loc, format!("{what}; not carried over"));
}
