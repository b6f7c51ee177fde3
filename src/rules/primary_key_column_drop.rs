//! `DROP COLUMN` of a column of a clustered primary key is not carried over: TiDB cannot drop it (8200), nor the key it belongs to.
//!
//! ## What it does
//! PostgreSQL drops the primary key together with one of its columns. TiDB
//! refuses to drop a column that a primary key covers, and cannot drop a
//! clustered primary key (every primary key declared in CREATE TABLE is
//! clustered, see `clustered-primary-key`). Such a `DROP COLUMN` is reported
//! as an error and left out; the converted table keeps the column and its
//! key, as it will on TiDB.
//!
//! A NONCLUSTERED key (one added by `ALTER TABLE … ADD PRIMARY KEY`) can be
//! dropped: the converter writes `DROP PRIMARY KEY` before the `DROP COLUMN`,
//! which is what PostgreSQL does, and this rule says nothing.
//!
//! ## Why
//! `ERROR 8200: Unsupported drop integer primary key` and `ERROR 8200: can't
//! drop column … with composite index covered or Primary Key covered`
//! (tidb-facts §7, §11.15); dropping the key first fails too (8200,
//! `primary-key-drop`). Rebuild the table (new table, copy the rows,
//! rename), or keep the column.
//!
//! Split from `clustered-primary-key`: `ignore[clustered-primary-key]` and
//! `[rules] clustered-primary-key = …` still apply to it.
//!
//! ## Example
//! ```sql
//! CREATE TABLE legacy (id integer PRIMARY KEY, code varchar(20) NOT NULL);
//! ALTER TABLE legacy DROP COLUMN id;   -- error: not carried over (8200)
//! ```
use crate::rules::{Cx, Event, Rule, RuleMeta, Taken};

crate::declare_rule!(
    PrimaryKeyColumnDrop,
    "primary-key-column-drop",
    Error,
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
        if !table.primary_key.as_ref().is_some_and(|pk| pk.clustered) {
            return None;
        }
        cx.report_here(
            &META,
            format!(
                "dropping {}.{column}, a column of its clustered primary key: TiDB refuses it (8200); not carried over",
                table.name
            ),
        );
        Some(Taken::Drop)
    }
}
