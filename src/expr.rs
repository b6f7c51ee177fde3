//! PostgreSQL expressions → TiDB SQL text.
//!
//! A printer over the part of sqlparser's `Expr` that appears in DDL and in
//! migration DML (defaults, CHECK, generated columns, index keys, VALUES,
//! WHERE). Anything it does not know is an error, never passed through: the
//! caller reports it at the statement's location.

use crate::model::{ident, quote_str};
use crate::types::fold_ident;
use sqlparser::ast::{
    BinaryOperator, CaseWhen, CastKind, DataType, DateTimeField, Expr, Function, FunctionArg,
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

/// The columns `e` refers to, as TiDB names them (the last part of a
/// qualified name), sorted, each once.
pub fn columns(e: &Expr) -> Vec<String> {
    let mut out = std::collections::BTreeSet::new();
    let _ = sqlparser::ast::visit_expressions(e, |x| {
        match x {
            Expr::Identifier(i) => {
                out.insert(fold_ident(&i.value, i.quote_style));
            }
            Expr::CompoundIdentifier(parts) => {
                if let Some(i) = parts.last() {
                    out.insert(fold_ident(&i.value, i.quote_style));
                }
            }
            _ => {}
        }
        std::ops::ControlFlow::<()>::Continue(())
    });
    out.into_iter().collect()
}

/// `e` with every `VALUE` (a domain CHECK's name for the value) replaced by
/// column `column`.
pub fn value_as_column(e: &Expr, column: &str) -> Expr {
    let mut e = e.clone();
    let _ = sqlparser::ast::visit_expressions_mut(&mut e, |x| {
        if let Expr::Identifier(i) = x {
            if fold_ident(&i.value, i.quote_style) == "value" {
                *x = Expr::Identifier(Ident::with_quote('"', column));
            }
        }
        std::ops::ControlFlow::<()>::Continue(())
    });
    e
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
pub const NOW_FUNCTIONS: &[&str] = &[
    "now",
    "current_timestamp",
    "localtimestamp",
    "transaction_timestamp",
    "statement_timestamp",
    "clock_timestamp",
];

/// True for the functions that read the current time ([`NOW_FUNCTIONS`]).
pub fn is_now_function(name: &str) -> bool {
    NOW_FUNCTIONS.contains(&name)
}

/// How many arguments a [`FunctionRow`] takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arity {
    /// As many as the call has (TiDB checks them).
    Any,
    Exactly(usize),
}

/// One PostgreSQL function as TiDB writes it.
#[derive(Debug)]
pub struct FunctionRow {
    /// PostgreSQL names (lower case, without schema).
    pub names: &'static [&'static str],
    pub arity: Arity,
    /// The TiDB SQL: `$1`, `$2`, … are the arguments, `$*` all of them as
    /// written (with `DISTINCT` when the call has it), `$0` the name called
    /// in upper case.
    pub tidb: &'static str,
}

const fn call(names: &'static [&'static str], arity: Arity, tidb: &'static str) -> FunctionRow {
    FunctionRow { names, arity, tidb }
}

/// The function table: the PostgreSQL functions with a TiDB translation
/// (the first row whose name and arity fit wins). Any other function is not
/// translated: the caller reports the expression. docs/types.md lists it.
pub static FUNCTIONS: &[FunctionRow] = &[
    call(NOW_FUNCTIONS, Arity::Any, "NOW(6)"),
    call(&["current_date"], Arity::Any, "CURRENT_DATE"),
    call(
        &["gen_random_uuid", "uuid_generate_v4"],
        Arity::Any,
        "UUID($*)",
    ),
    call(
        &["length", "char_length", "character_length"],
        Arity::Any,
        "CHAR_LENGTH($*)",
    ),
    call(&["octet_length"], Arity::Any, "LENGTH($*)"),
    call(&["btrim"], Arity::Any, "TRIM($*)"),
    call(
        &["json_build_object", "jsonb_build_object"],
        Arity::Any,
        "JSON_OBJECT($*)",
    ),
    call(
        &["json_build_array", "jsonb_build_array"],
        Arity::Any,
        "JSON_ARRAY($*)",
    ),
    // strpos(s, sub) = LOCATE(sub, s)
    call(&["strpos"], Arity::Exactly(2), "LOCATE($2, $1)"),
    call(&["trunc"], Arity::Exactly(1), "TRUNCATE($1, 0)"),
    call(&["trunc"], Arity::Exactly(2), "TRUNCATE($1, $2)"),
    call(SAME_IN_TIDB, Arity::Any, "$0($*)"),
];

/// Functions TiDB has under the same name, with the same arguments.
#[rustfmt::skip]
const SAME_IN_TIDB: &[&str] = &[
    "lower", "upper", "abs", "coalesce", "nullif", "greatest", "least", "round", "floor",
    "ceil", "ceiling", "md5", "replace", "concat", "trim", "ltrim", "rtrim", "left", "right",
    "reverse", "lpad", "rpad", "mod", "power", "sqrt", "sign", "concat_ws", "repeat", "count",
    "sum", "min", "max", "avg",
];

/// The row of [`FUNCTIONS`] for a call of `name` with `args` arguments.
pub fn function_row(name: &str, args: usize) -> Result<&'static FunctionRow> {
    let rows: Vec<&FunctionRow> = FUNCTIONS
        .iter()
        .filter(|r| r.names.contains(&name))
        .collect();
    if rows.is_empty() {
        return Err(format!("function {name}() has no known TiDB equivalent"));
    }
    let fits = |r: &&&FunctionRow| matches!(r.arity, Arity::Any) || r.arity == Arity::Exactly(args);
    if let Some(r) = rows.iter().find(fits) {
        return Ok(r);
    }
    let counts: Vec<String> = rows
        .iter()
        .filter_map(|r| match r.arity {
            Arity::Exactly(n) => Some(n.to_string()),
            Arity::Any => None,
        })
        .collect();
    Err(format!("{name}() takes {} arguments", counts.join(" or ")))
}

/// The function section of docs/types.md, generated from [`FUNCTIONS`].
pub fn reference_markdown() -> String {
    let mut s = String::from(
        "## Functions\n\n\
         A call of a PostgreSQL function in a default, CHECK, generated column, index key \
         or migration DML becomes the TiDB SQL shown (`a`, `b`: its arguments; `…`: all of \
         them as written). `count(*)` stays `COUNT(*)`. Any other function, or a call with \
         named arguments, FILTER, WITHIN GROUP or OVER, is not translated: the rule that \
         met the expression reports it. sqlparser reads an unqualified `floor(x)`, \
         `ceil(x)` or `trim(x)` as an expression of its own, which is not translated; \
         only a schema-qualified call (`pg_catalog.floor(x)`) reaches this table.\n\n\
         | PostgreSQL | arguments | TiDB |\n| --- | --- | --- |\n",
    );
    for row in FUNCTIONS {
        let arity = match row.arity {
            Arity::Any => "any".to_string(),
            Arity::Exactly(n) => n.to_string(),
        };
        let shown = row
            .tidb
            .replace("$*", "…")
            .replace("$1", "a")
            .replace("$2", "b");
        if shown.contains("$0") {
            for n in row.names {
                let tidb = shown.replace("$0", &n.to_ascii_uppercase());
                s.push_str(&format!("| `{n}` | {arity} | `{tidb}` |\n"));
            }
        } else {
            let names: Vec<String> = row.names.iter().map(|n| format!("`{n}`")).collect();
            s.push_str(&format!("| {} | {arity} | `{shown}` |\n", names.join(", ")));
        }
    }
    s
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
            Expr::UnaryOp { op, expr } => self.unary(op, expr, out)?,
            Expr::BinaryOp { left, op, right } => self.binary(left, op, right, out)?,
            Expr::IsNull(x) => self.postfix(x, " IS NULL", out)?,
            Expr::IsNotNull(x) => self.postfix(x, " IS NOT NULL", out)?,
            Expr::IsTrue(x) => self.postfix(x, " IS TRUE", out)?,
            Expr::IsNotTrue(x) => self.postfix(x, " IS NOT TRUE", out)?,
            Expr::IsFalse(x) => self.postfix(x, " IS FALSE", out)?,
            Expr::IsNotFalse(x) => self.postfix(x, " IS NOT FALSE", out)?,
            Expr::IsDistinctFrom(a, b) => {
                out.push_str("NOT (");
                self.infix(a, " <=> ", b, out)?;
                out.push(')');
            }
            Expr::IsNotDistinctFrom(a, b) => self.infix(a, " <=> ", b, out)?,
            Expr::In {
                expr,
                target: InTarget::List(list),
                negated,
                ..
            } => {
                let items: Vec<&Expr> = list.iter().collect();
                self.in_list(expr, *negated, &items, out)?;
            }
            Expr::AnyOp {
                left,
                compare_op,
                right,
                ..
            } => self.any_op(left, compare_op, right, out)?,
            Expr::Between {
                expr,
                negated,
                low,
                high,
            } => {
                let between = if *negated {
                    " NOT BETWEEN "
                } else {
                    " BETWEEN "
                };
                self.infix(expr, between, low, out)?;
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
                let like = if *negated { " NOT LIKE " } else { " LIKE " };
                self.infix(expr, like, pattern, out)?;
            }
            Expr::ILike {
                negated,
                any: false,
                expr,
                pattern,
                escape_char: None,
            } => {
                out.push_str("LOWER(");
                let like = if *negated {
                    ") NOT LIKE LOWER("
                } else {
                    ") LIKE LOWER("
                };
                self.infix(expr, like, pattern, out)?;
                out.push(')');
            }
            Expr::Case {
                operand,
                conditions,
                else_result,
                ..
            } => self.case(operand.as_deref(), conditions, else_result.as_deref(), out)?,
            Expr::Cast {
                expr, data_type, ..
            } => self.cast(expr, data_type, out)?,
            Expr::Function(f) => self.function(f, out)?,
            Expr::Extract { field, expr, .. } => self.extract(field, expr, out)?,
            Expr::Substring {
                expr,
                substring_from,
                substring_for,
                ..
            } => self.substring(
                expr,
                substring_from.as_deref(),
                substring_for.as_deref(),
                out,
            )?,
            Expr::TypedString(ts) => typed_string(&ts.data_type, &ts.value.value, out)?,
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

    /// `a`, then `between` as it is, then `b`.
    fn infix(&mut self, a: &Expr, between: &str, b: &Expr, out: &mut String) -> Result<()> {
        self.expr(a, out)?;
        out.push_str(between);
        self.expr(b, out)
    }

    fn unary(&mut self, op: &UnaryOperator, x: &Expr, out: &mut String) -> Result<()> {
        out.push_str(match op {
            UnaryOperator::Not => "NOT ",
            UnaryOperator::Minus => "-",
            UnaryOperator::Plus => "+",
            other => return Err(format!("operator {other} has no TiDB equivalent")),
        });
        self.expr(x, out)
    }

    /// `x = ANY (ARRAY[…])`, as pg_dump writes `IN (…)`.
    fn any_op(
        &mut self,
        x: &Expr,
        op: &BinaryOperator,
        array: &Expr,
        out: &mut String,
    ) -> Result<()> {
        let (BinaryOperator::Eq | BinaryOperator::NotEq) = op else {
            return Err(format!("{op} ANY (...) has no TiDB equivalent"));
        };
        let Expr::Array(arr) = strip_casts(array) else {
            return Err("ANY over a non-literal array has no TiDB equivalent".into());
        };
        let items: Vec<&Expr> = arr.elem.iter().collect();
        self.in_list(x, *op == BinaryOperator::NotEq, &items, out)
    }

    fn in_list(
        &mut self,
        x: &Expr,
        negated: bool,
        items: &[&Expr],
        out: &mut String,
    ) -> Result<()> {
        self.expr(x, out)?;
        out.push_str(if negated { " NOT IN (" } else { " IN (" });
        self.list(items, out)?;
        out.push(')');
        Ok(())
    }

    fn case(
        &mut self,
        operand: Option<&Expr>,
        conditions: &[CaseWhen],
        else_result: Option<&Expr>,
        out: &mut String,
    ) -> Result<()> {
        out.push_str("CASE");
        if let Some(op) = operand {
            out.push(' ');
            self.expr(op, out)?;
        }
        for w in conditions {
            out.push_str(" WHEN ");
            self.infix(&w.condition, " THEN ", &w.result, out)?;
        }
        if let Some(e) = else_result {
            out.push_str(" ELSE ");
            self.expr(e, out)?;
        }
        out.push_str(" END");
        Ok(())
    }

    fn substring(
        &mut self,
        x: &Expr,
        from: Option<&Expr>,
        length: Option<&Expr>,
        out: &mut String,
    ) -> Result<()> {
        out.push_str("SUBSTRING(");
        self.expr(x, out)?;
        out.push_str(", ");
        match from {
            Some(f) => self.expr(f, out)?,
            None => out.push('1'),
        }
        if let Some(l) = length {
            out.push_str(", ");
            self.expr(l, out)?;
        }
        out.push(')');
        Ok(())
    }

    fn extract(&mut self, field: &DateTimeField, x: &Expr, out: &mut String) -> Result<()> {
        let field = match field {
            DateTimeField::Year => "YEAR",
            DateTimeField::Month => "MONTH",
            DateTimeField::Day => "DAY",
            DateTimeField::Hour => "HOUR",
            DateTimeField::Minute => "MINUTE",
            DateTimeField::Second => "SECOND",
            DateTimeField::Epoch => {
                out.push_str("UNIX_TIMESTAMP(");
                self.expr(x, out)?;
                out.push(')');
                return Ok(());
            }
            other => return Err(format!("EXTRACT({other}) has no TiDB equivalent")),
        };
        out.push_str("EXTRACT(");
        out.push_str(field);
        out.push_str(" FROM ");
        self.expr(x, out)?;
        out.push(')');
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
        if let FunctionArguments::List(l) = &f.args {
            let row = l.args.iter().find_map(|a| match a {
                FunctionArg::Unnamed(w @ FunctionArgExpr::QualifiedWildcard(_))
                | FunctionArg::Unnamed(w @ FunctionArgExpr::Wildcard) => Some(w),
                _ => None,
            });
            if let Some(w) = row {
                return Err(format!(
                    "{name}({w}): a whole-row argument has no TiDB form"
                ));
            }
        }
        let Some(args) = function_args(f) else {
            return Err(format!("call of {name} with named or subquery arguments"));
        };
        if f.filter.is_some() || !f.within_group.is_empty() || f.over.is_some() {
            return Err(format!("{name}(...) with FILTER/WITHIN GROUP/OVER"));
        }
        let row = function_row(&name, args.len())?;
        let distinct = matches!(&f.args, FunctionArguments::List(l)
            if l.duplicate_treatment == Some(sqlparser::ast::DuplicateTreatment::Distinct));
        self.render(row.tidb, &name, &args, distinct, out)
    }

    /// Write a [`FunctionRow::tidb`] template for a call.
    fn render(
        &mut self,
        template: &str,
        name: &str,
        args: &[&Expr],
        distinct: bool,
        out: &mut String,
    ) -> Result<()> {
        let mut rest = template;
        while let Some(at) = rest.find('$') {
            out.push_str(&rest[..at]);
            let spec = rest[at + 1..].chars().next().unwrap_or('$');
            match spec {
                '0' => out.push_str(&name.to_ascii_uppercase()),
                '*' => {
                    if distinct {
                        out.push_str("DISTINCT ");
                    }
                    self.list(args, out)?;
                }
                _ => {
                    let n = spec.to_digit(10).unwrap_or(0) as usize;
                    let arg = n.checked_sub(1).and_then(|i| args.get(i));
                    let arg =
                        arg.ok_or_else(|| format!("{name}(): template {template} has no ${spec}"))?;
                    self.expr(arg, out)?;
                }
            }
            rest = &rest[at + 1 + spec.len_utf8()..];
        }
        out.push_str(rest);
        Ok(())
    }
}

/// Write a `TIMESTAMP '…'`-style typed literal.
fn typed_string(dt: &DataType, v: &Value, out: &mut String) -> Result<()> {
    let kw = match dt {
        DataType::Date => "DATE",
        DataType::Timestamp(..) => "TIMESTAMP",
        DataType::Time(..) => "TIME",
        other => return Err(format!("{other} literal has no TiDB equivalent")),
    };
    let Some(v) = value(v) else {
        return Err(format!("{kw} literal has no TiDB form"));
    };
    out.push_str(kw);
    out.push(' ');
    out.push_str(&v);
    Ok(())
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
    fn the_function_table_rewrites_by_name_and_arity() {
        for (pg, tidb) in [
            ("clock_timestamp()", Ok("NOW(6)")),
            ("current_timestamp", Ok("NOW(6)")),
            ("pg_catalog.gen_random_uuid()", Ok("UUID()")),
            ("char_length(a)", Ok("CHAR_LENGTH(`a`)")),
            ("count(DISTINCT a)", Ok("COUNT(DISTINCT `a`)")),
            ("count(*)", Ok("COUNT(*)")),
            ("coalesce(a, 0)", Ok("COALESCE(`a`, 0)")),
            ("jsonb_build_object('k', a)", Ok("JSON_OBJECT('k', `a`)")),
            ("trunc(x)", Ok("TRUNCATE(`x`, 0)")),
            ("trunc(x, 2)", Ok("TRUNCATE(`x`, 2)")),
            ("trunc()", Err("trunc() takes 1 or 2 arguments")),
            ("strpos(a)", Err("strpos() takes 2 arguments")),
            (
                "to_tsvector(a)",
                Err("function to_tsvector() has no known TiDB equivalent"),
            ),
            (
                "sum(a) OVER ()",
                Err("sum(...) with FILTER/WITHIN GROUP/OVER"),
            ),
        ] {
            let got = conv(pg);
            assert_eq!(
                got.as_deref(),
                tidb.map_err(str::to_string).as_deref(),
                "{pg}"
            );
        }
    }

    #[test]
    fn every_template_uses_only_the_arguments_its_arity_gives() {
        for row in FUNCTIONS {
            let placeholders: Vec<char> = row
                .tidb
                .split('$')
                .skip(1)
                .map(|p| p.chars().next().unwrap())
                .collect();
            for p in &placeholders {
                let ok = match (row.arity, p) {
                    (_, '0' | '*') => true,
                    (Arity::Exactly(n), d) => {
                        d.to_digit(10).is_some_and(|d| (1..=n as u32).contains(&d))
                    }
                    (Arity::Any, _) => false,
                };
                assert!(ok, "{:?}: ${p}", row.names);
            }
            // Every name renders with as many arguments as the row takes.
            let n = match row.arity {
                Arity::Any => 1,
                Arity::Exactly(n) => n,
            };
            let args = vec!["a"; n].join(", ");
            for name in row.names {
                // Qualified: sqlparser reads a bare floor(), ceil() or trim() as
                // an expression of its own, not as a call.
                let call = format!("pg_catalog.{name}({args})");
                assert!(conv(&call).is_ok(), "{call}");
            }
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
