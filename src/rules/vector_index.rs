//! pgvector HNSW indexes become TiDB `VECTOR INDEX … ((VEC_COSINE_DISTANCE(col))) USING HNSW` on targets with vectors; otherwise they are dropped.
//!
//! ## What it does
//! `USING hnsw (embedding vector_cosine_ops)` → `VEC_COSINE_DISTANCE`,
//! `vector_l2_ops` → `VEC_L2_DISTANCE`. Inner-product and IVFFlat indexes,
//! indexes on targets without VECTOR (before v8.4), and indexes on columns
//! without a fixed dimension are dropped with a warning.
//!
//! ## Why
//! TiDB's vector index needs a fixed-dimension `VECTOR(n)` column and a
//! TiFlash replica (`ALTER TABLE t SET TIFLASH REPLICA 1`); without TiFlash
//! the index is not built (tidb-facts §3). MariaDB 10.11 has no vector
//! type, so the server tests check this statement against the facts.
use crate::model::{ident, KeyPart, Table, TiType};
use crate::rules::{Cx, IndexDraft, Rule, RuleMeta};

crate::declare_rule!(VectorIndex, "vector-index", Warning, VECTOR_INDEX);

impl Rule for VectorIndex {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn index(&self, cx: &mut Cx, t: Option<&Table>, ix: &mut IndexDraft) {
        let Some(method @ ("hnsw" | "ivfflat")) = ix.method.as_deref() else {
            return;
        };
        let drop = |cx: &mut Cx, ix: &mut IndexDraft, why: String| {
            cx.report(
                &META,
                ix.loc,
                format!("vector index {}: {why}; index not created", ix.name),
            );
            ix.dropped = true;
        };
        if method == "ivfflat" {
            return drop(cx, ix, "TiDB has HNSW vector indexes only".into());
        }
        if !cx.target.has_vector() {
            return drop(
                cx,
                ix,
                format!("{} has no vector indexes (v8.4+)", cx.target),
            );
        }
        let [key] = ix.keys.as_slice() else {
            return drop(cx, ix, "TiDB vector indexes take one column".into());
        };
        let Some(col) = key.part.column_name().map(str::to_string) else {
            return drop(cx, ix, "expression keys are not supported".into());
        };
        let dim_ok = t
            .and_then(|t| t.column(&col))
            .is_some_and(|c| matches!(c.ty, TiType::Vector(Some(_))));
        if !dim_ok {
            return drop(
                cx,
                ix,
                format!("column {col} is not a fixed-dimension VECTOR(n)"),
            );
        }
        let func = match key.opclass.as_deref() {
            Some("vector_cosine_ops") => "VEC_COSINE_DISTANCE",
            Some("vector_l2_ops") | None => "VEC_L2_DISTANCE",
            Some(other) => {
                return drop(
                    cx,
                    ix,
                    format!("operator class {other} has no TiDB distance function"),
                )
            }
        };
        ix.keys[0].part = KeyPart::Expr(format!("{func}({})", ident(&col)));
        ix.keys[0].opclass = None;
        ix.vector = true;
        ix.unique = false;
        cx.report(&META, ix.loc, format!("vector index {}: HNSW on {func}; TiDB builds it only on tables with a TiFlash replica (ALTER TABLE … SET TIFLASH REPLICA 1)", ix.name));
    }
}
