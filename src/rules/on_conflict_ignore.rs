//! `INSERT … ON CONFLICT DO NOTHING` is written as `INSERT IGNORE`.
//!
//! ## Why
//! TiDB has no `ON CONFLICT`. `INSERT IGNORE` skips a row that conflicts
//! with a unique key, as `DO NOTHING` does, but it is wider: it skips a
//! conflict on *any* unique key (a conflict target such as
//! `ON CONFLICT (email)` is not kept), and it turns the row's other errors
//! into warnings, so a value too long for its column is cut, a NULL for a
//! NOT NULL column becomes the type's zero value, and a row whose foreign
//! key has no parent is skipped. In PostgreSQL each of those fails the
//! statement. Seed data that is valid behaves the same on both.
//!
//! ## Example
//! ```sql
//! INSERT INTO roles (name) VALUES ('admin') ON CONFLICT (name) DO NOTHING;
//! -- TiDB:
//! INSERT IGNORE INTO `roles` (`name`) VALUES ('admin');
//! ```
use crate::rules::{Cx, Event, Rule, RuleMeta, Taken};

crate::declare_rule!(
    OnConflictIgnore,
    "on-conflict-ignore",
    Info,
    ON_CONFLICT_IGNORE
);

impl Rule for OnConflictIgnore {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn event(&self, cx: &mut Cx, e: &Event) -> Option<Taken> {
        let Event::OnConflictDoNothing { target } = e else {
            return None;
        };
        let scope = if *target {
            "a conflict on any unique key skips the row, not only on the conflict target"
        } else {
            "a conflict on any unique key skips the row"
        };
        cx.report_here(
            &META,
            format!("ON CONFLICT DO NOTHING written as INSERT IGNORE: {scope}, and the row's other errors (too long, NULL into NOT NULL, no parent row) become warnings"),
        );
        Some(Taken::Keep)
    }
}
