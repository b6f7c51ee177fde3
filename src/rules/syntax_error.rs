//! A statement PostgreSQL's grammar (as sqlparser reads it) does not accept is reported at its location; the rest of the file still converts.
//!
//! ## What it does
//! Reports the parser's message at `file:line:col`, and unterminated quotes,
//! dollar-quoted bodies and comments at the place they start.
//!
//! ## Why
//! The converter never guesses: a statement it cannot read is not in the
//! output, and the exit code is 1. Every test input is applied to a real
//! PostgreSQL first, so a syntax error here usually means a construct
//! sqlparser does not know yet: please report it.
use crate::rules::{Cx, Event, Rule, RuleMeta, Taken};
use crate::split::MAX_CHUNK_BYTES;

crate::declare_rule!(SyntaxError, "syntax-error", Error, SYNTAX_ERROR);

impl Rule for SyntaxError {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn event(&self, cx: &mut Cx, e: &Event) -> Option<Taken> {
        match *e {
            Event::SyntaxError { message, at, head } => cx.report(
                &META,
                at,
                format!("{message} (in `{head}`); not carried over"),
            ),
            // Over the splitter's limit: only its head was kept.
            Event::TooLong { meta, bytes, head } => {
                let what = if meta {
                    "psql meta-command"
                } else {
                    "statement"
                };
                cx.report_here(&META, format!("{what} of {bytes} bytes exceeds pg2tidb's limit of {MAX_CHUNK_BYTES} bytes (in `{head}`); not carried over"));
            }
            Event::Unterminated { what, at } => cx.report(
                &META,
                at,
                format!("unterminated {what}: the rest of the file is part of this statement"),
            ),
            Event::PrefixTooLong { bytes } => cx.report_here(&META, format!("the {bytes} bytes of comments and whitespace before this exceed pg2tidb's limit of {MAX_CHUNK_BYTES} bytes: not read (their comments are not carried over, their `pg2tidb: ignore[…]` not applied)")),
            _ => return None,
        }
        Some(Taken::Drop)
    }
}
