//! psql `\if` blocks are evaluated as psql evaluates them: a statement in a branch psql skips is not carried over.
//!
//! ## What it does
//! psql runs the statements between `\if EXPR` and the next `\elif`,
//! `\else` or `\endif` only when `EXPR` is true (blocks nest). pg2tidb
//! evaluates `EXPR` the way psql does: one boolean, `true`, `false`, `yes`,
//! `no`, `on`, `off`, `1`, `0` in any case or a unique prefix of them (`t`,
//! `f`, `y`, `n`, `of`), with quotes and with the psql variables this file
//! sets before (`\set flag on` … `\if :flag`, `:{?flag}`). Each statement,
//! meta-command or COPY data block in a branch psql skips is reported here
//! and not carried over; the conditional commands themselves are reported
//! too, with what they evaluate to.
//!
//! ## Example
//! ```sql
//! \if false
//! CREATE TABLE staging_only (id int);   -- not carried over (info)
//! \else
//! CREATE TABLE everywhere (id int);     -- converted
//! \endif
//! ```
//!
//! ## Why
//! Converting what psql never runs would create tables the PostgreSQL
//! database does not have. A condition pg2tidb cannot evaluate offline is
//! `psql-conditional-error`.
use crate::rules::{Cx, Event, Rule, RuleMeta, Taken};

crate::declare_rule!(PsqlConditional, "psql-conditional", Info, PSQL_CONDITIONAL);

impl Rule for PsqlConditional {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn event(&self, cx: &mut Cx, e: &Event) -> Option<Taken> {
        match *e {
            Event::PsqlNote {
                error: false,
                at,
                message,
            } => cx.report(&META, at, message),
            Event::PsqlSkipped {
                unknown: false,
                what,
                why,
            } => cx.report_here(&META, format!("psql skips {what}: {why}; not carried over")),
            _ => return None,
        }
        Some(Taken::Drop)
    }
}
