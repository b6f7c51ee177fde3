//! A `-- pg2tidb: ignore[…]` or `ignore-file[…]` comment that suppresses nothing is reported, so stale suppressions do not pile up.
//!
//! ## What it does
//! Findings can be suppressed where a team has decided to accept them:
//! ```sql
//! -- pg2tidb: ignore[varchar-length, timestamptz]
//! CREATE TABLE t (name varchar, at timestamptz);
//!
//! -- pg2tidb: ignore-file[lossy-type]
//! ```
//! `ignore[…]` on a comment line directly before a statement applies to
//! that statement; `ignore-file[…]` anywhere in a file applies to the whole
//! file. A rule id that matches no finding, or an unknown rule id, is
//! reported at the comment. Suppressed findings are counted in the summary.
use crate::rules::{Cx, Event, Rule, RuleMeta, Taken};

crate::declare_rule!(
    UnusedSuppression,
    "unused-suppression",
    Warning,
    UNUSED_SUPPRESSION
);

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn event(&self, cx: &mut Cx, e: &Event) -> Option<Taken> {
        let Event::UnusedSuppression {
            rule,
            file_level,
            at,
        } = *e
        else {
            return None;
        };
        let what = if crate::rules::by_id(rule).is_none() {
            format!("unknown rule `{rule}` in a pg2tidb suppression")
        } else if file_level {
            format!("`ignore-file[{rule}]` suppresses nothing in this file")
        } else {
            format!("`ignore[{rule}]` suppresses nothing on the next statement")
        };
        cx.report(&META, at, what);
        Some(Taken::Keep)
    }
}
