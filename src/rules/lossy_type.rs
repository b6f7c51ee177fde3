//! Types that map with a loss (money, inet, interval, arrays, timetz, citext, tsvector, xml, unbounded numeric, …) say what is lost.
//!
//! ## What it does
//! Applies the mapping from the type table (`src/types.rs`) and reports, per
//! column, what the TiDB type does not keep. (Collations with no TiDB
//! counterpart are `collation`, `ALTER COLUMN … TYPE … USING` expressions
//! `using-expression`.)
//!
//! ## Example
//! ```sql
//! amount money          -- DECIMAL(19,2): locale-dependent formatting lost
//! tags varchar(64)[]    -- JSON: element type and array operators lost
//! ```
use crate::rules::{ColumnDraft, Cx, Rule, RuleMeta};
use crate::types::Mapped;

crate::declare_rule!(LossyType, "lossy-type", Warning, LOSSY_TYPE);

impl Rule for LossyType {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn column(&self, cx: &mut Cx, col: &mut ColumnDraft) {
        if let Mapped::Ok {
            ty,
            loss: Some(loss),
            ..
        } = &col.mapped
        {
            if col.pg.name == "timestamptz" && col.pg.array == 0 {
                return; // the timestamptz rule says it
            }
            cx.report(
                &META,
                col.loc,
                format!(
                    "column {}.{}: {} → {ty} loses {loss}",
                    col.table, col.col.name, col.pg.written
                ),
            );
        }
    }
}
