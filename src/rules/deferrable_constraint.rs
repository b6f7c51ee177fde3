//! `DEFERRABLE` / `INITIALLY DEFERRED` is dropped with a warning: TiDB checks constraints immediately.
//!
//! ## Why
//! DEFERRABLE is not in TiDB's grammar (tidb-facts §6). Migrations that
//! insert rows out of order inside one transaction must order them, or set
//! `foreign_key_checks = 0` for the load.
use crate::rules::{ConstraintDraft, ConstraintVerdict, Cx, Rule, RuleMeta};
use sqlparser::ast::TableConstraint;

crate::declare_rule!(
    DeferrableConstraint,
    "deferrable-constraint",
    Warning,
    DEFERRABLE_CONSTRAINT
);

impl Rule for DeferrableConstraint {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn constraint(&self, cx: &mut Cx, c: &mut ConstraintDraft) -> ConstraintVerdict {
        let ch = match c.constraint {
            TableConstraint::ForeignKey(fk) => fk.characteristics.as_ref(),
            TableConstraint::Unique(u) => u.characteristics.as_ref(),
            TableConstraint::PrimaryKey(p) => p.characteristics.as_ref(),
            _ => None,
        };
        if let Some(ch) = ch {
            if ch.deferrable == Some(true) || ch.initially.is_some() {
                cx.report(&META, c.loc, format!("constraint on {}: DEFERRABLE/INITIALLY DEFERRED dropped; TiDB checks it at once", c.table.name));
            }
        }
        ConstraintVerdict::Keep
    }
}
