//! `RETURNING` is removed from INSERT/UPDATE/DELETE (Alembic writes it on its version row).
//!
//! ## Why
//! TiDB has no RETURNING clause. In migration scripts it only echoes values
//! (Alembic's `INSERT INTO alembic_version … RETURNING version_num`), so
//! removing it changes nothing a migration relies on.
use crate::rules::{Cx, Event, Rule, RuleMeta, Taken};

crate::declare_rule!(ReturningClause, "returning-clause", Info, RETURNING_CLAUSE);

impl Rule for ReturningClause {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn event(&self, cx: &mut Cx, e: &Event) -> Option<Taken> {
        let Event::Returning = e else { return None };
        cx.report_here(&META, "RETURNING removed: TiDB has no RETURNING clause");
        Some(Taken::Keep)
    }
}
