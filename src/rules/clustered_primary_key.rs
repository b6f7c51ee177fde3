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
use crate::model::TiType;
use crate::rules::{
    AlterColumnDraft, AlterColumnKind, AlterVerdict, Cx, Event, PrimaryKeyDraft, Rule, RuleMeta,
    Taken,
};

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
        if pk.in_alter && pk.table.primary_key.is_some() {
            crate::rules::unsupported_statement::report_text(
                cx,
                &format!("{table} already has a primary key that TiDB cannot drop (a clustered key), so a new one cannot be added"),
            );
            pk.dropped = true;
            return;
        }
        pk.key.clustered = !pk.in_alter || cx.fold;
        if !pk.key.clustered {
            cx.report_here(&META, format!("primary key of {table} added after CREATE TABLE: TiDB makes it NONCLUSTERED (rows keyed by _tidb_rowid); declare it in CREATE TABLE for a clustered key"));
        }
    }

    /// A primary-key column only takes meta-only type changes in TiDB (8200).
    fn alter_column(&self, cx: &mut Cx, a: &mut AlterColumnDraft) {
        let c = &a.current.name;
        let in_pk = a.table.primary_key.as_ref().is_some_and(|pk| {
            pk.parts
                .iter()
                .any(|p| p.column_name().is_some_and(|n| n.eq_ignore_ascii_case(c)))
        });
        if a.kind != AlterColumnKind::Type || !in_pk || meta_only_change(&a.current.ty, &a.col.ty) {
            return;
        }
        let (from, to) = (&a.current.ty, &a.col.ty);
        crate::rules::unsupported_statement::report_text(
            cx,
            &format!("{}.{c}: TiDB cannot change a primary-key column from {from} to {to} (8200); the column keeps {from}", a.table.name),
        );
        a.verdict = AlterVerdict::Drop;
    }

    fn event(&self, cx: &mut Cx, e: &Event) -> Option<Taken> {
        match *e {
            Event::DropPrimaryKey { table } => {
                if !table.primary_key.as_ref().is_some_and(|pk| pk.clustered) {
                    return None;
                }
                crate::rules::unsupported_statement::report_text(
                    cx,
                    &format!(
                        "dropping the clustered primary key of {} (TiDB 8200)",
                        table.name
                    ),
                );
                Some(Taken::Drop)
            }
            Event::PrimaryKeyColumnDropped { table, column } => {
                cx.report_here(&META, format!("dropping primary-key column {table}.{column}: TiDB refuses to drop a clustered primary-key column (8200)"));
                Some(Taken::Keep)
            }
            _ => None,
        }
    }
}

/// Type changes TiDB makes without rewriting data (allowed on primary-key columns).
fn meta_only_change(from: &TiType, to: &TiType) -> bool {
    from == to
        || match (from, to) {
            (TiType::SmallInt, TiType::Int | TiType::BigInt) | (TiType::Int, TiType::BigInt) => {
                true
            }
            (TiType::Varchar(a), TiType::Varchar(b)) | (TiType::Char(a), TiType::Char(b)) => b >= a,
            _ => false,
        }
}
