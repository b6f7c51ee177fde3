//! `ALTER COLUMN … TYPE … USING expr` loses its USING expression: TiDB converts the existing values itself, and fails on a value that does not fit.
//!
//! ## What it does
//! The type change is converted (`MODIFY COLUMN` with the new type); the
//! `USING` expression, PostgreSQL's way to compute each new value from the
//! old one, is dropped with a warning.
//!
//! ## Why
//! TiDB has no `USING` clause: its `MODIFY COLUMN` casts each stored value
//! to the new type, and stops with an error at the first value the cast
//! rejects (tidb-facts §7). A conversion that needed the expression (a
//! text → integer parse with cleanup, a unit change) has to be done by an
//! `UPDATE` before the type change.
//!
//! Split from `lossy-type`: `ignore[lossy-type]` and `[rules] lossy-type = …`
//! still apply to it.
//!
//! ## Example
//! ```sql
//! ALTER TABLE items ALTER COLUMN code TYPE integer USING code::integer;
//! -- ALTER TABLE `items` MODIFY COLUMN `code` INT NULL   (warning: USING dropped)
//! ```
use crate::rules::{ColumnDraft, Cx, Rule, RuleMeta};

crate::declare_rule!(
    UsingExpression,
    "using-expression",
    Warning,
    USING_EXPRESSION,
    split_from = "lossy-type"
);

impl Rule for UsingExpression {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn column(&self, cx: &mut Cx, col: &mut ColumnDraft) {
        if col.using.is_some() {
            cx.report(&META, col.loc, format!("column {}: the USING conversion expression is dropped; TiDB converts existing values itself and fails on values that do not fit", col.col.name));
        }
    }
}
