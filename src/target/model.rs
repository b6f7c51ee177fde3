//! The target-side model: what exists on TiDB after each statement, where
//! it differs from what exists on PostgreSQL.
//!
//! The catalog holds the tables, views and indexes as TiDB has them. What
//! the input created but TiDB does not have (a view whose query has no
//! translation, an index of a method TiDB lacks, a materialized view) is
//! recorded in [`Catalog::lost`] with where it was lost ([`track`]). Every
//! statement about to be written is checked against it ([`check_output`]):
//! one that needs such an object is left out, or the part of it that does
//! (a foreign key), and a rule says why and where the object was lost.
//! Statements that need nothing lost are never touched.

use crate::catalog::{lost_key, Catalog, Lost, LostKind};
use crate::emit::{AlterOp, DropKind, Emitted, Stmt};
use crate::expr::last_name;
use crate::rules::{self, CatalogUpdate, Cx, LostAction, Object};
use sqlparser::ast::{
    AlterIndexOperation, AlterTableOperation, AlterViewOperation, ObjectType, Statement,
};

/// Check the statements `cx` is about to write (and, under `--fold`, the
/// views it is about to put in the schema) against what exists on TiDB.
pub(crate) fn check_output(cx: &mut Cx) {
    if cx.catalog.lost.is_empty() {
        return;
    }
    check_views(cx);
    let output = std::mem::take(&mut cx.output);
    let mut kept = Vec::with_capacity(output.len());
    for e in output {
        if let Some(e) = check(cx, e) {
            kept.push(e);
        }
    }
    // What the rules wrote while checking (nothing today) comes after.
    kept.append(&mut cx.output);
    cx.output = kept;
}

/// Views that select from a table or view that is not on TiDB are not
/// created (their catalog entry and CREATE VIEW are both dropped).
fn check_views(cx: &mut Cx) {
    let mut refused: Vec<String> = Vec::new();
    let updates = std::mem::take(&mut cx.catalog_updates);
    let mut kept = Vec::with_capacity(updates.len());
    for u in updates {
        if let CatalogUpdate::View { name, view } = &u {
            let by = format!("view `{name}`");
            let lost = view
                .uses()
                .iter()
                .find(|used| Object::Table(used).lost_in(cx.catalog).is_some());
            if let Some(used) = lost {
                rules::run_lost(cx, Object::Table(used), LostAction::Use { by: Some(&by) });
                refused.push(name.clone());
                continue;
            }
        }
        kept.push(u);
    }
    kept.append(&mut cx.catalog_updates);
    cx.catalog_updates = kept;
    if !refused.is_empty() {
        cx.output.retain(
            |e| !matches!(e.stmt(), Stmt::CreateView { name, .. } if refused.contains(name)),
        );
    }
}

fn lost_relation(cx: &Cx, name: &str) -> bool {
    Object::Table(name).lost_in(cx.catalog).is_some()
}

/// `e`, or what is left of it, or nothing, once every object it needs was
/// looked up.
fn check(cx: &mut Cx, e: Emitted) -> Option<Emitted> {
    let use_ = LostAction::Use { by: None };
    match e.stmt() {
        Stmt::CreateTable(t) => {
            let lost: Vec<(String, String)> = t
                .foreign_keys
                .iter()
                .filter(|fk| lost_relation(cx, &fk.ref_table))
                .map(|fk| (fk.name.clone(), fk.ref_table.clone()))
                .collect();
            if lost.is_empty() {
                return Some(e);
            }
            let mut t = t.clone();
            let mut gone = Vec::new();
            for (name, parent) in lost {
                let by = format!("foreign key `{name}` of table `{}`", t.name);
                rules::run_lost(
                    cx,
                    Object::Table(&parent),
                    LostAction::Use { by: Some(&by) },
                );
                gone.push(name);
            }
            t.foreign_keys.retain(|f| !gone.contains(&f.name));
            forget_foreign_keys(cx, &t.name, &gone);
            Some(Emitted::new(Stmt::CreateTable(t)))
        }
        Stmt::Alter { table, op } => {
            if lost_relation(cx, table) {
                let table = table.clone();
                return refused(cx, Object::Table(&table), use_, e);
            }
            if let AlterOp::AddForeignKey(fk) = op {
                if lost_relation(cx, &fk.ref_table) {
                    let by = format!("foreign key `{}` of table `{table}`", fk.name);
                    let (table, name, parent) =
                        (table.clone(), fk.name.clone(), fk.ref_table.clone());
                    rules::run_lost(
                        cx,
                        Object::Table(&parent),
                        LostAction::Use { by: Some(&by) },
                    );
                    forget_foreign_keys(cx, &table, &[name]);
                    return None;
                }
            }
            Some(e)
        }
        Stmt::CreateIndex { table, .. }
        | Stmt::Truncate(table)
        | Stmt::Insert { table, .. }
        | Stmt::Update { table, .. }
        | Stmt::Delete { table, .. } => {
            let table = table.clone();
            refused(cx, Object::Table(&table), use_, e)
        }
        Stmt::RenameTable { from, to } => {
            let (from, to) = (from.clone(), to.clone());
            refused(cx, Object::Table(&from), LostAction::Rename { to: &to }, e)
        }
        Stmt::DropIndex { index, .. } => {
            let index = index.clone();
            refused(cx, Object::Index(&index), LostAction::Drop, e)
        }
        Stmt::Drop {
            kind: kind @ (DropKind::Table | DropKind::View),
            names,
            if_exists,
        } => {
            let (kind, if_exists) = (*kind, *if_exists);
            let names = names.clone();
            let left: Vec<String> = names
                .into_iter()
                .filter(|n| !rules::run_lost(cx, Object::Table(n), LostAction::Drop))
                .collect();
            match left.len() {
                0 => None,
                n if n == drop_count(&e) => Some(e),
                _ => Some(Emitted::new(Stmt::Drop {
                    kind,
                    names: left,
                    if_exists,
                })),
            }
        }
        _ => Some(e),
    }
}

fn drop_count(e: &Emitted) -> usize {
    match e.stmt() {
        Stmt::Drop { names, .. } => names.len(),
        _ => 0,
    }
}

/// `e` unless `object` is lost (then a rule reported it).
fn refused(cx: &mut Cx, object: Object, action: LostAction, e: Emitted) -> Option<Emitted> {
    if rules::run_lost(cx, object, action) {
        None
    } else {
        Some(e)
    }
}

/// Foreign keys `names` of `table` are not on TiDB: the table the catalog
/// gets does not have them either.
fn forget_foreign_keys(cx: &mut Cx, table: &str, names: &[String]) {
    for u in &mut cx.catalog_updates {
        if let CatalogUpdate::Table(t) = u {
            if t.name.eq_ignore_ascii_case(table) {
                t.foreign_keys.retain(|f| !names.contains(&f.name));
            }
        }
    }
}

/// After a statement: record what it created that TiDB does not have
/// (`at`: where the statement is), what it renamed or dropped of that, and
/// forget what exists again.
pub(crate) fn track(catalog: &mut Catalog, stmt: &Statement, at: &dyn Fn() -> String) {
    match stmt {
        Statement::CreateTable(ct) => {
            let name = last_name(&ct.name);
            created(
                catalog,
                LostKind::Relation,
                &name,
                || format!("table `{name}`"),
                at,
            );
        }
        Statement::CreateView(v) => {
            let name = last_name(&v.name);
            let kind = if v.materialized {
                "materialized view"
            } else {
                "view"
            };
            created(
                catalog,
                LostKind::Relation,
                &name,
                || format!("{kind} `{name}`"),
                at,
            );
        }
        Statement::CreateIndex(ci) => {
            if let Some(n) = &ci.name {
                let name = last_name(n);
                created(
                    catalog,
                    LostKind::Index,
                    &name,
                    || format!("index `{name}`"),
                    at,
                );
            }
        }
        Statement::AlterTable(a) => {
            let table = last_name(&a.name);
            for op in &a.operations {
                match op {
                    AlterTableOperation::RenameTable { table_name } if !catalog.lost.is_empty() => {
                        let to = match table_name {
                            sqlparser::ast::RenameTableNameKind::As(n)
                            | sqlparser::ast::RenameTableNameKind::To(n) => last_name(n),
                        };
                        renamed(catalog, LostKind::Relation, &table, &to);
                    }
                    AlterTableOperation::DropColumn { column_names, .. } => {
                        for c in column_names {
                            kept_column(catalog, &table, &c.value, at);
                        }
                    }
                    _ => {}
                }
            }
        }
        Statement::CreateFunction(f) => {
            let name = last_name(&f.name);
            created(
                catalog,
                LostKind::Routine,
                &name,
                || format!("function `{name}`"),
                at,
            );
        }
        Statement::CreateProcedure { name, .. } => {
            let name = last_name(name);
            created(
                catalog,
                LostKind::Routine,
                &name,
                || format!("procedure `{name}`"),
                at,
            );
        }
        Statement::AlterView(v) if !catalog.lost.is_empty() => {
            if let AlterViewOperation::RenameTo { new_name } = &v.operation {
                renamed(
                    catalog,
                    LostKind::Relation,
                    &last_name(&v.name),
                    &last_name(new_name),
                );
            }
        }
        Statement::DropFunction(d) if !catalog.lost.is_empty() => {
            for f in &d.func_desc {
                catalog
                    .lost
                    .remove(&lost_key(LostKind::Routine, &last_name(&f.name)));
            }
        }
        Statement::DropProcedure { proc_desc, .. } if !catalog.lost.is_empty() => {
            for f in proc_desc {
                catalog
                    .lost
                    .remove(&lost_key(LostKind::Routine, &last_name(&f.name)));
            }
        }
        Statement::AlterIndex {
            name,
            operation: AlterIndexOperation::RenameIndex { index_name },
        } if !catalog.lost.is_empty() => {
            renamed(
                catalog,
                LostKind::Index,
                &last_name(name),
                &last_name(index_name),
            );
        }
        Statement::Drop {
            object_type, names, ..
        } if !catalog.lost.is_empty() => {
            let kind = match object_type {
                ObjectType::Table | ObjectType::View | ObjectType::MaterializedView => {
                    LostKind::Relation
                }
                ObjectType::Index => LostKind::Index,
                _ => return,
            };
            for n in names {
                catalog.lost.remove(&lost_key(kind, &last_name(n)));
            }
        }
        _ => {}
    }
}

/// The input created `name`: lost unless TiDB has it now.
fn created(
    catalog: &mut Catalog,
    kind: LostKind,
    name: &str,
    what: impl FnOnce() -> String,
    at: &dyn Fn() -> String,
) {
    if exists(catalog, kind, name) {
        if !catalog.lost.is_empty() {
            catalog.lost.remove(&lost_key(kind, name));
        }
    } else {
        let lost = Lost {
            what: what(),
            at: at(),
        };
        catalog.lost.insert(lost_key(kind, name), lost);
    }
}

fn exists(catalog: &Catalog, kind: LostKind, name: &str) -> bool {
    match kind {
        LostKind::Relation => {
            catalog.table(name).is_some()
                || catalog.view_name(name).is_some()
                // A partition folded into its parent is carried over there.
                || catalog.partitions.contains_key(&name.to_lowercase())
        }
        LostKind::Index => catalog
            .table_of_index(name)
            .is_some_and(|t| t.index(name).is_some()),
        LostKind::Routine => false,
    }
}

/// A lost object renamed: the new name is lost too (unless TiDB has it).
fn renamed(catalog: &mut Catalog, kind: LostKind, from: &str, to: &str) {
    let Some(old) = catalog.lost.remove(&lost_key(kind, from)) else {
        return;
    };
    if !exists(catalog, kind, to) {
        let what = format!("{} (renamed to `{to}`)", old.what);
        catalog
            .lost
            .insert(lost_key(kind, to), Lost { what, at: old.at });
    }
}

/// The input dropped `table.column`: if TiDB still has it, remember where
/// (a later ADD COLUMN of the name says so); if not, forget it.
fn kept_column(catalog: &mut Catalog, table: &str, column: &str, at: &dyn Fn() -> String) {
    let key = format!("{table}.{column}").to_lowercase();
    let still = catalog
        .table(table)
        .is_some_and(|t| t.column(column).is_some());
    if still {
        let what = format!("column `{table}.{column}`");
        catalog.kept.insert(key, Lost { what, at: at() });
    } else if !catalog.kept.is_empty() {
        catalog.kept.remove(&key);
    }
}

/// A statement sqlparser could not read, by its leading words
/// (`CREATE [OR REPLACE] [UNIQUE] TABLE|VIEW|INDEX [IF NOT EXISTS] name`):
/// what it creates is not on TiDB (unless TiDB has it already).
pub(crate) fn track_unparsed(catalog: &mut Catalog, words: &[String], at: &dyn Fn() -> String) {
    let mut w = words.iter().map(String::as_str).peekable();
    if w.next() != Some("CREATE") {
        return;
    }
    let mut materialized = false;
    let kind = loop {
        match w.next() {
            Some("OR" | "REPLACE" | "UNLOGGED" | "TEMP" | "TEMPORARY" | "GLOBAL" | "LOCAL")
            | Some("UNIQUE" | "RECURSIVE") => {}
            Some("MATERIALIZED") => materialized = true,
            Some("TABLE") => break ("table", LostKind::Relation),
            Some("VIEW") => break ("view", LostKind::Relation),
            Some("INDEX") => break ("index", LostKind::Index),
            _ => return,
        }
    };
    let mut name = None;
    while let Some(word) = w.next() {
        match word {
            "CONCURRENTLY" | "IF" | "NOT" | "EXISTS" if name.is_none() => {}
            "ON" | "(" if name.is_none() => return,
            "." => name = w.next(),
            _ if name.is_none() => name = Some(word),
            _ => break,
        }
    }
    let Some(name) = name.map(str::to_lowercase) else {
        return;
    };
    if name.starts_with(|c: char| !(c.is_alphanumeric() || c == '_')) {
        return;
    }
    let what = match (kind.0, materialized) {
        ("view", true) => "materialized view",
        (k, _) => k,
    };
    created(catalog, kind.1, &name, || format!("{what} `{name}`"), at);
}
