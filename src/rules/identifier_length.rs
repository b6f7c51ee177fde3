//! Identifiers longer than 64 characters are reported: TiDB rejects them (error 1059).
//!
//! ## Why
//! PostgreSQL allows 63 bytes and truncates longer names silently; TiDB
//! counts characters and refuses names over 64 (tidb-facts §7). Rename the
//! object in the migration.
use crate::model::Loc;
use crate::rules::{Cx, Rule, RuleMeta};

crate::declare_rule!(
    IdentifierLength,
    "identifier-length",
    Error,
    IDENTIFIER_LENGTH
);

impl Rule for IdentifierLength {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}

pub const MAX: usize = 64;

pub fn check(cx: &mut Cx, name: &str, loc: Loc) {
    let n = name.chars().count();
    if n > MAX {
        cx.report(
            &META,
            loc,
            format!("identifier `{name}` has {n} characters; TiDB allows {MAX} (error 1059)"),
        );
    }
}
