//! The TiDB-side schema model: what the converter promises to create.
//!
//! Rules build these values from the PostgreSQL AST; the emitter prints them;
//! the catalog keeps them across statements (and files), so a later
//! `ALTER COLUMN … TYPE` can be written as a `MODIFY COLUMN` with the full
//! current definition. The model is deliberately compact: no AST is kept.

use std::fmt;

pub mod named;
pub use named::{Item, Named};

/// A source position, 1-based line and column (column in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, serde::Serialize)]
pub struct Loc {
    pub line: u32,
    pub col: u32,
}

/// Maximum bytes per character in the output character set (utf8mb4).
pub const UTF8MB4_BYTES: u32 = 4;

/// A TiDB column type.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TiType {
    /// `TINYINT(1)`, TiDB's BOOLEAN.
    Bool,
    SmallInt,
    Int,
    BigInt,
    Decimal(u32, u32),
    Float,
    Double,
    Char(u32),
    Varchar(u32),
    Text,
    MediumText,
    LongText,
    Binary(u32),
    Varbinary(u32),
    Blob,
    LongBlob,
    Date,
    Time(u32),
    Datetime(u32),
    Timestamp(u32),
    Json,
    Bit(u32),
    Enum(Vec<String>),
    Vector(Option<u32>),
}

impl TiType {
    /// Bytes a full-length key on this type takes (utf8mb4 for strings).
    /// `None` for types that cannot be indexed without a prefix or at all.
    pub fn key_bytes(&self) -> Option<u32> {
        use TiType::*;
        Some(match self {
            Bool => 1,
            SmallInt => 2,
            Int => 4,
            BigInt => 8,
            Decimal(p, _) => p / 2 + 1,
            Float => 4,
            Double => 8,
            Char(n) | Varchar(n) => n * UTF8MB4_BYTES,
            Binary(n) | Varbinary(n) => *n,
            Date => 3,
            Time(_) => 6,
            Datetime(_) => 8,
            Timestamp(_) => 7,
            Bit(n) => n.div_ceil(8),
            Enum(_) => 2,
            Text | MediumText | LongText | Blob | LongBlob | Json | Vector(_) => return None,
        })
    }

    /// Strings and blobs that need a prefix length in a key.
    pub fn needs_key_prefix(&self) -> bool {
        matches!(
            self,
            TiType::Text | TiType::MediumText | TiType::LongText | TiType::Blob | TiType::LongBlob
        )
    }

    /// Bytes per character of a prefix on this type (1 for binary types).
    pub fn prefix_unit(&self) -> u32 {
        match self {
            TiType::Binary(_) | TiType::Varbinary(_) | TiType::Blob | TiType::LongBlob => 1,
            _ => UTF8MB4_BYTES,
        }
    }

    /// TEXT/BLOB/JSON: TiDB rejects literal defaults on these (error 1101).
    pub fn is_lob(&self) -> bool {
        matches!(
            self,
            TiType::Text
                | TiType::MediumText
                | TiType::LongText
                | TiType::Blob
                | TiType::LongBlob
                | TiType::Json
        )
    }

    pub fn is_integer(&self) -> bool {
        matches!(self, TiType::SmallInt | TiType::Int | TiType::BigInt)
    }

    pub fn is_string(&self) -> bool {
        matches!(
            self,
            TiType::Char(_)
                | TiType::Varchar(_)
                | TiType::Text
                | TiType::MediumText
                | TiType::LongText
        )
    }

    /// The fractional-seconds precision of a temporal type.
    pub fn fsp(&self) -> Option<u32> {
        match self {
            TiType::Time(p) | TiType::Datetime(p) | TiType::Timestamp(p) => Some(*p),
            _ => None,
        }
    }
}

impl fmt::Display for TiType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use TiType::*;
        match self {
            Bool => f.write_str("TINYINT(1)"),
            SmallInt => f.write_str("SMALLINT"),
            Int => f.write_str("INT"),
            BigInt => f.write_str("BIGINT"),
            Decimal(p, s) => write!(f, "DECIMAL({p},{s})"),
            Float => f.write_str("FLOAT"),
            Double => f.write_str("DOUBLE"),
            Char(n) => write!(f, "CHAR({n})"),
            Varchar(n) => write!(f, "VARCHAR({n})"),
            Text => f.write_str("TEXT"),
            MediumText => f.write_str("MEDIUMTEXT"),
            LongText => f.write_str("LONGTEXT"),
            Binary(n) => write!(f, "BINARY({n})"),
            Varbinary(n) => write!(f, "VARBINARY({n})"),
            Blob => f.write_str("BLOB"),
            LongBlob => f.write_str("LONGBLOB"),
            Date => f.write_str("DATE"),
            Time(0) => f.write_str("TIME"),
            Time(p) => write!(f, "TIME({p})"),
            Datetime(0) => f.write_str("DATETIME"),
            Datetime(p) => write!(f, "DATETIME({p})"),
            Timestamp(0) => f.write_str("TIMESTAMP"),
            Timestamp(p) => write!(f, "TIMESTAMP({p})"),
            Json => f.write_str("JSON"),
            Bit(n) => write!(f, "BIT({n})"),
            Enum(labels) => {
                f.write_str("ENUM(")?;
                for (i, l) in labels.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    f.write_str(&quote_str(l))?;
                }
                f.write_str(")")
            }
            Vector(Some(n)) => write!(f, "VECTOR({n})"),
            Vector(None) => f.write_str("VECTOR"),
        }
    }
}

/// A column as TiDB will have it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Column {
    pub name: String,
    pub ty: TiType,
    pub nullable: bool,
    /// The DEFAULT clause body, already TiDB SQL (`'x'`, `0`, `CURRENT_TIMESTAMP(6)`, `(UUID())`).
    pub default: Option<String>,
    pub auto_increment: bool,
    /// TiDB AUTO_RANDOM (written as `/*T![auto_rand] AUTO_RANDOM(5) */`).
    pub auto_random: bool,
    /// The ON UPDATE clause body (`CURRENT_TIMESTAMP(6)`).
    pub on_update: Option<String>,
    pub collation: Option<String>,
    pub comment: Option<String>,
    /// Generated column: expression SQL and whether it is STORED.
    pub generated: Option<(String, bool)>,
    /// The PostgreSQL enum type this column was declared with, so
    /// `ALTER TYPE … ADD VALUE` can find every column that uses it.
    pub pg_enum: Option<String>,
}

impl Column {
    pub fn new(name: impl Into<String>, ty: TiType) -> Self {
        Column {
            name: name.into(),
            ty,
            nullable: true,
            default: None,
            auto_increment: false,
            auto_random: false,
            on_update: None,
            collation: None,
            comment: None,
            generated: None,
            pg_enum: None,
        }
    }
}

/// One part of an index key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum KeyPart {
    /// A column, with an optional prefix length (characters for strings).
    Column { name: String, prefix: Option<u32> },
    /// An expression key part, TiDB SQL without the outer parentheses.
    Expr(String),
}

impl KeyPart {
    pub fn col(name: impl Into<String>) -> Self {
        KeyPart::Column {
            name: name.into(),
            prefix: None,
        }
    }
    pub fn column_name(&self) -> Option<&str> {
        match self {
            KeyPart::Column { name, .. } => Some(name),
            KeyPart::Expr(_) => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum IndexKind {
    Plain,
    Unique,
    /// TiDB `VECTOR INDEX … USING HNSW`.
    Vector,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Index {
    pub name: String,
    pub kind: IndexKind,
    pub parts: Vec<KeyPart>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PrimaryKey {
    pub name: Option<String>,
    pub parts: Vec<KeyPart>,
    pub clustered: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ForeignKey {
    /// Its name in PostgreSQL (what later statements name it by).
    pub name: String,
    pub columns: Vec<String>,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
    pub on_delete: Option<String>,
    pub on_update: Option<String>,
    /// Its name on TiDB when that differs (a rule renamed it: foreign-key
    /// names are schema-wide on MySQL-family servers, per table in
    /// PostgreSQL).
    pub tidb_name: Option<String>,
}

impl ForeignKey {
    /// The name TiDB knows it by.
    pub fn tidb_name(&self) -> &str {
        self.tidb_name.as_deref().unwrap_or(&self.name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Check {
    pub name: String,
    /// The condition, TiDB SQL.
    pub expr: String,
    /// The columns the condition uses, as TiDB names them, sorted: taken
    /// from the PostgreSQL expression, never read back from `expr`. One
    /// string, the names separated by NUL (which no identifier holds), so
    /// that a table the catalog keeps encoded decodes with one allocation
    /// per CHECK.
    #[serde(default)]
    used: String,
}

impl Check {
    pub fn new(name: String, expr: String, columns: &[String]) -> Self {
        Check {
            name,
            expr,
            used: columns.join("\0"),
        }
    }

    /// The columns the condition uses.
    pub fn columns(&self) -> impl Iterator<Item = &str> {
        self.used.split('\0').filter(|c| !c.is_empty())
    }

    /// Whether the condition uses column `c` (TiDB compares column names
    /// without case).
    pub fn uses(&self, c: &str) -> bool {
        self.columns().any(|x| x.eq_ignore_ascii_case(c))
    }

    /// The same condition under another name.
    pub fn renamed(&self, name: String) -> Self {
        Check {
            name,
            ..self.clone()
        }
    }
}

impl Item for Column {
    fn name(&self) -> &str {
        &self.name
    }
    fn set_name(&mut self, name: &str) {
        self.name = name.to_string();
    }
    fn flagged(&self) -> bool {
        self.auto_increment
    }
}

impl Item for Index {
    fn name(&self) -> &str {
        &self.name
    }
    fn set_name(&mut self, name: &str) {
        self.name = name.to_string();
    }
}

impl Item for ForeignKey {
    fn name(&self) -> &str {
        &self.name
    }
    fn set_name(&mut self, name: &str) {
        self.name = name.to_string();
    }
}

impl Item for Check {
    fn name(&self) -> &str {
        &self.name
    }
    fn set_name(&mut self, name: &str) {
        self.name = name.to_string();
    }
}

/// A table as TiDB will have it.
///
/// Its lists are [`Named`]: a copy costs O(1) and a lookup, change or
/// removal by name O(log n), so statements on wide tables stay cheap.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Table {
    pub name: String,
    pub columns: Named<Column>,
    pub primary_key: Option<PrimaryKey>,
    pub indexes: Named<Index>,
    pub foreign_keys: Named<ForeignKey>,
    pub checks: Named<Check>,
    pub comment: Option<String>,
    pub auto_increment_start: Option<i64>,
    pub if_not_exists: bool,
    pub temporary: bool,
    /// The PostgreSQL schema it was flattened from (`None`: `public` or
    /// unqualified), for `DROP SCHEMA … CASCADE`.
    pub schema: Option<String>,
}

impl Table {
    /// The first column called `name` (any ASCII case).
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.get(name)
    }
    /// The first column called `name`, to change (its name too).
    pub fn column_mut(&mut self, name: &str) -> Option<&mut Column> {
        self.columns.get_mut(name)
    }
    pub fn index(&self, name: &str) -> Option<&Index> {
        self.indexes.get(name)
    }

    /// Every list back in its indexed form (after an `iter_mut`).
    pub fn settle(&mut self) {
        self.columns.settle();
        self.indexes.settle();
        self.foreign_keys.settle();
        self.checks.settle();
    }
    /// The name of the primary key's constraint (and index, in PostgreSQL):
    /// as declared, else PostgreSQL's default `<table>_pkey`.
    pub fn primary_key_name(&self) -> Option<String> {
        let pk = self.primary_key.as_ref()?;
        Some(
            pk.name
                .clone()
                .unwrap_or_else(|| format!("{}_pkey", self.name)),
        )
    }

    /// Names of the AUTO_INCREMENT columns.
    pub fn auto_increment_columns(&self) -> Vec<String> {
        self.columns
            .flagged()
            .into_iter()
            .map(|c| c.name.clone())
            .collect()
    }

    /// True when the column is the first part of some key (AUTO_INCREMENT needs that).
    pub fn column_leads_a_key(&self, col: &str) -> bool {
        let leads = |parts: &[KeyPart]| {
            parts
                .first()
                .and_then(KeyPart::column_name)
                .is_some_and(|n| n.eq_ignore_ascii_case(col))
        };
        self.primary_key.as_ref().is_some_and(|pk| leads(&pk.parts))
            || self.indexes.iter().any(|i| leads(&i.parts))
    }
}

/// A standalone sequence (TiDB `CREATE SEQUENCE`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sequence {
    pub name: String,
    pub start: Option<i64>,
    pub increment: Option<i64>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub cache: Option<i64>,
    pub cycle: bool,
    /// `OWNED BY table.column`: the sequence backs that column's AUTO_INCREMENT.
    pub owned_by: Option<(String, String)>,
    /// The PostgreSQL schema it was flattened from (`None`: `public` or unqualified).
    pub schema: Option<String>,
}

/// Backquote an identifier for TiDB.
pub fn ident(name: &str) -> String {
    let mut s = String::with_capacity(name.len() + 2);
    s.push('`');
    for ch in name.chars() {
        if ch == '`' {
            s.push('`');
        }
        s.push(ch);
    }
    s.push('`');
    s
}

/// A MySQL/TiDB single-quoted string literal: `'` doubled, `\` escaped
/// (TiDB's default sql_mode treats backslash as an escape character).
pub fn quote_str(value: &str) -> String {
    let mut s = String::with_capacity(value.len() + 2);
    s.push('\'');
    for ch in value.chars() {
        match ch {
            '\'' => s.push_str("''"),
            '\\' => s.push_str("\\\\"),
            '\0' => s.push_str("\\0"),
            _ => s.push(ch),
        }
    }
    s.push('\'');
    s
}
