//! A CHECK constraint that uses a column a foreign key's referential action changes is not carried over: TiDB refuses it (3823).
//!
//! ## What it does
//! A foreign key with `ON UPDATE CASCADE`, `SET NULL` or `SET DEFAULT` (or
//! `ON DELETE SET NULL`, `SET DEFAULT`, `CASCADE`) may change its columns
//! without the CHECK running, so TiDB, like MySQL 8, refuses a CHECK on
//! such a column (3823), and a foreign key with such an action on a column
//! a CHECK uses. MariaDB refuses both too (1901). PostgreSQL has no such
//! rule: Prisma schemas write `ON UPDATE CASCADE` on every relation.
//!
//! The CHECK is left out and reported, whether it comes with the table, in
//! a later `ADD CONSTRAINT … CHECK`, or before the foreign key (then it is
//! dropped before the key is added). The foreign key is kept.
//!
//! ## Fix
//! Enforce the condition in the application, or drop the referential
//! action (`ON UPDATE NO ACTION`) if keys never change.
use crate::emit::AlterOp;
use crate::model::{Check, ForeignKey, Table};
use crate::rules::{Cx, Event, ForeignKeyCheck, ForeignKeyDraft, Rule, RuleMeta, Taken};

crate::declare_rule!(CheckFkAction, "check-fk-action", Error, CHECK_FK_ACTION);

impl Rule for CheckFkAction {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn table(&self, cx: &mut Cx, t: &mut Table) {
        let hits: Vec<(String, String, String)> = t
            .checks
            .iter()
            .filter_map(|ck| {
                conflict(ck, t.foreign_keys.iter()).map(|(c, fk)| (ck.name.clone(), c, fk))
            })
            .collect();
        if hits.is_empty() {
            return;
        }
        t.checks.retain(|ck| !hits.iter().any(|h| h.0 == ck.name));
        for (name, column, fk) in hits {
            report(cx, &t.name, &name, &column, &fk);
        }
    }

    /// ALTER TABLE … ADD CONSTRAINT … CHECK on such a column.
    fn event(&self, cx: &mut Cx, e: &Event) -> Option<Taken> {
        let Event::CheckAdded { table, check } = *e else {
            return None;
        };
        let (column, fk) = conflict(check, table.foreign_keys.iter())?;
        report(cx, &table.name, &check.name, &column, &fk);
        Some(Taken::Drop)
    }

    /// A foreign key with such an action on a column an existing CHECK
    /// uses: the CHECK is dropped first.
    fn foreign_key(&self, cx: &mut Cx, d: &mut ForeignKeyDraft) {
        // In CREATE TABLE the table hook leaves such CHECKs out.
        if d.check != ForeignKeyCheck::Add {
            return;
        }
        let hits: Vec<(String, String)> = d
            .table
            .checks
            .iter()
            .filter_map(|ck| {
                conflict(ck, std::iter::once(&d.fk)).map(|(c, _)| (ck.name.clone(), c))
            })
            .collect();
        let fk = d.fk.name.clone();
        let table = d.table.name.clone();
        for (name, column) in hits {
            if d.table.checks.remove(&name).is_empty() {
                continue;
            }
            cx.alter(&table, AlterOp::DropCheck(name.clone()));
            report(cx, &table, &name, &column, &fk);
        }
    }
}

/// The first column `ck` uses that one of `fks` changes by a referential
/// action, with that key's name.
fn conflict<'a>(ck: &Check, fks: impl Iterator<Item = &'a ForeignKey>) -> Option<(String, String)> {
    for fk in fks {
        if !acts(fk) {
            continue;
        }
        if let Some(c) = fk.columns.iter().find(|c| ck.uses(c)) {
            return Some((c.clone(), fk.name.clone()));
        }
    }
    None
}

/// Whether a referential action of `fk` changes or removes its rows.
fn acts(fk: &ForeignKey) -> bool {
    let changes = |a: &Option<String>| {
        a.as_deref()
            .is_some_and(|a| matches!(a, "CASCADE" | "SET NULL" | "SET DEFAULT"))
    };
    changes(&fk.on_update) || changes(&fk.on_delete)
}

fn report(cx: &mut Cx, table: &str, check: &str, column: &str, fk: &str) {
    cx.report_here(&META, format!("CHECK {check} on {table} uses column {column}, which foreign key {fk} changes by a referential action: TiDB refuses it (3823); not carried over"));
}
