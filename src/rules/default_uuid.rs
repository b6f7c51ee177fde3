//! `gen_random_uuid()` and `uuid_generate_v4()` defaults become `(UUID())`.
//!
//! ## What it does
//! On the `CHAR(36)` that a `uuid` column becomes (or any string column of
//! at least 36 characters) the default is TiDB's expression default
//! `(UUID())`, allowed since v6.1 (tidb-facts §2). On other column types the
//! default is dropped with a warning. In `ADD COLUMN`, TiDB refuses
//! non-deterministic defaults (1674): `add-column-limits` moves it to a
//! separate `ALTER COLUMN … SET DEFAULT`.
use crate::expr::{function_name, strip_casts};
use crate::model::TiType;
use crate::rules::{ColumnDraft, Cx, Rule, RuleMeta};
use sqlparser::ast::Expr;

crate::declare_rule!(DefaultUuid, "default-uuid", Warning, DEFAULT_UUID);

impl Rule for DefaultUuid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn column(&self, cx: &mut Cx, col: &mut ColumnDraft) {
        let Some(Expr::Function(f)) = col.pg_default.as_ref().map(strip_casts) else {
            return;
        };
        if !matches!(
            function_name(f).as_str(),
            "gen_random_uuid" | "uuid_generate_v4"
        ) {
            return;
        }
        col.pg_default = None;
        match col.col.ty {
            TiType::Char(n) | TiType::Varchar(n) if n >= 36 && cx.target.uuid_default() => {
                col.col.default = Some("(UUID())".into());
            }
            // UUID_TO_BIN(UUID()) as a default needs v7.6/v8.0+ (tidb-facts §2).
            TiType::Binary(16) if cx.target >= crate::target::Target::Tidb81 => {
                col.col.default = Some("(UUID_TO_BIN(UUID()))".into());
            }
            ref other => {
                col.col.default = None;
                cx.report(&META, col.loc, format!("column {}.{}: a UUID default on {other} is not allowed in TiDB; default dropped", col.table, col.col.name));
            }
        }
    }
}
