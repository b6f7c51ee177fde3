//! Literal defaults are carried over (casts stripped, booleans and enums normalised); expression defaults outside TiDB's allow-list are dropped with a warning.
//!
//! ## What it does
//! `'x'::text` → `'x'`, `'draft'::project_status` → `'draft'`,
//! `true`/`'t'` on a boolean → `1`/`0`. A non-literal default that is not
//! handled by `default-now`, `default-uuid` or `serial` (for example
//! `lower(…)`, `now() + interval '1 day'`) is dropped with a warning.
//!
//! ## Why
//! TiDB accepts only literals and a short allow-list of functions as
//! defaults (error 3770); MariaDB accepts any expression, so the converter
//! checks it itself (tidb-facts §2, §11.1).
use crate::expr::{literal, string_value, to_tidb};
use crate::model::{quote_str, TiType};
use crate::rules::{ColumnDraft, Cx, Rule, RuleMeta};

crate::declare_rule!(
    DefaultExpression,
    "default-expression",
    Warning,
    DEFAULT_EXPRESSION
);

impl Rule for DefaultExpression {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn column(&self, cx: &mut Cx, col: &mut ColumnDraft) {
        let Some(e) = col.pg_default.take() else {
            return;
        };
        if let Some(lit) = literal(&e) {
            col.col.default = Some(match (&col.col.ty, string_value(&e)) {
                (TiType::Bool, Some(s)) => match s.to_ascii_lowercase().as_str() {
                    "t" | "true" | "y" | "yes" | "on" | "1" => "1".into(),
                    "f" | "false" | "n" | "no" | "off" | "0" => "0".into(),
                    _ => lit,
                },
                (TiType::Bool, None) if lit == "TRUE" => "1".into(),
                (TiType::Bool, None) if lit == "FALSE" => "0".into(),
                (TiType::Json, Some(s)) => quote_str(s),
                _ => lit,
            });
            return;
        }
        let shown = to_tidb(&e).unwrap_or_else(|_| e.to_string());
        col.col.default = None;
        cx.report(&META, col.loc, format!("column {}.{}: default {shown} is not an expression TiDB allows as a default (3770); dropped", col.table, col.col.name));
    }
}
