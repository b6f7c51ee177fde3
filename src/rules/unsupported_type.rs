//! Columns of types TiDB cannot store (geometric, range, oid, hstore, …) are not carried over.
//!
//! ## What it does
//! Reports the column as an error and leaves it out of the table; the rest of
//! the table converts. The types are the type table's (`src/types.rs`,
//! docs/types.md) that give a note to `unsupported-type`: geometric (`point`,
//! `line`, `lseg`, `box`, `path`, `polygon`, `circle`, `geometry`,
//! `geography`), ranges and multiranges (`int4range` … `datemultirange`),
//! object identifiers (`oid`, `regclass`, `regtype`, `regproc`), `pg_lsn`,
//! `txid_snapshot`, `pg_snapshot`, `hstore`, `ltree`, and any type the table
//! does not know.
//!
//! ## Why
//! TiDB has no spatial, range, object-identifier or key/value types, and an
//! unknown type name is a syntax error there (tidb-facts §1). Decide per
//! column: split a range into two columns, store geometry as WKB in
//! `VARBINARY`, and so on.
use crate::rules::{ColumnDraft, Cx, Rule, RuleMeta};

crate::declare_rule!(UnsupportedType, "unsupported-type", Error, UNSUPPORTED_TYPE);

impl Rule for UnsupportedType {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn column(&self, cx: &mut Cx, col: &mut ColumnDraft) {
        // The type table says which types TiDB has no equivalent for.
        let Some(note) = col.mapped.note_for(META.id) else {
            return;
        };
        let message = format!(
            "column {}.{}: type {} {note}",
            col.table, col.col.name, col.pg.written
        );
        cx.report(&META, col.loc, message);
        col.dropped = true;
    }
}
