//! Identifiers longer than 63 bytes are truncated as PostgreSQL truncates them, so TiDB's 64-character limit (error 1059) is never exceeded.
//!
//! ## What it does
//! PostgreSQL silently cuts names to 63 bytes (NAMEDATALEN), and the objects
//! it creates carry the cut name; the converter uses the same name, and
//! reports the cut so the migration can be fixed to say what it means.
//!
//! ## Why
//! TiDB refuses names over 64 characters (tidb-facts §7); PostgreSQL's
//! 63-byte names always fit.
use crate::model::Loc;
use crate::rules::{Cx, Rule, RuleMeta};
use crate::types::PG_MAX_IDENT_BYTES;

crate::declare_rule!(
    IdentifierLength,
    "identifier-length",
    Warning,
    IDENTIFIER_LENGTH
);

impl Rule for IdentifierLength {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// A new name (as written) that PostgreSQL truncates.
    fn new_name(&self, cx: &mut Cx, written: &str, at: Loc) {
        if written.len() > PG_MAX_IDENT_BYTES {
            let cut = crate::types::fold_ident(written, Some('"'));
            cx.report(&META, at, format!("identifier `{written}` is {} bytes; PostgreSQL truncates it to `{cut}`, and so does the output", written.len()));
        }
    }
}
