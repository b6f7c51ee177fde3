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

/// The literal section of docs/types.md: what each PostgreSQL literal form
/// becomes (the match in `value` names every form sqlparser reads).
const LITERALS: &str = "\n## Literals\n\n\
A literal in a default, CHECK, generated column, index key, view or migration DML \
becomes the TiDB literal that means the same; every string is written as `'…'` with \
`'` doubled and `\\` escaped.\n\n\
| PostgreSQL | TiDB | why |\n| --- | --- | --- |\n\
| `'…'`, `E'…'`, `U&'…'`, `$$…$$`, `$tag$…$tag$` | `'…'` | the escapes PostgreSQL applies are applied first (`E'\\t'` is a tab) |\n\
| `N'…'` | `'…'` without its trailing blanks | `N'…'` is `character` in PostgreSQL: as text its trailing blanks go. MySQL reads `N'…'` as utf8mb3 (no 4-byte characters); the plain string keeps every character in utf8mb4 |\n\
| `B'0101'`, `X'1F'` (bit strings) | `b'0101'`, `b'00011111'` | TiDB's bit-value literal; its `X'…'` is a byte string. Cast to a string type, or written into a column that is not BIT, the digits as text (`'0101'`) |\n\
| `'\\x00ff'::bytea`, `'a\\\\b'::bytea`, or a string written into a bytea column | `X'00FF'`, `X'615C62'` | the bytes PostgreSQL's bytea input (hex or escape format) stands for, not its text; input PostgreSQL would reject is an error |\n\
| `0x1F`, `0o17`, `0b101`, `1_000` (PostgreSQL 16) | `31`, `15`, `5`, `1000` | TiDB reads `0x1F` and `0b101` as byte strings and has no `0o` or `_` |\n\
| `U&'…' UESCAPE '!'` | error (syntax-error) | sqlparser does not read UESCAPE |\n";

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
    s.push_str(LITERALS);
    s
}

/// A literal value as TiDB SQL, or `None` when the expression is not a
/// literal (or is one TiDB has no form for). A string cast to `bytea`
/// (`'\x00ff'::bytea`) is the bytes it stands for.
pub fn literal(e: &Expr) -> Option<String> {
    if let Some(bytes) = bytea_literal(e) {
        return bytes.ok();
    }
    match strip_casts(e) {
        Expr::Value(v) => value(&v.value).ok(),
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => match strip_casts(expr) {
            Expr::Value(v) => match &v.value {
                Value::Number(n, _) => Some(format!("-{}", number(n).ok()?)),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// A string literal cast to `bytea` (through any casts), as TiDB SQL
/// (`X'…'`), or the reason it is not valid bytea input; `None` when `e` is
/// not such a cast.
pub fn bytea_literal(e: &Expr) -> Option<Result<String>> {
    let mut at = e;
    let mut bytea = false;
    loop {
        match at {
            Expr::Cast {
                kind: CastKind::DoubleColon | CastKind::Cast,
                expr,
                data_type,
                ..
            } => {
                bytea |= is_bytea(data_type);
                at = expr;
            }
            Expr::Nested(inner) => at = inner,
            _ => break,
        }
    }
    if !bytea {
        return None;
    }
    let text = string_value(at)?;
    Some(bytea_bytes(text).map(|b| hex_literal(&b)))
}

fn is_bytea(dt: &DataType) -> bool {
    let pg = crate::types::normalize(dt);
    pg.name == "bytea" && pg.array == 0
}

/// A literal written into a column of TiDB type `ty` (INSERT, UPDATE …
/// SET, DEFAULT) where PostgreSQL's assignment gives it a meaning of the
/// column's type: a string into a bytea column (`LONGBLOB`, `VARBINARY`) is
/// bytea input (`'\\x00ff'` → `X'00FF'`), and a bit string into a column
/// that is not BIT is its text (`B'101'` → `'101'`). `None` for any other
/// value, which [`to_tidb`] prints as it is.
pub fn assigned_literal(e: &Expr, ty: &crate::model::TiType) -> Option<Result<String>> {
    use crate::model::TiType;
    let mut at = e;
    while let Expr::Nested(inner) = at {
        at = inner;
    }
    let Expr::Value(v) = at else {
        return None;
    };
    if matches!(ty, TiType::LongBlob | TiType::Blob | TiType::Varbinary(_)) {
        if let Some(text) = string_value(at) {
            return Some(bytea_bytes(text).map(|b| hex_literal(&b)));
        }
    }
    if !matches!(ty, TiType::Bit(_)) {
        if let Some(bits) = bit_string(&v.value) {
            return Some(bits.map(|b| quote_str(&b)));
        }
    }
    None
}

/// PostgreSQL's bytea input: the hex format (`\x` and pairs of hex digits,
/// whitespace between pairs) or the escape format (`\\` for a backslash,
/// `\ooo` for an octal byte, any other character as its UTF-8 bytes).
pub fn bytea_bytes(text: &str) -> Result<Vec<u8>> {
    let bad = || format!("'{}' is not valid bytea input", truncate(text));
    if let Some(hex) = text.strip_prefix("\\x") {
        let digits: Vec<u8> = hex
            .bytes()
            .filter(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            .collect();
        if digits.len() % 2 != 0 {
            return Err(bad());
        }
        return digits
            .chunks(2)
            .map(|p| {
                let p = std::str::from_utf8(p).map_err(|_| bad())?;
                u8::from_str_radix(p, 16).map_err(|_| bad())
            })
            .collect();
    }
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            out.push(b[i]);
            i += 1;
        } else if b.get(i + 1) == Some(&b'\\') {
            out.push(b'\\');
            i += 2;
        } else {
            let oct = b.get(i + 1..i + 4).ok_or_else(bad)?;
            let ok = oct[0].is_ascii_digit()
                && oct[0] <= b'3'
                && oct[1..].iter().all(|d| (b'0'..=b'7').contains(d));
            if !ok {
                return Err(bad());
            }
            out.push(oct.iter().fold(0u8, |n, d| n * 8 + (d - b'0')));
            i += 4;
        }
    }
    Ok(out)
}

/// Bytes as a TiDB hexadecimal literal (`X'00FF'`).
pub fn hex_literal(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2 + 3);
    s.push_str("X'");
    for b in bytes {
        s.push_str(&format!("{b:02X}"));
    }
    s.push('\'');
    s
}

/// The bits of a PostgreSQL bit-string literal (`B'0101'`, `X'1F'`), as
/// `0`s and `1`s; `None` for any other value.
pub fn bit_string(v: &Value) -> Option<Result<String>> {
    match v {
        Value::SingleQuotedByteStringLiteral(b) => {
            Some(if b.chars().all(|c| c == '0' || c == '1') {
                Ok(b.clone())
            } else {
                Err(format!("B'{b}' is not a bit string"))
            })
        }
        Value::HexStringLiteral(h) => Some(
            h.chars()
                .map(|c| c.to_digit(16).map(|d| format!("{d:04b}")))
                .collect::<Option<String>>()
                .ok_or_else(|| format!("X'{h}' is not a bit string")),
        ),
        _ => None,
    }
}

/// A PostgreSQL numeric literal as TiDB writes it: `_` separators removed,
/// `0x…`, `0o…` and `0b…` integers (PostgreSQL 16) in decimal (TiDB reads
/// `0x1F` and `0b1` as binary strings and has no `0o`).
pub fn number(n: &str) -> Result<String> {
    let plain: String = n.chars().filter(|c| *c != '_').collect();
    let lower = plain.to_ascii_lowercase();
    let radix = match lower.get(..2) {
        Some("0x") => 16,
        Some("0o") => 8,
        Some("0b") => 2,
        _ => return Ok(plain),
    };
    // Decimal digits, least significant first (the value can exceed u128).
    let mut dec: Vec<u8> = vec![0];
    for c in lower[2..].chars() {
        let d = c
            .to_digit(radix)
            .ok_or_else(|| format!("numeric literal {n} is not valid"))?;
        let mut carry = d;
        for x in dec.iter_mut() {
            let v = u32::from(*x) * radix + carry;
            *x = (v % 10) as u8;
            carry = v / 10;
        }
        while carry > 0 {
            dec.push((carry % 10) as u8);
            carry /= 10;
        }
    }
    if lower.len() == 2 {
        return Err(format!("numeric literal {n} is not valid"));
    }
    while dec.len() > 1 && dec.last() == Some(&0) {
        dec.pop();
    }
    Ok(dec.iter().rev().map(|d| char::from(b'0' + d)).collect())
}

/// The text of a string literal (after casts), if it is one.
pub fn string_value(e: &Expr) -> Option<&str> {
    match strip_casts(e) {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s)
            | Value::EscapedStringLiteral(s)
            | Value::UnicodeStringLiteral(s) => Some(s),
            // N'…' is `character` (bpchar): its trailing blanks do not count.
            Value::NationalStringLiteral(s) => Some(s.trim_end_matches(' ')),
            Value::DollarQuotedString(d) => Some(&d.value),
            _ => None,
        },
        _ => None,
    }
}

/// A literal as TiDB SQL. Every form sqlparser's PostgreSQL dialect reads
/// is named here: the ones PostgreSQL has no such literal for (BigQuery's
/// raw and triple-quoted strings, Oracle's `Q'…'`, placeholders) are errors.
fn value(v: &Value) -> Result<String> {
    Ok(match v {
        Value::Number(n, _) => number(n)?,
        Value::SingleQuotedString(s)
        | Value::EscapedStringLiteral(s)
        | Value::UnicodeStringLiteral(s) => quote_str(s),
        // N'…' is `character` (bpchar) in PostgreSQL: as text its trailing
        // blanks go. A plain string rather than N'…', which MySQL reads as
        // utf8mb3 (no 4-byte characters) where the tables are utf8mb4.
        Value::NationalStringLiteral(s) => quote_str(s.trim_end_matches(' ')),
        Value::DollarQuotedString(d) => quote_str(&d.value),
        // PostgreSQL's B'…' and X'…' are both bit strings: TiDB's bit-value
        // literal b'…' is one too (X'…' there is a byte string).
        Value::SingleQuotedByteStringLiteral(_) | Value::HexStringLiteral(_) => {
            format!("b'{}'", bit_string(v).unwrap_or_else(|| Ok(String::new()))?)
        }
        Value::Boolean(true) => "TRUE".into(),
        Value::Boolean(false) => "FALSE".into(),
        Value::Null => "NULL".into(),
        Value::Placeholder(p) => return Err(format!("parameter {p} has no value here")),
        Value::DoubleQuotedString(_)
        | Value::TripleSingleQuotedString(_)
        | Value::TripleDoubleQuotedString(_)
        | Value::DoubleQuotedByteStringLiteral(_)
        | Value::TripleSingleQuotedByteStringLiteral(_)
        | Value::TripleDoubleQuotedByteStringLiteral(_)
        | Value::SingleQuotedRawStringLiteral(_)
        | Value::DoubleQuotedRawStringLiteral(_)
        | Value::TripleSingleQuotedRawStringLiteral(_)
        | Value::TripleDoubleQuotedRawStringLiteral(_)
        | Value::QuoteDelimitedStringLiteral(_)
        | Value::NationalQuoteDelimitedStringLiteral(_) => {
            return Err(format!(
                "literal {v} is not a PostgreSQL literal TiDB has a form for"
            ))
        }
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
            Expr::Value(v) => out.push_str(&value(&v.value)?),
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
        let pg = crate::types::normalize(dt);
        // A string cast to bytea is the bytes it stands for, not its text.
        if is_bytea(dt) {
            if let Some(text) = string_value(expr) {
                out.push_str(&hex_literal(&bytea_bytes(text)?));
                return Ok(());
            }
        }
        let Some(target) = crate::types::cast_as(&pg) else {
            return self.expr(expr, out);
        };
        // A literal cast to a string type is just the literal; a bit string
        // is its 0s and 1s.
        if target == "CHAR" && string_value(expr).is_some() {
            return self.expr(strip_casts(expr), out);
        }
        if target == "CHAR" {
            if let Expr::Value(v) = strip_casts(expr) {
                if let Some(bits) = bit_string(&v.value) {
                    out.push_str(&quote_str(&bits?));
                    return Ok(());
                }
            }
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
    let v = value(v).map_err(|_| format!("{kw} literal has no TiDB form"))?;
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

    /// Issue 14, class 2: every literal form PostgreSQL has is carried
    /// over as what it means there.
    #[test]
    fn every_postgresql_literal_form_converts() {
        for (pg, tidb) in [
            // N'…' is `character`: its trailing blanks do not count.
            ("N'caf''é  '", "'caf''é'"),
            ("n'a\\b'", "'a\\\\b'"),
            ("code <> N'bad'", "`code` <> 'bad'"),
            ("N'x'::varchar(3)", "'x'"),
            ("U&'d\\0061t\\+000061'", "'data'"),
            ("$$it's \\$$", "'it''s \\\\'"),
            ("$q$x$q$::text", "'x'"),
            // Bit strings: TiDB's b'…' is one too; as text, the digits.
            ("B'1010'", "b'1010'"),
            ("X'0F'", "b'00001111'"),
            ("X'0F'::text", "'00001111'"),
            ("B'101'::varchar", "'101'"),
            ("B'101'::integer", "CAST(b'101' AS SIGNED)"),
            // bytea input, hex and escape format.
            ("'\\x00FF'::bytea", "X'00FF'"),
            ("'\\x'::bytea", "X''"),
            ("'a\\\\b\\101'::bytea", "X'615C6241'"),
            ("E'\\\\x41'::bytea", "X'41'"),
            // PostgreSQL 16 integers.
            ("0x1F", "31"),
            ("0o17", "15"),
            ("0b101", "5"),
            ("1_000_000", "1000000"),
            ("1_000.5", "1000.5"),
            (
                "0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
                "87112285931760246646623899502532662132735",
            ),
        ] {
            assert_eq!(conv(pg).as_deref(), Ok(tidb), "{pg}");
        }
        assert_eq!(
            conv("'\\xZZ'::bytea"),
            Err("'\\xZZ' is not valid bytea input".to_string())
        );
        assert_eq!(
            conv("'a\\9'::bytea"),
            Err("'a\\9' is not valid bytea input".to_string())
        );
    }

    #[test]
    fn a_literal_assigned_to_a_column_means_what_postgresql_makes_of_it() {
        use crate::model::TiType;
        let e = |s: &str| {
            Parser::new(&PostgreSqlDialect {})
                .try_with_sql(s)
                .unwrap()
                .parse_expr()
                .unwrap()
        };
        let blob = TiType::LongBlob;
        let text = TiType::Varchar(8);
        let bit = TiType::Bit(4);
        for (pg, ty, tidb) in [
            ("'\\xdead'", &blob, Some("X'DEAD'")),
            ("E'\\\\001'", &TiType::Varbinary(4), Some("X'01'")),
            ("'plain'", &blob, Some("X'706C61696E'")),
            ("B'101'", &text, Some("'101'")),
            ("X'A'", &text, Some("'1010'")),
            ("B'101'", &bit, None),
            ("'x'", &text, None),
            ("1", &blob, None),
        ] {
            let got = assigned_literal(&e(pg), ty).map(|r| r.unwrap());
            assert_eq!(got.as_deref(), tidb, "{pg} into {ty}");
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
