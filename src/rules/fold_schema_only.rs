//! `--fold` writes the final schema only: a statement whose effect is not part of that schema (INSERT, UPDATE, DELETE, TRUNCATE, …) is dropped with a warning.
//!
//! ## What it does
//! With `--fold` (pg_dump `--schema-only` input) every statement is read into
//! the schema model, and the output is that model: one `CREATE TABLE` per
//! table, the sequences and the views. A statement whose effect the model
//! does not hold would vanish from the output while counted as converted:
//! data statements (`INSERT`, `UPDATE`, `DELETE`, `TRUNCATE`), and any other
//! statement that changes nothing in the model. Each is dropped with this
//! warning instead, so the summary counts only what the folded schema
//! carries.
//!
//! ## Fix
//! Convert the file without `--fold` to carry data statements, or load the
//! data separately (TiDB Lightning, `LOAD DATA`).
//!
//! ## Example
//! ```sql
//! -- pg2tidb convert --fold dump.sql
//! INSERT INTO settings (key, value) VALUES ('mode', 'on');   -- dropped (warning)
//! ```
use crate::rules::{Converted, Cx, Rule, RuleMeta};

crate::declare_rule!(
    FoldSchemaOnly,
    "fold-schema-only",
    Warning,
    FOLD_SCHEMA_ONLY
);

impl Rule for FoldSchemaOnly {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// SQL that changes nothing in the model would be lost while counted as converted.
    fn converted(&self, cx: &mut Cx, s: &Converted) {
        if !(cx.fold && !cx.output.is_empty() && cx.catalog_updates.is_empty()) {
            return;
        }
        cx.output.clear();
        match s.data {
            Some(what) => cx.report_here(
                &META,
                format!("{what}: --fold writes the final schema only, not data; convert without --fold to carry data statements; dropped"),
            ),
            None => {
                let kind: Vec<String> = s
                    .text
                    .split_whitespace()
                    .take(2)
                    .map(str::to_uppercase)
                    .collect();
                let kind = kind.join(" ");
                cx.report_here(
                    &META,
                    format!("{kind}: --fold writes the final schema only, and this statement does not change it, so its TiDB SQL is not written; convert without --fold to carry it; dropped"),
                );
            }
        }
    }
}
