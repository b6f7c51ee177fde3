//! Statements that change nothing in TiDB are dropped: `DROP … IF EXISTS` on an object that does not exist at that point of the history, or a type change to the type the column already has.
//!
//! ## What it does
//! `DROP … IF EXISTS` of an object that the converted history has not
//! created (or has dropped again) is dropped with one message naming the
//! object, the same for every kind: table, view, materialized view, index,
//! sequence, type, domain, schema, extension, function, procedure, trigger,
//! and in `ALTER TABLE` a column or constraint (and `ALTER TABLE IF EXISTS`
//! of a table that does not exist). When a statement names several objects
//! and some exist, only the absent ones are reported and the rest converts.
//! `DROP TABLE IF EXISTS` and `DROP VIEW IF EXISTS` are the exception: they
//! are reported the same way but still written, since the target database
//! may hold such a table from before the converted history (a partial
//! history, a `pg_dump --clean` script), and on a fresh one they do nothing.
//!
//! ## Why
//! With the whole history converted in order, the converter knows the object
//! is absent, so the statement does nothing in PostgreSQL either. If the
//! object was created outside the converted migrations, pass them as a
//! baseline so the statement can be converted.
use crate::expr::last_name;
use crate::rules::{pg_object_key, trigger_key, Cx, Event, Object, Rule, RuleMeta, Taken, Verdict};
use sqlparser::ast::Statement;

crate::declare_rule!(IfExistsNoop, "if-exists-noop", Info, IF_EXISTS_NOOP);

impl Rule for IfExistsNoop {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// `DROP … IF EXISTS` of objects TiDB has no equivalent of (the lowering
    /// handles tables, views, indexes, sequences, types and schemas): when
    /// none of them exists, the statement is a no-op.
    fn statement(&self, cx: &mut Cx, stmt: &Statement) -> Option<Verdict> {
        // (what, exists) per named object.
        let mut named: Vec<(String, bool)> = Vec::new();
        let routine = |cx: &Cx, kind: &str, name: &sqlparser::ast::ObjectName| {
            let n = last_name(name);
            let exists = cx
                .catalog
                .pg_objects
                .contains_key(&pg_object_key("routine", &n));
            (format!("{kind} `{n}`"), exists)
        };
        match stmt {
            Statement::DropFunction(d) if d.if_exists => {
                for f in &d.func_desc {
                    named.push(routine(cx, "function", &f.name));
                }
            }
            Statement::DropProcedure {
                if_exists: true,
                proc_desc,
                ..
            } => {
                for f in proc_desc {
                    named.push(routine(cx, "procedure", &f.name));
                }
            }
            Statement::DropTrigger(t) if t.if_exists => {
                let trigger = last_name(&t.trigger_name);
                let table = t
                    .table_name
                    .as_ref()
                    .map(|n| crate::rules::tidb_name(cx, n))
                    .unwrap_or_default();
                let exists = cx
                    .catalog
                    .pg_objects
                    .contains_key(&trigger_key(&table, &trigger));
                named.push((format!("trigger `{trigger}` on `{table}`"), exists));
            }
            Statement::DropExtension(e) if e.if_exists => {
                for n in &e.names {
                    let n = crate::types::fold_ident(&n.value, n.quote_style);
                    let exists = cx
                        .catalog
                        .pg_objects
                        .contains_key(&pg_object_key("extension", &n));
                    named.push((format!("extension `{n}`"), exists));
                }
            }
            Statement::DropDomain(d) if d.if_exists => {
                let n = last_name(&d.name);
                let exists = cx.catalog.domain(&n).is_some();
                named.push((format!("domain `{n}`"), exists));
            }
            _ => return None,
        }
        if named.iter().any(|(_, exists)| *exists) {
            return None;
        }
        for (what, _) in named {
            report_absent(cx, &what);
        }
        Some(Verdict::Drop)
    }

    fn event(&self, cx: &mut Cx, e: &Event) -> Option<Taken> {
        match *e {
            Event::Absent {
                object,
                if_exists: true,
                in_drop,
                ..
            } => {
                let what = what(object);
                if in_drop && matches!(object, Object::Table(_) | Object::View(_)) {
                    // Written all the same: a no-op on a fresh database, and
                    // right where the target has it from outside this history.
                    cx.report_here(&META, format!("{what} does not exist at this point of the converted history; written as it is (a no-op on a fresh database)"));
                    return Some(Taken::Keep);
                }
                report_absent(cx, &what);
                Some(Taken::Drop)
            }
            Event::Drop {
                object,
                if_exists: true,
                exists: false,
            } => {
                report_absent(cx, &what(object));
                Some(Taken::Drop)
            }
            Event::Unchanged { table, column, ty } => {
                cx.report_here(
                    &META,
                    format!("{table}.{column} is already {ty} in TiDB; nothing to change; dropped"),
                );
                Some(Taken::Drop)
            }
            _ => None,
        }
    }
}

/// An object with its kind: ``table `t` ``, ``column `t.c` ``.
fn what(object: Object) -> String {
    match object {
        Object::Table(n) => format!("table `{n}`"),
        Object::View(n) => format!("view `{n}`"),
        Object::Column { table, column } => format!("column `{table}.{column}`"),
        Object::Index(n) => format!("index `{n}`"),
        Object::Constraint { table, name } => format!("constraint `{name}` on `{table}`"),
        Object::Sequence(n) => format!("sequence `{n}`"),
        Object::Type { name, .. } => format!("type `{name}`"),
        Object::Domain(n) => format!("domain `{n}`"),
        Object::MaterializedView(n) => format!("materialized view `{n}`"),
        Object::Schema(n) => format!("schema `{n}`"),
        Object::Routine(n) => format!("function `{n}`"),
    }
}

/// `… IF EXISTS` on an object that does not exist here; `what` names it
/// with its kind (``table `t` ``, ``column `t.c` ``).
fn report_absent(cx: &mut Cx, what: &str) {
    cx.report_here(
        &META,
        format!("{what} does not exist here; IF EXISTS makes this a no-op; dropped"),
    );
}
