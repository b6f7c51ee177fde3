//! `timestamptz` becomes `TIMESTAMP(p)`: the same instant semantics, but only 1970-01-01 to 2038-01-19 UTC.
//!
//! ## What it does
//! The type table (`src/types.rs`, docs/types.md) maps `timestamp with time
//! zone` to TiDB `TIMESTAMP` with the same fractional-seconds precision (6
//! when PostgreSQL's default applies); this rule reports the note its
//! `timestamptz` row gives, per column at info level: the range limit, or
//! with `[types] timestamptz = "datetime"` the time-zone conversion that
//! `DATETIME` does not do.
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
        // The type table decides TIMESTAMP or DATETIME and what that loses.
        if let Some(what) = col.mapped.note_for(META.id) {
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
