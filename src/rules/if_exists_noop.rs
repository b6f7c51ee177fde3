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
use crate::rules::{pg_object_key, schema_name, Cx, Rule, RuleMeta, Verdict};
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
                    .map(|n| schema_name::resolve(cx, n))
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
}

/// The [`crate::catalog::Catalog::pg_objects`] key of trigger `trigger` on `table`.
pub fn trigger_key(table: &str, trigger: &str) -> String {
    pg_object_key("trigger", &format!("{table}.{trigger}"))
}

/// `… IF EXISTS` on an object that does not exist here; `what` names it
/// with its kind (``table `t` ``, ``column `t.c` ``).
pub fn report_absent(cx: &mut Cx, what: &str) {
    cx.report_here(
        &META,
        format!("{what} does not exist here; IF EXISTS makes this a no-op; dropped"),
    );
}

/// `DROP TABLE|VIEW IF EXISTS` of what the converted history does not have:
/// written all the same (TiDB has tables and views, and the target may hold
/// one from outside the converted history).
pub fn report_absent_written(cx: &mut Cx, what: &str) {
    cx.report_here(
        &META,
        format!("{what} does not exist at this point of the converted history; written as it is (a no-op on a fresh database)"),
    );
}

/// A statement whose effect TiDB already has.
pub fn report_noop(cx: &mut Cx, what: &str) {
    cx.report_here(&META, format!("{what}; nothing to change; dropped"));
}
