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
use crate::expr::last_name;
use crate::rules::{CatalogUpdate, Cx, Event, Rule, RuleMeta, Taken};
use sqlparser::ast::AlterTableOperation;

crate::declare_rule!(Partition, "partition", Warning, PARTITION);

impl Rule for Partition {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn event(&self, cx: &mut Cx, e: &Event) -> Option<Taken> {
        match *e {
            Event::CreateTable { ct, name } => {
                let parent = ct.partition_of.as_ref()?;
                crate::rules::run_name(cx, parent);
                let parent = last_name(parent);
                cx.report_here(&META, format!("{name} is a partition of {parent}: its rows belong to {parent}, which TiDB keeps as one table; dropped"));
                cx.catalog_updates.push(CatalogUpdate::Partition {
                    child: name.to_string(),
                    parent,
                });
                Some(Taken::Drop)
            }
            Event::PartitionedBy { table, by } => {
                cx.report_here(&META, format!("{table} is partitioned by {by} in PostgreSQL: created as one TiDB table without partitions (add PARTITION BY by hand if needed; unique keys must then include the partition columns)"));
                Some(Taken::Keep)
            }
            Event::Inherits {
                child,
                parent,
                auto_increment,
            } => {
                let ai = if auto_increment.is_empty() {
                    String::new()
                } else {
                    format!("; {} no longer draw(s) values from {parent}'s AUTO_INCREMENT (give them a value or a default)", auto_increment.join(", "))
                };
                cx.report_here(&META, format!("{child} INHERITS {parent}: created as a separate table with {parent}'s columns; queries on {parent} no longer include {child}'s rows{ai}"));
                Some(Taken::Keep)
            }
            // Statements on a partition folded into its parent.
            Event::OnTable { table } => {
                let parent = cx.catalog.partitions.get(&table.to_lowercase())?.clone();
                cx.report_here(
                    &META,
                    format!("{table} is a partition folded into {parent}; statement dropped"),
                );
                Some(Taken::Drop)
            }
            Event::AlterOp { table, op } => {
                let child = match op {
                    AlterTableOperation::AttachPartition { partition } => match partition {
                        sqlparser::ast::Partition::Expr(e) => crate::expr::to_tidb(e)
                            .unwrap_or_else(|_| e.to_string())
                            .replace('`', ""),
                        other => other.to_string(),
                    },
                    AlterTableOperation::AttachPartitionOf { partition, .. } => {
                        crate::rules::run_name(cx, partition);
                        last_name(partition)
                    }
                    _ => return None,
                };
                cx.report_here(&META, format!("ATTACH PARTITION {child} to {table}: {child} stays a separate TiDB table and {table} does not include its rows"));
                Some(Taken::Drop)
            }
            Event::Unparsed { words, .. }
                if words.len() > 2
                    && words[0] == "ALTER"
                    && words[1] == "INDEX"
                    && words.iter().any(|w| w == "ATTACH") =>
            {
                cx.report_here(
                    &META,
                    "ALTER INDEX … ATTACH PARTITION: no partitioned indexes in the converted schema; dropped",
                );
                Some(Taken::Drop)
            }
            _ => None,
        }
    }
}
