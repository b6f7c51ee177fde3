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
use crate::rules::{Rule, RuleMeta};

crate::declare_rule!(SyntaxError, "syntax-error", Error, SYNTAX_ERROR);

impl Rule for SyntaxError {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}
