//! PostgreSQL partitioning and inheritance become plain TiDB tables: a partitioned table keeps all its rows in one table, a `PARTITION OF` child is folded into it, an `INHERITS` child becomes a separate table with its parent's columns.
//!
//! ## What it does
//! - `CREATE TABLE t (…) PARTITION BY RANGE|LIST|HASH (…)`: created without
//!   partitions, with a warning. TiDB can partition it (`PARTITION BY RANGE
//!   COLUMNS …`), but every unique key must then include the partition
//!   columns and PostgreSQL's partition bounds do not translate one to one:
//!   that is a decision for a person.
//! - `CREATE TABLE c PARTITION OF t FOR VALUES …`: dropped; its rows belong
//!   to `t`. Later statements on `c` (its indexes) are dropped too.
//! - `ALTER TABLE t ATTACH PARTITION c` (pg_dump): `c` was created as a table
//!   of its own; it stays one, and the warning says so.
//! - `ALTER INDEX … ATTACH PARTITION`: dropped.
//! - `CREATE TABLE c (…) INHERITS (p)`: a separate table with `p`'s columns
//!   (and defaults, NOT NULL and CHECKs) followed by its own, as PostgreSQL
//!   stores it; queries on `p` no longer include `c`'s rows.
use crate::rules::{Cx, Rule, RuleMeta};

crate::declare_rule!(Partition, "partition", Warning, PARTITION);

impl Rule for Partition {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}

pub fn report_partitioned(cx: &mut Cx, table: &str, by: &str) {
    cx.report_here(&META, format!("{table} is partitioned by {by} in PostgreSQL: created as one TiDB table without partitions (add PARTITION BY by hand if needed; unique keys must then include the partition columns)"));
}

pub fn report_partition_of(cx: &mut Cx, child: &str, parent: &str) {
    cx.report_here(&META, format!("{child} is a partition of {parent}: its rows belong to {parent}, which TiDB keeps as one table; dropped"));
}

pub fn report_on_partition(cx: &mut Cx, child: &str, parent: &str) {
    cx.report_here(
        &META,
        format!("{child} is a partition folded into {parent}; statement dropped"),
    );
}

pub fn report_attach(cx: &mut Cx, parent: &str, child: &str) {
    cx.report_here(&META, format!("ATTACH PARTITION {child} to {parent}: {child} stays a separate TiDB table and {parent} does not include its rows"));
}

pub fn report_attach_index(cx: &mut Cx) {
    cx.report_here(
        &META,
        "ALTER INDEX … ATTACH PARTITION: no partitioned indexes in the converted schema; dropped",
    );
}

pub fn report_inherits(cx: &mut Cx, child: &str, parent: &str, auto_increment: &[String]) {
    let ai = if auto_increment.is_empty() {
        String::new()
    } else {
        format!("; {} no longer draw(s) values from {parent}'s AUTO_INCREMENT (give them a value or a default)", auto_increment.join(", "))
    };
    cx.report_here(&META, format!("{child} INHERITS {parent}: created as a separate table with {parent}'s columns; queries on {parent} no longer include {child}'s rows{ai}"));
}
