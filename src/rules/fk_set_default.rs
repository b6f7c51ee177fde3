//! `ON DELETE/UPDATE SET DEFAULT` is written as RESTRICT, which is what TiDB does with it.
//!
//! ## Why
//! TiDB accepts SET DEFAULT and silently behaves like RESTRICT (tidb-facts
//! §6, §11.41): deleting a referenced row fails instead of resetting the
//! reference. The output says RESTRICT so the behaviour is visible; move
//! the reset into the application if it matters.
use crate::rules::{ConstraintDraft, ConstraintVerdict, Cx, Rule, RuleMeta};
use sqlparser::ast::{ReferentialAction, TableConstraint};

crate::declare_rule!(FkSetDefault, "fk-set-default", Warning, FK_SET_DEFAULT);

impl Rule for FkSetDefault {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn constraint(&self, cx: &mut Cx, c: &ConstraintDraft) -> ConstraintVerdict {
        if let TableConstraint::ForeignKey(fk) = c.constraint {
            if fk.on_delete == Some(ReferentialAction::SetDefault)
                || fk.on_update == Some(ReferentialAction::SetDefault)
            {
                cx.report(
                    &META,
                    c.loc,
                    format!(
                        "foreign key on {}: SET DEFAULT behaves as RESTRICT in TiDB",
                        c.table
                    ),
                );
            }
        }
        ConstraintVerdict::Keep
    }
}
