//! Lowering: one sqlparser `Statement` → the model's changes and the output
//! statements as values ([`crate::emit::Stmt`], [`crate::emit::AlterOp`]),
//! one file per statement family. Every compatibility decision is a rule's
//! (`crate::rules`); this only dispatches and builds. What it decides by
//! itself is how to write a change so TiDB takes it (foreign keys dropped
//! and added back around a type change, dependents dropped first, an index
//! kept for a foreign key, the order of a DROP SCHEMA's tables), never what
//! is lost: README's pipeline section lists those steps.

mod alter_column;
mod alter_table;
mod column;
mod comment;
mod constraint;
mod create_table;
pub mod dml;
mod drop;
mod index;
mod sequence;
mod view;

use crate::emit::{AlterOp, Stmt};
use crate::expr::{self};
use crate::model::{KeyPart, Loc, Table};
use crate::parse::Repair;
use crate::rules::{self, CatalogUpdate, Cx, Event, LostAction, Object, Taken, Untranslated};
use crate::types::{self, fold_ident};
use sqlparser::ast::{Expr, ObjectName, Spanned, Statement};

use crate::lower::{
    alter_table::alter_table_op, comment::comment_on, create_table::create_table,
    drop::drop_domain, drop::drop_objects, index::create_index, index::index_table,
    index::rename_index, sequence::sequence_from, view::create_view,
};

pub(crate) fn lower_statement(cx: &mut Cx, stmt: &Statement, repair: Repair) {
    let _ = repair;
    match stmt {
        Statement::CreateTable(ct) => create_table(cx, ct),
        Statement::CreateView(v) => create_view(cx, v),
        Statement::CreateIndex(ci) => create_index(cx, ci),
        Statement::AlterTable(at) => {
            let name = table_name(cx, &at.name);
            for op in &at.operations {
                alter_table_op(cx, &name, at.if_exists, op);
            }
        }
        Statement::AlterIndex { name, operation } => {
            let sqlparser::ast::AlterIndexOperation::RenameIndex { index_name } = operation;
            let old = object_last(name);
            let new = object_last(index_name);
            match index_table(cx, &old) {
                Ok(Some(mut t)) => {
                    let other = t
                        .indexes
                        .same_to_tidb(&new)
                        .filter(|i| i.name != old)
                        .map(|i| i.name.clone());
                    if other.is_some_and(|e| name_taken_by(cx, &t, "index", &new, &e, cx.loc)) {
                        return;
                    }
                    let op = AlterOp::RenameIndex {
                        from: old.clone(),
                        to: new.clone(),
                    };
                    cx.alter(&t.name, op);
                    rename_index(&mut t, &old, &new);
                    cx.catalog_updates.push(CatalogUpdate::Table(Box::new(t)));
                }
                Ok(None) => {
                    if !rules::run_lost(cx, Object::Index(&old), LostAction::Rename { to: &new }) {
                        absent(cx, Object::Index(&old), false, "");
                    }
                }
                Err(known) => {
                    shadowed(cx, "index", &old, &known, "its RENAME");
                }
            }
        }
        Statement::Drop {
            object_type,
            if_exists,
            names,
            cascade,
            ..
        } => drop_objects(cx, *object_type, *if_exists, names, *cascade),
        Statement::CreateSequence {
            if_not_exists,
            name,
            sequence_options,
            ..
        } => {
            let (seq_name, schema) = qualified_name(cx, name);
            let mut seq = sequence_from(seq_name, sequence_options);
            seq.schema = schema;
            if namespace_taken(cx, "sequence", &seq.name, cx.loc, |_| false) {
                return;
            }
            cx.emit(Stmt::CreateSequence {
                sequence: seq.clone(),
                if_not_exists: *if_not_exists,
            });
            cx.catalog_updates.push(CatalogUpdate::Sequence(seq));
        }
        Statement::Comment {
            object_type,
            object_name,
            comment,
            ..
        } => comment_on(cx, *object_type, object_name, comment.as_deref()),
        Statement::Insert(_) | Statement::Update(_) | Statement::Delete(_) => {
            dml::lower(cx, stmt);
        }
        Statement::DropDomain(d) => drop_domain(cx, d),
        Statement::Truncate(t) => {
            for tn in &t.table_names {
                let n = table_name(cx, &tn.name);
                cx.emit(Stmt::Truncate(n));
            }
        }
        other => {
            rules::run_event(cx, &Event::Untranslated(Untranslated::Statement(other)));
        }
    }
}

/// PostgreSQL names a primary key's index `<table>_pkey` unless the constraint is named.
pub(crate) fn is_pk_name(t: &Table, name: &str) -> bool {
    t.primary_key_name()
        .is_some_and(|n| n.eq_ignore_ascii_case(name))
}

/// True when a rule took `e` and said that what it is about is not carried over.
pub(crate) fn dropped_by(cx: &mut Cx, e: Event) -> bool {
    rules::run_event(cx, &e) == Some(Taken::Drop)
}

/// The statement names `object`, which the model does not have (`if_exists`:
/// with IF EXISTS; `needed`: why the statement needs it).
pub(crate) fn absent(cx: &mut Cx, object: Object, if_exists: bool, needed: &str) -> Option<Taken> {
    if rules::run_lost(cx, object, LostAction::Use { by: None }) {
        return Some(Taken::Drop);
    }
    let e = Event::Absent {
        object,
        if_exists,
        in_drop: false,
        needed,
    };
    rules::run_event(cx, &e)
}

/// A new `kind` named `name` (`scope`: `` of table `t` ``, or empty) where the
/// model, comparing names as TiDB does, has `existing`: true when a rule
/// refuses it (and reported why).
pub(crate) fn name_taken_by(
    cx: &mut Cx,
    t: &Table,
    kind: &str,
    name: &str,
    existing: &str,
    at: Loc,
) -> bool {
    let scope = format!(" of table `{}`", t.name);
    rules::run_new_name_taken(cx, kind, name, existing, &scope, at)
}

/// A new table, view or sequence named `name`: true when a rule refuses it
/// because of a table, sequence or view the model has (comparing names as
/// TiDB does; `skip`: one that does not count).
pub(crate) fn namespace_taken(
    cx: &mut Cx,
    kind: &str,
    name: &str,
    at: Loc,
    skip: impl Fn(&str) -> bool,
) -> bool {
    let catalog = cx.catalog;
    let found = [
        catalog.table(name).map(|t| t.name.clone()),
        catalog.sequence(name).map(|q| q.name.clone()),
        catalog.view_name(name).cloned(),
    ];
    found
        .into_iter()
        .flatten()
        .filter(|e| !skip(e))
        .any(|existing| rules::run_new_name_taken(cx, kind, name, &existing, "", at))
}

/// The statement names `kind` `requested`, and the model has `known`, the
/// same name to TiDB: true when a rule says `what` is not carried over
/// (the names differ, so `requested` was not carried over).
pub(crate) fn shadowed(cx: &mut Cx, kind: &str, requested: &str, known: &str, what: &str) -> bool {
    rules::run_reference(cx, kind, requested, known, what)
}

/// [`shadowed`] for the first of `names` that `t` has under another
/// spelling (`qualify`: name the columns as `table.column`).
pub(crate) fn column_shadowed<'a>(
    cx: &mut Cx,
    t: &Table,
    names: impl IntoIterator<Item = &'a str>,
    qualify: Option<&str>,
    what: &str,
) -> bool {
    for n in names {
        let Some(c) = t.columns.same_to_tidb(n).filter(|c| c.name != n) else {
            continue;
        };
        let refused = match qualify {
            Some(q) => shadowed(
                cx,
                "column",
                &format!("{q}.{n}"),
                &format!("{q}.{}", c.name),
                what,
            ),
            None => shadowed(cx, "column", n, &c.name, what),
        };
        if refused {
            return true;
        }
    }
    false
}

/// A new index, foreign key or check (`kind`) of `t` whose name TiDB takes
/// for one `t` has: reported, and true.
pub(crate) fn name_taken(cx: &mut Cx, t: &Table, kind: &str, name: &str, loc: Loc) -> bool {
    let existing = match kind {
        "index" => t.indexes.same_to_tidb(name).map(|i| i.name.clone()),
        "foreign key" => t.foreign_keys.same_to_tidb(name).map(|f| f.name.clone()),
        _ => t.checks.same_to_tidb(name).map(|c| c.name.clone()),
    };
    existing.is_some_and(|e| name_taken_by(cx, t, kind, name, &e, loc))
}

/// A new object's name as written, for the rules.
pub(crate) fn new_name(cx: &mut Cx, written: &str, at: Loc) {
    rules::run_new_name(cx, written, at);
}

pub(crate) fn object_last(name: &ObjectName) -> String {
    expr::last_name(name)
}

/// Resolve a (possibly schema-qualified) name: the name hooks see it (a
/// schema is flattened), and its TiDB name is its last part.
pub fn table_name(cx: &mut Cx, name: &ObjectName) -> String {
    rules::tidb_name(cx, name)
}

/// [`table_name`], and the PostgreSQL schema the name is flattened from (`None`: public).
pub(crate) fn qualified_name(cx: &mut Cx, name: &ObjectName) -> (String, Option<String>) {
    let schema = rules::run_name(cx, name);
    (expr::last_name(name), schema)
}

pub(crate) fn ident_loc(i: &sqlparser::ast::Ident, fallback: Loc) -> Loc {
    if i.span.start.line == 0 {
        fallback
    } else {
        Loc {
            line: i.span.start.line as u32,
            col: i.span.start.column as u32,
        }
    }
}

pub(crate) fn expr_loc(e: &Expr, fallback: Loc) -> Loc {
    let s = e.span().start;
    if s.line == 0 {
        fallback
    } else {
        Loc {
            line: s.line as u32,
            col: s.column as u32,
        }
    }
}

/// ON DELETE/UPDATE actions as written (the foreign-key hooks decide what TiDB gets).
pub(crate) fn referential_action(a: &Option<sqlparser::ast::ReferentialAction>) -> Option<String> {
    a.as_ref().map(|a| a.to_string().to_uppercase())
}

pub(crate) fn idents(list: &[sqlparser::ast::Ident]) -> Vec<String> {
    list.iter()
        .map(|i| fold_ident(&i.value, i.quote_style))
        .collect()
}

pub(crate) fn index_column_names(cols: &[sqlparser::ast::IndexColumn]) -> Option<Vec<String>> {
    cols.iter()
        .map(|c| match &c.column.expr {
            Expr::Identifier(i) => Some(fold_ident(&i.value, i.quote_style)),
            _ => None,
        })
        .collect()
}

/// PostgreSQL's generated constraint names (`makeObjectName`): table, columns
/// and label joined by `_`, shortening the longer of table and columns until
/// the name fits 63 bytes, so the label survives.
pub(crate) fn default_constraint_name(table: &str, cols: &[String], suffix: &str) -> String {
    let mut name1: Vec<char> = table.chars().collect();
    let mut name2: Vec<char> = cols.join("_").chars().collect();
    let overhead = suffix.len() + 1 + usize::from(!name2.is_empty());
    let len = |v: &Vec<char>| v.iter().collect::<String>().len();
    while len(&name1) + len(&name2) + overhead > types::PG_MAX_IDENT_BYTES {
        if len(&name1) > len(&name2) {
            name1.pop();
        } else {
            name2.pop();
        }
    }
    let name1: String = name1.into_iter().collect();
    let name2: String = name2.into_iter().collect();
    if name2.is_empty() {
        format!("{name1}_{suffix}")
    } else {
        format!("{name1}_{name2}_{suffix}")
    }
}

/// True when the primary key or an index of `t` starts with `cols`.
pub(crate) fn key_leads_with(t: &Table, cols: &[String]) -> bool {
    let leads = |parts: &[KeyPart]| {
        cols.len() <= parts.len()
            && cols
                .iter()
                .zip(parts)
                .all(|(c, p)| p.column_name().is_some_and(|n| n.eq_ignore_ascii_case(c)))
    };
    t.primary_key.as_ref().is_some_and(|pk| leads(&pk.parts))
        || t.indexes.iter().any(|i| leads(&i.parts))
}
