//! CHECK constraints are kept, named, and table-level; TiDB enforces them only when `tidb_enable_check_constraint` is ON (said once).
//!
//! ## What it does
//! Column and table CHECKs become named table-level constraints
//! (PostgreSQL's `<table>_<column>_check` names for unnamed ones, so a later
//! `DROP CONSTRAINT` finds them). A CHECK inside `ADD COLUMN` becomes a
//! separate `ADD CONSTRAINT`, because TiDB silently ignores it there.
//! `NOT VALID` is noted: TiDB validates existing rows when adding.
//!
//! ## Why
//! TiDB parses CHECK and discards it unless the global variable
//! `tidb_enable_check_constraint` is ON (v7.2+; tidb-facts §6). Set it
//! before running the migration, or the constraints are silently lost.
use crate::rules::{Cx, Event, Rule, RuleMeta, Taken};

crate::declare_rule!(CheckConstraint, "check-constraint", Info, CHECK_CONSTRAINT);

impl Rule for CheckConstraint {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn event(&self, cx: &mut Cx, e: &Event) -> Option<Taken> {
        match *e {
            Event::CheckKept { at } => cx.report_once(&META, "enforcement", at, "CHECK constraints are enforced by TiDB only with SET GLOBAL tidb_enable_check_constraint = ON"),
            Event::NotValid => cx.report_here(
                &META,
                "NOT VALID dropped: TiDB checks existing rows when the constraint is added",
            ),
            _ => return None,
        }
        Some(Taken::Keep)
    }
}
