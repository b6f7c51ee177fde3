//! Lowering: one sqlparser `Statement` → model values → TiDB text, one file
//! per statement family. Every compatibility decision is a rule's
//! (`crate::rules`); this only dispatches and builds.

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

use crate::catalog::Catalog;
use crate::emit;
use crate::expr::{self};
use crate::model::{ident, KeyPart, Loc, Table};
use crate::parse::Repair;
use crate::rules::identifier_case::{self, clash};
use crate::rules::{self, schema_name, unknown_object, unsupported_statement, CatalogUpdate, Cx};
use crate::types::{self, fold_ident};
use sqlparser::ast::{Expr, ObjectName, Spanned, Statement};

use crate::lower::{
    alter_table::alter_table_op, comment::comment_on, create_table::create_table, dml::dml_names,
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
            if let Some(t) = cx.catalog.table_of_primary_key(&old) {
                let table = t.name.clone();
                rules::pg_only_statement::report_pk_index(cx, &table, &old);
                return;
            }
            match index_table(cx, &old) {
                Ok(Some(mut t)) => {
                    let other = t
                        .indexes
                        .same_to_tidb(&new)
                        .filter(|i| clash(&new, &i.name) && i.name != old)
                        .map(|i| i.name.clone());
                    if let Some(existing) = other {
                        let scope = format!(" of table `{}`", t.name);
                        identifier_case::report_clash(cx, cx.loc, "index", &new, &existing, &scope);
                        return;
                    }
                    cx.output.push(emit::alter(
                        &t.name,
                        &format!("RENAME INDEX {} TO {}", ident(&old), ident(&new)),
                    ));
                    rename_index(&mut t, &old, &new);
                    cx.catalog_updates.push(CatalogUpdate::Table(Box::new(t)));
                }
                Ok(None) => unknown_object::report_index(cx, &old),
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
            let mut seq = sequence_from(table_name(cx, name), sequence_options);
            seq.schema = schema_name::schema_of(name);
            if let Some(existing) = namespace_clash(cx.catalog, &seq.name) {
                identifier_case::report_clash(cx, cx.loc, "sequence", &seq.name, &existing, "");
                return;
            }
            cx.output.push(emit::create_sequence(&seq, *if_not_exists));
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
            dml_names(cx);
        }
        Statement::DropDomain(d) => drop_domain(cx, d),
        Statement::Truncate(t) => {
            for tn in &t.table_names {
                let n = table_name(cx, &tn.name);
                cx.output.push(format!("TRUNCATE TABLE {}", ident(&n)));
            }
        }
        other => unsupported_statement::report_kind(cx, other),
    }
}

/// PostgreSQL names a primary key's index `<table>_pkey` unless the constraint is named.
pub(crate) fn is_pk_name(t: &Table, name: &str) -> bool {
    t.primary_key_name()
        .is_some_and(|n| n.eq_ignore_ascii_case(name))
}

/// The table, view or sequence TiDB takes for `name` while PostgreSQL does
/// not (the names differ only in case), when there is one.
pub(crate) fn namespace_clash(catalog: &Catalog, name: &str) -> Option<String> {
    if let Some(t) = catalog.table(name).filter(|t| clash(name, &t.name)) {
        return Some(t.name.clone());
    }
    if let Some(q) = catalog.sequence(name).filter(|q| clash(name, &q.name)) {
        return Some(q.name.clone());
    }
    catalog.view_name(name).filter(|v| clash(name, v)).cloned()
}

/// The statement names `kind` `requested`, and the model has only `known`,
/// the same name in another case (`requested` was not carried over): report
/// that `what` is not carried over either. True when so.
pub(crate) fn shadowed(cx: &mut Cx, kind: &str, requested: &str, known: &str, what: &str) -> bool {
    if clash(requested, known) {
        identifier_case::report_reference(cx, kind, requested, known, what);
        true
    } else {
        false
    }
}

/// The first of `names` that `t` has only in another case, with the name
/// `t` has.
pub(crate) fn shadowed_column<'a>(
    t: &Table,
    names: impl IntoIterator<Item = &'a str>,
) -> Option<(String, String)> {
    names.into_iter().find_map(|n| {
        t.columns
            .same_to_tidb(n)
            .filter(|c| clash(n, &c.name))
            .map(|c| (n.to_string(), c.name.clone()))
    })
}

/// A new index, foreign key or check (`kind`) of `t` whose name TiDB takes
/// for one `t` has: reported, and true.
pub(crate) fn name_taken(cx: &mut Cx, t: &Table, kind: &str, name: &str, loc: Loc) -> bool {
    let existing = match kind {
        "index" => t.indexes.same_to_tidb(name).map(|i| i.name.clone()),
        "foreign key" => t.foreign_keys.same_to_tidb(name).map(|f| f.name.clone()),
        _ => t.checks.same_to_tidb(name).map(|c| c.name.clone()),
    };
    match existing.filter(|n| clash(name, n)) {
        Some(existing) => {
            let scope = format!(" of table `{}`", t.name);
            identifier_case::report_clash(cx, loc, kind, name, &existing, &scope);
            true
        }
        None => false,
    }
}

pub(crate) fn object_last(name: &ObjectName) -> String {
    expr::last_name(name)
}

/// Resolve a (possibly schema-qualified) name per the schema policy.
pub fn table_name(cx: &mut Cx, name: &ObjectName) -> String {
    schema_name::resolve(cx, name)
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

/// ON DELETE/UPDATE actions; SET DEFAULT is written as what TiDB does with it, RESTRICT (fk-set-default).
pub(crate) fn referential_action(a: &Option<sqlparser::ast::ReferentialAction>) -> Option<String> {
    a.as_ref().map(|a| match a {
        sqlparser::ast::ReferentialAction::SetDefault => "RESTRICT".to_string(),
        other => other.to_string().to_uppercase(),
    })
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
