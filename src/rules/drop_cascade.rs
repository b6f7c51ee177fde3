//! `DROP … CASCADE` loses its CASCADE: TiDB parses and ignores it.
//!
//! ## Why
//! PostgreSQL's CASCADE also drops dependent views and foreign keys. TiDB
//! ignores the keyword, so the drop fails (error 3730) while another table
//! still references this one (tidb-facts §6). Drop the dependent objects
//! first in the TiDB migration.
use crate::rules::{Cx, Event, Rule, RuleMeta, Taken};

crate::declare_rule!(DropCascade, "drop-cascade", Warning, DROP_CASCADE);

impl Rule for DropCascade {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn event(&self, cx: &mut Cx, e: &Event) -> Option<Taken> {
        let Event::Cascade = e else { return None };
        cx.report_here(
            &META,
            "CASCADE dropped: TiDB does not drop dependent objects; drop them first",
        );
        Some(Taken::Keep)
    }
}
