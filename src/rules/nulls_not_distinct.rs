//! `UNIQUE NULLS NOT DISTINCT` loses NULLS NOT DISTINCT: TiDB's unique keys allow many NULLs.
//!
//! ## Why
//! TiDB, like MySQL, treats NULLs as distinct in unique keys (tidb-facts §3).
//! Make the columns NOT NULL, or enforce it in the application.
use crate::model::Table;
use crate::rules::{Cx, IndexDraft, Rule, RuleMeta};

crate::declare_rule!(
    NullsNotDistinct,
    "nulls-not-distinct",
    Warning,
    NULLS_NOT_DISTINCT
);

impl Rule for NullsNotDistinct {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn index(&self, cx: &mut Cx, _t: Option<&Table>, ix: &mut IndexDraft) {
        if ix.nulls_not_distinct {
            cx.report(&META, ix.loc, format!("index {}: NULLS NOT DISTINCT dropped; TiDB allows several NULLs in a unique key", ix.name));
        }
    }
}
