//! `timestamptz` becomes `TIMESTAMP(p)`: the same instant semantics, but only 1970-01-01 to 2038-01-19 UTC.
//!
//! ## What it does
//! Maps `timestamp with time zone` to TiDB `TIMESTAMP` with the same
//! fractional-seconds precision (6 when PostgreSQL's default applies), and
//! reports the range limit per column at info level.
//!
//! ## Why
//! TiDB TIMESTAMP converts between the session time zone and UTC like
//! PostgreSQL's timestamptz, but its range ends in 2038 (tidb-facts §1).
//! Values such as far-future expiry dates need `DATETIME(6)`, which keeps
//! the range but not the time-zone conversion.
use crate::rules::{ColumnDraft, Cx, Rule, RuleMeta};

crate::declare_rule!(Timestamptz, "timestamptz", Info, TIMESTAMPTZ);

impl Rule for Timestamptz {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn column(&self, cx: &mut Cx, col: &mut ColumnDraft) {
        if col.pg.name == "timestamptz" && col.pg.array == 0 {
            let what = if matches!(col.col.ty, crate::model::TiType::Datetime(_)) {
                "no time-zone conversion (pg2tidb.toml timestamptz = datetime): store UTC"
            } else {
                "range 1970-01-01..2038-01-19 UTC"
            };
            cx.report(
                &META,
                col.loc,
                format!(
                    "column {}.{}: timestamptz → {} ({what})",
                    col.table, col.col.name, col.col.ty
                ),
            );
        }
    }
}
