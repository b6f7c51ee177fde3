//! A `bytea` column in a primary, unique or foreign key becomes `VARBINARY(255)`: TiDB keys cannot hold a BLOB in full, and foreign keys refuse BLOB.
//!
//! ## What it does
//! `bytea` is `LONGBLOB` in TiDB. A key on it would need a prefix, so a
//! UNIQUE or PRIMARY KEY would hold for the first bytes only, and a foreign
//! key to or from it cannot be created at all (tidb-facts §3, §6). Like
//! `text-key` for TEXT, a `bytea` column in a PRIMARY KEY, UNIQUE or
//! FOREIGN KEY becomes `VARBINARY(n)`, n being `[types] varchar_length`
//! (255 unless set), with a warning: longer values are rejected. Both sides
//! of a foreign key get the same type. A key added later by
//! `ALTER TABLE … ADD PRIMARY KEY/UNIQUE/FOREIGN KEY` (and by pg_dump's
//! constraints under `--fold`) first changes the column with
//! `MODIFY COLUMN`. A `VARBINARY(n)` key part costs n bytes of TiDB's
//! 3,072-byte key limit; a key over it is `index-key-length`'s. A unique key
//! made by `CREATE UNIQUE INDEX` is sized as for TEXT: a prefix
//! (`index-key-length`).
use crate::model::TiType;
use crate::rules::{ColumnDraft, ConstraintDraft, ConstraintVerdict, Cx, Rule, RuleMeta};

crate::declare_rule!(BinaryKey, "binary-key", Warning, BINARY_KEY);

impl Rule for BinaryKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn column(&self, cx: &mut Cx, col: &mut ColumnDraft) {
        if col.in_key && is_lob_binary(&col.col.ty) {
            let from = col.col.ty.clone();
            let n = cx.types.varchar_length;
            col.col.ty = TiType::Varbinary(n);
            cx.report(&META, col.loc, format!("column {}.{} is in a key: {from} → VARBINARY({n}); longer values will be rejected", col.table, col.col.name));
        }
    }

    /// A key added by ALTER TABLE: its BLOB columns change first.
    fn constraint(&self, cx: &mut Cx, c: &mut ConstraintDraft) -> ConstraintVerdict {
        if c.in_alter {
            let changed = fix_columns(cx, c.table, c.columns);
            c.changed.extend(changed);
        }
        ConstraintVerdict::Keep
    }
}

pub fn is_lob_binary(t: &TiType) -> bool {
    matches!(t, TiType::Blob | TiType::LongBlob)
}

/// For a key added by ALTER TABLE: the columns of `t` named in `cols` that
/// must change first. Returns the changed columns.
fn fix_columns(
    cx: &mut Cx,
    t: &mut crate::model::Table,
    cols: &[String],
) -> Vec<crate::model::Column> {
    let mut changed = Vec::new();
    for c in cols {
        let table = t.name.clone();
        if let Some(col) = t.column_mut(c) {
            if is_lob_binary(&col.ty) {
                let from = col.ty.clone();
                let n = cx.types.varchar_length;
                col.ty = TiType::Varbinary(n);
                cx.report_here(&META, format!("column {table}.{c} is in a key: {from} → VARBINARY({n}); longer values will be rejected"));
                changed.push(col.clone());
            }
        }
    }
    changed
}
