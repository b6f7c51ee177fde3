//! `VARCHAR` without a length gets one (255): TiDB requires it, and longer values are then rejected.
//!
//! ## What it does
//! `varchar`, `character varying` and `citext` without a length become
//! `VARCHAR(255)` (`[types] varchar-length` in pg2tidb.toml chooses another
//! length); this rule reports the note that the type table (`src/types.rs`,
//! docs/types.md) gives those rows. Lengths over utf8mb4's 16,383 characters
//! become `MEDIUMTEXT` (reported by `lossy-type`). Indexed columns are then
//! checked against the 3,072-byte key limit by `index-key-length`.
//!
//! ## Why
//! An unsized VARCHAR is a syntax error in TiDB (tidb-facts §1). 255
//! characters fit four columns into one index key; choose the real maximum
//! in the PostgreSQL migration (`varchar(n)`) to silence this warning.
use crate::rules::{ColumnDraft, Cx, Rule, RuleMeta};

crate::declare_rule!(VarcharLength, "varchar-length", Warning, VARCHAR_LENGTH);

impl Rule for VarcharLength {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn column(&self, cx: &mut Cx, col: &mut ColumnDraft) {
        // The type table gives the length (varchar_sized) and the note.
        if let Some(note) = col.mapped.note_for(META.id) {
            cx.report(
                &META,
                col.loc,
                format!(
                    "column {}.{}: {} {note}",
                    col.table, col.col.name, col.pg.written
                ),
            );
        }
    }
}
