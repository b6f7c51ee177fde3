//! Expression indexes become TiDB key parts `((expr))` when every function is on TiDB's expression-index list; otherwise the index is dropped.
//!
//! ## What it does
//! `CREATE INDEX … ON t (lower(email))` → `CREATE INDEX … ON t ((LOWER(`email`)))`.
//! Allowed by default in TiDB: `lower`, `upper`, `md5`, `reverse` and the
//! JSON functions (`tidb_allow_function_for_expression_index`). Operators,
//! casts and other functions need the server option
//! `allow-expression-index`; such indexes, and ones whose expression cannot
//! be translated, are dropped with a warning.
//!
//! ## Why
//! TiDB refuses other expression indexes (8200) and expressions returning
//! TEXT/BLOB (3757) or JSON (3753) (tidb-facts §3, §11.36). MariaDB has no
//! expression indexes at all, so the server tests check these statements
//! against the facts instead of applying them.
use crate::model::{KeyPart, Table, TiType};
use crate::rules::{Cx, IndexDraft, Rule, RuleMeta};
use sqlparser::ast::Expr;

crate::declare_rule!(
    ExpressionIndex,
    "expression-index",
    Warning,
    EXPRESSION_INDEX
);

/// TiDB's GA list of functions allowed in expression indexes.
pub const ALLOWED: &[&str] = &["lower", "upper", "md5", "reverse"];

impl Rule for ExpressionIndex {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn index(&self, cx: &mut Cx, t: Option<&Table>, ix: &mut IndexDraft) {
        if ix.vector {
            return;
        }
        for k in &ix.keys {
            let Some(e) = &k.pg_expr else { continue };
            let reason = match (&k.part, e) {
                (KeyPart::Expr(sql), _) if sql.starts_with("/*") => Some(
                    sql.trim_start_matches("/* ")
                        .trim_end_matches(" */")
                        .to_string(),
                ),
                (_, Expr::Function(f)) => {
                    let name = crate::expr::function_name(f);
                    if !ALLOWED.contains(&name.as_str()) {
                        Some(format!("{name}() is not on TiDB's expression-index list"))
                    } else {
                        // LOWER(text_column) returns TEXT: TiDB 3757.
                        let args = crate::expr::function_args(f).unwrap_or_default();
                        let lob = args.iter().any(|a| match a {
                            Expr::Identifier(i) => t
                                .and_then(|t| {
                                    t.column(&crate::types::fold_ident(&i.value, i.quote_style))
                                })
                                .is_some_and(|c| c.ty.needs_key_prefix() || c.ty == TiType::Json),
                            _ => false,
                        });
                        lob.then(|| "the expression returns TEXT/BLOB (TiDB 3757)".to_string())
                    }
                }
                _ => Some("only function-call expressions are allowed by default".to_string()),
            };
            if let Some(why) = reason {
                cx.report(
                    &META,
                    ix.loc,
                    format!("expression index {}: {why}; index not created", ix.name),
                );
                ix.dropped = true;
                return;
            }
        }
    }
}
