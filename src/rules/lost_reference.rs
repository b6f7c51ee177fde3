//! A statement needs a table, view or index that an earlier statement did not carry over; it is not carried over either.
//!
//! ## Why
//! When a view, materialized view, table or index could not be created on
//! TiDB, every later statement that selects from it, inserts into it,
//! alters it, indexes it or references it in a foreign key fails there
//! (1146 table doesn't exist, 1824 failed to open the referenced table).
//! Writing such a statement would break the migration at that point. The
//! finding names the object and where the statement that lost it is, so
//! the fix starts there: carry the object over by hand (or change what
//! needs it), and the statements that depend on it follow.
//!
//! A foreign key to a table that was not carried over is left out of its
//! table; the table itself is still created.
//!
//! ## Example
//! ```sql
//! CREATE VIEW v AS SELECT a[1] AS x FROM t;  -- error: not carried over
//! CREATE VIEW w AS SELECT * FROM v;          -- error: needs view v (line 1)
//! ```
use crate::rules::{Cx, Event, LostAction, Rule, RuleMeta, Taken};

crate::declare_rule!(LostReference, "lost-reference", Error, LOST_REFERENCE);

impl Rule for LostReference {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn event(&self, cx: &mut Cx, e: &Event) -> Option<Taken> {
        let Event::Lost {
            lost,
            action: LostAction::Use { by },
            ..
        } = e
        else {
            return None;
        };
        let message = format!(
            "{} is not carried over: it needs {}, which was not ({})",
            by.unwrap_or("this statement"),
            lost.what,
            lost.at
        );
        cx.report_here(&META, message);
        Some(Taken::Drop)
    }
}
