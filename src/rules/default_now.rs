//! `now()`, `CURRENT_TIMESTAMP`, `LOCALTIMESTAMP`, `transaction_timestamp()` defaults become `CURRENT_TIMESTAMP(fsp)` matching the column.
//!
//! ## What it does
//! On `TIMESTAMP(p)`/`DATETIME(p)` columns the default becomes
//! `CURRENT_TIMESTAMP(p)` (plain `CURRENT_TIMESTAMP` for p = 0); on `DATE`
//! columns `(CURRENT_DATE)`. `now() AT TIME ZONE 'utc'` is converted the
//! same way with a warning. On other column types the default is dropped
//! with a warning.
//!
//! ## Why
//! TiDB requires the default's fractional-seconds precision to equal the
//! column's (error 1067; MariaDB accepts a mismatch, so the converter checks
//! it itself: tidb-facts §2, §11.3). `DATE DEFAULT now()` is also 1067.
//!
//! ## Example
//! ```sql
//! created_at timestamptz DEFAULT now()   -- TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6)
//! ```
use crate::expr::{function_name, is_now_function, strip_casts};
use crate::model::TiType;
use crate::rules::{ColumnDraft, Cx, Rule, RuleMeta};
use sqlparser::ast::Expr;

crate::declare_rule!(DefaultNow, "default-now", Warning, DEFAULT_NOW);

impl Rule for DefaultNow {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn column(&self, cx: &mut Cx, col: &mut ColumnDraft) {
        let Some(e) = col.pg_default.as_ref() else {
            return;
        };
        let (is_now, at_zone) = match strip_casts(e) {
            Expr::Function(f) if is_now_function(&function_name(f)) => (true, false),
            Expr::AtTimeZone { timestamp, .. } => match strip_casts(timestamp) {
                Expr::Function(f) if is_now_function(&function_name(f)) => (true, true),
                _ => (false, false),
            },
            Expr::Function(f) if function_name(f) == "current_date" => {
                if col.col.ty == TiType::Date {
                    col.col.default = Some("(CURRENT_DATE)".into());
                    col.pg_default = None;
                }
                return;
            }
            _ => (false, false),
        };
        if !is_now {
            return;
        }
        col.pg_default = None;
        match col.col.ty {
            TiType::Timestamp(p) | TiType::Datetime(p) => {
                col.col.default = Some(if p == 0 {
                    "CURRENT_TIMESTAMP".into()
                } else {
                    format!("CURRENT_TIMESTAMP({p})")
                });
                if at_zone {
                    cx.report(&META, col.loc, format!("column {}.{}: DEFAULT (now() AT TIME ZONE …) → CURRENT_TIMESTAMP: the value is in the session time zone, not the named one; set time_zone='+00:00' for UTC", col.table, col.col.name));
                }
            }
            TiType::Date => col.col.default = Some("(CURRENT_DATE)".into()),
            ref other => {
                col.col.default = None;
                cx.report(&META, col.loc, format!("column {}.{}: a current-time default on {other} is not allowed in TiDB; default dropped", col.table, col.col.name));
            }
        }
    }
}
