//! Partial indexes (`WHERE …`) lose their predicate: the index covers all rows, and a partial UNIQUE index becomes non-unique.
//!
//! ## Why
//! Partial indexes are a syntax error before TiDB v8.5.7 (tidb-facts §3),
//! and none of the named targets guarantees v8.5.7. A full unique index
//! would reject rows that PostgreSQL accepts, so uniqueness under the
//! predicate is no longer enforced: the warning says so.
use crate::model::Table;
use crate::rules::{Cx, IndexDraft, Rule, RuleMeta};

crate::declare_rule!(PartialIndex, "partial-index", Warning, PARTIAL_INDEX);

impl Rule for PartialIndex {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn index(&self, cx: &mut Cx, _t: Option<&Table>, ix: &mut IndexDraft) {
        let Some(pred) = ix.predicate.take() else {
            return;
        };
        if cx.target.partial_indexes() {
            return;
        }
        let extra = if ix.unique {
            ix.unique = false;
            "; uniqueness under the predicate is no longer enforced (index made non-unique)"
        } else {
            ""
        };
        cx.report(&META, ix.loc, format!("index {}: WHERE {pred} removed (partial indexes need TiDB v8.5.7+); the index covers all rows{extra}", ix.name));
    }
}
