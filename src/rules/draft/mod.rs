//! What the hooks of [`crate::rules::Rule`] look at: the drafts the
//! lowering builds (a column, an index, a key, a foreign key, an ALTER
//! COLUMN) for the rules to check and change, and the [`Event`]s it meets
//! (an object that is not there, a name TiDB cannot tell from another, a
//! form with no TiDB translation, …) for the rule that reports them.
//!
//! Lowering describes; the rules decide. Nothing here names a rule.

use crate::model::{Check, Column, ForeignKey, Index, IndexKind, KeyPart, Loc, PrimaryKey, Table};
use crate::types::{Mapped, PgType};
use sqlparser::ast::{
    AlterColumnOperation, AlterTableOperation, ColumnDef, CreateTable, Expr, ObjectName,
    ObjectType, Statement, TableConstraint,
};

/// Where a column is being defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnMode {
    /// In CREATE TABLE.
    Create,
    /// In ALTER TABLE … ADD COLUMN.
    Add,
    /// Redefined by ALTER TABLE … ALTER COLUMN … TYPE.
    AlterType,
    /// ALTER TABLE … ALTER COLUMN … SET DEFAULT: only the default is new.
    SetDefault,
}

/// A column on its way from PostgreSQL to TiDB.
pub struct ColumnDraft<'a> {
    pub table: String,
    /// The PostgreSQL definition (for ALTER COLUMN TYPE: a synthetic one).
    pub def: &'a ColumnDef,
    pub loc: Loc,
    pub mode: ColumnMode,
    /// The PostgreSQL type, after domain resolution.
    pub pg: PgType,
    /// The type table's verdict for `pg`.
    pub mapped: Mapped,
    /// The PostgreSQL default expression (from the column or its domain).
    pub pg_default: Option<Expr>,
    /// `GENERATED … AS IDENTITY`, with its START value.
    pub identity: Option<Option<i64>>,
    /// The TiDB column being built.
    pub col: Column,
    /// The column cannot be carried over (a rule reported an error).
    pub dropped: bool,
    /// A default (TiDB SQL) that TiDB refuses in ADD COLUMN: set by a follow-up ALTER COLUMN … SET DEFAULT.
    pub deferred_default: Option<String>,
    /// The table's AUTO_INCREMENT start.
    pub auto_increment_start: Option<i64>,
    /// CHECK expressions (TiDB SQL) inherited from a domain.
    pub domain_checks: Vec<String>,
    /// The column is part of a primary key, unique key or foreign key.
    pub in_key: bool,
    /// The `COLLATE` clauses of the definition, as written (last name part).
    pub collations: Vec<String>,
    /// ALTER COLUMN … TYPE … USING: the conversion expression.
    pub using: Option<&'a Expr>,
}

impl<'a> ColumnDraft<'a> {
    /// A draft of `col` with nothing decided yet: no PostgreSQL default, no
    /// identity, not dropped, no deferred default, domain CHECK, collation or
    /// USING expression.
    pub fn new(
        table: String,
        def: &'a ColumnDef,
        loc: Loc,
        mode: ColumnMode,
        pg: PgType,
        mapped: Mapped,
        col: Column,
    ) -> Self {
        ColumnDraft {
            table,
            def,
            loc,
            mode,
            pg,
            mapped,
            pg_default: None,
            identity: None,
            col,
            dropped: false,
            deferred_default: None,
            auto_increment_start: None,
            domain_checks: vec![],
            in_key: false,
            collations: vec![],
            using: None,
        }
    }
}

/// One key part of an index on its way to TiDB.
#[derive(Debug, Clone)]
pub struct KeyDraft {
    pub part: KeyPart,
    /// The PostgreSQL expression when the key is an expression.
    pub pg_expr: Option<Expr>,
    pub opclass: Option<String>,
    pub desc: bool,
}

/// An index on its way from PostgreSQL to TiDB.
pub struct IndexDraft {
    pub name: String,
    pub unique: bool,
    /// PostgreSQL access method, lower case (`btree`, `gin`, `hnsw`, …).
    pub method: Option<String>,
    pub keys: Vec<KeyDraft>,
    pub predicate: Option<Expr>,
    pub include: Vec<String>,
    pub nulls_not_distinct: bool,
    /// Vector index built by the vector-index rule.
    pub vector: bool,
    /// Not carried over (a rule reported why).
    pub dropped: bool,
    pub loc: Loc,
}

impl IndexDraft {
    pub fn to_index(&self) -> Index {
        Index {
            name: self.name.clone(),
            kind: if self.vector {
                IndexKind::Vector
            } else if self.unique {
                IndexKind::Unique
            } else {
                IndexKind::Plain
            },
            parts: self.keys.iter().map(|k| k.part.clone()).collect(),
        }
    }
}

/// What a constraint rule looks at: a CHECK, FOREIGN KEY, EXCLUDE,
/// PRIMARY KEY or UNIQUE constraint of `table`, before it is lowered.
pub struct ConstraintDraft<'a> {
    /// The table as known so far (in CREATE TABLE: the columns before this one's).
    pub table: &'a mut Table,
    pub constraint: &'a TableConstraint,
    /// The constraint's columns (keys and foreign keys), folded.
    pub columns: &'a [String],
    pub loc: Loc,
    /// True in ALTER TABLE … ADD CONSTRAINT (or ADD COLUMN).
    pub in_alter: bool,
    /// Columns a rule changed first (written as MODIFY COLUMN before the constraint in ALTER).
    pub changed: Vec<Column>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConstraintVerdict {
    Keep,
    Drop,
}

/// The statements a wrapping statement holds, with their positions (see [`crate::rules::Rule::pre_parse`]).
pub type Unwrapped = Vec<(String, Loc)>;

/// A primary key on its way to TiDB.
pub struct PrimaryKeyDraft<'a> {
    /// The table before the key is added.
    pub table: &'a Table,
    pub key: PrimaryKey,
    /// True in ALTER TABLE … ADD PRIMARY KEY (or ADD COLUMN … PRIMARY KEY).
    pub in_alter: bool,
    /// Not carried over (a rule reported why).
    pub dropped: bool,
}

/// Where a foreign key is being checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ForeignKeyCheck {
    /// In CREATE TABLE, once all its columns are known.
    Create,
    /// ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY (or ADD COLUMN … REFERENCES).
    Add,
    /// The referenced column `column` changed to `to` (ALTER COLUMN … TYPE on the parent):
    /// the foreign key is added back.
    ParentChanged { column: String, to: Box<Column> },
}

/// A foreign key of `table` on its way to TiDB.
pub struct ForeignKeyDraft<'a> {
    /// The referencing table (its columns may change to fit the key).
    pub table: &'a mut Table,
    pub fk: ForeignKey,
    /// The referenced table as the model has it (`None`: not known); for a
    /// reference of `table` to itself, `table` as it was before this check.
    pub parent: Option<std::borrow::Cow<'a, Table>>,
    pub check: ForeignKeyCheck,
    /// Columns of `table` a rule changed (in ALTER: MODIFY COLUMN first).
    pub changed: Vec<Column>,
    /// Not carried over (a rule reported why).
    pub dropped: bool,
}

/// What ALTER TABLE … ALTER COLUMN asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlterColumnKind {
    /// `TYPE` (the new definition went through the column hooks first).
    Type,
    /// `SET DEFAULT` (the default went through the column hooks first).
    SetDefault,
    DropDefault,
    /// `ADD GENERATED … AS IDENTITY`.
    AddIdentity,
}

/// What becomes of an ALTER COLUMN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlterVerdict {
    /// Written as TiDB SQL.
    Write,
    /// Applied to the schema model only (`--fold`): nothing is written.
    ModelOnly,
    /// Not carried over (a rule reported why).
    Drop,
}

/// An ALTER TABLE … ALTER COLUMN on its way to TiDB.
pub struct AlterColumnDraft<'a> {
    /// The table (a rule that applies the change to the model changes it).
    pub table: &'a mut Table,
    /// The column as it is.
    pub current: Column,
    pub kind: AlterColumnKind,
    /// The column as asked for.
    pub col: Column,
    /// `ADD GENERATED … AS IDENTITY (START WITH n)`.
    pub start: Option<i64>,
    pub loc: Loc,
    pub verdict: AlterVerdict,
}

/// A key that must fit TiDB's limits again because a column changed.
pub struct Refit<'a> {
    pub table: &'a Table,
    /// The index's name (a primary key's: `PRIMARY`).
    pub name: &'a str,
    pub parts: &'a mut Vec<KeyPart>,
    /// The column whose type changed (its prefix is computed anew, and a
    /// change is reported); `None`: fit quietly (the key was reported when made).
    pub column: Option<&'a str>,
}

/// A (possibly schema-qualified) name as written, on its way to its TiDB name.
pub struct NameDraft<'a> {
    pub written: &'a ObjectName,
    /// The PostgreSQL schema it is flattened from (`None`: `public`), set by the rule that flattens schemas.
    pub schema: Option<String>,
}

/// A statement after it was converted (its output and catalog updates are in the `Cx`).
pub struct Converted<'a> {
    pub text: &'a str,
    /// The data statement it is (`INSERT`, `UPDATE`, `DELETE`, `TRUNCATE`, `SELECT`), if one.
    pub data: Option<&'static str>,
}

/// What a rule did with an [`Event`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    /// Reported; what the event is about is not carried over.
    Drop,
    /// Reported; the lowering carries on.
    Keep,
}

/// The kind of type a `DROP TYPE` names, as the model knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeKind {
    Enum,
    Domain,
    /// A type the input created that was not carried over (composite, range, …).
    Other,
    /// Not in the model.
    Unknown,
}

/// What a statement does with an object that was not carried over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LostAction<'a> {
    /// Needs it: it reads, changes or refers to it (`by`: what in the
    /// statement needs it, such as `` view `w` ``).
    Use { by: Option<&'a str> },
    /// Drops it.
    Drop,
    /// Renames it to `to`.
    Rename { to: &'a str },
}

/// An object a statement names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Object<'a> {
    Table(&'a str),
    View(&'a str),
    Column {
        table: &'a str,
        column: &'a str,
    },
    Index(&'a str),
    Constraint {
        table: &'a str,
        name: &'a str,
    },
    Sequence(&'a str),
    Type {
        name: &'a str,
        kind: TypeKind,
    },
    Domain(&'a str),
    MaterializedView(&'a str),
    Schema(&'a str),
    /// A function or procedure.
    Routine(&'a str),
}

impl Object<'_> {
    /// This object in `catalog`'s record of what was not carried over.
    pub fn lost_in<'c>(
        &self,
        catalog: &'c crate::catalog::Catalog,
    ) -> Option<&'c crate::catalog::Lost> {
        use crate::catalog::LostKind;
        match *self {
            Object::Table(n) | Object::View(n) | Object::MaterializedView(n) => {
                catalog.lost(LostKind::Relation, n)
            }
            Object::Index(n) => catalog.lost(LostKind::Index, n),
            Object::Routine(n) => catalog.lost(LostKind::Routine, n),
            _ => None,
        }
    }
}

/// Where an expression with no TiDB translation was.
#[derive(Debug, Clone, Copy)]
pub enum ExprUse<'a> {
    /// A generated column's expression.
    Generated { column: &'a str },
    /// A CHECK of the column's domain.
    DomainCheck,
    /// A CHECK constraint (named, or not) of `table`.
    Check {
        name: Option<&'a str>,
        table: &'a str,
    },
    /// A value of INSERT, UPDATE or DELETE.
    Value,
}

/// Forms with no TiDB translation.
#[derive(Debug, Clone, Copy)]
pub enum Untranslated<'a> {
    /// A statement kind.
    Statement(&'a Statement),
    /// An ALTER TABLE operation.
    AlterTableOp(&'a AlterTableOperation),
    /// An ALTER COLUMN operation on `column`.
    AlterColumnOp {
        column: &'a str,
        op: &'a AlterColumnOperation,
    },
    /// RENAME CONSTRAINT of something other than an index.
    RenameConstraint(&'a str),
    /// A primary key on an expression.
    PrimaryKeyExpression { table: &'a str },
    /// A table constraint kind.
    Constraint(&'a TableConstraint),
    /// A view whose query has no translation (`why`).
    View { name: &'a str, why: &'a str },
    /// An INSERT, UPDATE or DELETE form (`why`).
    Dml(&'a str),
}

/// What the lowering (or the pipeline) met: the first rule whose `event`
/// hook takes it reports it (its [`Taken`] tells the lowering what to do).
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    // The pipeline, per piece of the input.
    /// A psql meta-command (`\connect`, …) psql would run.
    MetaCommand { text: &'a str },
    /// COPY data; `cut_bytes`: its size, when it was over the splitter's limit and not read.
    CopyData { cut_bytes: Option<usize> },
    /// A statement or psql meta-command (`meta`) of `bytes` bytes over the
    /// splitter's limit; only its head was read.
    TooLong {
        meta: bool,
        bytes: usize,
        head: &'a str,
    },
    /// An unterminated quote, dollar-quoted body or comment (`what`) starting at `at`.
    Unterminated { what: &'a str, at: Loc },
    /// Comments and whitespace before a statement, over the splitter's limit.
    PrefixTooLong { bytes: usize },
    /// What a psql conditional command evaluates to (`error`: psql rejects
    /// it, or pg2tidb cannot evaluate it).
    PsqlNote {
        error: bool,
        at: Loc,
        message: &'a str,
    },
    /// `what` is in a branch psql skips (`unknown`: one pg2tidb cannot evaluate).
    PsqlSkipped {
        unknown: bool,
        what: &'a str,
        why: &'a str,
    },
    /// The statement produced no SQL and no finding.
    Unaccounted,
    /// A suppression comment at `at` names `rule`, which suppressed nothing
    /// (`file_level`: `ignore-file[…]`, else `ignore[…]` on the next statement).
    UnusedSuppression {
        rule: &'a str,
        file_level: bool,
        at: Loc,
    },
    /// A statement sqlparser could not read (`words`: its leading words, upper case).
    Unparsed { text: &'a str, words: &'a [String] },
    /// An unread statement no rule took: sqlparser's `message` about `at`.
    SyntaxError {
        message: &'a str,
        at: Loc,
        head: &'a str,
    },

    // Names.
    /// A new `kind` named `name` (`scope`: `` of table `t` ``, or empty)
    /// where the model (comparing as TiDB does) has `existing`.
    NewNameTaken {
        kind: &'a str,
        name: &'a str,
        existing: &'a str,
        scope: &'a str,
        at: Loc,
    },
    /// A statement names `kind` `requested` and the model (comparing as TiDB
    /// does) has `known`; `what` is the part of the statement that needs it.
    Reference {
        kind: &'a str,
        requested: &'a str,
        known: &'a str,
        what: &'a str,
    },

    // Objects.
    /// A statement on a table the model does not have as such (ALTER TABLE,
    /// CREATE INDEX, or DROP TABLE of one it does not know).
    OnTable { table: &'a str },
    /// `object` is not in the model; `if_exists`: the statement says IF
    /// EXISTS; `in_drop`: it is a DROP of that object; `needed`: why the
    /// statement needs it.
    Absent {
        object: Object<'a>,
        if_exists: bool,
        in_drop: bool,
        needed: &'a str,
    },
    /// INSERT or UPDATE writes string literals longer than their columns'
    /// TiDB types hold: column → the longest, in characters.
    ValuesTooLong {
        table: &'a Table,
        long: &'a std::collections::BTreeMap<String, u32>,
    },
    /// A statement adds column `column` to `table`, which TiDB still has
    /// (`kept`: the DROP that was not carried over, when known).
    StillExists {
        table: &'a str,
        column: &'a str,
        kept: Option<&'a crate::catalog::Lost>,
    },
    /// A statement names `object`, which the input created and an earlier
    /// statement did not carry over (`lost`: what and where); `action` is
    /// what the statement does with it.
    Lost {
        object: Object<'a>,
        lost: &'a crate::catalog::Lost,
        action: LostAction<'a>,
    },
    /// DROP of `object` (a type, domain, sequence or schema the model may
    /// have; `exists`: it does), after its name was checked.
    Drop {
        object: Object<'a>,
        if_exists: bool,
        exists: bool,
    },
    /// DROP of an object kind (`ROLE`, `DATABASE`, …) the lowering has no translation for.
    DropKind(ObjectType),
    /// DROP MATERIALIZED VIEW of these (the absent ones reported already).
    DropMaterializedViews(&'a [String]),
    /// DROP SCHEMA without CASCADE of a schema that holds `list`.
    SchemaInUse { schema: &'a str, list: &'a str },
    /// DROP SCHEMA … CASCADE dropped `list` (and `outside`: what other tables lost).
    SchemaDropped {
        schema: &'a str,
        list: &'a str,
        outside: &'a str,
    },
    /// `DROP … CASCADE` of tables or views.
    Cascade,

    // Tables and columns.
    /// CREATE TABLE (after its name), before its columns.
    CreateTable { ct: &'a CreateTable, name: &'a str },
    /// CREATE TABLE … PARTITION BY `by`.
    PartitionedBy { table: &'a str, by: &'a str },
    /// CREATE TABLE `child` … INHERITS `parent`, whose AUTO_INCREMENT columns are `auto_increment`.
    Inherits {
        child: &'a str,
        parent: &'a str,
        auto_increment: &'a [String],
    },
    /// An ALTER TABLE operation, before the table is looked up.
    AlterOp {
        table: &'a str,
        op: &'a AlterTableOperation,
    },
    /// ALTER COLUMN … TYPE to what the column already is in TiDB.
    Unchanged {
        table: &'a str,
        column: &'a str,
        ty: &'a crate::model::TiType,
    },
    /// ADD COLUMN … `what` (PRIMARY KEY), added by a clause of its own.
    ColumnSplit { column: &'a str, what: &'a str },
    /// DROP COLUMN of a primary-key column of `table` (PostgreSQL drops the
    /// key with it).
    PrimaryKeyColumnDropped { table: &'a Table, column: &'a str },
    /// DROP CONSTRAINT of the primary key of `table`.
    DropPrimaryKey { table: &'a Table },
    /// A CHECK constraint was kept, at `at`.
    CheckKept { at: Loc },
    /// ALTER TABLE … ADD CONSTRAINT … CHECK: `check`, about to be added to `table`.
    CheckAdded { table: &'a Table, check: &'a Check },
    /// `ADD CONSTRAINT … NOT VALID`.
    NotValid,
    /// CREATE VIEW … WITH (…) options.
    ViewOptions { view: &'a str },
    /// `RETURNING` of INSERT, UPDATE or DELETE.
    Returning,
    /// `INSERT … ON CONFLICT [target] DO NOTHING` (`target`: a conflict
    /// target was named).
    OnConflictDoNothing { target: bool },
    /// An expression with no TiDB translation (`why`), at `at`.
    Expression {
        at: Loc,
        used: ExprUse<'a>,
        why: &'a str,
    },
    /// A form with no TiDB translation.
    Untranslated(Untranslated<'a>),
}
