//! A foreign key whose column cannot take the type of the column it references (a `timestamp` referencing a `timestamptz`, a `real` referencing a `double precision`) is not carried over: TiDB requires identical types (3780).
//!
//! ## What it does
//! PostgreSQL accepts a foreign key between columns of different types when
//! they compare with each other. TiDB requires the same type, length and
//! collation on both sides. `fk-type-mismatch` gives the referencing column
//! the referenced type when both are integers, both strings or both
//! decimals; any other pair (TiDB `DATETIME` and `TIMESTAMP`, `FLOAT` and
//! `DOUBLE`, …) is reported here as an error and the foreign key is left out.
//! The columns keep their types.
//!
//! ## Why
//! `ERROR 3780: Referencing column 'd' and referenced column 'b' in foreign
//! key constraint are incompatible` (tidb-facts §6, §11.32). Changing the
//! referencing column to another family of types would change its values
//! (a time zone, a precision): that is a decision for a person.
//!
//! Split from `unsupported-statement`: `ignore[unsupported-statement]` and
//! `[rules] unsupported-statement = …` still apply to it.
//!
//! ## Example
//! ```sql
//! CREATE TABLE events (at timestamptz PRIMARY KEY);
//! CREATE TABLE notes (id integer PRIMARY KEY, event_at timestamp REFERENCES events (at));
//! -- error: foreign key notes_event_at_fkey not carried over
//! ```
use crate::rules::fk_type_mismatch::alignable;
use crate::rules::{Cx, ForeignKeyCheck, ForeignKeyDraft, Rule, RuleMeta};

crate::declare_rule!(
    FkTypeIncompatible,
    "fk-type-incompatible",
    Error,
    FK_TYPE_INCOMPATIBLE,
    split_from = "unsupported-statement"
);

impl Rule for FkTypeIncompatible {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// After `fk-type-mismatch` aligned what it can: the first pair of
    /// columns whose types still differ and cannot be aligned.
    fn foreign_key(&self, cx: &mut Cx, d: &mut ForeignKeyDraft) {
        if matches!(d.check, ForeignKeyCheck::ParentChanged { .. }) {
            return;
        }
        let Some(parent) = d.parent.as_deref() else {
            return;
        };
        let t = &d.table;
        for (c, r) in d.fk.columns.iter().zip(&d.fk.ref_columns) {
            let (Some(rc), Some(cc)) = (parent.column(r), t.column(c)) else {
                continue;
            };
            if (rc.ty == cc.ty && rc.collation == cc.collation) || alignable(&cc.ty, &rc.ty) {
                continue;
            }
            cx.report_here(&META, format!(
                "foreign key {} on {}: {}.{c} is {} but {}.{r} is {}; TiDB requires identical types (3780); not carried over",
                d.fk.name, t.name, t.name, cc.ty, parent.name, rc.ty
            ));
            d.dropped = true;
            return;
        }
    }
}
