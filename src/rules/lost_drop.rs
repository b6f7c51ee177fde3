//! A DROP or RENAME of a table, view, index or function that an earlier statement did not carry over: there is nothing to do on TiDB.
//!
//! ## Why
//! The object does not exist on TiDB, so `DROP VIEW v` or
//! `ALTER INDEX i RENAME TO j` would fail there (1051, 1091, 1146). The
//! statement is left out, and the finding names where the object was lost.
//! After a rename, the new name is known as not carried over too, so what
//! refers to it later is reported the same way.
//!
//! ## Example
//! ```sql
//! CREATE INDEX t_gist ON t USING gist (b);  -- not created on TiDB
//! DROP INDEX t_gist;                        -- info: nothing to drop
//! ```
use crate::rules::{Cx, Event, LostAction, Rule, RuleMeta, Taken};

crate::declare_rule!(LostDrop, "lost-drop", Info, LOST_DROP);

impl Rule for LostDrop {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn event(&self, cx: &mut Cx, e: &Event) -> Option<Taken> {
        let Event::Lost { lost, action, .. } = e else {
            return None;
        };
        let message = match action {
            LostAction::Drop => format!(
                "{} was not carried over ({}): nothing to drop on TiDB; left out",
                lost.what, lost.at
            ),
            LostAction::Rename { to } => format!(
                "{} was not carried over ({}): nothing to rename on TiDB; left out (`{to}` is not carried over either)",
                lost.what, lost.at
            ),
            LostAction::Use { .. } => return None,
        };
        cx.report_here(&META, message);
        Some(Taken::Drop)
    }
}
