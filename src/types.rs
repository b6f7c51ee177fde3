//! The PostgreSQL → TiDB type story, as one table.
//!
//! [`TYPES`] lists every PostgreSQL type the converter knows, one row each:
//! its names, the TiDB type it becomes (a named function where the type's
//! modifiers, the target or a `[types]` choice decide), what every column of
//! it loses and the rule that reports that, its collation and its spelling
//! in `CAST`. [`map`] applies a row and returns the TiDB type with its
//! [`Note`]s; each reporting rule prints the notes that name it and decides
//! nothing about types itself. docs/types.md is generated from this table,
//! and tests/type_table.rs checks that every note is printed by its rule.

use crate::model::TiType;
use crate::target::Target;
use sqlparser::ast::{
    ArrayElemTypeDef, BinaryLength, CharacterLength, DataType, ExactNumberInfo, TimezoneInfo,
    TypeModifier,
};
use std::borrow::Cow;
use std::fmt::Write as _;

/// The default length given to a VARCHAR (or citext) declared without one.
pub const DEFAULT_VARCHAR_LENGTH: u32 = 255;
/// Largest VARCHAR in utf8mb4 (65,535-byte column limit).
pub const MAX_VARCHAR_LENGTH: u32 = 16383;

/// A PostgreSQL type, normalised from sqlparser's many spellings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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

impl PgType {
    /// Modifier `i` when it is given and not negative.
    fn arg(&self, i: usize) -> Option<u32> {
        self.args
            .get(i)
            .copied()
            .filter(|v| *v >= 0)
            .map(|v| v as u32)
    }
}

/// The ids of the rules that the table's notes name. Each prints the notes
/// that name it (its file's documentation lists the rows).
pub mod reported_by {
    pub const LOSSY_TYPE: &str = "lossy-type";
    pub const TIMESTAMPTZ: &str = "timestamptz";
    pub const VARCHAR_LENGTH: &str = "varchar-length";
    pub const UNSUPPORTED_TYPE: &str = "unsupported-type";
}
use reported_by::{LOSSY_TYPE, TIMESTAMPTZ, UNSUPPORTED_TYPE, VARCHAR_LENGTH};

/// What a column of a type loses, and the rule that reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The id of the reporting rule (one of [`reported_by`]).
    pub rule: &'static str,
    /// What is lost; the rule's message frames it.
    pub text: Cow<'static, str>,
}

impl Note {
    fn new(rule: &'static str, text: impl Into<Cow<'static, str>>) -> Self {
        Note {
            rule,
            text: text.into(),
        }
    }
}

/// A row's own loss: what every column of its type loses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Loss {
    pub rule: &'static str,
    pub text: &'static str,
}

impl From<Loss> for Note {
    fn from(l: Loss) -> Self {
        Note::new(l.rule, l.text)
    }
}

/// What TiDB has none of: said of the unsupported rows and of unknown types.
const NO_EQUIVALENT: Loss = Loss {
    rule: UNSUPPORTED_TYPE,
    text: "has no TiDB equivalent; column not carried over",
};

/// The TiDB type a row gives.
#[derive(Clone, Copy)]
pub enum To {
    /// Always this type.
    Type(&'static TiType),
    /// Decided per column by the named function (modifiers, target, `[types]`
    /// choices). A note it returns replaces the row's own loss when both name
    /// the same rule (it says more).
    Per(fn(&PgType, Target, &TypeChoices) -> Shape),
    /// No TiDB equivalent: the column cannot be carried over.
    Unsupported,
}

/// What a row's function decides for one column.
pub struct Shape {
    pub ty: TiType,
    pub note: Option<Note>,
}

impl From<TiType> for Shape {
    fn from(ty: TiType) -> Self {
        Shape { ty, note: None }
    }
}

/// One row of [`TYPES`].
#[derive(Clone, Copy)]
pub struct TypeRow {
    /// PostgreSQL names; the first is the canonical one.
    pub names: &'static [&'static str],
    pub to: To,
    /// What every column of this type loses (`None`: nothing).
    pub loss: Option<Loss>,
    /// The column's collation in TiDB (`None`: the table's).
    pub collation: Option<&'static str>,
    /// The target type in `CAST(… AS …)`; `None`: a cast to this type only
    /// names it and the value is kept.
    pub cast: Option<&'static str>,
    /// Spellings with modifiers, one per case of a [`To::Per`] function:
    /// docs/types.md shows them and the tests convert them.
    pub examples: &'static [&'static str],
}

const fn row(names: &'static [&'static str], to: To) -> TypeRow {
    TypeRow {
        names,
        to,
        loss: None,
        collation: None,
        cast: None,
        examples: &[],
    }
}

impl TypeRow {
    /// Every column loses `text`; `lossy-type` reports it.
    const fn lossy(self, text: &'static str) -> Self {
        self.loss(LOSSY_TYPE, text)
    }
    const fn loss(self, rule: &'static str, text: &'static str) -> Self {
        TypeRow {
            loss: Some(Loss { rule, text }),
            ..self
        }
    }
    const fn cast(self, to: &'static str) -> Self {
        TypeRow {
            cast: Some(to),
            ..self
        }
    }
    const fn collation(self, name: &'static str) -> Self {
        TypeRow {
            collation: Some(name),
            ..self
        }
    }
    const fn examples(self, examples: &'static [&'static str]) -> Self {
        TypeRow { examples, ..self }
    }
}

/// The table. First match on any name wins.
pub static TYPES: &[TypeRow] = &[
    row(
        &["smallint", "int2", "smallserial", "serial2"],
        To::Type(&TiType::SmallInt),
    )
    .cast("SIGNED"),
    row(
        &["integer", "int", "int4", "serial", "serial4"],
        To::Type(&TiType::Int),
    )
    .cast("SIGNED"),
    row(
        &["bigint", "int8", "bigserial", "serial8"],
        To::Type(&TiType::BigInt),
    )
    .cast("SIGNED"),
    row(&["numeric", "decimal"], To::Per(numeric_sized))
        .cast("DECIMAL(65,30)")
        .examples(&["numeric(12,2)", "numeric(70,40)"]),
    row(&["real", "float4"], To::Type(&TiType::Float)).cast("DOUBLE"),
    row(&["double precision", "float8"], To::Type(&TiType::Double)).cast("DOUBLE"),
    row(&["float"], To::Per(float_sized)).examples(&["float(24)", "float(53)"]),
    row(&["boolean", "bool"], To::Type(&TiType::Bool)),
    row(&["char", "character", "bpchar"], To::Per(char_sized))
        .cast("CHAR")
        .examples(&["char(64)", "char(300)", "char(20000)"]),
    row(&["varchar", "character varying"], To::Per(varchar_sized))
        .cast("CHAR")
        .examples(&["varchar(64)", "varchar(20000)"]),
    row(&["text"], To::Type(&TiType::LongText)).cast("CHAR"),
    row(&["name"], To::Type(&TiType::Varchar(64))).cast("CHAR"),
    row(&["bytea"], To::Type(&TiType::LongBlob)),
    row(&["date"], To::Type(&TiType::Date)).cast("DATE"),
    row(&["time"], To::Per(time_precision)).examples(&["time(0)"]),
    row(&["timetz"], To::Per(time_precision)).lossy("the time zone offset (TiDB TIME has none)"),
    row(&["timestamp"], To::Per(timestamp_precision))
        .cast("DATETIME(6)")
        .examples(&["timestamp(0)"]),
    row(&["timestamptz"], To::Per(timestamptz_choice))
        .loss(TIMESTAMPTZ, "range 1970-01-01..2038-01-19 UTC")
        .cast("DATETIME(6)")
        .examples(&["timestamp(3) with time zone"]),
    row(&["interval"], To::Type(&TiType::Varchar(64)))
        .lossy("interval arithmetic: stored as its text form in VARCHAR(64)"),
    row(&["uuid"], To::Per(uuid_choice)),
    row(&["json", "jsonb"], To::Type(&TiType::Json)).cast("JSON"),
    row(&["inet", "cidr"], To::Type(&TiType::Varchar(43)))
        .lossy("network-address semantics and operators: stored as text in VARCHAR(43)"),
    row(&["macaddr"], To::Type(&TiType::Varchar(17)))
        .lossy("MAC-address semantics: stored as text in VARCHAR(17)"),
    row(&["macaddr8"], To::Type(&TiType::Varchar(23)))
        .lossy("MAC-address semantics: stored as text in VARCHAR(23)"),
    row(&["money"], To::Type(&TiType::Decimal(19, 2)))
        .lossy("locale-dependent currency formatting: stored as DECIMAL(19,2)"),
    row(&["citext"], To::Per(varchar_sized))
        .lossy("unbounded length: case-insensitive VARCHAR with collation utf8mb4_general_ci")
        .collation("utf8mb4_general_ci")
        .cast("CHAR"),
    row(&["tsvector", "tsquery"], To::Type(&TiType::LongText))
        .lossy("full-text search semantics: stored as LONGTEXT"),
    row(&["xml"], To::Type(&TiType::LongText))
        .lossy("XML validation and functions: stored as LONGTEXT"),
    row(&["bit"], To::Per(bit_sized)).examples(&["bit(3)"]),
    row(&["varbit", "bit varying"], To::Per(varbit_sized))
        .lossy("variable length: stored as fixed BIT(n)")
        .examples(&["bit varying(10)"]),
    row(&["vector"], To::Per(vector_by_target)).examples(&["vector(1536)"]),
    row(
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
        To::Unsupported,
    )
    .loss(NO_EQUIVALENT.rule, NO_EQUIVALENT.text),
];

/// `numeric(p,s)`: DECIMAL as far as TiDB's DECIMAL(65,30) reaches.
fn numeric_sized(pg: &PgType, _: Target, _: &TypeChoices) -> Shape {
    let Some(p) = pg.arg(0) else {
        return Shape {
            ty: TiType::Decimal(65, 30),
            note: Some(Note::new(
                LOSSY_TYPE,
                "unbounded precision: numeric without precision stored as DECIMAL(65,30)",
            )),
        };
    };
    let s = pg.args.get(1).copied().unwrap_or(0);
    let note = (p > 65 || !(0..=30).contains(&s)).then(|| {
        Note::new(
            LOSSY_TYPE,
            format!(
                "precision: numeric({p},{s}) exceeds TiDB's DECIMAL(65,30), stored as DECIMAL({},{})",
                p.min(65),
                s.clamp(0, 30)
            ),
        )
    });
    Shape {
        ty: TiType::Decimal(p.clamp(1, 65), s.clamp(0, 30) as u32),
        note,
    }
}

/// `float(p)`: FLOAT up to 24 bits of precision, DOUBLE beyond (as in PostgreSQL).
fn float_sized(pg: &PgType, _: Target, _: &TypeChoices) -> Shape {
    match pg.arg(0) {
        Some(p) if p <= 24 => TiType::Float.into(),
        _ => TiType::Double.into(),
    }
}

/// `char(n)`: CHAR up to 255 characters, VARCHAR (or MEDIUMTEXT) beyond.
fn char_sized(pg: &PgType, _: Target, _: &TypeChoices) -> Shape {
    let n = pg.arg(0).unwrap_or(1);
    if n <= 255 {
        return TiType::Char(n).into();
    }
    sized_varchar(n).unwrap_or_else(|| Shape {
        ty: TiType::Varchar(n),
        note: Some(Note::new(
            LOSSY_TYPE,
            format!("fixed-length padding: char({n}) exceeds CHAR's 255, stored as VARCHAR({n})"),
        )),
    })
}

/// `varchar(n)` (and citext): VARCHAR(n); without a length, the project's
/// default length (`[types] varchar_length`).
fn varchar_sized(pg: &PgType, _: Target, choices: &TypeChoices) -> Shape {
    match pg.arg(0) {
        Some(n) => sized_varchar(n).unwrap_or_else(|| TiType::Varchar(n).into()),
        None => {
            let n = choices.varchar_length;
            Shape {
                ty: TiType::Varchar(n),
                note: Some(Note::new(
                    VARCHAR_LENGTH,
                    format!("without a length → VARCHAR({n}); longer values will be rejected"),
                )),
            }
        }
    }
}

/// A VARCHAR longer than utf8mb4 allows: MEDIUMTEXT (`None` when it fits).
fn sized_varchar(n: u32) -> Option<Shape> {
    (n > MAX_VARCHAR_LENGTH).then(|| Shape {
        ty: TiType::MediumText,
        note: Some(Note::new(
            LOSSY_TYPE,
            format!("VARCHAR length limit: varchar({n}) exceeds utf8mb4's 16383 characters, stored as MEDIUMTEXT"),
        )),
    })
}

/// Fractional-seconds precision: PostgreSQL's default 6, at most TiDB's 6.
fn precision(pg: &PgType) -> u32 {
    pg.arg(0).unwrap_or(6).min(6)
}

fn time_precision(pg: &PgType, _: Target, _: &TypeChoices) -> Shape {
    TiType::Time(precision(pg)).into()
}

fn timestamp_precision(pg: &PgType, _: Target, _: &TypeChoices) -> Shape {
    TiType::Datetime(precision(pg)).into()
}

/// `timestamptz`: TIMESTAMP, or DATETIME when the project chose it (`[types] timestamptz`).
fn timestamptz_choice(pg: &PgType, _: Target, choices: &TypeChoices) -> Shape {
    match choices.timestamptz {
        TimestamptzAs::Timestamp => TiType::Timestamp(precision(pg)).into(),
        TimestamptzAs::Datetime => Shape {
            ty: TiType::Datetime(precision(pg)),
            note: Some(Note::new(
                TIMESTAMPTZ,
                "no time-zone conversion (pg2tidb.toml timestamptz = datetime): store UTC",
            )),
        },
    }
}

/// `uuid`: CHAR(36), or BINARY(16) when the project chose it (`[types] uuid`).
fn uuid_choice(_: &PgType, _: Target, choices: &TypeChoices) -> Shape {
    match choices.uuid {
        UuidAs::Char36 => TiType::Char(36).into(),
        UuidAs::Binary16 => TiType::Binary(16).into(),
    }
}

fn bit_sized(pg: &PgType, _: Target, _: &TypeChoices) -> Shape {
    TiType::Bit(pg.arg(0).unwrap_or(1).clamp(1, 64)).into()
}

fn varbit_sized(pg: &PgType, _: Target, _: &TypeChoices) -> Shape {
    TiType::Bit(pg.arg(0).unwrap_or(64).clamp(1, 64)).into()
}

/// `vector(n)`: VECTOR(n) on targets that have it, a JSON array before.
fn vector_by_target(pg: &PgType, target: Target, _: &TypeChoices) -> Shape {
    if target.has_vector() {
        return TiType::Vector(pg.arg(0)).into();
    }
    Shape {
        ty: TiType::Json,
        note: Some(Note::new(
            LOSSY_TYPE,
            format!("vector search: {target} has no VECTOR type (v8.4+), stored as a JSON array"),
        )),
    }
}

/// Any array (`text[]`, `int[][]`): a JSON array, whatever its element type.
fn array(pg: &PgType) -> Mapped {
    Mapped {
        ty: Some(TiType::Json),
        collation: None,
        notes: vec![Note::new(
            LOSSY_TYPE,
            format!(
                "array element type and array operators: {} stored as a JSON array",
                pg.written
            ),
        )],
    }
}

/// The outcome of mapping one PostgreSQL type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapped {
    /// The TiDB type; `None` when TiDB cannot store the type.
    pub ty: Option<TiType>,
    pub collation: Option<&'static str>,
    /// What is lost, each with the rule that reports it; at most one per rule.
    pub notes: Vec<Note>,
}

impl Mapped {
    /// A type carried over as it is (enums, or a column whose type is already decided).
    pub fn exact(ty: TiType) -> Self {
        Mapped {
            ty: Some(ty),
            collation: None,
            notes: vec![],
        }
    }

    /// The note `rule` reports, if any.
    pub fn note_for(&self, rule: &str) -> Option<&str> {
        self.notes
            .iter()
            .find(|n| n.rule == rule)
            .map(|n| n.text.as_ref())
    }
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

/// The row of [`TYPES`] that names `name`.
pub fn row_for(name: &str) -> Option<&'static TypeRow> {
    TYPES.iter().find(|r| r.names.contains(&name))
}

/// Map a normalised type by its row of [`TYPES`]: the TiDB type and its notes.
pub fn map(pg: &PgType, target: Target, choices: &TypeChoices) -> Mapped {
    if pg.array > 0 {
        return array(pg);
    }
    let Some(row) = row_for(&pg.name) else {
        return Mapped {
            ty: None,
            collation: None,
            notes: vec![NO_EQUIVALENT.into()],
        };
    };
    let shape = match &row.to {
        To::Type(ty) => Shape::from((*ty).clone()),
        To::Per(decide) => decide(pg, target, choices),
        To::Unsupported => {
            return Mapped {
                ty: None,
                collation: None,
                notes: row.loss.map(Note::from).into_iter().collect(),
            }
        }
    };
    let mut notes = Vec::new();
    if let Some(loss) = row.loss {
        if shape.note.as_ref().is_none_or(|n| n.rule != loss.rule) {
            notes.push(loss.into());
        }
    }
    notes.extend(shape.note);
    Mapped {
        ty: Some(shape.ty),
        collation: row.collation,
        notes,
    }
}

/// The TiDB type in `CAST(… AS …)` for a PostgreSQL type; `None` when the
/// cast only names the type (arrays, enums, domains, regclass, …) and the
/// value is kept as it is.
pub fn cast_as(pg: &PgType) -> Option<&'static str> {
    if pg.array > 0 {
        return None;
    }
    row_for(&pg.name)?.cast
}

/// Normalise a type as written in PostgreSQL (`numeric(12,2)`, `text[]`);
/// `None` when sqlparser does not read it as a type.
pub fn parse_type(written: &str) -> Option<PgType> {
    let dialect = sqlparser::dialect::PostgreSqlDialect {};
    let mut parser = sqlparser::parser::Parser::new(&dialect)
        .try_with_sql(written)
        .ok()?;
    let dt = parser.parse_data_type().ok()?;
    (parser.peek_token() == sqlparser::tokenizer::Token::EOF).then(|| normalize(&dt))
}

/// The type section of docs/types.md, generated from [`TYPES`]: every row
/// (with its examples) on the default target and `[types]` choices, then
/// each target or choice under which it maps differently.
pub fn reference_markdown() -> String {
    let mut s = format!(
        "# Type and function mapping\n\n\
         Generated from the type table in `src/types.rs` and the function table in \
         `src/expr.rs` (`PG2TIDB_WRITE_DOCS=1 cargo test --test type_table`). Do not edit by hand.\n\n\
         ## Types\n\n\
         Each PostgreSQL column type becomes the TiDB type shown, on the default target \
         ({}) and `[types]` choices; the lines below a type show where another target or \
         choice changes it. What is lost is reported for every such column by the rule \
         named. The last column is the type's spelling in `CAST(x AS …)` (none: the cast \
         only names the type and the value is kept).\n\n\
         | PostgreSQL | TiDB | what is lost | reported by | `CAST` |\n\
         | --- | --- | --- | --- | --- |\n",
        Target::default()
    );
    let choices = TypeChoices::default();
    let variants: Vec<(String, Target, TypeChoices)> = Target::ALL
        .into_iter()
        .filter(|t| *t != Target::default())
        .map(|t| (format!("on {t}"), t, choices.clone()))
        .chain([
            (
                "with `uuid = \"binary16\"`".to_string(),
                Target::default(),
                TypeChoices {
                    uuid: UuidAs::Binary16,
                    ..choices.clone()
                },
            ),
            (
                "with `timestamptz = \"datetime\"`".to_string(),
                Target::default(),
                TypeChoices {
                    timestamptz: TimestamptzAs::Datetime,
                    ..choices.clone()
                },
            ),
        ])
        .collect();
    for row in TYPES {
        let names: Vec<String> = row.names.iter().map(|n| format!("`{n}`")).collect();
        let cast = row.cast.map(|c| format!("`{c}`")).unwrap_or_default();
        let cases = std::iter::once((names.join(", "), row.names[0]))
            .chain(row.examples.iter().map(|e| (format!("`{e}`"), *e)));
        for (i, (shown, written)) in cases.enumerate() {
            let pg = parse_type(written).unwrap_or_else(|| PgType {
                name: written.to_string(),
                args: vec![],
                array: 0,
                written: written.to_string(),
            });
            let first = map(&pg, Target::default(), &choices);
            let cast = if i == 0 { cast.as_str() } else { "" };
            markdown_line(&mut s, &shown, &first, cast);
            for (when, target, choices) in &variants {
                let m = map(&pg, *target, choices);
                if m != first {
                    markdown_line(&mut s, &format!("{shown} {when}"), &m, "");
                }
            }
        }
    }
    let arr = parse_type("text[]").expect("text[] is a type");
    markdown_line(
        &mut s,
        "any array, e.g. `text[]`",
        &map(&arr, Target::default(), &choices),
        "",
    );
    let other = PgType {
        name: "any other type".into(),
        ..PgType::default()
    };
    markdown_line(
        &mut s,
        "any other type",
        &map(&other, Target::default(), &choices),
        "",
    );
    s
}

fn markdown_line(s: &mut String, shown: &str, m: &Mapped, cast: &str) {
    let ty = match (&m.ty, m.collation) {
        (None, _) => "not carried over".to_string(),
        (Some(ty), None) => format!("`{ty}`"),
        (Some(ty), Some(c)) => format!("`{ty} COLLATE {c}`"),
    };
    let lost: Vec<&str> = m.notes.iter().map(|n| n.text.as_ref()).collect();
    let rules: Vec<String> = m
        .notes
        .iter()
        .map(|n| format!("[`{0}`](rules.md#{0})", n.rule))
        .collect();
    let _ = writeln!(
        s,
        "| {shown} | {ty} | {} | {} | {cast} |",
        lost.join("; "),
        rules.join(", ")
    );
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
        match map(&pg(t), Target::Tidb85, &Default::default()).ty {
            Some(ty) => ty.to_string(),
            None => "UNSUPPORTED".into(),
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
        assert_eq!(m.ty, Some(TiType::Json));
        assert!(m
            .note_for(LOSSY_TYPE)
            .unwrap()
            .contains("tidb-8.1 has no VECTOR"));
        let m = map(&pg("vector(3)"), Target::Tidb85, &Default::default());
        assert_eq!((m.ty, m.notes), (Some(TiType::Vector(Some(3))), vec![]));
    }

    #[test]
    fn lossy_rows_say_what_is_lost() {
        for t in ["money", "inet", "interval", "timetz", "text[]", "numeric"] {
            let m = map(&pg(t), Target::Tidb85, &Default::default());
            assert!(
                !m.note_for(LOSSY_TYPE).unwrap_or_default().is_empty(),
                "{t}: {m:?}"
            );
        }
        let m = map(&pg("integer"), Target::Tidb85, &Default::default());
        assert_eq!(m, Mapped::exact(TiType::Int));
    }

    #[test]
    fn a_note_of_the_row_function_replaces_the_row_loss_of_its_rule() {
        let d = TypeChoices::default();
        // citext without a length: the row's loss and the default length, two rules.
        let m = map(&pg("citext"), Target::Tidb85, &d);
        let rules: Vec<&str> = m.notes.iter().map(|n| n.rule).collect();
        assert_eq!(rules, [LOSSY_TYPE, VARCHAR_LENGTH]);
        assert_eq!(m.collation, Some("utf8mb4_general_ci"));
        // timestamptz as DATETIME: the choice's note, not the TIMESTAMP range.
        let dt = TypeChoices {
            timestamptz: TimestamptzAs::Datetime,
            ..d.clone()
        };
        let m = map(&pg("timestamptz"), Target::Tidb85, &dt);
        assert_eq!(m.ty, Some(TiType::Datetime(6)));
        assert_eq!(m.notes.len(), 1);
        assert!(m
            .note_for(TIMESTAMPTZ)
            .unwrap()
            .contains("no time-zone conversion"));
        let m = map(&pg("timestamptz"), Target::Tidb85, &d);
        assert_eq!(
            m.note_for(TIMESTAMPTZ),
            Some("range 1970-01-01..2038-01-19 UTC")
        );
    }

    #[test]
    fn choices_decide_uuid_and_unsized_varchar() {
        let c = TypeChoices {
            uuid: UuidAs::Binary16,
            varchar_length: 100,
            ..Default::default()
        };
        assert_eq!(
            map(&pg("uuid"), Target::Tidb85, &c).ty,
            Some(TiType::Binary(16))
        );
        let m = map(&pg("varchar"), Target::Tidb85, &c);
        assert_eq!(m.ty, Some(TiType::Varchar(100)));
        assert!(m.note_for(VARCHAR_LENGTH).unwrap().contains("VARCHAR(100)"));
    }

    #[test]
    fn unknown_and_unsupported_types_are_not_carried_over() {
        for t in ["point", "no_such_type"] {
            let m = map(&pg(t), Target::Tidb85, &Default::default());
            assert_eq!(m.ty, None, "{t}");
            assert_eq!(
                m.note_for(UNSUPPORTED_TYPE),
                Some(NO_EQUIVALENT.text),
                "{t}"
            );
        }
    }

    #[test]
    fn cast_spelling_comes_from_the_row() {
        for (t, cast) in [
            ("text", Some("CHAR")),
            ("character varying(3)", Some("CHAR")),
            ("int8", Some("SIGNED")),
            ("timestamp with time zone", Some("DATETIME(6)")),
            ("jsonb", Some("JSON")),
            ("regclass", None),
            ("text[]", None),
            ("boolean", None),
        ] {
            assert_eq!(cast_as(&pg(t)), cast, "{t}");
        }
    }

    #[test]
    fn every_example_and_name_is_a_type_of_its_own_row() {
        for row in TYPES {
            for e in row.examples {
                let p = parse_type(e).unwrap_or_else(|| panic!("{e} does not parse"));
                assert!(std::ptr::eq(row_for(&p.name).unwrap(), row), "{e}");
            }
        }
        assert!(parse_type("varchar(3) junk").is_none());
    }
}
