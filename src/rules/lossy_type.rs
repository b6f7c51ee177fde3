//! Types that map with a loss (money, inet, interval, arrays, timetz, citext, tsvector, xml, unbounded numeric, …) say what is lost.
//!
//! ## What it does
//! Reports, per column, what the TiDB type does not keep: the note that the
//! type table (`src/types.rs`, listed in docs/types.md) gives to
//! `lossy-type`. Its rows: `numeric` without precision or beyond
//! DECIMAL(65,30), `char` over 255 characters, `varchar` over 16,383,
//! `timetz`, `interval`, `inet`/`cidr`, `macaddr`, `macaddr8`, `money`,
//! `citext`, `tsvector`/`tsquery`, `xml`, `varbit`, `vector` on targets
//! before v8.4, and every array. (Collations with no TiDB counterpart are
//! `collation`, `ALTER COLUMN … TYPE … USING` expressions `using-expression`.)
//!
//! ## Example
//! ```sql
//! amount money          -- DECIMAL(19,2): locale-dependent formatting lost
//! tags varchar(64)[]    -- JSON: element type and array operators lost
//! ```
use crate::rules::{ColumnDraft, Cx, Rule, RuleMeta};

crate::declare_rule!(LossyType, "lossy-type", Warning, LOSSY_TYPE);

impl Rule for LossyType {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn column(&self, cx: &mut Cx, col: &mut ColumnDraft) {
        // The type table decides the loss; this rule prints the note that names it.
        if let (Some(loss), Some(ty)) = (col.mapped.note_for(META.id), &col.mapped.ty) {
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
