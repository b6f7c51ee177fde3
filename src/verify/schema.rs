//! One schema shape for both sides of `verify`, read from PostgreSQL's
//! `pg_catalog` and from the target's `information_schema`.
//!
//! Types are compared by kind (`int`, `varchar(255)`, `timestamptz`, …):
//! [`pg_kind`] and [`my_kind`] spell both sides the same way, and
//! [`EQUIVALENT`] lists the pairs whose values round-trip exactly.

use std::collections::{BTreeMap, BTreeSet};

/// A database's tables, by bare name (schemas are flattened, as the converter does).
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Schema {
    pub tables: BTreeMap<String, Table>,
}

#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Table {
    pub columns: Vec<Column>,
    pub primary_key: Vec<String>,
    /// Indexes and unique constraints, by name.
    pub indexes: BTreeMap<String, Index>,
    pub foreign_keys: BTreeMap<String, ForeignKey>,
    pub checks: BTreeSet<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Column {
    pub name: String,
    /// The type as the server spells it.
    pub ty: String,
    /// The type's kind, comparable across the two sides.
    pub kind: String,
    pub nullable: bool,
    /// Normalised default ([`norm_default`]); `None` when there is none.
    pub default: Option<String>,
    pub auto_increment: bool,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Index {
    pub unique: bool,
    /// Column names, `col(prefix)`, or `(expression)`.
    pub parts: Vec<String>,
    /// PostgreSQL only: the access method when it is not btree.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// PostgreSQL only: a partial index's predicate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub predicate: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ForeignKey {
    pub columns: Vec<String>,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
    pub on_delete: String,
    pub on_update: String,
    pub deferrable: bool,
}

/// Type pairs (PostgreSQL kind, target kind) whose values round-trip exactly.
pub const EQUIVALENT: &[(&str, &str)] = &[("uuid", "char(36)"), ("uuid", "binary(16)")];

/// Default pairs (PostgreSQL, target), normalised, that produce the same kind of value.
pub const EQUIVALENT_DEFAULTS: &[(&str, &str)] = &[
    // A random UUID string per row (default-uuid).
    ("gen_random_uuid()", "uuid()"),
    ("uuid_generate_v4()", "uuid()"),
];

/// The kind of a PostgreSQL type, from `format_type()` (domains resolved to
/// their base type, enums as `enum('a','b')`).
pub fn pg_kind(ty: &str, enum_labels: Option<&str>) -> String {
    if let Some(labels) = enum_labels {
        return format!("enum({labels})");
    }
    let t = ty.to_lowercase();
    let (base, args) = match t.split_once('(') {
        Some((b, rest)) => {
            let (a, tail) = rest.split_once(')').unwrap_or((rest, ""));
            (
                format!("{}{}", b.trim(), tail.trim_end()),
                Some(a.to_string()),
            )
        }
        None => (t.clone(), None),
    };
    let with = |k: &str| match &args {
        Some(a) => format!("{k}({a})"),
        None => k.to_string(),
    };
    match base.trim() {
        "smallint" => "smallint".into(),
        "integer" => "int".into(),
        "bigint" => "bigint".into(),
        "numeric" => with("decimal"),
        "real" => "float".into(),
        "double precision" => "double".into(),
        "boolean" => "bool".into(),
        "character varying" => with("varchar"),
        "character" => with("char"),
        "text" => "text".into(),
        "bytea" => "blob".into(),
        "date" => "date".into(),
        "time without time zone" => "time".into(),
        "time with time zone" => "timetz".into(),
        "timestamp without time zone" => "datetime".into(),
        "timestamp with time zone" => "timestamptz".into(),
        "json" | "jsonb" => "json".into(),
        _ => t,
    }
}

/// The kind of a target column type (`COLUMN_TYPE`); `json_check` is set
/// when MariaDB's `CHECK (json_valid(col))` marks a LONGTEXT as its JSON.
pub fn my_kind(column_type: &str, json_check: bool) -> String {
    let t = column_type.to_lowercase();
    let base = t.split(['(', ' ']).next().unwrap_or("").to_string();
    if base == "enum" || base == "set" {
        // Labels keep their case.
        return format!("{base}{}", &column_type[base.len()..]);
    }
    let unsigned = if t.contains(" unsigned") {
        " unsigned"
    } else {
        ""
    };
    match base.as_str() {
        "tinyint" if t.starts_with("tinyint(1)") => "bool".into(),
        "tinyint" | "smallint" | "mediumint" | "int" | "bigint" => format!("{base}{unsigned}"),
        "tinytext" | "text" | "mediumtext" | "longtext" if json_check => "json".into(),
        "tinytext" | "text" | "mediumtext" | "longtext" => "text".into(),
        "tinyblob" | "blob" | "mediumblob" | "longblob" => "blob".into(),
        "float" | "double" | "date" | "json" => base,
        "time" | "datetime" | "timestamp" => base,
        _ => t,
    }
}

/// Defaults as both sides spell them: casts, quotes of numbers, outer
/// parentheses and precision of `current_timestamp` removed; lower case
/// outside string literals.
pub fn norm_default(d: &str) -> String {
    let raw = d.trim().to_lowercase();
    // ('now'::text)::date and 'now'::timestamp: evaluated at insert time.
    if raw.contains("'now'") && raw.contains("::date") {
        return "current_date".into();
    }
    if raw.contains("'now'") && raw.contains("::timestamp") {
        return "current_timestamp".into();
    }
    let mut s = strip_casts(d.trim());
    while s.starts_with('(') && s.ends_with(')') && balanced(&s[1..s.len() - 1]) {
        s = s[1..s.len() - 1].trim().to_string();
    }
    let lower = if s.starts_with('\'') {
        s.clone()
    } else {
        s.to_lowercase().replace('`', "")
    };
    match lower.as_str() {
        "now()"
        | "current_timestamp"
        | "transaction_timestamp()"
        | "localtimestamp"
        | "statement_timestamp()"
        | "clock_timestamp()" => return "current_timestamp".into(),
        "current_date" | "curdate()" => return "current_date".into(),
        "true" => return "1".into(),
        "false" => return "0".into(),
        _ => {}
    }
    if lower.starts_with("current_timestamp(") || lower.starts_with("now(") {
        return "current_timestamp".into();
    }
    let bare = lower
        .strip_prefix('\'')
        .and_then(|x| x.strip_suffix('\''))
        .unwrap_or(&lower);
    if let Ok(f) = bare.parse::<f64>() {
        if !bare.is_empty()
            && bare
                .chars()
                .all(|c| c.is_ascii_digit() || ".-+e".contains(c))
        {
            return format!("{f}");
        }
    }
    // A bit string: MariaDB shows b'0' for b'0000' (the value, not its width).
    if let Some(bits) = lower.strip_prefix("b'").and_then(|x| x.strip_suffix('\'')) {
        if !bits.is_empty() && bits.chars().all(|c| c == '0' || c == '1') {
            let value = bits.trim_start_matches('0');
            return format!("b'{}'", if value.is_empty() { "0" } else { value });
        }
    }
    // A time or timestamp literal: MariaDB shows the column's fraction digits.
    if lower.starts_with('\'') && lower.contains(':') {
        if let Some((whole, frac)) = bare.split_once('.') {
            if frac.chars().all(|c| c == '0') {
                return format!("'{whole}'");
            }
        }
    }
    lower
}

/// `'x'::character varying` → `'x'`; `(a)::text` → `(a)`; repeated.
fn strip_casts(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let mut in_quote = false;
    while i < b.len() {
        let c = b[i] as char;
        if c == '\'' {
            in_quote = !in_quote;
            out.push(c);
            i += 1;
            continue;
        }
        if !in_quote && c == ':' && b.get(i + 1) == Some(&b':') {
            // Skip the type name: words, spaces between words, (n[,m]) and [].
            i += 2;
            loop {
                while i < b.len()
                    && (b[i].is_ascii_alphanumeric()
                        || b[i] == b'_'
                        || b[i] == b'"'
                        || b[i] == b'.')
                {
                    i += 1;
                }
                if i < b.len() && b[i] == b'(' {
                    while i < b.len() && b[i] != b')' {
                        i += 1;
                    }
                    i += 1;
                }
                while i + 1 < b.len() && b[i] == b'[' && b[i + 1] == b']' {
                    i += 2;
                }
                // "character varying", "double precision", "time with time zone"
                let rest = &s[i.min(s.len())..];
                let next_word = rest
                    .strip_prefix(' ')
                    .map(|r| r.split([' ', ')', ',', '(', '[']).next().unwrap_or(""));
                match next_word {
                    Some(w)
                        if ["varying", "precision", "with", "without", "time", "zone"]
                            .contains(&w) =>
                    {
                        i += 1;
                    }
                    _ => break,
                }
            }
            continue;
        }
        let ch = s[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

fn balanced(s: &str) -> bool {
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// An index expression as both sides spell it: lower case, no quotes,
/// casts or spaces, and no parentheses around a bare name.
pub fn norm_expr(e: &str) -> String {
    let mut s: String = strip_casts(e)
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '`' && *c != '"')
        .collect();
    loop {
        let mut changed = false;
        let bytes = s.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'(' && (i == 0 || !is_ident(bytes[i - 1])) {
                let mut j = i + 1;
                while j < bytes.len() && is_ident(bytes[j]) {
                    j += 1;
                }
                if j > i + 1 && j < bytes.len() && bytes[j] == b')' {
                    s = format!("{}{}{}", &s[..i], &s[i + 1..j], &s[j + 1..]);
                    changed = true;
                    break;
                }
            }
            i += 1;
        }
        if !changed {
            break;
        }
    }
    format!("({s})")
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `NO ACTION` and `RESTRICT` behave alike without deferral.
pub fn norm_action(a: &str) -> String {
    match a.to_uppercase().as_str() {
        "" | "NO ACTION" | "RESTRICT" | "A" | "R" => "RESTRICT".into(),
        "C" | "CASCADE" => "CASCADE".into(),
        "N" | "SET NULL" => "SET NULL".into(),
        "D" | "SET DEFAULT" => "SET DEFAULT".into(),
        other => other.to_string(),
    }
}

/// Read the target database `db` from `information_schema`. `quoted_defaults`:
/// the server quotes string defaults (MariaDB) rather than showing them bare
/// (MySQL, TiDB).
pub fn read_target(
    conn: &mut mysql::Conn,
    db: &str,
    quoted_defaults: bool,
) -> Result<Schema, mysql::Error> {
    let mut schema = Schema::default();
    target_tables(conn, db, &mut schema)?;
    let json_cols = target_checks(conn, db, &mut schema)?;
    target_columns(conn, db, quoted_defaults, &json_cols, &mut schema)?;
    target_indexes(conn, db, &mut schema)?;
    target_foreign_keys(conn, db, &mut schema)?;
    Ok(schema)
}

/// The target's base tables (views left out), with their comments.
fn target_tables(
    conn: &mut mysql::Conn,
    db: &str,
    schema: &mut Schema,
) -> Result<(), mysql::Error> {
    use mysql::prelude::Queryable;
    let base: Vec<(String, String)> = conn.exec(
        "SELECT TABLE_NAME, TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'",
        (db,),
    )?;
    for (t, comment) in base {
        schema.tables.insert(
            t,
            Table {
                comment: Some(comment).filter(|c| !c.is_empty()),
                ..Table::default()
            },
        );
    }
    Ok(())
}

/// The target's CHECK constraints, by name. Returns the (table, column) pairs
/// whose CHECK is MariaDB's `json_valid(col)`: a JSON column, not a check.
fn target_checks(
    conn: &mut mysql::Conn,
    db: &str,
    schema: &mut Schema,
) -> Result<BTreeSet<(String, String)>, mysql::Error> {
    use mysql::prelude::Queryable;
    let checks: Vec<(String, String, String)> = conn.exec(
        "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?",
        (db,),
    ).or_else(|_| conn.exec(
        // TiDB names the table in TABLE_CONSTRAINTS, not in CHECK_CONSTRAINTS.
        "SELECT tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS cc JOIN information_schema.TABLE_CONSTRAINTS tc ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME WHERE cc.CONSTRAINT_SCHEMA = ?",
        (db,),
    ))?;
    let mut json_cols = BTreeSet::new();
    for (t, name, clause) in checks {
        // MariaDB's JSON is LONGTEXT + CHECK (json_valid(`col`)).
        if let Some(col) = clause
            .strip_prefix("json_valid(`")
            .and_then(|r| r.strip_suffix("`)"))
        {
            json_cols.insert((t, col.to_string()));
            continue;
        }
        if let Some(table) = schema.tables.get_mut(&t) {
            table.checks.insert(name);
        }
    }
    Ok(json_cols)
}

/// The target's columns, in order (`json_cols`: the JSON columns found by
/// [`target_checks`]).
fn target_columns(
    conn: &mut mysql::Conn,
    db: &str,
    quoted_defaults: bool,
    json_cols: &BTreeSet<(String, String)>,
    schema: &mut Schema,
) -> Result<(), mysql::Error> {
    use mysql::prelude::Queryable;
    type ColRow = (
        String,
        String,
        String,
        String,
        Option<String>,
        String,
        String,
    );
    let cols: Vec<ColRow> = conn.exec(
        "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, COLUMN_COMMENT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION",
        (db,),
    )?;
    for (t, name, ty, nullable, default, extra, comment) in cols {
        let Some(table) = schema.tables.get_mut(&t) else {
            continue; // a view
        };
        let extra = extra.to_lowercase();
        let default = target_default(default, &extra, quoted_defaults);
        let json = json_cols.contains(&(t.clone(), name.clone()));
        // A sequence default numbers rows as SERIAL does.
        let sequence = default
            .as_deref()
            .is_some_and(|d| d.starts_with("nextval("));
        table.columns.push(Column {
            kind: my_kind(&ty, json),
            name,
            // MariaDB's JSON is LONGTEXT + json_valid(): show it as the JSON it is.
            ty: if json { "json".into() } else { ty },
            nullable: nullable == "YES",
            default: default.filter(|d| !sequence && d != "null"),
            auto_increment: sequence
                || extra.contains("auto_increment")
                || extra.contains("auto_random"),
            comment: Some(comment).filter(|c| !c.is_empty()),
        });
    }
    Ok(())
}

/// A column's `COLUMN_DEFAULT` normalised ([`norm_default`]): an expression
/// as it is, a bare string quoted (`extra`: the column's `EXTRA`, lower case).
fn target_default(default: Option<String>, extra: &str, quoted_defaults: bool) -> Option<String> {
    default
        .filter(|d| !(quoted_defaults && d == "NULL"))
        .map(|d| {
            let expression = quoted_defaults
                || extra.contains("default_generated")
                || d.to_lowercase().starts_with("current_timestamp")
                || d.parse::<f64>().is_ok();
            if expression {
                norm_default(&d)
            } else {
                norm_default(&format!("'{}'", d.replace('\'', "''")))
            }
        })
}

/// The target's primary keys and indexes (unique constraints among them).
fn target_indexes(
    conn: &mut mysql::Conn,
    db: &str,
    schema: &mut Schema,
) -> Result<(), mysql::Error> {
    use mysql::prelude::Queryable;
    // EXPRESSION exists on MySQL 8 and TiDB; MariaDB has no functional indexes.
    type IdxRow = (
        String,
        String,
        i64,
        Option<String>,
        Option<i64>,
        Option<String>,
    );
    let idx: Vec<IdxRow> = conn
        .exec(
            "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, EXPRESSION FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
            (db,),
        )
        .or_else(|_| {
            conn.exec(
                "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, NULL FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
                (db,),
            )
        })?;
    for (t, name, non_unique, col, sub, expr) in idx {
        let Some(table) = schema.tables.get_mut(&t) else {
            continue;
        };
        let part = match (col, sub, expr) {
            (Some(c), Some(n), _) => format!("{c}({n})"),
            (Some(c), None, _) => c,
            (None, _, Some(e)) => norm_expr(&e),
            (None, _, None) => "(?)".into(),
        };
        if name == "PRIMARY" {
            table.primary_key.push(part);
        } else {
            table
                .indexes
                .entry(name)
                .or_insert_with(|| Index {
                    unique: non_unique == 0,
                    parts: vec![],
                    method: None,
                    predicate: None,
                })
                .parts
                .push(part);
        }
    }
    Ok(())
}

/// The target's foreign keys, with their columns.
fn target_foreign_keys(
    conn: &mut mysql::Conn,
    db: &str,
    schema: &mut Schema,
) -> Result<(), mysql::Error> {
    use mysql::prelude::Queryable;
    type FkRow = (String, String, String, String, String);
    let fks: Vec<FkRow> = conn.exec(
        "SELECT TABLE_NAME, CONSTRAINT_NAME, REFERENCED_TABLE_NAME, DELETE_RULE, UPDATE_RULE FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?",
        (db,),
    )?;
    type KeyRow = (String, String, String, String);
    let keys: Vec<KeyRow> = conn.exec(
        "SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE CONSTRAINT_SCHEMA = ? AND REFERENCED_COLUMN_NAME IS NOT NULL ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION",
        (db,),
    )?;
    for (t, name, ref_table, del, upd) in fks {
        let (columns, ref_columns) = keys
            .iter()
            .filter(|k| k.0 == t && k.1 == name)
            .map(|k| (k.2.clone(), k.3.clone()))
            .unzip();
        if let Some(table) = schema.tables.get_mut(&t) {
            table.foreign_keys.insert(
                name,
                ForeignKey {
                    columns,
                    ref_table,
                    ref_columns,
                    on_delete: norm_action(&del),
                    on_update: norm_action(&upd),
                    deferrable: false,
                },
            );
        }
    }
    Ok(())
}

/// Read every user table of the connected PostgreSQL database (extension
/// members and partitions left out; a partitioned table stands for its partitions).
pub fn read_source(client: &mut postgres::Client) -> Result<Schema, postgres::Error> {
    const TABLES: &str = "SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
        WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition \
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' \
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')";
    let mut schema = Schema::default();
    for r in client.query(
        &format!("SELECT c.relname::text, obj_description(c.oid, 'pg_class') FROM pg_class c WHERE c.oid IN ({TABLES})"),
        &[],
    )? {
        schema.tables.insert(
            r.get(0),
            Table {
                comment: r.get::<_, Option<String>>(1).filter(|c| !c.is_empty()),
                ..Table::default()
            },
        );
    }
    let cols = client.query(
        &format!(
            "SELECT c.relname::text, a.attname::text, \
             format_type(CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END, CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END), \
             (SELECT string_agg(quote_literal(e.enumlabel), ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = a.atttypid), \
             NOT (a.attnotnull OR (t.typtype = 'd' AND t.typnotnull)), \
             pg_get_expr(ad.adbin, ad.adrelid), a.attidentity::text, a.attgenerated::text, \
             col_description(a.attrelid, a.attnum) \
             FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_type t ON t.oid = a.atttypid \
             LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum \
             WHERE a.attrelid IN ({TABLES}) AND a.attnum > 0 AND NOT a.attisdropped \
             ORDER BY c.relname, a.attnum"
        ),
        &[],
    )?;
    for r in cols {
        let t: String = r.get(0);
        let ty: String = r.get(2);
        let labels: Option<String> = r.get(3);
        let default: Option<String> = r.get(5);
        let identity: String = r.get(6);
        let generated: String = r.get(7);
        let serial = default
            .as_deref()
            .is_some_and(|d| d.starts_with("nextval("));
        let default = if serial || !generated.is_empty() {
            None
        } else {
            default.map(|d| norm_default(&d)).filter(|d| d != "null")
        };
        if let Some(table) = schema.tables.get_mut(&t) {
            table.columns.push(Column {
                name: r.get(1),
                kind: pg_kind(&ty, labels.as_deref()),
                ty,
                nullable: r.get(4),
                default,
                auto_increment: serial || !identity.is_empty(),
                comment: r.get::<_, Option<String>>(8).filter(|c| !c.is_empty()),
            });
        }
    }
    let idx = client.query(
        &format!(
            "SELECT tc.relname::text, ic.relname::text, i.indisprimary, i.indisunique, am.amname::text, \
             pg_get_expr(i.indpred, i.indrelid), \
             ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) k ORDER BY k), \
             ARRAY(SELECT k > 0 FROM unnest(i.indkey::int2[]) WITH ORDINALITY u(k, o) WHERE o <= i.indnkeyatts ORDER BY o) \
             FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class tc ON tc.oid = i.indrelid \
             JOIN pg_am am ON am.oid = ic.relam WHERE i.indrelid IN ({TABLES})"
        ),
        &[],
    )?;
    for r in idx {
        let t: String = r.get(0);
        let Some(table) = schema.tables.get_mut(&t) else {
            continue;
        };
        let defs: Vec<String> = r.get(6);
        let plain: Vec<bool> = r.get(7);
        let parts: Vec<String> = defs
            .iter()
            .zip(plain.iter().chain(std::iter::repeat(&false)))
            .map(|(d, p)| {
                if *p {
                    d.trim_matches('"').to_string()
                } else {
                    norm_expr(d)
                }
            })
            .collect();
        if r.get::<_, bool>(2) {
            table.primary_key = parts;
            continue;
        }
        let method: String = r.get(4);
        table.indexes.insert(
            r.get(1),
            Index {
                unique: r.get(3),
                parts,
                method: Some(method).filter(|m| m != "btree"),
                predicate: r.get(5),
            },
        );
    }
    let cons = client.query(
        &format!(
            "SELECT tc.relname::text, c.conname::text, c.contype::text, rc.relname::text, \
             ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o), \
             ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o), \
             c.confdeltype::text, c.confupdtype::text, c.condeferrable \
             FROM pg_constraint c JOIN pg_class tc ON tc.oid = c.conrelid LEFT JOIN pg_class rc ON rc.oid = c.confrelid \
             WHERE c.conrelid IN ({TABLES}) AND c.contype IN ('f', 'c') AND c.conparentid = 0"
        ),
        &[],
    )?;
    for r in cons {
        let t: String = r.get(0);
        let Some(table) = schema.tables.get_mut(&t) else {
            continue;
        };
        let kind: String = r.get(2);
        if kind == "c" {
            table.checks.insert(r.get(1));
            continue;
        }
        table.foreign_keys.insert(
            r.get(1),
            ForeignKey {
                columns: r.get(4),
                ref_table: r.get::<_, Option<String>>(3).unwrap_or_default(),
                ref_columns: r.get(5),
                on_delete: norm_action(&r.get::<_, String>(6)),
                on_update: norm_action(&r.get::<_, String>(7)),
                deferrable: r.get(8),
            },
        );
    }
    Ok(schema)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_meet_across_the_two_sides() {
        for (pg, my) in [
            ("integer", "int(11)"),
            ("bigint", "bigint(20)"),
            ("boolean", "tinyint(1)"),
            ("character varying(64)", "varchar(64)"),
            ("numeric(10,2)", "decimal(10,2)"),
            ("text", "longtext"),
            ("timestamp(6) without time zone", "datetime(6)"),
            ("time without time zone", "time"),
            ("double precision", "double"),
            ("bytea", "longblob"),
        ] {
            assert_eq!(pg_kind(pg, None), my_kind(my, false), "{pg} vs {my}");
        }
        assert_eq!(my_kind("longtext", true), pg_kind("jsonb", None));
        assert_eq!(
            pg_kind("project_status", Some("'a','b'")),
            my_kind("enum('a','b')", false)
        );
        assert_eq!(pg_kind("timestamp with time zone", None), "timestamptz");
        assert_eq!(my_kind("enum('A','b')", false), "enum('A','b')");
    }

    #[test]
    fn defaults_meet_across_the_two_sides() {
        for (pg, my) in [
            ("B'0000'::\"bit\"", "b'0'"),
            ("b'0101'", "b'101'"),
            ("'draft'::character varying", "'draft'"),
            ("now()", "current_timestamp(6)"),
            ("CURRENT_TIMESTAMP", "current_timestamp()"),
            ("true", "1"),
            ("0", "0"),
            ("'0'::numeric", "0.00"),
            ("'09:30:00'::time without time zone", "'09:30:00.000000'"),
            ("('{}'::text[])", "('{}')"),
            ("'code'::auth.oauth_response_type", "'code'"),
            ("('now'::text)::date", "curdate()"),
        ] {
            assert_eq!(norm_default(pg), norm_default(my), "{pg} vs {my}");
        }
        assert_ne!(norm_default("'a'"), norm_default("'b'"));
    }

    #[test]
    fn index_expressions_meet_across_the_two_sides() {
        assert_eq!(
            norm_expr("lower((title)::text)"),
            norm_expr("lower(`title`)")
        );
        assert_eq!(norm_expr("lower(title)"), "(lower(title))");
        assert_ne!(norm_expr("lower(a)"), norm_expr("upper(a)"));
    }
}
