//! Statements with no TiDB equivalent (functions, procedures, triggers, DO blocks, rules, materialized views) are reported as errors.
//!
//! ## What it does
//! Reports at error severity every statement that cannot be carried over:
//! `CREATE FUNCTION`/`PROCEDURE` (TiDB has no stored programs), `CREATE
//! TRIGGER` (except the `updated_at` pattern, see `updated-at-trigger`),
//! `DO` blocks, `CREATE RULE`, materialized views, views whose query has no
//! TiDB translation,
//! `CREATE TABLE … AS SELECT` / `PARTITION OF` / `INHERITS` / `LIKE`,
//! composite types, `COPY … FROM stdin` data, and ALTER operations and
//! constraints with no TiDB translation.
//!
//! TiDB failures that have their own rule since: `primary-key-type`,
//! `primary-key-drop`, `fk-type-incompatible`, `auto-increment-alter`,
//! `one-auto-increment`. Suppressions and `[rules]` settings of
//! `unsupported-statement` still cover them.
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
use crate::expr::last_name;
use crate::rules::trigger_key;
use crate::rules::{
    pg_object_created as created, pg_object_dropped as dropped, tidb_name, CatalogUpdate, Cx,
    Event, Object, Rule, RuleMeta, Taken, TypeKind, Untranslated, Verdict,
};
use crate::rules::{run_lost, LostAction};
use sqlparser::ast::{AlterViewOperation, CreateTable, ObjectType, Statement, TableConstraint};

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
                created(cx, "routine", &last_name(&f.name));
                format!("function {}: TiDB has no stored functions", f.name)
            }
            Statement::CreateProcedure { name, .. } => {
                created(cx, "routine", &last_name(name));
                format!("procedure {name}: TiDB has no stored procedures")
            }
            Statement::CreateTrigger(t) => {
                let table = tidb_name(cx, &t.table_name);
                let key = trigger_key(&table, &last_name(&t.name));
                cx.catalog_updates.push(CatalogUpdate::PgObject {
                    key,
                    detail: String::new(),
                });
                format!("trigger {}: TiDB has no triggers", t.name)
            }
            Statement::CreateRule(_) => "CREATE RULE: TiDB has no rewrite rules".into(),
            Statement::CreateView(v) if v.materialized => {
                created(cx, "materialized view", &last_name(&v.name));
                format!(
                    "materialized view {}: TiDB has no materialized views",
                    v.name
                )
            }
            Statement::AlterView(v) => {
                let name = last_name(&v.name);
                let action = match &v.operation {
                    AlterViewOperation::RenameTo { new_name } => &LostAction::Rename {
                        to: &last_name(new_name),
                    },
                    _ => &LostAction::Use { by: None },
                };
                if run_lost(cx, Object::View(&name), *action) {
                    return Some(Verdict::Drop);
                }
                format!("ALTER VIEW {}: not supported by TiDB", v.name)
            }
            Statement::RefreshMaterializedView(_) => {
                "REFRESH MATERIALIZED VIEW: TiDB has no materialized views".into()
            }
            Statement::DropFunction(sqlparser::ast::DropFunction { func_desc, .. })
            | Statement::DropProcedure {
                proc_desc: func_desc,
                ..
            } => {
                let names: Vec<String> = func_desc.iter().map(|f| last_name(&f.name)).collect();
                for n in &names {
                    dropped(cx, "routine", n);
                }
                // Created earlier in the input (and reported there): nothing to drop.
                let lost = |cx: &Cx, n: &String| Object::Routine(n).lost_in(cx.catalog).is_some();
                if names.iter().all(|n| lost(cx, n)) {
                    for n in &names {
                        run_lost(cx, Object::Routine(n), LostAction::Drop);
                    }
                    return Some(Verdict::Drop);
                }
                let kind = if matches!(stmt, Statement::DropFunction(_)) {
                    "DROP FUNCTION"
                } else {
                    "DROP PROCEDURE"
                };
                format!("{kind} {}: TiDB has no stored programs", names.join(", "))
            }
            Statement::DropTrigger(t) => {
                let trigger = last_name(&t.trigger_name);
                let table = t
                    .table_name
                    .as_ref()
                    .map(|n| tidb_name(cx, n))
                    .unwrap_or_default();
                cx.catalog_updates
                    .push(CatalogUpdate::RemovePgObject(trigger_key(&table, &trigger)));
                format!("DROP TRIGGER {trigger} ON {table}: TiDB has no triggers")
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
                created(cx, "type", &last_name(name));
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

    fn event(&self, cx: &mut Cx, e: &Event) -> Option<Taken> {
        match *e {
            Event::CopyData { cut_bytes } => {
                let size = cut_bytes
                    .map(|b| format!(" ({b} bytes, not read)"))
                    .unwrap_or_default();
                cx.report_here(&META, format!("COPY data{size} is not carried over: load data with TiDB Lightning or LOAD DATA"));
            }
            // Nothing is lost silently: a statement that produced no SQL and
            // no finding is reported (it would be a pg2tidb bug).
            Event::Unaccounted => cx.report_here(&META, "no TiDB SQL was produced and no rule said why (a pg2tidb bug: please report it); not carried over"),
            Event::Unparsed { text, words } => {
                if !classify_unparsed(cx, words, text) {
                    return None;
                }
            }
            Event::CreateTable { ct, .. } if ct.query.is_some() || ct.like.is_some() => {
                report_create_table_form(cx, ct)
            }
            Event::Untranslated(u) => untranslated(cx, u),
            Event::DropKind(kind) if !matches!(kind, ObjectType::Role | ObjectType::Database) => {
                report_text(cx, &format!("DROP {kind} has no TiDB translation"))
            }
            Event::Drop {
                object:
                    Object::Type {
                        name,
                        kind: TypeKind::Other,
                    },
                ..
            } => {
                report_text(
                    cx,
                    &format!("DROP TYPE {name}: the type was not carried over (only enum types are)"),
                );
                dropped(cx, "type", name);
            }
            Event::DropMaterializedViews(names) => {
                for n in names {
                    dropped(cx, "materialized view", n);
                }
                report_text(
                    cx,
                    &format!(
                        "DROP MATERIALIZED VIEW {}: TiDB has no materialized views",
                        names.join(", ")
                    ),
                );
            }
            Event::SchemaInUse { schema, list } => report_text(cx, &format!("DROP SCHEMA {schema} without CASCADE fails in PostgreSQL while the schema holds objects, and {schema} holds {list} (flattened into the target database): add CASCADE to drop them")),
            _ => return None,
        }
        Some(Taken::Drop)
    }
}

/// A form with no TiDB translation.
fn untranslated(cx: &mut Cx, u: Untranslated) {
    match u {
        Untranslated::Statement(stmt) => report_kind(cx, stmt),
        Untranslated::AlterTableOp(op) => report_text(
            cx,
            &format!("ALTER TABLE operation `{op}` has no TiDB translation"),
        ),
        Untranslated::AlterColumnOp { column, op } => report_text(
            cx,
            &format!("ALTER COLUMN {column} {op} has no TiDB translation"),
        ),
        Untranslated::RenameConstraint(name) => report_text(cx, &format!("RENAME CONSTRAINT {name}: TiDB can rename indexes only; foreign keys and checks keep their old name")),
        Untranslated::PrimaryKeyExpression { table } => report_text(
            cx,
            &format!("primary key of {table} on an expression: keys are on columns"),
        ),
        Untranslated::Constraint(c) => report_constraint(cx, c),
        Untranslated::View { name, why } => report_text(cx, &format!("view {name}: {why}")),
        Untranslated::Dml(why) => report_text(cx, why),
    }
}

fn is_enum(r: &Option<sqlparser::ast::UserDefinedTypeRepresentation>) -> bool {
    matches!(
        r,
        Some(sqlparser::ast::UserDefinedTypeRepresentation::Enum { .. })
    )
}

/// Statements sqlparser cannot read, classified by their leading words.
fn classify_unparsed(cx: &mut Cx, words: &[String], text: &str) -> bool {
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
    remember_unparsed(cx, &w, text);
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

/// The name of the function, procedure, trigger or materialized view an
/// unparsed CREATE statement makes, remembered for `DROP … IF EXISTS`.
fn remember_unparsed(cx: &mut Cx, w: &[&str], text: &str) {
    let kind = match w {
        ["CREATE", "FUNCTION" | "PROCEDURE", ..]
        | ["CREATE", "OR", "REPLACE", "FUNCTION" | "PROCEDURE", ..] => "routine",
        ["CREATE", "MATERIALIZED", "VIEW", ..] => "materialized view",
        ["CREATE", "TRIGGER", ..]
        | ["CREATE", "CONSTRAINT", "TRIGGER", ..]
        | ["CREATE", "OR", "REPLACE", "TRIGGER", ..]
        | ["CREATE", "OR", "REPLACE", "CONSTRAINT", "TRIGGER", ..] => "trigger",
        _ => return,
    };
    let words: Vec<&str> = text.split_whitespace().collect();
    let upper: Vec<String> = words.iter().map(|x| x.to_ascii_uppercase()).collect();
    let keyword = match kind {
        "routine" => ["FUNCTION", "PROCEDURE"].as_slice(),
        "trigger" => &["TRIGGER"],
        _ => &["VIEW"],
    };
    let Some(mut at) = upper.iter().position(|x| keyword.contains(&x.as_str())) else {
        return;
    };
    if upper.get(at + 1).map(String::as_str) == Some("IF") {
        at += 3;
    }
    let Some(name) = words
        .get(at + 1)
        .map(|n| unquoted_last(n.split('(').next().unwrap_or(n)))
    else {
        return;
    };
    if name.is_empty() {
        return;
    }
    if kind == "trigger" {
        // CREATE TRIGGER name {BEFORE|AFTER|INSTEAD OF} events ON table …
        let Some(on) = upper.iter().skip(at + 2).position(|x| x == "ON") else {
            return;
        };
        let Some(table) = words.get(at + 2 + on + 1).map(|t| unquoted_last(t)) else {
            return;
        };
        cx.catalog_updates.push(CatalogUpdate::PgObject {
            key: trigger_key(&table, &name),
            detail: String::new(),
        });
    } else {
        created(cx, kind, &name);
    }
}

/// The last part of a possibly qualified name as written (`auth."Fn"` → `Fn`,
/// `Auth.Fn` → `fn`).
fn unquoted_last(written: &str) -> String {
    let last = written.rsplit('.').next().unwrap_or(written);
    match last.strip_prefix('"').and_then(|l| l.strip_suffix('"')) {
        Some(quoted) => quoted.to_string(),
        None => last.to_lowercase(),
    }
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
fn report_kind(cx: &mut Cx, stmt: &Statement) {
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

fn report_create_table_form(cx: &mut Cx, ct: &CreateTable) {
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

fn report_constraint(cx: &mut Cx, c: &TableConstraint) {
    cx.report_here(
        &META,
        format!("constraint `{c}` has no TiDB translation; not carried over"),
    );
}
