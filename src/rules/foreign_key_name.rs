//! A foreign key whose name another table's foreign key already has gets a unique name on TiDB.
//!
//! ## Why
//! PostgreSQL scopes constraint names per table: `teams` and `datasets`
//! may both have a foreign key `fk_team`. MySQL and MariaDB scope foreign
//! key names per schema, without case (1826, errno 121), and TiDB's own
//! documentation gives the name's scope as the table; a schema that must
//! apply on every MySQL-family server cannot reuse the name. The second
//! key is named `fk_team_2` (the first free `_N`, at most 64 characters),
//! and later statements that name `fk_team` on that table (DROP
//! CONSTRAINT) are written with the new name.
//!
//! ## Example
//! ```sql
//! CREATE TABLE datasets (team_id int, CONSTRAINT fk_team FOREIGN KEY (team_id) REFERENCES teams (id));
//! -- TiDB: CONSTRAINT `fk_team_2` FOREIGN KEY (`team_id`) REFERENCES `teams` (`id`)
//! ```
use crate::rules::{Cx, ForeignKeyDraft, Rule, RuleMeta};

crate::declare_rule!(ForeignKeyName, "foreign-key-name", Info, FOREIGN_KEY_NAME);

/// The longest identifier TiDB takes.
const MAX_NAME: usize = 64;

impl Rule for ForeignKeyName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn foreign_key(&self, cx: &mut Cx, d: &mut ForeignKeyDraft) {
        let table = d.table.name.clone();
        let Some(other) = cx.catalog.table_of_foreign_key(d.fk.tidb_name(), &table) else {
            return;
        };
        let taken = |n: &str| {
            cx.catalog.table_of_foreign_key(n, &table).is_some()
                || d.table
                    .foreign_keys
                    .iter()
                    .any(|f| f.tidb_name().eq_ignore_ascii_case(n))
        };
        let name = (2..)
            .map(|i| numbered(&d.fk.name, i))
            .find(|n| !taken(n))
            .unwrap_or_default();
        cx.report_here(
            &META,
            format!(
                "foreign key `{}` of table `{table}`: table `{other}` has a foreign key of that name, and MySQL-family servers take each name once per schema (1826); named `{name}` on TiDB",
                d.fk.name
            ),
        );
        d.fk.tidb_name = Some(name);
    }
}

/// `name_i`, with `name` cut (at a character) so the whole fits 64 characters.
fn numbered(name: &str, i: u32) -> String {
    let suffix = format!("_{i}");
    let keep = MAX_NAME.saturating_sub(suffix.chars().count());
    let head: String = name.chars().take(keep).collect();
    format!("{head}{suffix}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbered_names_fit_64_characters() {
        assert_eq!(super::numbered("fk_team", 2), "fk_team_2");
        let long = "é".repeat(70);
        let n = super::numbered(&long, 12);
        assert_eq!(n.chars().count(), 64);
        assert!(n.ends_with("_12"));
    }
}
