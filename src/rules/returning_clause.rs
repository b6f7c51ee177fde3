//! `RETURNING` is removed from INSERT/UPDATE/DELETE (Alembic writes it on its version row).
//!
//! ## Why
//! TiDB has no RETURNING clause. In migration scripts it only echoes values
//! (Alembic's `INSERT INTO alembic_version … RETURNING version_num`), so
//! removing it changes nothing a migration relies on.
use crate::rules::{Cx, Rule, RuleMeta};

crate::declare_rule!(ReturningClause, "returning-clause", Info, RETURNING_CLAUSE);

impl Rule for ReturningClause {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}

pub fn report(cx: &mut Cx) {
    cx.report_here(&META, "RETURNING removed: TiDB has no RETURNING clause");
}
