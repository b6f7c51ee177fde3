//! Statements that change nothing in TiDB are dropped: `DROP … IF EXISTS` on an object that does not exist at that point of the history, or a type change to the type the column already has.
//!
//! ## Why
//! With the whole history converted in order, the converter knows the object
//! is absent, so the statement does nothing in PostgreSQL either. If the
//! object was created outside the converted migrations, pass them as a
//! baseline so the statement can be converted.
use crate::rules::{Cx, Rule, RuleMeta};

crate::declare_rule!(IfExistsNoop, "if-exists-noop", Info, IF_EXISTS_NOOP);

impl Rule for IfExistsNoop {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}

pub fn report(cx: &mut Cx, name: &str) {
    cx.report_here(
        &META,
        format!("`{name}` does not exist here; IF EXISTS makes this a no-op; dropped"),
    );
}

/// A statement whose effect TiDB already has.
pub fn report_noop(cx: &mut Cx, what: &str) {
    cx.report_here(&META, format!("{what}; nothing to change; dropped"));
}
