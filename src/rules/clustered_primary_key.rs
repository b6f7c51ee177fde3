//! Primary keys are declared inside CREATE TABLE as `/*T![clustered_index] CLUSTERED */`; one added later can only be NONCLUSTERED.
//!
//! ## What it does
//! A primary key in CREATE TABLE is written with TiDB's explicit clustered
//! choice, as an executable comment that MySQL and MariaDB ignore. `ALTER
//! TABLE … ADD PRIMARY KEY` (pg_dump's style) is written NONCLUSTERED with
//! a warning: TiDB cannot add a clustered primary key to an existing table
//! (8200), and a NONCLUSTERED table stores rows by a hidden `_tidb_rowid`.
//! Dropping a clustered primary key is `primary-key-drop`, dropping one of
//! its columns `primary-key-column-drop`, changing a column's type
//! `primary-key-type`.
//!
//! ## Why
//! Spelling the choice out keeps the table layout independent of the
//! server's `tidb_enable_clustered_index` setting (tidb-facts §4, §8).
use crate::rules::{Cx, PrimaryKeyDraft, Rule, RuleMeta};

crate::declare_rule!(
    ClusteredPrimaryKey,
    "clustered-primary-key",
    Warning,
    CLUSTERED_PRIMARY_KEY
);

impl Rule for ClusteredPrimaryKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Clustered in CREATE TABLE (and in a folded schema), NONCLUSTERED when added later.
    fn primary_key(&self, cx: &mut Cx, pk: &mut PrimaryKeyDraft) {
        let table = &pk.table.name;
        pk.key.clustered = !pk.in_alter || cx.fold;
        if !pk.key.clustered {
            cx.report_here(&META, format!("primary key of {table} added after CREATE TABLE: TiDB makes it NONCLUSTERED (rows keyed by _tidb_rowid); declare it in CREATE TABLE for a clustered key"));
        }
    }
}
