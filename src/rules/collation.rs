//! A column's `COLLATE` with no TiDB counterpart is dropped: the table's `utf8mb4_bin` applies. Byte-order collations (`"C"`, `"POSIX"`, …) are what `utf8mb4_bin` already does.
//!
//! ## What it does
//! `COLLATE "C"`, `"POSIX"`, `"default"`, `"ucs_basic"`, `"C.UTF-8"` compare
//! by code point, as TiDB's `utf8mb4_bin` does: the clause is dropped
//! silently. Any other collation (`"de_DE"`, `"und-x-icu"`, a
//! nondeterministic ICU collation) is dropped with a warning: the column
//! sorts and compares as `utf8mb4_bin`, by code point.
//!
//! ## Why
//! TiDB supports only its own collations (`utf8mb4_bin`,
//! `utf8mb4_general_ci`, `utf8mb4_unicode_ci`, …); an unknown one is
//! `ERROR 1273: Unsupported collation` (tidb-facts §7, §11.28). Ordering
//! and case-insensitive comparison that relied on the PostgreSQL
//! collation change.
//!
//! Split from `lossy-type`: `ignore[lossy-type]` and `[rules] lossy-type = …`
//! still apply to it.
//!
//! ## Example
//! ```sql
//! name text COLLATE "de_DE"   -- warning: `name` LONGTEXT (utf8mb4_bin)
//! code text COLLATE "C"       -- `code` LONGTEXT, silently
//! ```
use crate::rules::{ColumnDraft, Cx, Rule, RuleMeta};

crate::declare_rule!(
    Collation,
    "collation",
    Warning,
    COLLATION,
    split_from = "lossy-type"
);

impl Rule for Collation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn column(&self, cx: &mut Cx, col: &mut ColumnDraft) {
        for c in &col.collations {
            // Byte-order collations are what utf8mb4_bin already does.
            if matches!(
                c.to_ascii_lowercase().as_str(),
                "c" | "posix" | "default" | "ucs_basic" | "c.utf8" | "c.utf-8"
            ) {
                col.col.collation = None;
            } else {
                cx.report(&META, col.loc, format!("column {}: collation \"{c}\" has no TiDB counterpart; the table's utf8mb4_bin applies", col.col.name));
            }
        }
    }
}
