//! A CHECK constraint that uses an AUTO_INCREMENT column is not carried over: TiDB refuses it (3818).
//!
//! ## What it does
//! After a table's columns are converted, CHECKs that mention a column that
//! became AUTO_INCREMENT (a `serial` or identity column) are left out and
//! reported; so is such a CHECK in `ALTER TABLE … ADD CONSTRAINT`.
//!
//! ## Why
//! TiDB cannot evaluate a CHECK on an auto-increment column, whose value is
//! assigned after the check runs (error 3818; MariaDB refuses it too, 1901)
//! (tidb-facts §6). Enforce the rule in the application, or use a
//! trigger-free design such as a separate non-generated column.
use crate::model::Table;
use crate::rules::{AlterColumnDraft, AlterVerdict, Cx, Event, Rule, RuleMeta, Taken};

crate::declare_rule!(
    CheckAutoIncrement,
    "check-auto-increment",
    Error,
    CHECK_AUTO_INCREMENT
);

impl Rule for CheckAutoIncrement {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn table(&self, cx: &mut Cx, t: &mut Table) {
        filter(cx, t);
    }

    /// A folded ALTER made the column AUTO_INCREMENT: its CHECKs go.
    fn alter_column(&self, cx: &mut Cx, a: &mut AlterColumnDraft) {
        let became = !a.current.auto_increment
            && a.table
                .column(&a.current.name)
                .is_some_and(|c| c.auto_increment);
        if a.verdict == AlterVerdict::ModelOnly && became {
            filter(cx, a.table);
        }
    }

    /// ALTER TABLE … ADD CONSTRAINT … CHECK on an AUTO_INCREMENT column.
    fn event(&self, cx: &mut Cx, e: &Event) -> Option<Taken> {
        let Event::CheckAdded { table, check } = *e else {
            return None;
        };
        let ai = table.auto_increment_columns();
        let c = ai.iter().find(|c| check.uses(c))?;
        report(cx, table, &[(check.name.clone(), c.clone())]);
        Some(Taken::Drop)
    }
}

/// Remove (and report) the CHECKs of `t` that use an AUTO_INCREMENT column; returns their names.
fn filter(cx: &mut Cx, t: &mut Table) -> Vec<String> {
    let ai = t.auto_increment_columns();
    if ai.is_empty() {
        return vec![];
    }
    let mut removed = Vec::new();
    t.checks.retain(|ck| {
        let hit = ai.iter().find(|c| ck.uses(c));
        if let Some(c) = hit {
            removed.push((ck.name.clone(), c.clone()));
            false
        } else {
            true
        }
    });
    report(cx, t, &removed);
    removed.into_iter().map(|r| r.0).collect()
}

fn report(cx: &mut Cx, t: &Table, removed: &[(String, String)]) {
    for (name, col) in removed {
        cx.report_here(&META, format!("CHECK {name} on {} uses AUTO_INCREMENT column {col}: TiDB refuses it (3818); not carried over", t.name));
    }
}
