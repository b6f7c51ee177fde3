//! An index with more than 16 key parts is not carried over: TiDB allows 16 (error 1070).
//!
//! ## Why
//! MariaDB allows 32 parts, so the server tests would not catch it; the
//! converter enforces TiDB's limit (tidb-facts §3, §11.23).
use crate::model::Table;
use crate::rules::{Cx, IndexDraft, Rule, RuleMeta};

crate::declare_rule!(
    IndexColumnLimit,
    "index-column-limit",
    Error,
    INDEX_COLUMN_LIMIT
);

pub const MAX_PARTS: usize = 16;

impl Rule for IndexColumnLimit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn index(&self, cx: &mut Cx, _t: Option<&Table>, ix: &mut IndexDraft) {
        if ix.keys.len() > MAX_PARTS {
            cx.report(
                &META,
                ix.loc,
                format!(
                    "index {} has {} key parts; TiDB allows {MAX_PARTS} (1070); index not created",
                    ix.name,
                    ix.keys.len()
                ),
            );
            ix.dropped = true;
        }
    }
}
