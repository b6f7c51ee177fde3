//! PostgreSQL expressions → TiDB SQL text.
//!
//! A printer over the part of sqlparser's `Expr` that appears in DDL and in
//! migration DML (defaults, CHECK, generated columns, index keys, VALUES,
//! WHERE). Anything it does not know is an error, never passed through: the
//! caller reports it at the statement's location.

use crate::model::{ident, quote_str};
use crate::types::fold_ident;
use sqlparser::ast::{
    BinaryOperator, CastKind, DataType, DateTimeField, Expr, Function, FunctionArg,
    FunctionArgExpr, FunctionArguments, Ident, InTarget, ObjectName, UnaryOperator, Value,
};

/// Nesting deeper than this is refused (see sqlparser-probe §6).
pub const MAX_DEPTH: usize = 200;

pub type Result<T> = std::result::Result<T, String>;

/// Print an expression as TiDB SQL.
pub fn to_tidb(e: &Expr) -> Result<String> {
    let mut out = String::new();
    Printer { depth: 0 }.expr(e, &mut out)?;
    Ok(out)
}

/// Fold and backquote an identifier.
pub fn ident_sql(i: &Ident) -> String {
    ident(&fold_ident(&i.value, i.quote_style))
}

/// The last part of a name, folded (`pg_catalog.now` → `now`).
pub fn last_name(name: &ObjectName) -> String {
    name.0
        .last()
        .and_then(|p| p.as_ident())
        .map(|i| fold_ident(&i.value, i.quote_style))
        .unwrap_or_default()
}

/// Lower-case function name.
pub fn function_name(f: &Function) -> String {
    last_name(&f.name).to_ascii_lowercase()
}

/// Plain positional arguments of a call (`None` when there are named or wildcard ones).
pub fn function_args(f: &Function) -> Option<Vec<&Expr>> {
    match &f.args {
        FunctionArguments::None => Some(vec![]),
        FunctionArguments::List(list) => list
            .args
            .iter()
            .map(|a| match a {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e),
                _ => None,
            })
            .collect(),
        FunctionArguments::Subquery(_) => None,
    }
}

/// Remove PostgreSQL casts and redundant parentheses around a value
/// (`'{}'::jsonb` → `'{}'`, `('x'::text)` → `'x'`).
pub fn strip_casts(mut e: &Expr) -> &Expr {
    loop {
        match e {
            Expr::Cast {
                kind: CastKind::DoubleColon | CastKind::Cast,
                expr,
                ..
            } => e = expr,
            Expr::Nested(inner) => e = inner,
            _ => return e,
        }
    }
}

/// The functions that read the current time, PostgreSQL spelling.
pub fn is_now_function(name: &str) -> bool {
    matches!(
        name,
        "now"
            | "current_timestamp"
            | "localtimestamp"
            | "transaction_timestamp"
            | "statement_timestamp"
            | "clock_timestamp"
    )
}

/// A literal value as TiDB SQL, or `None` when the expression is not a literal.
pub fn literal(e: &Expr) -> Option<String> {
    match strip_casts(e) {
        Expr::Value(v) => value(&v.value),
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => match strip_casts(expr) {
            Expr::Value(v) => match &v.value {
                Value::Number(n, _) => Some(format!("-{n}")),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// The text of a string literal (after casts), if it is one.
pub fn string_value(e: &Expr) -> Option<&str> {
    match strip_casts(e) {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s)
            | Value::EscapedStringLiteral(s)
            | Value::UnicodeStringLiteral(s) => Some(s),
            Value::DollarQuotedString(d) => Some(&d.value),
            _ => None,
        },
        _ => None,
    }
}

fn value(v: &Value) -> Option<String> {
    Some(match v {
        Value::Number(n, _) => n.to_string(),
        Value::SingleQuotedString(s)
        | Value::EscapedStringLiteral(s)
        | Value::UnicodeStringLiteral(s) => quote_str(s),
        Value::DollarQuotedString(d) => quote_str(&d.value),
        Value::HexStringLiteral(h) => format!("X'{h}'"),
        Value::Boolean(true) => "TRUE".into(),
        Value::Boolean(false) => "FALSE".into(),
        Value::Null => "NULL".into(),
        _ => return None,
    })
}

struct Printer {
    depth: usize,
}

impl Printer {
    fn expr(&mut self, e: &Expr, out: &mut String) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!("expression nests deeper than {MAX_DEPTH} levels"));
        }
        let r = self.expr_inner(e, out);
        self.depth -= 1;
        r
    }

    fn list(&mut self, items: &[&Expr], out: &mut String) -> Result<()> {
        for (i, e) in items.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            self.expr(e, out)?;
        }
        Ok(())
    }

    fn expr_inner(&mut self, e: &Expr, out: &mut String) -> Result<()> {
        match e {
            Expr::Identifier(i) => out.push_str(&ident_sql(i)),
            Expr::CompoundIdentifier(parts) => {
                // schema.table.column: the schema has no TiDB meaning here.
                let skip = parts.len().saturating_sub(2);
                let names: Vec<String> = parts[skip..].iter().map(ident_sql).collect();
                out.push_str(&names.join("."));
            }
            Expr::Value(v) => match value(&v.value) {
                Some(s) => out.push_str(&s),
                None => return Err(format!("literal {v} has no TiDB form")),
            },
            Expr::Nested(inner) => {
                out.push('(');
                self.expr(inner, out)?;
                out.push(')');
            }
            Expr::UnaryOp { op, expr } => {
                let op = match op {
                    UnaryOperator::Not => "NOT ",
                    UnaryOperator::Minus => "-",
                    UnaryOperator::Plus => "+",
                    other => return Err(format!("operator {other} has no TiDB equivalent")),
                };
                out.push_str(op);
                self.expr(expr, out)?;
            }
            Expr::BinaryOp { left, op, right } => self.binary(left, op, right, out)?,
            Expr::IsNull(x) => self.postfix(x, " IS NULL", out)?,
            Expr::IsNotNull(x) => self.postfix(x, " IS NOT NULL", out)?,
            Expr::IsTrue(x) => self.postfix(x, " IS TRUE", out)?,
            Expr::IsNotTrue(x) => self.postfix(x, " IS NOT TRUE", out)?,
            Expr::IsFalse(x) => self.postfix(x, " IS FALSE", out)?,
            Expr::IsNotFalse(x) => self.postfix(x, " IS NOT FALSE", out)?,
            Expr::IsDistinctFrom(a, b) => {
                out.push_str("NOT (");
                self.expr(a, out)?;
                out.push_str(" <=> ");
                self.expr(b, out)?;
                out.push(')');
            }
            Expr::IsNotDistinctFrom(a, b) => {
                self.expr(a, out)?;
                out.push_str(" <=> ");
                self.expr(b, out)?;
            }
            Expr::In {
                expr,
                target: InTarget::List(list),
                negated,
                ..
            } => {
                self.expr(expr, out)?;
                out.push_str(if *negated { " NOT IN (" } else { " IN (" });
                let items: Vec<&Expr> = list.iter().collect();
                self.list(&items, out)?;
                out.push(')');
            }
            Expr::AnyOp {
                left,
                compare_op,
                right,
                ..
            } => {
                // pg_dump writes `IN (...)` as `x = ANY (ARRAY[...])`.
                let (BinaryOperator::Eq | BinaryOperator::NotEq) = compare_op else {
                    return Err(format!("{compare_op} ANY (...) has no TiDB equivalent"));
                };
                let Expr::Array(arr) = strip_casts(right) else {
                    return Err("ANY over a non-literal array has no TiDB equivalent".into());
                };
                self.expr(left, out)?;
                out.push_str(if *compare_op == BinaryOperator::Eq {
                    " IN ("
                } else {
                    " NOT IN ("
                });
                let items: Vec<&Expr> = arr.elem.iter().collect();
                self.list(&items, out)?;
                out.push(')');
            }
            Expr::Between {
                expr,
                negated,
                low,
                high,
            } => {
                self.expr(expr, out)?;
                out.push_str(if *negated {
                    " NOT BETWEEN "
                } else {
                    " BETWEEN "
                });
                self.expr(low, out)?;
                out.push_str(" AND ");
                self.expr(high, out)?;
            }
            Expr::Like {
                negated,
                any: false,
                expr,
                pattern,
                escape_char: None,
            } => {
                self.expr(expr, out)?;
                out.push_str(if *negated { " NOT LIKE " } else { " LIKE " });
                self.expr(pattern, out)?;
            }
            Expr::ILike {
                negated,
                any: false,
                expr,
                pattern,
                escape_char: None,
            } => {
                out.push_str("LOWER(");
                self.expr(expr, out)?;
                out.push_str(if *negated {
                    ") NOT LIKE LOWER("
                } else {
                    ") LIKE LOWER("
                });
                self.expr(pattern, out)?;
                out.push(')');
            }
            Expr::Case {
                operand,
                conditions,
                else_result,
                ..
            } => {
                out.push_str("CASE");
                if let Some(op) = operand {
                    out.push(' ');
                    self.expr(op, out)?;
                }
                for w in conditions {
                    out.push_str(" WHEN ");
                    self.expr(&w.condition, out)?;
                    out.push_str(" THEN ");
                    self.expr(&w.result, out)?;
                }
                if let Some(e) = else_result {
                    out.push_str(" ELSE ");
                    self.expr(e, out)?;
                }
                out.push_str(" END");
            }
            Expr::Cast {
                expr, data_type, ..
            } => self.cast(expr, data_type, out)?,
            Expr::Function(f) => self.function(f, out)?,
            Expr::Extract { field, expr, .. } => {
                let field = match field {
                    DateTimeField::Year => "YEAR",
                    DateTimeField::Month => "MONTH",
                    DateTimeField::Day => "DAY",
                    DateTimeField::Hour => "HOUR",
                    DateTimeField::Minute => "MINUTE",
                    DateTimeField::Second => "SECOND",
                    DateTimeField::Epoch => {
                        out.push_str("UNIX_TIMESTAMP(");
                        self.expr(expr, out)?;
                        out.push(')');
                        return Ok(());
                    }
                    other => return Err(format!("EXTRACT({other}) has no TiDB equivalent")),
                };
                out.push_str("EXTRACT(");
                out.push_str(field);
                out.push_str(" FROM ");
                self.expr(expr, out)?;
                out.push(')');
            }
            Expr::Substring {
                expr,
                substring_from,
                substring_for,
                ..
            } => {
                out.push_str("SUBSTRING(");
                self.expr(expr, out)?;
                if let Some(f) = substring_from {
                    out.push_str(", ");
                    self.expr(f, out)?;
                } else {
                    out.push_str(", 1");
                }
                if let Some(f) = substring_for {
                    out.push_str(", ");
                    self.expr(f, out)?;
                }
                out.push(')');
            }
            Expr::TypedString(ts) => {
                let kw = match &ts.data_type {
                    DataType::Date => "DATE",
                    DataType::Timestamp(..) => "TIMESTAMP",
                    DataType::Time(..) => "TIME",
                    other => return Err(format!("{other} literal has no TiDB equivalent")),
                };
                let Some(v) = value(&ts.value.value) else {
                    return Err(format!("{kw} literal has no TiDB form"));
                };
                out.push_str(kw);
                out.push(' ');
                out.push_str(&v);
            }
            Expr::Array(arr) => {
                out.push_str("JSON_ARRAY(");
                let items: Vec<&Expr> = arr.elem.iter().collect();
                self.list(&items, out)?;
                out.push(')');
            }
            Expr::AtTimeZone { .. } => return Err("AT TIME ZONE has no TiDB equivalent".into()),
            Expr::Interval(_) => {
                return Err("interval arithmetic has no direct TiDB equivalent".into())
            }
            other => {
                return Err(format!(
                    "expression `{}` has no TiDB translation",
                    truncate(&other.to_string())
                ))
            }
        }
        Ok(())
    }

    fn postfix(&mut self, x: &Expr, suffix: &str, out: &mut String) -> Result<()> {
        self.expr(x, out)?;
        out.push_str(suffix);
        Ok(())
    }

    fn binary(
        &mut self,
        left: &Expr,
        op: &BinaryOperator,
        right: &Expr,
        out: &mut String,
    ) -> Result<()> {
        use BinaryOperator::*;
        let sym = match op {
            Plus => "+",
            Minus => "-",
            Multiply => "*",
            Divide => "/",
            Modulo => "%",
            Gt => ">",
            Lt => "<",
            GtEq => ">=",
            LtEq => "<=",
            Eq => "=",
            NotEq => "<>",
            And => "AND",
            Or => "OR",
            PGRegexMatch => "REGEXP",
            PGLikeMatch => "LIKE",
            PGNotLikeMatch => "NOT LIKE",
            StringConcat => {
                // `||` is logical OR in MySQL: always CONCAT().
                out.push_str("CONCAT(");
                self.expr(left, out)?;
                out.push_str(", ");
                self.expr(right, out)?;
                out.push(')');
                return Ok(());
            }
            PGRegexNotMatch => {
                out.push_str("NOT (");
                self.expr(left, out)?;
                out.push_str(" REGEXP ");
                self.expr(right, out)?;
                out.push(')');
                return Ok(());
            }
            other => return Err(format!("operator {other} has no TiDB equivalent")),
        };
        self.expr(left, out)?;
        out.push(' ');
        out.push_str(sym);
        out.push(' ');
        self.expr(right, out)
    }

    fn cast(&mut self, expr: &Expr, dt: &DataType, out: &mut String) -> Result<()> {
        // The type table's CAST spelling; regclass, enum, domain and array
        // casts only name the type: keep the value.
        let Some(target) = crate::types::cast_as(&crate::types::normalize(dt)) else {
            return self.expr(expr, out);
        };
        // A literal cast to a string type is just the literal.
        if target == "CHAR" && string_value(expr).is_some() {
            return self.expr(strip_casts(expr), out);
        }
        out.push_str("CAST(");
        self.expr(expr, out)?;
        out.push_str(" AS ");
        out.push_str(target);
        out.push(')');
        Ok(())
    }

    fn function(&mut self, f: &Function, out: &mut String) -> Result<()> {
        let name = function_name(f);
        if let FunctionArguments::List(l) = &f.args {
            if name == "count"
                && l.args.len() == 1
                && matches!(l.args[0], FunctionArg::Unnamed(FunctionArgExpr::Wildcard))
            {
                out.push_str("COUNT(*)");
                return Ok(());
            }
        }
        let Some(args) = function_args(f) else {
            return Err(format!("call of {name} with named or subquery arguments"));
        };
        if f.filter.is_some() || !f.within_group.is_empty() || f.over.is_some() {
            return Err(format!("{name}(...) with FILTER/WITHIN GROUP/OVER"));
        }
        let mapped: &str = match name.as_str() {
            n if is_now_function(n) => {
                out.push_str("NOW(6)");
                return Ok(());
            }
            "current_date" => {
                out.push_str("CURRENT_DATE");
                return Ok(());
            }
            "gen_random_uuid" | "uuid_generate_v4" => "UUID",
            "length" | "char_length" | "character_length" => "CHAR_LENGTH",
            "octet_length" => "LENGTH",
            "btrim" => "TRIM",
            "json_build_object" | "jsonb_build_object" => "JSON_OBJECT",
            "json_build_array" | "jsonb_build_array" => "JSON_ARRAY",
            "lower" | "upper" | "abs" | "coalesce" | "nullif" | "greatest" | "least" | "round"
            | "floor" | "ceil" | "ceiling" | "md5" | "replace" | "concat" | "trim" | "ltrim"
            | "rtrim" | "left" | "right" | "reverse" | "lpad" | "rpad" | "mod" | "power"
            | "sqrt" | "sign" | "concat_ws" | "repeat" | "strpos" | "count" | "sum" | "min"
            | "max" | "avg" | "trunc" => match name.as_str() {
                "strpos" => "LOCATE_SWAPPED",
                "trunc" => "TRUNCATE_PG",
                _ => "",
            },
            other => return Err(format!("function {other}() has no known TiDB equivalent")),
        };
        match mapped {
            "" => out.push_str(&name.to_ascii_uppercase()),
            "LOCATE_SWAPPED" => {
                // strpos(s, sub) = LOCATE(sub, s)
                if args.len() != 2 {
                    return Err("strpos() takes two arguments".into());
                }
                out.push_str("LOCATE(");
                self.list(&[args[1], args[0]], out)?;
                out.push(')');
                return Ok(());
            }
            "TRUNCATE_PG" => {
                out.push_str("TRUNCATE(");
                self.expr(args.first().ok_or("trunc() needs an argument")?, out)?;
                out.push_str(", ");
                match args.get(1) {
                    Some(d) => self.expr(d, out)?,
                    None => out.push('0'),
                }
                out.push(')');
                return Ok(());
            }
            m => out.push_str(m),
        }
        out.push('(');
        if let FunctionArguments::List(l) = &f.args {
            if l.duplicate_treatment == Some(sqlparser::ast::DuplicateTreatment::Distinct) {
                out.push_str("DISTINCT ");
            }
        }
        self.list(&args, out)?;
        out.push(')');
        Ok(())
    }
}

fn truncate(s: &str) -> String {
    if s.chars().count() > 60 {
        let cut: String = s.chars().take(57).collect();
        format!("{cut}...")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::parser::Parser;

    fn conv(s: &str) -> Result<String> {
        let e = Parser::new(&PostgreSqlDialect {})
            .try_with_sql(s)
            .unwrap()
            .parse_expr()
            .unwrap();
        to_tidb(&e)
    }

    #[test]
    fn maps_common_expressions() {
        for (pg, tidb) in [
            ("a || 'x'", "CONCAT(`a`, 'x')"),
            (
                "rating IS NULL OR (rating >= 1 AND rating <= 5)",
                "`rating` IS NULL OR (`rating` >= 1 AND `rating` <= 5)",
            ),
            (
                "role IN ('viewer', 'editor')",
                "`role` IN ('viewer', 'editor')",
            ),
            (
                "status = ANY (ARRAY['a'::text, 'b'::text])",
                "`status` IN ('a', 'b')",
            ),
            ("lower(\"Email\")", "LOWER(`Email`)"),
            ("length(name) > 0", "CHAR_LENGTH(`name`) > 0"),
            ("now()", "NOW(6)"),
            ("E'O\\'Brien\\\\'", "'O''Brien\\\\'"),
            ("'C:\\path\\'", "'C:\\\\path\\\\'"),
            ("parent_id <> id", "`parent_id` <> `id`"),
            ("x::text", "CAST(`x` AS CHAR)"),
            ("'abc'::character varying", "'abc'"),
            ("a IS DISTINCT FROM b", "NOT (`a` <=> `b`)"),
            ("name ILIKE 'a%'", "LOWER(`name`) LIKE LOWER('a%')"),
            ("public.t.c", "`t`.`c`"),
            ("strpos(a, 'x')", "LOCATE('x', `a`)"),
        ] {
            assert_eq!(conv(pg).as_deref(), Ok(tidb), "{pg}");
        }
    }

    #[test]
    fn refuses_what_it_cannot_translate() {
        for pg in [
            "now() AT TIME ZONE 'utc'",
            "to_tsvector('english', body)",
            "a @> b",
            "x = ANY (y)",
        ] {
            assert!(conv(pg).is_err(), "{pg}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let mut e = Expr::Value(Value::Number("1".into(), false).into());
        for _ in 0..(MAX_DEPTH + 10) {
            e = Expr::Nested(Box::new(e));
        }
        assert!(to_tidb(&e).unwrap_err().contains("deeper"));
    }
}
