//! GIN, GiST, BRIN and SP-GiST indexes are dropped; operator classes and INCLUDE columns are removed; `USING btree/hash` is dropped silently.
//!
//! ## What it does
//! TiDB indexes are B-trees. An index with a PostgreSQL-only access method
//! (`gin`, `gist`, `brin`, `spgist`) is left out with a warning that names
//! it; pgvector's `hnsw`/`ivfflat` go to `vector-index`. Operator classes
//! (`text_pattern_ops`, `jsonb_path_ops`) and `INCLUDE (…)` covering
//! columns are removed with a warning; the index itself is kept.
//!
//! ## Why
//! `USING GIN|GIST|BRIN` is not MySQL syntax (tidb-facts §3). For JSON
//! containment use a multi-valued index on a generated column; for text
//! search, TiDB's full-text search.
use crate::model::Table;
use crate::rules::{Cx, IndexDraft, Rule, RuleMeta};

crate::declare_rule!(IndexMethod, "index-method", Warning, INDEX_METHOD);

impl Rule for IndexMethod {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn index(&self, cx: &mut Cx, _t: Option<&Table>, ix: &mut IndexDraft) {
        match ix.method.as_deref() {
            Some(m @ ("gin" | "gist" | "brin" | "spgist")) => {
                cx.report(
                    &META,
                    ix.loc,
                    format!(
                        "index {}: {} indexes do not exist in TiDB; index not created",
                        ix.name,
                        m.to_uppercase()
                    ),
                );
                ix.dropped = true;
                return;
            }
            Some("hnsw" | "ivfflat") => return,
            _ => {}
        }
        for k in &mut ix.keys {
            if let Some(op) = k.opclass.take() {
                cx.report(
                    &META,
                    ix.loc,
                    format!("index {}: operator class {op} removed", ix.name),
                );
            }
        }
        if !ix.include.is_empty() {
            cx.report(
                &META,
                ix.loc,
                format!(
                    "index {}: INCLUDE ({}) removed; TiDB has no covering-column clause",
                    ix.name,
                    ix.include.join(", ")
                ),
            );
            ix.include.clear();
        }
    }
}
