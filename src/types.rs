//! The PostgreSQL → TiDB type story, as one table.
//!
//! [`TYPES`] lists every PostgreSQL type the converter knows: its names, how
//! it maps, and what is lost on the way (`None` = nothing). Rules read this
//! table; no other module decides a column type.

use crate::model::TiType;
use crate::target::Target;
use sqlparser::ast::{
    ArrayElemTypeDef, BinaryLength, CharacterLength, DataType, ExactNumberInfo, TimezoneInfo,
    TypeModifier,
};

/// The default length given to a VARCHAR (or citext) declared without one.
pub const DEFAULT_VARCHAR_LENGTH: u32 = 255;
/// Largest VARCHAR in utf8mb4 (65,535-byte column limit).
pub const MAX_VARCHAR_LENGTH: u32 = 16383;

/// A PostgreSQL type, normalised from sqlparser's many spellings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgType {
    /// Canonical lower-case name (`integer`, `varchar`, `timestamptz`, or a user type's name).
    pub name: String,
    /// Type modifiers (`varchar(20)` → `[20]`, `numeric(12,2)` → `[12, 2]`).
    pub args: Vec<i64>,
    /// Array dimensions (`text[]` → 1).
    pub array: u32,
    /// The type as written, for messages.
    pub written: String,
}

/// How a row of [`TYPES`] maps.
#[derive(Debug, Clone, Copy)]
pub enum Map {
    To(fn() -> TiType),
    Char,
    Varchar,
    Numeric,
    FloatP,
    Time,
    Timestamp,
    TimestampTz,
    Bit,
    VarBit,
    Vector,
    /// No TiDB equivalent: the column cannot be carried over.
    Unsupported,
}

pub struct TypeRow {
    pub names: &'static [&'static str],
    pub map: Map,
    /// What is lost, or `None` when the mapping is exact.
    pub loss: Option<&'static str>,
}

macro_rules! row {
    ($names:expr, $map:expr) => {
        TypeRow {
            names: $names,
            map: $map,
            loss: None,
        }
    };
    ($names:expr, $map:expr, $loss:expr) => {
        TypeRow {
            names: $names,
            map: $map,
            loss: Some($loss),
        }
    };
}

/// The table. First match on any name wins.
pub static TYPES: &[TypeRow] = &[
    row!(
        &["smallint", "int2", "smallserial", "serial2"],
        Map::To(|| TiType::SmallInt)
    ),
    row!(
        &["integer", "int", "int4", "serial", "serial4"],
        Map::To(|| TiType::Int)
    ),
    row!(
        &["bigint", "int8", "bigserial", "serial8"],
        Map::To(|| TiType::BigInt)
    ),
    row!(&["numeric", "decimal"], Map::Numeric),
    row!(&["real", "float4"], Map::To(|| TiType::Float)),
    row!(&["double precision", "float8"], Map::To(|| TiType::Double)),
    row!(&["float"], Map::FloatP),
    row!(&["boolean", "bool"], Map::To(|| TiType::Bool)),
    row!(&["char", "character", "bpchar"], Map::Char),
    row!(&["varchar", "character varying"], Map::Varchar),
    row!(&["text"], Map::To(|| TiType::LongText)),
    row!(&["name"], Map::To(|| TiType::Varchar(64))),
    row!(&["\"char\""], Map::To(|| TiType::Char(1))),
    row!(&["bytea"], Map::To(|| TiType::LongBlob)),
    row!(&["date"], Map::To(|| TiType::Date)),
    row!(&["time"], Map::Time),
    row!(
        &["timetz"],
        Map::Time,
        "the time zone offset (TiDB TIME has none)"
    ),
    row!(&["timestamp"], Map::Timestamp),
    row!(
        &["timestamptz"],
        Map::TimestampTz,
        "values outside 1970-01-01..2038-01-19 UTC (TiDB TIMESTAMP range)"
    ),
    row!(
        &["interval"],
        Map::To(|| TiType::Varchar(64)),
        "interval arithmetic: stored as its text form in VARCHAR(64)"
    ),
    row!(&["uuid"], Map::To(|| TiType::Char(36))),
    row!(&["json", "jsonb"], Map::To(|| TiType::Json)),
    row!(
        &["inet", "cidr"],
        Map::To(|| TiType::Varchar(43)),
        "network-address semantics and operators: stored as text in VARCHAR(43)"
    ),
    row!(
        &["macaddr"],
        Map::To(|| TiType::Varchar(17)),
        "MAC-address semantics: stored as text in VARCHAR(17)"
    ),
    row!(
        &["macaddr8"],
        Map::To(|| TiType::Varchar(23)),
        "MAC-address semantics: stored as text in VARCHAR(23)"
    ),
    row!(
        &["money"],
        Map::To(|| TiType::Decimal(19, 2)),
        "locale-dependent currency formatting: stored as DECIMAL(19,2)"
    ),
    row!(
        &["citext"],
        Map::Varchar,
        "unbounded length: case-insensitive VARCHAR with collation utf8mb4_general_ci"
    ),
    row!(
        &["tsvector", "tsquery"],
        Map::To(|| TiType::LongText),
        "full-text search semantics: stored as LONGTEXT"
    ),
    row!(
        &["xml"],
        Map::To(|| TiType::LongText),
        "XML validation and functions: stored as LONGTEXT"
    ),
    row!(&["bit"], Map::Bit),
    row!(
        &["varbit", "bit varying"],
        Map::VarBit,
        "variable length: stored as fixed BIT(n)"
    ),
    row!(&["vector"], Map::Vector),
    row!(
        &[
            "point",
            "line",
            "lseg",
            "box",
            "path",
            "polygon",
            "circle",
            "geometry",
            "geography",
            "int4range",
            "int8range",
            "numrange",
            "tsrange",
            "tstzrange",
            "daterange",
            "int4multirange",
            "int8multirange",
            "nummultirange",
            "tsmultirange",
            "tstzmultirange",
            "datemultirange",
            "oid",
            "regclass",
            "regtype",
            "regproc",
            "pg_lsn",
            "txid_snapshot",
            "pg_snapshot",
            "hstore",
            "ltree",
        ],
        Map::Unsupported
    ),
];

/// The outcome of mapping one PostgreSQL type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mapped {
    /// Mapped; `loss` says what is lost (empty when exact).
    Ok {
        ty: TiType,
        loss: Option<String>,
        collation: Option<&'static str>,
    },
    /// A type the table does not know (or knows has no equivalent).
    Unsupported,
}

/// How `uuid` is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UuidAs {
    #[default]
    Char36,
    Binary16,
}

/// How `timestamptz` is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimestamptzAs {
    #[default]
    Timestamp,
    Datetime,
}

/// The type choices a project makes (`pg2tidb.toml`'s `[types]` table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeChoices {
    pub uuid: UuidAs,
    pub timestamptz: TimestamptzAs,
    pub auto_random: bool,
    pub varchar_length: u32,
}

impl Default for TypeChoices {
    fn default() -> Self {
        TypeChoices {
            uuid: UuidAs::Char36,
            timestamptz: TimestamptzAs::Timestamp,
            auto_random: false,
            varchar_length: DEFAULT_VARCHAR_LENGTH,
        }
    }
}

/// Look a normalised type up in [`TYPES`] and apply its mapping.
pub fn map(pg: &PgType, target: Target, choices: &TypeChoices) -> Mapped {
    if pg.array > 0 {
        return Mapped::Ok {
            ty: TiType::Json,
            loss: Some(format!(
                "array element type and array operators: {} stored as a JSON array",
                pg.written
            )),
            collation: None,
        };
    }
    let Some(row) = TYPES.iter().find(|r| r.names.contains(&pg.name.as_str())) else {
        return Mapped::Unsupported;
    };
    let arg = |i: usize| {
        pg.args
            .get(i)
            .copied()
            .filter(|v| *v >= 0)
            .map(|v| v as u32)
    };
    let mut loss = row.loss.map(str::to_string);
    let mut collation = None;
    let ty = match row.map {
        Map::To(_) if pg.name == "uuid" && choices.uuid == UuidAs::Binary16 => TiType::Binary(16),
        Map::To(f) => f(),
        Map::Unsupported => return Mapped::Unsupported,
        Map::Char => {
            let n = arg(0).unwrap_or(1);
            if n > 255 {
                loss = Some(format!(
                    "fixed-length padding: char({n}) exceeds CHAR's 255, stored as VARCHAR({n})"
                ));
                varchar(n, &mut loss)
            } else {
                TiType::Char(n)
            }
        }
        Map::Varchar => {
            if pg.name == "citext" {
                collation = Some("utf8mb4_general_ci");
            }
            match arg(0) {
                Some(n) => varchar(n, &mut loss),
                // Unsized: the varchar-length rule reports the chosen length.
                None => TiType::Varchar(choices.varchar_length),
            }
        }
        Map::Numeric => match (arg(0), pg.args.get(1).copied()) {
            (None, _) => {
                loss = Some(
                    "unbounded precision: numeric without precision stored as DECIMAL(65,30)"
                        .into(),
                );
                TiType::Decimal(65, 30)
            }
            (Some(p), s) => {
                let s = s.unwrap_or(0);
                if p > 65 || !(0..=30).contains(&s) {
                    loss = Some(format!(
                        "precision: numeric({p},{s}) exceeds TiDB's DECIMAL(65,30), stored as DECIMAL({},{})",
                        p.min(65),
                        s.clamp(0, 30)
                    ));
                }
                TiType::Decimal(p.clamp(1, 65), s.clamp(0, 30) as u32)
            }
        },
        Map::FloatP => match arg(0) {
            Some(p) if p <= 24 => TiType::Float,
            _ => TiType::Double,
        },
        Map::Time => TiType::Time(arg(0).unwrap_or(6).min(6)),
        Map::Timestamp => TiType::Datetime(arg(0).unwrap_or(6).min(6)),
        Map::TimestampTz if choices.timestamptz == TimestamptzAs::Datetime => {
            loss = Some(
                "time-zone conversion: DATETIME stores the value as written; store UTC".into(),
            );
            TiType::Datetime(arg(0).unwrap_or(6).min(6))
        }
        Map::TimestampTz => TiType::Timestamp(arg(0).unwrap_or(6).min(6)),
        Map::Bit => TiType::Bit(arg(0).unwrap_or(1).clamp(1, 64)),
        Map::VarBit => TiType::Bit(arg(0).unwrap_or(64).clamp(1, 64)),
        Map::Vector => {
            if target.has_vector() {
                TiType::Vector(arg(0))
            } else {
                loss = Some(format!(
                    "vector search: {target} has no VECTOR type (v8.4+), stored as a JSON array"
                ));
                TiType::Json
            }
        }
    };
    Mapped::Ok {
        ty,
        loss,
        collation,
    }
}

fn varchar(n: u32, loss: &mut Option<String>) -> TiType {
    if n > MAX_VARCHAR_LENGTH {
        *loss = Some(format!(
            "VARCHAR length limit: varchar({n}) exceeds utf8mb4's 16383 characters, stored as MEDIUMTEXT"
        ));
        TiType::MediumText
    } else {
        TiType::Varchar(n)
    }
}

/// True for the serial pseudo-types.
pub fn is_serial(name: &str) -> bool {
    matches!(
        name,
        "serial" | "serial2" | "serial4" | "serial8" | "smallserial" | "bigserial"
    )
}

/// Normalise a sqlparser data type into a [`PgType`].
pub fn normalize(dt: &DataType) -> PgType {
    let written = dt.to_string();
    let mut args = Vec::new();
    let array = 0;
    let name: String = match dt {
        DataType::Array(elem) => {
            let inner = match elem {
                ArrayElemTypeDef::SquareBracket(t, _)
                | ArrayElemTypeDef::AngleBracket(t)
                | ArrayElemTypeDef::Parenthesis(t)
                | ArrayElemTypeDef::ParenthesisNotNull(t)
                | ArrayElemTypeDef::Qualified(t, _) => Some(t),
                ArrayElemTypeDef::None => None,
            };
            let mut base = inner.map(|t| normalize(t)).unwrap_or(PgType {
                name: "text".into(),
                args: vec![],
                array: 0,
                written: written.clone(),
            });
            base.array += 1;
            base.written = written;
            return base;
        }
        DataType::SmallInt(_) | DataType::Int2(_) => "smallint".into(),
        DataType::Int(_) | DataType::Integer(_) | DataType::Int4(_) => "integer".into(),
        DataType::BigInt(_) | DataType::Int8(_) => "bigint".into(),
        DataType::Numeric(info) | DataType::Decimal(info) | DataType::Dec(info) => {
            push_number_info(info, &mut args);
            "numeric".into()
        }
        DataType::Real | DataType::Float4 => "real".into(),
        DataType::Double(ExactNumberInfo::None) | DataType::DoublePrecision | DataType::Float8 => {
            "double precision".into()
        }
        DataType::Float(info) => {
            push_number_info(info, &mut args);
            "float".into()
        }
        DataType::Bool | DataType::Boolean => "boolean".into(),
        DataType::Char(len) | DataType::Character(len) => {
            push_char_len(len, &mut args);
            "char".into()
        }
        DataType::Varchar(len) | DataType::CharacterVarying(len) | DataType::CharVarying(len) => {
            push_char_len(len, &mut args);
            "varchar".into()
        }
        DataType::Text => "text".into(),
        DataType::Bytea => "bytea".into(),
        DataType::Date => "date".into(),
        DataType::Time(p, tz) => {
            args.extend(p.map(|v| v as i64));
            if matches!(tz, TimezoneInfo::WithTimeZone | TimezoneInfo::Tz) {
                "timetz".into()
            } else {
                "time".into()
            }
        }
        DataType::Timestamp(p, tz) => {
            args.extend(p.map(|v| v as i64));
            if matches!(tz, TimezoneInfo::WithTimeZone | TimezoneInfo::Tz) {
                "timestamptz".into()
            } else {
                "timestamp".into()
            }
        }
        DataType::Interval { .. } => "interval".into(),
        DataType::Uuid => "uuid".into(),
        DataType::JSON => "json".into(),
        DataType::JSONB => "jsonb".into(),
        DataType::Bit(n) => {
            args.extend(n.map(|v| v as i64));
            "bit".into()
        }
        DataType::BitVarying(n) | DataType::VarBit(n) => {
            args.extend(n.map(|v| v as i64));
            "varbit".into()
        }
        DataType::TsVector => "tsvector".into(),
        DataType::TsQuery => "tsquery".into(),
        DataType::Regclass => "regclass".into(),
        DataType::Varbinary(Some(BinaryLength::IntegerLength { length })) => {
            args.push(*length as i64);
            "bytea".into()
        }
        DataType::Custom(name, mods) => {
            for m in mods {
                if let TypeModifier::Number(n, _) = m {
                    args.push(n.parse().unwrap_or(-1));
                }
            }
            let last = name
                .0
                .last()
                .and_then(|p| p.as_ident())
                .map(|i| fold_ident(&i.value, i.quote_style))
                .unwrap_or_default();
            // `public.citext`, `pg_catalog.int4`: the schema does not change the type.
            match last.as_str() {
                "int2" => "smallint".into(),
                "int4" => "integer".into(),
                "int8" => "bigint".into(),
                "float4" => "real".into(),
                "float8" => "double precision".into(),
                "bool" => "boolean".into(),
                "bpchar" => "char".into(),
                "timestamp with time zone" => "timestamptz".into(),
                _ => last,
            }
        }
        other => other.to_string().to_ascii_lowercase(),
    };
    PgType {
        name,
        args,
        array,
        written,
    }
}

fn push_number_info(info: &ExactNumberInfo, args: &mut Vec<i64>) {
    match info {
        ExactNumberInfo::None => {}
        ExactNumberInfo::Precision(p) => args.push(*p as i64),
        ExactNumberInfo::PrecisionAndScale(p, s) => {
            args.push(*p as i64);
            args.push(*s);
        }
    }
}

fn push_char_len(len: &Option<CharacterLength>, args: &mut Vec<i64>) {
    if let Some(CharacterLength::IntegerLength { length, .. }) = len {
        args.push(*length as i64);
    }
}

/// PostgreSQL's identifier limit in bytes (NAMEDATALEN - 1); longer names are truncated.
pub const PG_MAX_IDENT_BYTES: usize = 63;

/// PostgreSQL folds unquoted identifiers to lower case and truncates them to 63 bytes.
pub fn fold_ident(value: &str, quote: Option<char>) -> String {
    let mut s = if quote.is_some() {
        value.to_string()
    } else {
        value.to_lowercase()
    };
    if s.len() > PG_MAX_IDENT_BYTES {
        let mut cut = PG_MAX_IDENT_BYTES;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::parser::Parser;

    fn pg(ty: &str) -> PgType {
        let sql = format!("CREATE TABLE t (c {ty})");
        let stmts = Parser::parse_sql(&PostgreSqlDialect {}, &sql).unwrap();
        match &stmts[0] {
            sqlparser::ast::Statement::CreateTable(ct) => normalize(&ct.columns[0].data_type),
            _ => unreachable!(),
        }
    }

    fn ty(t: &str) -> String {
        match map(&pg(t), Target::Tidb85, &Default::default()) {
            Mapped::Ok { ty, .. } => ty.to_string(),
            Mapped::Unsupported => "UNSUPPORTED".into(),
        }
    }

    #[test]
    fn spellings_normalise_to_one_name() {
        for (a, b) in [
            ("int", "integer"),
            ("int4", "integer"),
            ("timestamp with time zone", "timestamptz"),
            ("timestamptz", "timestamptz"),
            ("character varying(3)", "varchar"),
            ("float8", "double precision"),
            ("public.citext", "citext"),
            ("bool", "boolean"),
        ] {
            assert_eq!(pg(a).name, b, "{a}");
        }
    }

    #[test]
    fn table_maps_the_common_types() {
        for (pg_ty, tidb) in [
            ("smallint", "SMALLINT"),
            ("bigserial", "BIGINT"),
            ("numeric(12, 2)", "DECIMAL(12,2)"),
            ("numeric", "DECIMAL(65,30)"),
            ("numeric(70, 40)", "DECIMAL(65,30)"),
            ("real", "FLOAT"),
            ("double precision", "DOUBLE"),
            ("boolean", "TINYINT(1)"),
            ("char(64)", "CHAR(64)"),
            ("char", "CHAR(1)"),
            ("char(300)", "VARCHAR(300)"),
            ("varchar", "VARCHAR(255)"),
            ("varchar(20000)", "MEDIUMTEXT"),
            ("text", "LONGTEXT"),
            ("bytea", "LONGBLOB"),
            ("time", "TIME(6)"),
            ("timestamp(3) with time zone", "TIMESTAMP(3)"),
            ("timestamp without time zone", "DATETIME(6)"),
            ("timestamp(0)", "DATETIME"),
            ("uuid", "CHAR(36)"),
            ("jsonb", "JSON"),
            ("text[]", "JSON"),
            ("varchar(64)[]", "JSON"),
            ("inet", "VARCHAR(43)"),
            ("money", "DECIMAL(19,2)"),
            ("vector(1536)", "VECTOR(1536)"),
            ("bit(3)", "BIT(3)"),
            ("tstzrange", "UNSUPPORTED"),
            ("point", "UNSUPPORTED"),
        ] {
            assert_eq!(ty(pg_ty), tidb, "{pg_ty}");
        }
    }

    #[test]
    fn vector_needs_a_target_that_has_it() {
        let m = map(&pg("vector(3)"), Target::Tidb81, &Default::default());
        assert!(matches!(
            m,
            Mapped::Ok {
                ty: TiType::Json,
                loss: Some(_),
                ..
            }
        ));
    }

    #[test]
    fn lossy_rows_say_what_is_lost() {
        for t in ["money", "inet", "interval", "timetz", "text[]", "numeric"] {
            match map(&pg(t), Target::Tidb85, &Default::default()) {
                Mapped::Ok { loss: Some(l), .. } => assert!(!l.is_empty()),
                other => panic!("{t}: {other:?}"),
            }
        }
        assert!(matches!(
            map(&pg("integer"), Target::Tidb85, &Default::default()),
            Mapped::Ok { loss: None, .. }
        ));
    }
}
