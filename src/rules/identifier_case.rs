//! Names that differ only in case (`"ID"` and `id`, `"Users"` and `users`) are distinct in PostgreSQL but the same name in TiDB: the second is not carried over, and neither is a later statement that names it.
//!
//! ## What it does
//! PostgreSQL keeps quoted identifiers as written and compares them exactly.
//! TiDB compares column, index and constraint names case-insensitively, and
//! table names too (`lower_case_table_names = 2`; tables, views and
//! sequences share one namespace). So when a name arrives that differs only
//! in case from one already there, it is an error and the object is not
//! created:
//!
//! - a column of the same table (in `CREATE TABLE`, `ADD COLUMN`, or the new
//!   name of `RENAME COLUMN`);
//! - a table, view or sequence (in `CREATE`, or the new name of
//!   `ALTER TABLE … RENAME TO`), across statements and files;
//! - an index, foreign key or CHECK of the same table (in `CREATE TABLE`,
//!   `ADD CONSTRAINT`, `CREATE INDEX`, or the new name of a rename);
//! - an enum or domain type: TiDB has none (they are inlined on their
//!   columns), but the converter looks them up case-insensitively.
//!
//! A later statement that names the object that was not carried over (by
//! its exact name, which matches the other object only in case) is not
//! carried over either, with the same error: it would act on the other
//! object in TiDB. That covers `ALTER TABLE` and its column operations,
//! `DROP`, `COMMENT ON`, `CREATE INDEX` and its key columns, keys and
//! foreign keys (also the referenced table and columns), CHECK expressions,
//! views (the tables they select from), `INSERT`/`UPDATE`/`DELETE` (their
//! table and columns), and a column, `ALTER TYPE` or `DROP TYPE` of a type. Index names are schema-wide in PostgreSQL and
//! table-wide in TiDB: two indexes on different tables may differ only in
//! case, and `DROP INDEX` finds the right one.
//!
//! ## Why not rename
//! Renaming the newcomer (`ID` → `ID_2`) would make the output apply, but
//! every later statement, view, CHECK expression, and the application's own
//! queries, would have to follow the new name, and a query that says `"ID"`
//! would reach `id` on TiDB without any error. Only a person can decide
//! which name to change, so the loss is reported where it happens.
//!
//! ## Fix
//! Rename one of the two objects in PostgreSQL (a migration before the
//! conversion), so that no two names differ only in case.
use crate::model::Loc;
use crate::rules::{Cx, Event, Rule, RuleMeta, Taken};

crate::declare_rule!(IdentifierCase, "identifier-case", Error, IDENTIFIER_CASE);

impl Rule for IdentifierCase {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// A name that TiDB takes for another the model has: not carried over.
    fn event(&self, cx: &mut Cx, e: &Event) -> Option<Taken> {
        match *e {
            Event::NewNameTaken {
                kind,
                name,
                existing,
                scope,
                at,
            } if clash(name, existing) => {
                report_clash(cx, at, kind, name, existing, scope);
                Some(Taken::Drop)
            }
            Event::Reference {
                kind,
                requested,
                known,
                what,
            } if clash(requested, known) => {
                report_reference(cx, kind, requested, known, what);
                Some(Taken::Drop)
            }
            _ => None,
        }
    }
}

/// `a` and `b` are different PostgreSQL names that TiDB takes for the same.
pub fn clash(a: &str, b: &str) -> bool {
    if a == b {
        false
    } else if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

/// A new `kind` named `new` (`scope`: ` in table \`t\``, or empty) is not
/// created: `existing` differs from it only in case.
pub fn report_clash(cx: &mut Cx, loc: Loc, kind: &str, new: &str, existing: &str, scope: &str) {
    let who = who(kind);
    cx.report(
        &META,
        loc,
        format!("{kind} `{new}`{scope} differs only in case from `{existing}`, which {who} takes for the same name: `{new}` is not carried over (rename one of them in PostgreSQL)"),
    );
}

/// Who cannot tell the names apart: TiDB, or for types (which TiDB does not
/// have: they are inlined) the converter's schema model.
fn who(kind: &str) -> &'static str {
    if kind == "type" {
        "the converter (types are inlined on their columns)"
    } else {
        "TiDB"
    }
}

/// A statement names `kind` `requested`, which is not in the converted
/// schema: only `known` is, a name that differs from it only in case.
pub fn report_reference(cx: &mut Cx, kind: &str, requested: &str, known: &str, what: &str) {
    cx.report_here(
        &META,
        format!("{kind} `{requested}` was not carried over: {} compares names case-insensitively and takes it for `{known}`, so {what} is not carried over either (it would act on `{known}`)", who(kind)),
    );
}

#[cfg(test)]
mod tests {
    use super::clash;

    #[test]
    fn only_a_difference_in_case_clashes() {
        assert!(clash("ID", "id") && clash("Straße", "straße"));
        assert!(!clash("id", "id") && !clash("id", "idx"));
    }
}
