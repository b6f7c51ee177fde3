//! A psql `\if` pg2tidb cannot evaluate offline, or one psql rejects: what it guards is not carried over, and the error is reported where it is.
//!
//! ## What it does
//! A condition that depends on how psql is run cannot be evaluated from the
//! file: a variable set on psql's command line (`-v flag=on`), by psql
//! itself (`:SERVER_VERSION_NUM`), by a query (`\gset`), a prompt or an
//! included file, and a backquoted shell command (`` \if `test -f x` ``).
//! pg2tidb does not guess: every statement in every branch of such a block
//! is reported here, as not carried over, naming the condition.
//!
//! Also reported, as psql reports them: an expression that is not a
//! boolean (psql takes it as false, and pg2tidb skips that branch as psql
//! does), an `\elif` or `\else` without `\if` or after `\else`, an
//! `\endif` without `\if`, and an `\if` never closed by the end of its file
//! (with `ON_ERROR_STOP`, psql stops at each of these).
//!
//! ## Example
//! ```sql
//! \if :{?with_audit}
//! CREATE TABLE audit_log (id int);   -- not carried over (error)
//! \else
//! CREATE TABLE no_audit (id int);    -- not carried over (error)
//! \endif
//! ```
//!
//! ## What to do
//! Set the variable in the file (`\set with_audit on`), or convert the
//! branch that applies without the conditional around it.
use crate::rules::{Cx, Event, Rule, RuleMeta, Taken};

crate::declare_rule!(
    PsqlConditionalError,
    "psql-conditional-error",
    Error,
    PSQL_CONDITIONAL_ERROR
);

impl Rule for PsqlConditionalError {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn event(&self, cx: &mut Cx, e: &Event) -> Option<Taken> {
        match *e {
            Event::PsqlNote {
                error: true,
                at,
                message,
            } => cx.report(&META, at, message),
            Event::PsqlSkipped {
                unknown: true,
                what,
                why,
            } => cx.report_here(&META, format!("{what} is not carried over: {why}")),
            _ => return None,
        }
        Some(Taken::Drop)
    }
}
