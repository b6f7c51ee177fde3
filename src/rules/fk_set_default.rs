//! `ON DELETE/UPDATE SET DEFAULT` is kept but TiDB treats it as RESTRICT.
//!
//! ## Why
//! TiDB accepts SET DEFAULT and behaves like RESTRICT (tidb-facts §6,
//! §11.41); MariaDB implements it, so a server test would not notice.
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
