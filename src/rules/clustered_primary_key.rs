//! Primary keys are declared inside CREATE TABLE as `/*T![clustered_index] CLUSTERED */`; one added later can only be NONCLUSTERED.
//!
//! ## What it does
//! A primary key in CREATE TABLE is written with TiDB's explicit clustered
//! choice, as an executable comment that MySQL and MariaDB ignore. `ALTER
//! TABLE … ADD PRIMARY KEY` (pg_dump's style) is written NONCLUSTERED with
//! a warning: TiDB cannot add a clustered primary key to an existing table
//! (8200), and a NONCLUSTERED table stores rows by a hidden `_tidb_rowid`.
//! Dropping a clustered primary key or its column is an error (8200).
//!
//! ## Why
//! Spelling the choice out keeps the table layout independent of the
//! server's `tidb_enable_clustered_index` setting (tidb-facts §4, §8).
use crate::rules::{Cx, Rule, RuleMeta};

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
}

pub fn report_nonclustered(cx: &mut Cx, table: &str) {
    cx.report_here(&META, format!("primary key of {table} added after CREATE TABLE: TiDB makes it NONCLUSTERED (rows keyed by _tidb_rowid); declare it in CREATE TABLE for a clustered key"));
}

pub fn report_drop_clustered(cx: &mut Cx, table: &str) {
    crate::rules::unsupported_statement::report_text(
        cx,
        &format!("dropping the clustered primary key of {table} (TiDB 8200)"),
    );
}

pub fn report_pk_column_drop(cx: &mut Cx, table: &str, column: &str) {
    cx.report_here(&META, format!("dropping primary-key column {table}.{column}: TiDB refuses to drop a clustered primary-key column (8200)"));
}
