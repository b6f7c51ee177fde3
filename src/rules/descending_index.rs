//! `DESC` index keys are written ascending: TiDB ignores the direction.
//!
//! ## Why
//! TiDB parses ASC/DESC in key parts and always builds ascending indexes
//! (tidb-facts §3, §11.31). Scans in either direction use the index.
use crate::model::Table;
use crate::rules::{Cx, IndexDraft, Rule, RuleMeta};

crate::declare_rule!(DescendingIndex, "descending-index", Info, DESCENDING_INDEX);

impl Rule for DescendingIndex {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn index(&self, cx: &mut Cx, _t: Option<&Table>, ix: &mut IndexDraft) {
        if ix.keys.iter().any(|k| k.desc) {
            cx.report(
                &META,
                ix.loc,
                format!("index {}: DESC ignored by TiDB; written ascending", ix.name),
            );
        }
    }
}
