//! `ON DELETE/UPDATE SET DEFAULT`, and `SET NULL` on a NOT NULL column, are written as RESTRICT, which is what they do.
//!
//! ## Why
//! TiDB accepts SET DEFAULT and silently behaves like RESTRICT (tidb-facts
//! §6, §11.41): deleting a referenced row fails instead of resetting the
//! reference. The output says RESTRICT so the behaviour is visible; move
//! the reset into the application if it matters.
//!
//! PostgreSQL also accepts `ON DELETE SET NULL` on a NOT NULL column (the
//! delete then fails at run time, like RESTRICT); TiDB and MySQL refuse such
//! a foreign key when it is created (1830), so it is written as RESTRICT.
use crate::rules::{
    ConstraintDraft, ConstraintVerdict, Cx, ForeignKeyCheck, ForeignKeyDraft, Rule, RuleMeta,
};
use sqlparser::ast::{ReferentialAction, TableConstraint};

crate::declare_rule!(FkSetDefault, "fk-set-default", Warning, FK_SET_DEFAULT);

impl Rule for FkSetDefault {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn constraint(&self, cx: &mut Cx, c: &mut ConstraintDraft) -> ConstraintVerdict {
        if let TableConstraint::ForeignKey(fk) = c.constraint {
            if fk.on_delete == Some(ReferentialAction::SetDefault)
                || fk.on_update == Some(ReferentialAction::SetDefault)
            {
                cx.report(
                    &META,
                    c.loc,
                    format!(
                        "foreign key on {}: SET DEFAULT behaves as RESTRICT in TiDB",
                        c.table.name
                    ),
                );
            }
        }
        ConstraintVerdict::Keep
    }

    /// SET DEFAULT is written as what TiDB does with it, RESTRICT (reported
    /// with the constraint); so is SET NULL on a NOT NULL column.
    fn foreign_key(&self, cx: &mut Cx, d: &mut ForeignKeyDraft) {
        if d.check == ForeignKeyCheck::Create || d.check == ForeignKeyCheck::Add {
            for action in [&mut d.fk.on_delete, &mut d.fk.on_update] {
                if action.as_deref() == Some("SET DEFAULT") {
                    *action = Some("RESTRICT".into());
                }
            }
            set_null_on_not_null(cx, d.table, &mut d.fk);
        }
    }
}

/// `SET NULL` on a NOT NULL column fails in PostgreSQL at run time and is
/// refused by TiDB when created: write RESTRICT, which is what it does.
fn set_null_on_not_null(cx: &mut Cx, t: &crate::model::Table, fk: &mut crate::model::ForeignKey) {
    let not_null = fk
        .columns
        .iter()
        .any(|c| t.column(c).is_some_and(|col| !col.nullable));
    if !not_null {
        return;
    }
    for action in [&mut fk.on_delete, &mut fk.on_update] {
        if action.as_deref() == Some("SET NULL") {
            *action = Some("RESTRICT".into());
            cx.report_here(&META, format!("foreign key {} on {}: SET NULL on a NOT NULL column written as RESTRICT (what PostgreSQL does at run time; TiDB refuses it, 1830)", fk.name, t.name));
        }
    }
}
