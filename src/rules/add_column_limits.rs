//! TiDB's ADD COLUMN limits: no non-deterministic or sequence default, no PRIMARY KEY, no STORED generated column; each is split into separate statements.
//!
//! ## What it does
//! - `ADD COLUMN … DEFAULT gen_random_uuid()` → `ADD COLUMN` without the
//!   default, then `ALTER COLUMN … SET DEFAULT (UUID())` (TiDB 1674 / 8230).
//! - `ADD COLUMN … PRIMARY KEY` → `ADD COLUMN`, then `ADD PRIMARY KEY`.
//! - `ADD COLUMN … GENERATED ALWAYS AS (…) STORED` → `VIRTUAL` (TiDB 3106).
//!
//! ## What is lost
//! Rows that exist when the column is added get the column's implicit value
//! (NULL, or '' / 0 for NOT NULL) instead of one generated UUID each.
//! MariaDB accepts the combined forms, so the converter enforces these
//! limits itself (tidb-facts §2, §11.4-5, §11.19).
use crate::model::Loc;
use crate::rules::{ColumnDraft, ColumnMode, Cx, Event, Rule, RuleMeta, Taken};

crate::declare_rule!(
    AddColumnLimits,
    "add-column-limits",
    Warning,
    ADD_COLUMN_LIMITS
);

impl Rule for AddColumnLimits {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn column(&self, cx: &mut Cx, col: &mut ColumnDraft) {
        if col.mode != ColumnMode::Add {
            return;
        }
        if let Some(d) = &col.col.default {
            let nondeterministic = d.starts_with('(') && d != "(CURRENT_DATE)";
            if nondeterministic {
                let d = d.clone();
                col.col.default = None;
                col.deferred_default = Some(d.clone());
                report_deferred(cx, col.loc, &col.col.name, &d);
            }
        }
        if let Some((_, stored)) = &mut col.col.generated {
            if *stored {
                *stored = false;
                cx.report(&META, col.loc, format!("column {}: TiDB can add only VIRTUAL generated columns (3106); STORED → VIRTUAL", col.col.name));
            }
        }
    }

    fn event(&self, cx: &mut Cx, e: &Event) -> Option<Taken> {
        let Event::ColumnSplit { column, what } = *e else {
            return None;
        };
        cx.report_here(
            &META,
            format!(
                "column {column}: TiDB refuses {what} in ADD COLUMN; added by a separate clause"
            ),
        );
        Some(Taken::Keep)
    }
}

pub fn report_deferred(cx: &mut Cx, loc: Loc, column: &str, default: &str) {
    cx.report(&META, loc, format!("column {column}: TiDB refuses DEFAULT {default} in ADD COLUMN; set by a separate ALTER COLUMN … SET DEFAULT (existing rows get the implicit value)"));
}
