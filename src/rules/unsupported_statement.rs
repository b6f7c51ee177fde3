//! Statements with no TiDB equivalent (functions, procedures, triggers, DO blocks, rules, materialized views) are reported as errors.
//!
//! ## What it does
//! Reports at error severity every statement that cannot be carried over:
//! `CREATE FUNCTION`/`PROCEDURE` (TiDB has no stored programs), `CREATE
//! TRIGGER` (except the `updated_at` pattern, see `updated-at-trigger`),
//! `DO` blocks, `CREATE RULE`, materialized views, views whose query has no
//! TiDB translation,
//! `CREATE TABLE … AS SELECT` / `PARTITION OF` / `INHERITS` / `LIKE`,
//! composite types, `COPY … FROM stdin` data, and ALTER operations TiDB
//! cannot perform (dropping a clustered primary key).
//!
//! ## Why
//! TiDB does not support stored procedures, functions, triggers or events
//! (tidb-facts §7). Such logic has to move into the application. The rest of
//! the file still converts; the exit code is 1 so CI notices.
//!
//! ## Example
//! ```sql
//! DO $$ BEGIN … END $$;   -- error: not carried over
//! ```
use crate::rules::{Cx, Rule, RuleMeta, Verdict};
use sqlparser::ast::{CreateTable, Statement, TableConstraint};

crate::declare_rule!(
    UnsupportedStatement,
    "unsupported-statement",
    Error,
    UNSUPPORTED_STATEMENT
);

impl Rule for UnsupportedStatement {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn statement(&self, cx: &mut Cx, stmt: &Statement) -> Option<Verdict> {
        let what = match stmt {
            Statement::CreateFunction(f) => {
                format!("function {}: TiDB has no stored functions", f.name)
            }
            Statement::CreateProcedure { name, .. } => {
                format!("procedure {name}: TiDB has no stored procedures")
            }
            Statement::CreateTrigger(t) => format!("trigger {}: TiDB has no triggers", t.name),
            Statement::CreateRule(_) => "CREATE RULE: TiDB has no rewrite rules".into(),
            Statement::CreateView(v) if v.materialized => format!(
                "materialized view {}: TiDB has no materialized views",
                v.name
            ),
            Statement::AlterView(v) => format!("ALTER VIEW {}: not supported by TiDB", v.name),
            Statement::RefreshMaterializedView(_) => {
                "REFRESH MATERIALIZED VIEW: TiDB has no materialized views".into()
            }
            Statement::DropFunction(_) | Statement::DropProcedure { .. } => {
                "DROP FUNCTION/PROCEDURE: TiDB has no stored programs".into()
            }
            Statement::CreateAggregate(_)
            | Statement::CreateOperator(_)
            | Statement::CreateOperatorClass(_)
            | Statement::CreateOperatorFamily(_)
            | Statement::CreateCollation(_)
            | Statement::CreateTextSearch(_) => {
                "user-defined aggregate/operator/collation/text search object: no TiDB equivalent"
                    .into()
            }
            Statement::CreateType {
                name,
                representation,
                ..
            } if !is_enum(representation) => {
                format!("type {name}: only enum types can be inlined")
            }
            Statement::Copy { .. } => {
                "COPY: data loading is not carried over (use TiDB Lightning or LOAD DATA)".into()
            }
            Statement::Call(_) => "CALL: TiDB has no stored procedures".into(),
            _ => return None,
        };
        cx.report_here(&META, format!("{what}; not carried over"));
        Some(Verdict::Drop)
    }
}

fn is_enum(r: &Option<sqlparser::ast::UserDefinedTypeRepresentation>) -> bool {
    matches!(
        r,
        Some(sqlparser::ast::UserDefinedTypeRepresentation::Enum { .. })
    )
}

/// Statements sqlparser cannot read, classified by their leading words.
pub fn classify_unparsed(cx: &mut Cx, words: &[String], text: &str) -> bool {
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    let what = match w.as_slice() {
        ["DO", ..] => "DO block: TiDB has no procedural code",
        ["CREATE", "PROCEDURE", ..] | ["CREATE", "OR", "REPLACE", "PROCEDURE", ..] => {
            "procedure: TiDB has no stored procedures"
        }
        ["CREATE", "FUNCTION", ..] | ["CREATE", "OR", "REPLACE", "FUNCTION", ..] => {
            "function: TiDB has no stored functions"
        }
        ["CREATE", "EVENT", "TRIGGER", ..] => "event trigger: TiDB has no triggers",
        ["CREATE", "TRIGGER", ..]
        | ["CREATE", "CONSTRAINT", "TRIGGER", ..]
        | ["CREATE", "OR", "REPLACE", "TRIGGER", ..] => "trigger: TiDB has no triggers",
        ["CREATE", "MATERIALIZED", "VIEW", ..] => {
            "materialized view: TiDB has no materialized views"
        }
        ["CREATE", "VIEW", ..] | ["CREATE", "OR", "REPLACE", "VIEW", ..] => {
            "view: its definition (WITH CHECK OPTION or another clause) could not be read"
        }
        _ => return false,
    };
    let created = created_objects(text);
    if created.is_empty() {
        cx.report_here(&META, format!("{what}; not carried over"));
    } else {
        cx.report_here(
            &META,
            format!(
                "{what}; not carried over, including what it creates: {}",
                created.join(", ")
            ),
        );
    }
    true
}

/// Names of the tables, types and indexes a block of code creates, so the
/// report names what is missing (`create table if not exists auth.t (` → `t`).
pub fn created_objects(text: &str) -> Vec<String> {
    let words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c == '(' || c == ';')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if words[i].eq_ignore_ascii_case("create") {
            let mut j = i + 1;
            if words
                .get(j)
                .is_some_and(|w| w.eq_ignore_ascii_case("unique"))
            {
                j += 1;
            }
            let kind = words
                .get(j)
                .map(|w| w.to_ascii_lowercase())
                .unwrap_or_default();
            if matches!(kind.as_str(), "table" | "index" | "type") {
                j += 1;
                if words.get(j).is_some_and(|w| w.eq_ignore_ascii_case("if")) {
                    j += 3;
                }
                if let Some(name) = words.get(j) {
                    let last = name
                        .rsplit('.')
                        .next()
                        .unwrap_or(name)
                        .trim_matches('"')
                        .to_string();
                    if !last.is_empty() && !out.contains(&last) {
                        out.push(last);
                    }
                }
            }
        }
        i += 1;
    }
    out
}

/// A statement kind with no translation.
pub fn report_kind(cx: &mut Cx, stmt: &Statement) {
    let text = stmt.to_string();
    let head: String = text
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    cx.report_here(
        &META,
        format!("`{head} …` has no TiDB translation; not carried over"),
    );
}

pub fn report_text(cx: &mut Cx, what: &str) {
    if what.contains("not carried over") {
        cx.report_here(&META, what.to_string());
    } else {
        cx.report_here(&META, format!("{what}; not carried over"));
    }
}

pub fn report_create_table_form(cx: &mut Cx, ct: &CreateTable) {
    let form = if ct.query.is_some() {
        "CREATE TABLE … AS SELECT (TiDB: not implemented)"
    } else if ct.partition_of.is_some() || ct.partition_by.is_some() {
        "partitioned table (PARTITION BY/OF): not converted yet"
    } else if ct.inherits.is_some() {
        "table inheritance (INHERITS): TiDB has none"
    } else {
        "CREATE TABLE … (LIKE …): not converted yet"
    };
    cx.report_here(
        &META,
        format!("table {}: {form}; not carried over", ct.name),
    );
}

pub fn report_constraint(cx: &mut Cx, c: &TableConstraint) {
    cx.report_here(
        &META,
        format!("constraint `{c}` has no TiDB translation; not carried over"),
    );
}
