//! Rules: every compatibility decision the converter makes, one file each.
//!
//! A rule file holds its documentation (the `//!` comment at its top, which
//! `pg2tidb rules ID` and docs/rules.md print), its [`RuleMeta`], and the
//! hooks it implements. [`REGISTRY`] is the one table that lists them, in
//! the order their hooks run.
//!
//! The lowering (`crate::lower`) and the pipeline reach the rules only
//! through the hooks of [`Rule`]: they build drafts (a column, an index, a
//! key, a foreign key, an ALTER COLUMN) for the rules to check and change,
//! and raise [`Event`]s (an object that is not there, a name TiDB takes for
//! another, a form with no translation, …) for the rule that reports them;
//! both are in [`draft`]. A rule split out of another names it
//! ([`RuleMeta::split_from`]): suppressions and `[rules]` settings of the old
//! id still apply ([`answers_to`]).

use crate::catalog::Catalog;
use crate::model::{Loc, Table};
use crate::target::Target;
use sqlparser::ast::{ObjectName, Statement};
use std::collections::BTreeSet;
use std::fmt;

pub mod draft;
pub use draft::*;

pub mod docs {
    //! Rule documentation extracted from each rule file's `//!` comment by build.rs.
    include!(concat!(env!("OUT_DIR"), "/rule_docs.rs"));
}

pub mod add_column_limits;
pub mod auto_increment_alter;
pub mod binary_key;
pub mod check_auto_increment;
pub mod check_constraint;
pub mod check_fk_action;
pub mod clustered_primary_key;
pub mod collation;
pub mod default_expression;
pub mod default_now;
pub mod default_uuid;
pub mod deferrable_constraint;
pub mod descending_index;
pub mod do_block;
pub mod domain_type;
pub mod drop_cascade;
pub mod enum_type;
pub mod exclude_constraint;
pub mod expression_index;
pub mod fk_parent_index;
pub mod fk_set_default;
pub mod fk_type_incompatible;
pub mod fk_type_mismatch;
pub mod fold_schema_only;
pub mod foreign_key_name;
pub mod identifier_case;
pub mod identifier_length;
pub mod if_exists_noop;
pub mod index_column_limit;
pub mod index_key_length;
pub mod index_method;
pub mod lob_default;
pub mod lossy_type;
pub mod lost_drop;
pub mod lost_reference;
pub mod nulls_not_distinct;
pub mod on_conflict_ignore;
pub mod one_auto_increment;
pub mod partial_index;
pub mod partition;
pub mod pg_only_statement;
pub mod primary_key_column_drop;
pub mod primary_key_drop;
pub mod primary_key_type;
pub mod psql_conditional;
pub mod psql_conditional_error;
pub mod returning_clause;
pub mod schema_name;
pub mod serial;
pub mod still_exists;
pub mod syntax_error;
pub mod text_key;
pub mod timestamptz;
pub mod transaction_ddl;
pub mod unknown_object;
pub mod unsupported_expression;
pub mod unsupported_statement;
pub mod unsupported_type;
pub mod unused_suppression;
pub mod updated_at_trigger;
pub mod using_expression;
pub mod value_too_long;
pub mod value_too_long_key;
pub mod varchar_length;
pub mod vector_index;

/// Every rule, in the order its hooks run.
pub static REGISTRY: &[&dyn Rule] = &[
    // Whole statements (the first that takes a statement wins).
    &if_exists_noop::IfExistsNoop,
    &transaction_ddl::TransactionDdl,
    &pg_only_statement::PgOnlyStatement,
    &updated_at_trigger::UpdatedAtTrigger,
    &enum_type::EnumType,
    &domain_type::DomainType,
    &do_block::DoBlock,
    &one_auto_increment::OneAutoIncrement,
    &serial::Serial,
    &auto_increment_alter::AutoIncrementAlter,
    &unsupported_statement::UnsupportedStatement,
    &syntax_error::SyntaxError,
    &schema_name::SchemaName,
    &identifier_length::IdentifierLength,
    &identifier_case::IdentifierCase,
    &lost_reference::LostReference,
    &lost_drop::LostDrop,
    &still_exists::StillExists,
    &unknown_object::UnknownObject,
    &partition::Partition,
    &drop_cascade::DropCascade,
    &returning_clause::ReturningClause,
    &value_too_long_key::ValueTooLongKey,
    &value_too_long::ValueTooLong,
    &on_conflict_ignore::OnConflictIgnore,
    &unused_suppression::UnusedSuppression,
    &fold_schema_only::FoldSchemaOnly,
    &psql_conditional::PsqlConditional,
    &psql_conditional_error::PsqlConditionalError,
    // Column types.
    &using_expression::UsingExpression,
    &collation::Collation,
    &unsupported_type::UnsupportedType,
    &lossy_type::LossyType,
    &timestamptz::Timestamptz,
    &varchar_length::VarcharLength,
    &text_key::TextKey,
    &binary_key::BinaryKey,
    // Auto-increment and defaults (each default rule takes the defaults it handles).
    &default_now::DefaultNow,
    &default_uuid::DefaultUuid,
    &lob_default::LobDefault,
    &default_expression::DefaultExpression,
    &unsupported_expression::UnsupportedExpression,
    &add_column_limits::AddColumnLimits,
    // Keys and constraints.
    &primary_key_drop::PrimaryKeyDrop,
    &clustered_primary_key::ClusteredPrimaryKey,
    &primary_key_column_drop::PrimaryKeyColumnDrop,
    &primary_key_type::PrimaryKeyType,
    &check_constraint::CheckConstraint,
    &check_auto_increment::CheckAutoIncrement,
    &check_fk_action::CheckFkAction,
    &deferrable_constraint::DeferrableConstraint,
    &fk_set_default::FkSetDefault,
    &fk_type_mismatch::FkTypeMismatch,
    &fk_type_incompatible::FkTypeIncompatible,
    &foreign_key_name::ForeignKeyName,
    &fk_parent_index::FkParentIndex,
    &exclude_constraint::ExcludeConstraint,
    &nulls_not_distinct::NullsNotDistinct,
    // Indexes.
    &index_method::IndexMethod,
    &vector_index::VectorIndex,
    &partial_index::PartialIndex,
    &expression_index::ExpressionIndex,
    &descending_index::DescendingIndex,
    &index_column_limit::IndexColumnLimit,
    &index_key_length::IndexKeyLength,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Dropped PostgreSQL-only noise or an exact rewrite worth knowing.
    Info,
    /// Converted, but something changed or was lost.
    Warning,
    /// Not carried over: the statement (or part of it) is missing from the output.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A rule's identity and documentation.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable id, used in diagnostics, suppressions and configuration.
    pub id: &'static str,
    pub severity: Severity,
    /// The rule file's `//!` documentation (Markdown).
    pub doc: &'static str,
    /// The hooks the rule file's `impl Rule` block implements (read by build.rs).
    pub hooks: &'static [&'static str],
    /// The rule whose id this rule's findings had before they got their
    /// own: suppressions and `[rules]` settings of that id apply to it too.
    pub split_from: Option<&'static str>,
}

impl RuleMeta {
    /// The first line of the documentation.
    pub fn summary(&self) -> &'static str {
        self.doc.lines().next().unwrap_or("").trim()
    }
}

/// One message from one rule about one place.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    #[serde(flatten)]
    pub loc: Loc,
}

/// What a statement-level rule decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Leave the statement out (the rule reported why).
    Drop,
    /// The rule produced replacement output itself.
    Replace,
}

/// The context every hook gets: target, catalog (as before the statement),
/// and the findings sink.
pub struct Cx<'a> {
    pub target: Target,
    pub catalog: &'a Catalog,
    /// Where the statement starts.
    pub loc: Loc,
    pub findings: Vec<Finding>,
    /// Extra output statements produced by statement-level rules.
    pub output: Vec<crate::emit::Emitted>,
    /// Facts already reported once this run (keys chosen by the rules).
    pub said_once: &'a mut BTreeSet<String>,
    /// A token-level repair the parser needed for this statement.
    pub repair: crate::parse::Repair,
    /// Fold mode: ALTERs change the model only; tables are emitted at the end.
    pub fold: bool,
    /// Type choices from pg2tidb.toml.
    pub types: &'a crate::types::TypeChoices,
    /// Catalog updates requested by statement rules, applied after the statement.
    pub catalog_updates: Vec<CatalogUpdate>,
}

/// A change to the schema state that a statement-level rule asks for.
#[derive(Debug, Clone)]
pub enum CatalogUpdate {
    /// Record a trigger function that only stamps `column = now()`.
    TouchFunction {
        function: String,
        column: String,
    },
    /// Insert or replace a table's definition.
    Table(Box<Table>),
    RemoveTable(String),
    Enum {
        name: String,
        labels: Vec<String>,
    },
    RemoveEnum(String),
    Domain(Box<crate::catalog::Domain>),
    RemoveDomain(String),
    Sequence(crate::model::Sequence),
    View {
        name: String,
        view: crate::catalog::View,
    },
    RemoveView(String),
    /// A `PARTITION OF` child folded into its parent.
    Partition {
        child: String,
        parent: String,
    },
    /// `ALTER SEQUENCE s OWNED BY t.c` (folded schemas only).
    SequenceOwned {
        sequence: String,
        table: String,
        column: String,
    },
    RemoveSequence(String),
    /// A PostgreSQL-only object was created (see [`Catalog::pg_objects`]).
    PgObject {
        key: String,
        detail: String,
    },
    RemovePgObject(String),
    /// The schema a view or type was flattened from (`None`: public), by
    /// its [`pg_object_key`].
    FlattenedFrom {
        key: String,
        schema: Option<String>,
    },
}

/// The [`Catalog::pg_objects`] key of trigger `trigger` on `table`.
pub fn trigger_key(table: &str, trigger: &str) -> String {
    pg_object_key("trigger", &format!("{table}.{trigger}"))
}

/// The key of a PostgreSQL-only object in [`Catalog::pg_objects`]: its
/// kind (`routine`, `trigger`, `extension`, `schema`, `materialized view`)
/// and name, lower case (a trigger's name is `table.trigger`).
pub fn pg_object_key(kind: &str, name: &str) -> String {
    format!("{kind} {}", name.to_lowercase())
}

impl<'a> Cx<'a> {
    /// Write `stmt` for this input statement.
    pub fn emit(&mut self, stmt: impl Into<crate::emit::Emitted>) {
        self.output.push(stmt.into());
    }

    /// Write `ALTER TABLE table op` for this input statement.
    pub fn alter(&mut self, table: &str, op: crate::emit::AlterOp) {
        self.output.push(crate::emit::Emitted::alter(table, op));
    }

    pub fn report(&mut self, meta: &'static RuleMeta, loc: Loc, message: impl Into<String>) {
        self.findings.push(Finding {
            rule: meta.id,
            severity: meta.severity,
            message: message.into(),
            loc,
        });
    }

    /// Report at the statement's location.
    pub fn report_here(&mut self, meta: &'static RuleMeta, message: impl Into<String>) {
        let loc = self.loc;
        self.report(meta, loc, message);
    }

    /// Report a fact once per run (e.g. "CHECK needs tidb_enable_check_constraint").
    pub fn report_once(
        &mut self,
        meta: &'static RuleMeta,
        key: &str,
        loc: Loc,
        message: impl Into<String>,
    ) {
        if self.said_once.insert(format!("{}:{key}", meta.id)) {
            self.report(meta, loc, message);
        }
    }
}

/// A rule. Every hook has a default that does nothing; the lowering and
/// the pipeline call the hooks through the `run_*` functions below, in
/// [`REGISTRY`] order, never a rule directly. A hook is called only on the
/// rules whose `impl Rule` block has it (build.rs reads that block into
/// [`RuleMeta::hooks`]): implementing a hook is all a rule does to get it.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;

    /// A statement's text before it is parsed (also on the parsing thread,
    /// so without a [`Cx`]): a statement that only wraps others (a guarding
    /// DO block) returns them, with their positions, to be converted in its place.
    fn pre_parse(&self, _text: &str, _at: Loc) -> Option<Unwrapped> {
        None
    }
    /// The `statements` this rule's [`Rule::pre_parse`] returned are converted in place of the wrapper.
    fn unwrapped(&self, _cx: &mut Cx, _statements: usize) {}
    /// A whole statement, before it is converted. Return a verdict to take it over.
    fn statement(&self, _cx: &mut Cx, _stmt: &Statement) -> Option<Verdict> {
        None
    }
    /// A statement after it was converted (its output and catalog updates are in `cx`).
    fn converted(&self, _cx: &mut Cx, _s: &Converted) {}
    /// Something the lowering or the pipeline met (see [`Event`]): return
    /// `Some` to take it (the first rule that does reports it).
    fn event(&self, _cx: &mut Cx, _e: &Event) -> Option<Taken> {
        None
    }
    /// A (possibly schema-qualified) name the statement uses.
    fn name(&self, _cx: &mut Cx, _n: &mut NameDraft) {}
    /// A new object's name, as written, at `at` (CREATE TABLE, a column, CREATE INDEX).
    fn new_name(&self, _cx: &mut Cx, _written: &str, _at: Loc) {}
    /// A column definition (CREATE TABLE, ADD COLUMN, ALTER COLUMN TYPE, SET DEFAULT).
    fn column(&self, _cx: &mut Cx, _col: &mut ColumnDraft) {}
    /// CREATE TABLE: every column and key is known; the foreign keys are checked next.
    fn keys(&self, _cx: &mut Cx, _table: &mut Table) {}
    /// A whole table after CREATE TABLE was lowered.
    fn table(&self, _cx: &mut Cx, _table: &mut Table) {}
    /// An index (CREATE INDEX, UNIQUE constraints); `table` is its table as known.
    fn index(&self, _cx: &mut Cx, _table: Option<&Table>, _index: &mut IndexDraft) {}
    /// A key that must fit again because a column changed.
    fn refit(&self, _cx: &mut Cx, _key: &mut Refit) {}
    /// A CHECK, FOREIGN KEY, EXCLUDE, PRIMARY KEY or UNIQUE constraint, before it is lowered.
    fn constraint(&self, _cx: &mut Cx, _c: &mut ConstraintDraft) -> ConstraintVerdict {
        ConstraintVerdict::Keep
    }
    /// A primary key (CREATE TABLE, ADD PRIMARY KEY).
    fn primary_key(&self, _cx: &mut Cx, _pk: &mut PrimaryKeyDraft) {}
    /// A foreign key, with its columns and its parent known.
    fn foreign_key(&self, _cx: &mut Cx, _fk: &mut ForeignKeyDraft) {}
    /// ALTER TABLE … ALTER COLUMN (TYPE, SET/DROP DEFAULT, ADD IDENTITY).
    fn alter_column(&self, _cx: &mut Cx, _a: &mut AlterColumnDraft) {}
}

/// Declare a rule's unit struct and its [`RuleMeta`]; the doc comes from the file's `//!` comment.
#[macro_export]
macro_rules! declare_rule {
    ($ty:ident, $id:literal, $sev:ident, $doc:ident) => {
        $crate::declare_rule!(@meta $ty, $id, $sev, $doc, None);
    };
    ($ty:ident, $id:literal, $sev:ident, $doc:ident, split_from = $from:literal) => {
        $crate::declare_rule!(@meta $ty, $id, $sev, $doc, Some($from));
    };
    (@meta $ty:ident, $id:literal, $sev:ident, $doc:ident, $from:expr) => {
        pub struct $ty;
        pub static META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
            id: $id,
            severity: $crate::rules::Severity::$sev,
            doc: $crate::rules::docs::$doc.0,
            hooks: $crate::rules::docs::$doc.1,
            split_from: $from,
        };
        /// This rule's metadata.
        pub fn meta() -> &'static $crate::rules::RuleMeta {
            &META
        }
    };
}

/// Look a rule up by id.
pub fn by_id(id: &str) -> Option<&'static dyn Rule> {
    REGISTRY.iter().copied().find(|r| r.meta().id == id)
}

/// The id a finding of rule `rule` had before its rule got its own (see
/// [`RuleMeta::split_from`]).
pub fn split_from(rule: &str) -> Option<&'static str> {
    by_id(rule).and_then(|r| r.meta().split_from)
}

/// True when `id`, as written in a suppression or `[rules]`, names the
/// findings of rule `rule`: its own id, or the id it was split from (so a
/// suppression written before the split keeps working).
pub fn answers_to(rule: &str, id: &str) -> bool {
    rule == id || split_from(rule) == Some(id)
}

/// The hooks of [`Rule`] (besides `meta`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hook {
    PreParse,
    Unwrapped,
    Statement,
    Converted,
    Event,
    Name,
    NewName,
    Column,
    Keys,
    Table,
    Index,
    Refit,
    Constraint,
    PrimaryKey,
    ForeignKey,
    AlterColumn,
}

impl Hook {
    const ALL: [Hook; 16] = [
        Hook::PreParse,
        Hook::Unwrapped,
        Hook::Statement,
        Hook::Converted,
        Hook::Event,
        Hook::Name,
        Hook::NewName,
        Hook::Column,
        Hook::Keys,
        Hook::Table,
        Hook::Index,
        Hook::Refit,
        Hook::Constraint,
        Hook::PrimaryKey,
        Hook::ForeignKey,
        Hook::AlterColumn,
    ];

    /// The method's name.
    fn name(self) -> &'static str {
        match self {
            Hook::PreParse => "pre_parse",
            Hook::Unwrapped => "unwrapped",
            Hook::Statement => "statement",
            Hook::Converted => "converted",
            Hook::Event => "event",
            Hook::Name => "name",
            Hook::NewName => "new_name",
            Hook::Column => "column",
            Hook::Keys => "keys",
            Hook::Table => "table",
            Hook::Index => "index",
            Hook::Refit => "refit",
            Hook::Constraint => "constraint",
            Hook::PrimaryKey => "primary_key",
            Hook::ForeignKey => "foreign_key",
            Hook::AlterColumn => "alter_column",
        }
    }
}

/// The rules that implement `hook`, in [`REGISTRY`] order (from
/// [`RuleMeta::hooks`]): a hook is called on those only.
fn with_hook(hook: Hook) -> &'static [&'static dyn Rule] {
    static BY_HOOK: std::sync::OnceLock<Vec<Vec<&'static dyn Rule>>> = std::sync::OnceLock::new();
    let by_hook = BY_HOOK.get_or_init(|| {
        let mut by_hook = vec![Vec::new(); Hook::ALL.len()];
        for r in REGISTRY {
            for name in r.meta().hooks {
                let h = Hook::ALL
                    .iter()
                    .find(|h| h.name() == *name)
                    .unwrap_or_else(|| panic!("rule {}: unknown hook {name}", r.meta().id));
                by_hook[*h as usize].push(*r);
            }
        }
        by_hook
    });
    &by_hook[hook as usize]
}

/// The statements a rule unwraps from `text` (a guarding DO block), with the rule.
pub fn run_pre_parse(text: &str, at: Loc) -> Option<(&'static dyn Rule, Unwrapped)> {
    with_hook(Hook::PreParse)
        .iter()
        .find_map(|r| r.pre_parse(text, at).map(|inner| (*r, inner)))
}

/// Run the statement hooks; the first verdict wins.
pub fn run_statement(cx: &mut Cx, stmt: &Statement) -> Option<Verdict> {
    with_hook(Hook::Statement)
        .iter()
        .find_map(|r| r.statement(cx, stmt))
}

/// Run the hooks for a converted statement.
pub fn run_converted(cx: &mut Cx, s: &Converted) {
    for r in with_hook(Hook::Converted) {
        r.converted(cx, s);
    }
}

/// Offer an event to the rules; the first that takes it reports it.
pub fn run_event(cx: &mut Cx, e: &Event) -> Option<Taken> {
    with_hook(Hook::Event).iter().find_map(|r| r.event(cx, e))
}

/// A new `kind` named `name` (`scope`: `` of table `t` ``, or empty) where
/// the model, comparing names as TiDB does, has `existing`: true when a rule
/// refuses it (and reported why).
pub fn run_new_name_taken(
    cx: &mut Cx,
    kind: &str,
    name: &str,
    existing: &str,
    scope: &str,
    at: Loc,
) -> bool {
    // The same name is the same object.
    name != existing
        && run_event(
            cx,
            &Event::NewNameTaken {
                kind,
                name,
                existing,
                scope,
                at,
            },
        ) == Some(Taken::Drop)
}

/// A statement names `object` and does `action` with it: true when the
/// input created it and an earlier statement did not carry it over (a rule
/// reported it; the statement, or this part of it, is left out).
pub fn run_lost(cx: &mut Cx, object: Object, action: LostAction) -> bool {
    let Some(lost) = object.lost_in(cx.catalog).cloned() else {
        return false;
    };
    let e = Event::Lost {
        object,
        lost: &lost,
        action,
    };
    run_event(cx, &e) == Some(Taken::Drop)
}

/// A statement names `kind` `requested`, and the model has `known`, the
/// same name to TiDB: true when a rule says `what` is not carried over.
pub fn run_reference(cx: &mut Cx, kind: &str, requested: &str, known: &str, what: &str) -> bool {
    requested != known
        && run_event(
            cx,
            &Event::Reference {
                kind,
                requested,
                known,
                what,
            },
        ) == Some(Taken::Drop)
}

/// Record a PostgreSQL-only object the input creates (for `DROP … IF EXISTS`).
pub fn pg_object_created(cx: &mut Cx, kind: &str, name: &str) {
    cx.catalog_updates.push(CatalogUpdate::PgObject {
        key: pg_object_key(kind, name),
        detail: String::new(),
    });
}

/// Forget a PostgreSQL-only object the input drops.
pub fn pg_object_dropped(cx: &mut Cx, kind: &str, name: &str) {
    cx.catalog_updates
        .push(CatalogUpdate::RemovePgObject(pg_object_key(kind, name)));
}

/// The TiDB name of a (possibly schema-qualified) name: its last part,
/// after the name hooks saw it (a schema is flattened).
pub fn tidb_name(cx: &mut Cx, written: &ObjectName) -> String {
    run_name(cx, written);
    crate::expr::last_name(written)
}

/// Run the name hooks; returns the schema the name is flattened from.
pub fn run_name(cx: &mut Cx, written: &ObjectName) -> Option<String> {
    let mut n = NameDraft {
        written,
        schema: None,
    };
    for r in with_hook(Hook::Name) {
        r.name(cx, &mut n);
    }
    n.schema
}

/// Run the hooks for a new object's name.
pub fn run_new_name(cx: &mut Cx, written: &str, at: Loc) {
    for r in with_hook(Hook::NewName) {
        r.new_name(cx, written, at);
    }
}

/// Run the column hooks.
pub fn run_column(cx: &mut Cx, col: &mut ColumnDraft) {
    for r in with_hook(Hook::Column) {
        r.column(cx, col);
    }
}

/// Run the hooks for a table whose columns and keys are known.
pub fn run_keys(cx: &mut Cx, t: &mut Table) {
    for r in with_hook(Hook::Keys) {
        r.keys(cx, t);
    }
}

/// Run the table hooks.
pub fn run_table(cx: &mut Cx, t: &mut Table) {
    for r in with_hook(Hook::Table) {
        r.table(cx, t);
    }
}

/// Run the index hooks until one drops the index.
pub fn run_index(cx: &mut Cx, table: Option<&Table>, idx: &mut IndexDraft) {
    for r in with_hook(Hook::Index) {
        if idx.dropped {
            break;
        }
        r.index(cx, table, idx);
    }
}

/// Run the refit hooks.
pub fn run_refit(cx: &mut Cx, key: &mut Refit) {
    for r in with_hook(Hook::Refit) {
        r.refit(cx, key);
    }
}

/// Run the constraint hooks; any Drop wins.
pub fn run_constraint(cx: &mut Cx, c: &mut ConstraintDraft) -> ConstraintVerdict {
    let mut v = ConstraintVerdict::Keep;
    for r in with_hook(Hook::Constraint) {
        if r.constraint(cx, c) == ConstraintVerdict::Drop {
            v = ConstraintVerdict::Drop;
        }
    }
    v
}

/// Run the primary-key hooks until one drops the key.
pub fn run_primary_key(cx: &mut Cx, pk: &mut PrimaryKeyDraft) {
    for r in with_hook(Hook::PrimaryKey) {
        if pk.dropped {
            break;
        }
        r.primary_key(cx, pk);
    }
}

/// Run the foreign-key hooks until one drops the key.
pub fn run_foreign_key(cx: &mut Cx, fk: &mut ForeignKeyDraft) {
    for r in with_hook(Hook::ForeignKey) {
        if fk.dropped {
            break;
        }
        r.foreign_key(cx, fk);
    }
}

/// Run the ALTER COLUMN hooks until one drops the change.
pub fn run_alter_column(cx: &mut Cx, a: &mut AlterColumnDraft) {
    for r in with_hook(Hook::AlterColumn) {
        if a.verdict == AlterVerdict::Drop {
            break;
        }
        r.alter_column(cx, a);
    }
}

/// The rules reference in Markdown (docs/rules.md is this text; a test checks it).
pub fn reference_markdown() -> String {
    let mut s = String::from(
        "# Rules reference\n\nGenerated by `pg2tidb rules --markdown` from the `//!` comment of each file in \
         `src/rules/`. Do not edit by hand.\n\n| id | severity | summary |\n| --- | --- | --- |\n",
    );
    for r in REGISTRY {
        let m = r.meta();
        s.push_str(&format!(
            "| [`{}`](#{}) | {} | {} |\n",
            m.id,
            m.id,
            m.severity,
            m.summary()
        ));
    }
    for r in REGISTRY {
        let m = r.meta();
        s.push_str(&format!(
            "\n## {}\n\nSeverity: **{}**\n\n{}\n",
            m.id,
            m.severity,
            m.doc.trim_end()
        ));
    }
    s
}

/// The name of the enum or domain the model has for `name` (any case).
pub fn type_name(catalog: &Catalog, name: &str) -> Option<String> {
    if let Some(d) = catalog.domain(name) {
        return Some(d.name.clone());
    }
    catalog.enum_labels(name)?;
    catalog
        .pg_objects
        .get(&pg_object_key("enum", name))
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::{with_hook, Hook, REGISTRY};

    #[test]
    fn hooks_are_listed_in_order_and_every_rule_names_known_ones() {
        for (i, h) in Hook::ALL.iter().enumerate() {
            assert_eq!(*h as usize, i, "{h:?}");
        }
        // Panics on a hook name no Hook has.
        let called: usize = Hook::ALL.iter().map(|h| with_hook(*h).len()).sum();
        let declared: usize = REGISTRY.iter().map(|r| r.meta().hooks.len()).sum();
        assert_eq!(called, declared);
    }

    #[test]
    fn build_rs_reads_the_hooks_each_rule_implements() {
        let serial = REGISTRY.iter().find(|r| r.meta().id == "serial").unwrap();
        let mut hooks = serial.meta().hooks.to_vec();
        hooks.sort();
        assert_eq!(
            hooks,
            [
                "alter_column",
                "column",
                "event",
                "keys",
                "statement",
                "table"
            ]
        );
        // Every rule decides something through a hook.
        for r in REGISTRY {
            assert!(!r.meta().hooks.is_empty(), "{} has no hook", r.meta().id);
        }
    }
}

/// A split rule answers to the id its findings had before: suppressions and
/// `[rules]` written for that id keep working.
#[cfg(test)]
mod split_ids {
    use super::{answers_to, by_id, Severity, REGISTRY};
    use crate::config::RuleSettings;
    use crate::{convert_str, FileResult, Options};

    /// Two findings of rules split from `unsupported-statement` (a primary-key
    /// type change, an AUTO_INCREMENT column added by ALTER), one of
    /// `unsupported-statement` itself, and one of `collation`, split from `lossy-type`.
    const INPUT: &str =
        "CREATE TABLE codes (code varchar(20) PRIMARY KEY, name text COLLATE \"unicode\");\n\
-- pg2tidb: ignore[unsupported-statement]\n\
ALTER TABLE codes ALTER COLUMN code TYPE varchar(10);\n\
ALTER TABLE codes ADD COLUMN seq serial;\n\
CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;\n";

    fn rules_of(f: &FileResult) -> Vec<(u32, &'static str, Severity)> {
        f.statements
            .iter()
            .flat_map(|s| &s.findings)
            .map(|x| (x.loc.line, x.rule, x.severity))
            .collect()
    }

    fn with(disabled: &[&str], severity: &[(&str, Severity)]) -> FileResult {
        let rules = RuleSettings {
            disabled: disabled.iter().map(|s| s.to_string()).collect(),
            severity: severity.iter().map(|(r, s)| (r.to_string(), *s)).collect(),
        };
        convert_str(
            INPUT,
            Options {
                rules,
                ..Options::default()
            },
        )
    }

    #[test]
    fn split_rules_name_the_rule_they_came_from_and_it_exists() {
        let split: Vec<(&str, &str)> = REGISTRY
            .iter()
            .filter_map(|r| r.meta().split_from.map(|o| (r.meta().id, o)))
            .collect();
        assert!(split.len() >= 8, "{split:?}");
        for (id, old) in split {
            assert!(by_id(old).is_some(), "{id} is split from unknown {old}");
            assert!(answers_to(id, old) && answers_to(id, id) && !answers_to(old, id));
            // The rule's documentation says so.
            let doc = by_id(id).unwrap().meta().doc;
            assert!(doc.contains(&format!("Split from `{old}`")), "{id}");
        }
    }

    #[test]
    fn an_old_id_in_a_suppression_still_suppresses_the_split_findings() {
        let f = with(&[], &[]);
        let got = rules_of(&f);
        // Line 3 (primary-key-type) is suppressed by ignore[unsupported-statement];
        // the others are reported under their own ids.
        assert_eq!(
            got,
            [
                (1, "collation", Severity::Warning),
                (4, "auto-increment-alter", Severity::Error),
                (5, "unsupported-statement", Severity::Error),
            ]
        );
        assert_eq!(f.statements[1].suppressed, 1);
        // Its own id suppresses it too; the old id then suppresses nothing
        // there, and says so.
        let own = INPUT.replace(
            "ignore[unsupported-statement]",
            "ignore[primary-key-type, unsupported-statement]",
        );
        let f = convert_str(&own, Options::default());
        let unused: Vec<&str> = f.statements[1]
            .findings
            .iter()
            .map(|x| x.message.as_str())
            .collect();
        assert_eq!(
            unused,
            ["`ignore[unsupported-statement]` suppresses nothing on the next statement"]
        );
        // A file-level suppression of the old id covers the file.
        let file = format!("-- pg2tidb: ignore-file[lossy-type, unsupported-statement]\n{INPUT}");
        let f = convert_str(&file, Options::default());
        assert!(rules_of(&f).is_empty(), "{:?}", rules_of(&f));
    }

    #[test]
    fn rules_settings_of_an_old_id_apply_to_its_split_rules_unless_they_have_their_own() {
        let f = with(&["unsupported-statement"], &[]);
        assert_eq!(rules_of(&f), [(1, "collation", Severity::Warning)]);
        let f = with(&["lossy-type"], &[]);
        assert!(!rules_of(&f).iter().any(|x| x.1 == "collation"));
        let f = with(
            &[],
            &[
                ("unsupported-statement", Severity::Info),
                ("auto-increment-alter", Severity::Warning),
            ],
        );
        assert_eq!(
            rules_of(&f),
            [
                (1, "collation", Severity::Warning),
                (4, "auto-increment-alter", Severity::Warning),
                (5, "unsupported-statement", Severity::Info),
            ]
        );
    }
}
