//! `EXCLUDE` constraints have no TiDB equivalent and are not carried over.
//!
//! ## Why
//! Exclusion constraints need GiST operators (`&&` on ranges); TiDB has
//! neither (tidb-facts §6). Enforce the rule in the application.
use crate::rules::{ConstraintDraft, ConstraintVerdict, Cx, Rule, RuleMeta};
use sqlparser::ast::TableConstraint;

crate::declare_rule!(
    ExcludeConstraint,
    "exclude-constraint",
    Error,
    EXCLUDE_CONSTRAINT
);

impl Rule for ExcludeConstraint {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn constraint(&self, cx: &mut Cx, c: &mut ConstraintDraft) -> ConstraintVerdict {
        if let TableConstraint::Exclude(_) = c.constraint {
            cx.report(
                &META,
                c.loc,
                format!(
                    "EXCLUDE constraint on {} has no TiDB equivalent; not carried over",
                    c.table.name
                ),
            );
            return ConstraintVerdict::Drop;
        }
        ConstraintVerdict::Keep
    }
}
