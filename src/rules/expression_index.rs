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
        for k in &mut ix.keys {
            let Some(e) = &k.pg_expr else { continue };
            // `lower(col::text)`: a cast to text of a column changes nothing
            // in TiDB, and CAST is not allowed in expression indexes.
            let e = without_text_casts(e);
            let reason = match check(&e, t) {
                Ok(()) => match crate::expr::to_tidb(&e) {
                    Ok(sql) => {
                        k.part = KeyPart::Expr(sql);
                        None
                    }
                    Err(why) => Some(why),
                },
                Err(why) => Some(why),
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

/// Only allow-listed functions over columns and literals; no function may
/// return TEXT/BLOB (3757) or JSON (3753).
fn check(e: &Expr, t: Option<&Table>) -> Result<(), String> {
    match e {
        Expr::Function(f) => {
            let name = crate::expr::function_name(f);
            if !ALLOWED.contains(&name.as_str()) {
                return Err(format!("{name}() is not on TiDB's expression-index list"));
            }
            let args = crate::expr::function_args(f).ok_or_else(|| format!("{name}() with special arguments"))?;
            for a in &args {
                match a {
                    Expr::Identifier(i) => {
                        let col = t.and_then(|t| t.column(&crate::types::fold_ident(&i.value, i.quote_style)));
                        if col.is_some_and(|c| c.ty.needs_key_prefix() || c.ty == TiType::Json) {
                            return Err("the expression returns TEXT/BLOB (TiDB 3757)".into());
                        }
                    }
                    Expr::Value(_) => {}
                    other => check(other, t)?,
                }
            }
            Ok(())
        }
        Expr::Nested(inner) => check(inner, t),
        _ => Err("only calls of allowed functions are allowed by default (operators and casts need allow-expression-index)".into()),
    }
}

fn is_text_type(dt: &sqlparser::ast::DataType) -> bool {
    let pg = crate::types::normalize(dt);
    pg.array == 0 && matches!(pg.name.as_str(), "text" | "varchar" | "citext")
}

/// The expression with casts to text removed (`lower((email)::text)` → `lower(email)`).
fn without_text_casts(e: &Expr) -> Expr {
    match e {
        Expr::Cast {
            expr, data_type, ..
        } if is_text_type(data_type) => without_text_casts(expr),
        Expr::Nested(inner) => match without_text_casts(inner) {
            x @ (Expr::Identifier(_) | Expr::Function(_)) => x,
            other => Expr::Nested(Box::new(other)),
        },
        Expr::Function(f) => {
            let mut f = f.clone();
            if let sqlparser::ast::FunctionArguments::List(list) = &mut f.args {
                for a in &mut list.args {
                    if let sqlparser::ast::FunctionArg::Unnamed(
                        sqlparser::ast::FunctionArgExpr::Expr(x),
                    ) = a
                    {
                        *x = without_text_casts(x);
                    }
                }
            }
            Expr::Function(f)
        }
        other => other.clone(),
    }
}
