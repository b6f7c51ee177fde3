//! TiDB cannot drop a clustered primary key (8200): `DROP CONSTRAINT` of one is not carried over, and neither is a primary key added in its place.
//!
//! ## What it does
//! Primary keys declared in CREATE TABLE are clustered (see
//! `clustered-primary-key`): the rows are stored in key order. `ALTER TABLE …
//! DROP CONSTRAINT <table>_pkey` of such a key is reported as an error and
//! left out. A later `ADD PRIMARY KEY` on the same table, PostgreSQL's way to
//! change a primary key, is left out too: the table still has its key.
//!
//! ## Why
//! `ERROR 8200: Unsupported drop primary key when the table is using
//! clustered index`; adding a second primary key then fails with 1068
//! (tidb-facts §4, §11.16). Declare the final primary key in CREATE TABLE,
//! or rebuild the table (new table, copy the rows, rename).
//!
//! Split from `unsupported-statement`: `ignore[unsupported-statement]` and
//! `[rules] unsupported-statement = …` still apply to it.
//!
//! ## Example
//! ```sql
//! CREATE TABLE sessions (id bigint PRIMARY KEY, token varchar(64) NOT NULL);
//! ALTER TABLE sessions DROP CONSTRAINT sessions_pkey;   -- error: not carried over
//! ALTER TABLE sessions ADD PRIMARY KEY (token);         -- error: not carried over
//! ```
use crate::rules::{Cx, Event, PrimaryKeyDraft, Rule, RuleMeta, Taken};

crate::declare_rule!(
    PrimaryKeyDrop,
    "primary-key-drop",
    Error,
    PRIMARY_KEY_DROP,
    split_from = "unsupported-statement"
);

impl Rule for PrimaryKeyDrop {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// ADD PRIMARY KEY to a table that kept its key.
    fn primary_key(&self, cx: &mut Cx, pk: &mut PrimaryKeyDraft) {
        if pk.in_alter && pk.table.primary_key.is_some() {
            cx.report_here(&META, format!("{} already has a primary key that TiDB cannot drop (a clustered key), so a new one cannot be added; not carried over", pk.table.name));
            pk.dropped = true;
        }
    }

    fn event(&self, cx: &mut Cx, e: &Event) -> Option<Taken> {
        let Event::DropPrimaryKey { table } = *e else {
            return None;
        };
        if !table.primary_key.as_ref().is_some_and(|pk| pk.clustered) {
            return None;
        }
        cx.report_here(
            &META,
            format!(
                "dropping the clustered primary key of {} (TiDB 8200); not carried over",
                table.name
            ),
        );
        Some(Taken::Drop)
    }
}
