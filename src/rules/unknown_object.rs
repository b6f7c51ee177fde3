//! A statement refers to a table, column, index or constraint the converter has not seen; what needs its definition is not carried over.
//!
//! ## What it does
//! `ALTER COLUMN … TYPE`, `SET NOT NULL`, `COMMENT ON COLUMN`, `DROP INDEX`
//! and similar statements need the object's current definition (TiDB's
//! `MODIFY COLUMN` replaces the whole column; `DROP INDEX` needs its table).
//! When the object was never created in the converted input, the statement
//! is reported as an error and not written: a statement on an object that
//! does not exist would fail on TiDB too.
//!
//! ## Fix
//! Convert the whole migration history in order, or pass the earlier
//! migrations (or a schema dump) as a baseline.
use crate::model::Table;
use crate::rules::{Cx, Event, IndexDraft, Object, Rule, RuleMeta, Taken};

crate::declare_rule!(UnknownObject, "unknown-object", Error, UNKNOWN_OBJECT);

impl Rule for UnknownObject {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Every column of a new index must exist (TiDB: 1072).
    fn index(&self, cx: &mut Cx, t: Option<&Table>, ix: &mut IndexDraft) {
        let Some(t) = t else { return };
        for k in &ix.keys {
            if let Some(c) = k.part.column_name() {
                if t.column(c).is_none() {
                    cx.report(&META, ix.loc, format!("index {}: column `{}.{c}` is not known from earlier statements; index not created", ix.name, t.name));
                    ix.dropped = true;
                    return;
                }
            }
        }
    }

    /// A statement on an object that was never created (without IF EXISTS;
    /// a DROP TABLE or DROP VIEW of one is written as it is).
    fn event(&self, cx: &mut Cx, e: &Event) -> Option<Taken> {
        let Event::Absent {
            object,
            if_exists: false,
            in_drop: false,
            needed,
        } = *e
        else {
            return None;
        };
        match object {
            Object::Table(table) => report_table(cx, table, needed),
            Object::Column { table, column } => cx.report_here(
                &META,
                format!("column `{table}.{column}` is not known from earlier statements"),
            ),
            Object::Index(index) => cx.report_here(&META, format!("index `{index}` is not known from earlier statements: TiDB needs its table to drop or rename it")),
            Object::Constraint { table, name } => cx.report_here(
                &META,
                format!("constraint `{name}` on `{table}` is not known from earlier statements"),
            ),
            _ => return None,
        }
        Some(Taken::Drop)
    }
}

fn report_table(cx: &mut Cx, table: &str, why: &str) {
    cx.report_here(
        &META,
        format!("table `{table}` is not known from earlier statements: {why}"),
    );
}
