//! TiDB allows one AUTO_INCREMENT column per table (1075): the primary-key one (or the first) keeps it, the others become plain NOT NULL integers.
//!
//! ## What it does
//! PostgreSQL lets a table have several `serial` or identity columns, each
//! with its own sequence. TiDB allows one AUTO_INCREMENT column per table.
//! The column that leads the primary key keeps AUTO_INCREMENT (else the
//! first one); each other one is reported as an error and becomes a plain
//! NOT NULL integer, without its sequence.
//!
//! ## Why
//! `ERROR 1075: Incorrect table definition; there can be only one auto
//! column and it must be defined as a key` (tidb-facts §4). Fill the other
//! columns from the application, or from a TiDB sequence
//! (`DEFAULT NEXTVAL(s)`).
//!
//! Split from `unsupported-statement`: `ignore[unsupported-statement]` and
//! `[rules] unsupported-statement = …` still apply to it.
//!
//! ## Example
//! ```sql
//! CREATE TABLE s_big (id bigserial PRIMARY KEY, code smallserial);
//! -- error: code becomes SMALLINT NOT NULL without AUTO_INCREMENT
//! ```
use crate::model::Table;
use crate::rules::{Cx, Rule, RuleMeta};

crate::declare_rule!(
    OneAutoIncrement,
    "one-auto-increment",
    Error,
    ONE_AUTO_INCREMENT,
    split_from = "unsupported-statement"
);

impl Rule for OneAutoIncrement {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Keep the primary-key one (or the first), and report the others.
    fn keys(&self, cx: &mut Cx, t: &mut Table) {
        let ai = t.auto_increment_columns();
        if ai.len() < 2 {
            return;
        }
        let keep = ai
            .iter()
            .find(|c| {
                t.primary_key.as_ref().is_some_and(|pk| {
                    pk.parts
                        .first()
                        .and_then(|p| p.column_name())
                        .is_some_and(|n| n.eq_ignore_ascii_case(c))
                })
            })
            .unwrap_or(&ai[0])
            .clone();
        for name in ai.iter().filter(|c| **c != keep) {
            if let Some(c) = t.column_mut(name) {
                c.auto_increment = false;
            }
            cx.report_here(&META, format!("{}.{name}: TiDB allows one AUTO_INCREMENT column per table (1075) and {keep} has it; {name} becomes a plain NOT NULL integer and its sequence is not carried over", t.name));
        }
    }
}
