//! Columns of types TiDB cannot store (geometric, range, oid, hstore, …) are not carried over.
//!
//! ## What it does
//! Reports the column as an error and leaves it out of the table; the rest of
//! the table converts. The type table in `src/types.rs` lists the types.
//!
//! ## Why
//! TiDB has no spatial, range, object-identifier or key/value types, and an
//! unknown type name is a syntax error there (tidb-facts §1). Decide per
//! column: split a range into two columns, store geometry as WKB in
//! `VARBINARY`, and so on.
use crate::rules::{ColumnDraft, Cx, Rule, RuleMeta};
use crate::types::Mapped;

crate::declare_rule!(UnsupportedType, "unsupported-type", Error, UNSUPPORTED_TYPE);

impl Rule for UnsupportedType {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn column(&self, cx: &mut Cx, col: &mut ColumnDraft) {
        if col.mapped == Mapped::Unsupported {
            cx.report(
                &META,
                col.loc,
                format!(
                    "column {}.{}: type {} has no TiDB equivalent; column not carried over",
                    col.table, col.col.name, col.pg.written
                ),
            );
            col.dropped = true;
        }
    }
}
