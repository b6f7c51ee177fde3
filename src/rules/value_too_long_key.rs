//! An INSERT or UPDATE writes a string longer than its column's TiDB type holds, and a key needs the column's length: not carried over.
//!
//! ## Why
//! A column in a primary, unique or foreign key, or in an index, was given
//! its length so that the key fits TiDB's limits (text-key, varchar-length
//! with index-key-length). A longer value is refused by TiDB (1406, data
//! too long), and widening the column would break the key, so the
//! statement is reported and not written; the values (or the key) need a
//! decision by hand. Columns in no key are widened instead
//! (value-too-long).
//!
//! ## Example
//! ```sql
//! CREATE TABLE tags (name varchar PRIMARY KEY);  -- VARCHAR(255)
//! INSERT INTO tags VALUES ('… 300 characters …');  -- error: not carried over
//! ```
use crate::model::Table;
use crate::rules::{Cx, Event, Rule, RuleMeta, Taken};

crate::declare_rule!(
    ValueTooLongKey,
    "value-too-long-key",
    Error,
    VALUE_TOO_LONG_KEY
);

impl Rule for ValueTooLongKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn event(&self, cx: &mut Cx, e: &Event) -> Option<Taken> {
        let Event::ValuesTooLong { table, long } = e else {
            return None;
        };
        let (column, chars) = long.iter().find(|(c, _)| in_key(cx, table, c))?;
        let ty = table
            .column(column)
            .map(|c| c.ty.to_string())
            .unwrap_or_default();
        cx.report_here(
            &META,
            format!("column `{}.{column}` is {ty}, sized for a key, and this statement writes a value of {chars} characters: TiDB refuses it (1406); not carried over", table.name),
        );
        Some(Taken::Drop)
    }
}

/// Whether `column` of `t` is in a key or index, or a foreign key refers to it.
fn in_key(cx: &Cx, t: &Table, column: &str) -> bool {
    let named = |n: Option<&str>| n.is_some_and(|n| n.eq_ignore_ascii_case(column));
    t.primary_key
        .as_ref()
        .is_some_and(|pk| pk.parts.iter().any(|p| named(p.column_name())))
        || t.indexes
            .iter()
            .any(|ix| ix.parts.iter().any(|p| named(p.column_name())))
        || t.foreign_keys
            .iter()
            .any(|fk| fk.columns.iter().any(|c| named(Some(c))))
        || cx
            .catalog
            .referencing_column(&t.name, column)
            .next()
            .is_some()
}
