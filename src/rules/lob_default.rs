//! JSON/TEXT/BLOB columns never carry a literal default: it is turned into an allowed expression (`(JSON_OBJECT())`, `(JSON_ARRAY())`) where the target has one, or dropped with a warning naming the value.
//!
//! ## What it does
//! `jsonb DEFAULT '{}'` becomes `JSON DEFAULT (JSON_OBJECT())` and
//! `text[] DEFAULT '{}'` / `jsonb DEFAULT '[]'` become `DEFAULT (JSON_ARRAY())`
//! on targets that allow JSON function defaults (v8.2+, so tidb-8.5). Any
//! other literal default on a JSON, TEXT or BLOB column is dropped, and the
//! warning names the value so the application can supply it.
//!
//! ## Why
//! TiDB rejects literal defaults on BLOB/TEXT/JSON (error 1101), allows only
//! allow-listed expressions from v8.0, and none at all on v7.5
//! (tidb-facts §2, §11.2). MariaDB accepts literals, so a server test would
//! not catch this: the converter enforces it.
use crate::expr::{literal, string_value};
use crate::model::TiType;
use crate::rules::{ColumnDraft, Cx, Rule, RuleMeta};

crate::declare_rule!(LobDefault, "lob-default", Warning, LOB_DEFAULT);

impl Rule for LobDefault {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn column(&self, cx: &mut Cx, col: &mut ColumnDraft) {
        if !col.col.ty.is_lob() {
            return;
        }
        let Some(e) = col.pg_default.take() else {
            return;
        };
        let Some(lit) = literal(&e) else {
            col.pg_default = Some(e);
            return;
        };
        let e = &e;
        if lit == "NULL" {
            col.col.default = None;
            return;
        }
        let text = string_value(e).map(str::trim);
        let expr = match (&col.col.ty, text) {
            (TiType::Json, Some("{}")) if col.pg.array > 0 => Some("(JSON_ARRAY())"),
            (TiType::Json, Some("{}")) => Some("(JSON_OBJECT())"),
            (TiType::Json, Some("[]")) => Some("(JSON_ARRAY())"),
            _ => None,
        };
        match expr {
            Some(x) if cx.target.json_function_defaults() => {
                col.col.default = Some(x.to_string());
                cx.report(
                    &META,
                    col.loc,
                    format!(
                        "column {}.{}: literal default {lit} on JSON → DEFAULT {x}",
                        col.table, col.col.name
                    ),
                );
            }
            _ => {
                col.col.default = None;
                cx.report(&META, col.loc, format!("column {}.{}: default {lit} dropped: {} allows no literal default on {} (1101); the application must supply it", col.table, col.col.name, cx.target, col.col.ty));
            }
        }
    }
}
