//! A statement adds a column that TiDB still has, because an earlier statement that dropped it was not carried over.
//!
//! ## Why
//! When a `DROP COLUMN` cannot be carried over (TiDB refuses to drop a
//! column of a clustered primary key, 8200), the column stays on TiDB while
//! PostgreSQL no longer has it. A later `ADD COLUMN` of the same name is
//! valid on PostgreSQL and fails on TiDB (1060, duplicate column name). It
//! is left out, and the finding names the DROP that was not carried over:
//! fix that one, and this one follows.
//!
//! ## Example
//! ```sql
//! ALTER TABLE t DROP COLUMN id;   -- error: a column of the clustered key
//! ALTER TABLE t ADD COLUMN id uuid; -- error: t.id still exists on TiDB
//! ```
use crate::rules::{Cx, Event, Rule, RuleMeta, Taken};

crate::declare_rule!(StillExists, "still-exists", Error, STILL_EXISTS);

impl Rule for StillExists {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn event(&self, cx: &mut Cx, e: &Event) -> Option<Taken> {
        let Event::StillExists {
            table,
            column,
            kept,
        } = e
        else {
            return None;
        };
        let why = match kept {
            Some(k) => format!("its DROP COLUMN ({}) was not carried over", k.at),
            None => "the DROP COLUMN that removed it was not carried over".to_string(),
        };
        cx.report_here(
            &META,
            format!("column `{table}.{column}` still exists on TiDB: {why}; ADD COLUMN not carried over (TiDB: 1060)"),
        );
        Some(Taken::Drop)
    }
}
