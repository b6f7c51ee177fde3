//! `DROP COLUMN` of a primary-key column is written, with a warning: PostgreSQL drops the key with it, TiDB refuses to drop a column of a clustered primary key (8200).
//!
//! ## What it does
//! PostgreSQL drops the primary key together with one of its columns; the
//! converted schema model does the same, and the `DROP COLUMN` is written.
//! On TiDB it fails while the key is clustered (every primary key declared
//! in CREATE TABLE is, see `clustered-primary-key`), so it is reported here.
//!
//! ## Why
//! `ERROR 8200: Unsupported drop integer primary key` and `ERROR 8200: can't
//! drop column … with composite index covered or Primary Key covered`
//! (tidb-facts §7, §11.15). TiDB cannot drop a clustered primary key either
//! (`primary-key-drop`): rebuild the table (new table, copy the rows,
//! rename), or keep the column.
//!
//! Split from `clustered-primary-key`: `ignore[clustered-primary-key]` and
//! `[rules] clustered-primary-key = …` still apply to it.
//!
//! ## Example
//! ```sql
//! CREATE TABLE legacy (id integer PRIMARY KEY, code varchar(20) NOT NULL);
//! ALTER TABLE legacy DROP COLUMN id;   -- warning: TiDB refuses it (8200)
//! ```
use crate::rules::{Cx, Event, Rule, RuleMeta, Taken};

crate::declare_rule!(
    PrimaryKeyColumnDrop,
    "primary-key-column-drop",
    Warning,
    PRIMARY_KEY_COLUMN_DROP,
    split_from = "clustered-primary-key"
);

impl Rule for PrimaryKeyColumnDrop {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn event(&self, cx: &mut Cx, e: &Event) -> Option<Taken> {
        let Event::PrimaryKeyColumnDropped { table, column } = *e else {
            return None;
        };
        cx.report_here(&META, format!("dropping primary-key column {table}.{column}: TiDB refuses to drop a clustered primary-key column (8200)"));
        Some(Taken::Keep)
    }
}
