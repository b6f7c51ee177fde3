//! Fold mode: the whole schema model as one clean script, for
//! `pg_dump --schema-only` input where one table's facts are spread over many
//! statements (sequence + `OWNED BY` + `SET DEFAULT nextval`, identity,
//! `ALTER TABLE ONLY … ADD CONSTRAINT … PRIMARY KEY`, `COMMENT ON`, `setval`).
//!
//! Order: sequences (except those folded into an AUTO_INCREMENT column),
//! then each table in creation order with its keys, indexes, checks and the
//! foreign keys whose parent already exists, then the remaining foreign
//! keys (forward references and cycles) as `ALTER TABLE … ADD CONSTRAINT`,
//! then views, each after the views it selects from.
//!
//! Every statement's effect is in this model or the statement is reported:
//! the converter drops, with a `fold-schema-only` warning, any statement
//! whose SQL changes nothing in the model (data statements above all).

use crate::catalog::Catalog;
use crate::emit::{AlterOp, Emitted, Stmt};
use crate::model::{Index, IndexKind, KeyPart, Sequence};
use std::collections::{BTreeMap, BTreeSet};

/// True when the sequence backs an AUTO_INCREMENT column (`OWNED BY` a
/// column that became AUTO_INCREMENT): it is folded into that column.
fn folded_into_column(catalog: &Catalog, s: &Sequence) -> bool {
    s.owned_by.as_ref().is_some_and(|(table, column)| {
        catalog
            .table(table)
            .is_some_and(|t| t.column(column).is_some_and(|c| c.auto_increment))
    })
}

/// The views in an order where each comes after the views it selects from
/// (the views its SQL names), else by name; each view's SQL is read once.
fn views_in_order(catalog: &Catalog) -> Vec<&String> {
    let names: Vec<&String> = catalog.views.keys().collect();
    let index: BTreeMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    // uses[i]: the other views view i selects from; used_by: the reverse.
    let mut waiting = vec![0usize; names.len()];
    let mut used_by: Vec<Vec<usize>> = vec![Vec::new(); names.len()];
    for (i, v) in names.iter().enumerate() {
        for other in catalog.views[*v].uses() {
            if let Some(&j) = index.get(other.as_str()).filter(|&&j| j != i) {
                waiting[i] += 1;
                used_by[j].push(i);
            }
        }
    }
    let mut ready: BTreeSet<usize> = (0..names.len()).filter(|&i| waiting[i] == 0).collect();
    let mut order = Vec::with_capacity(names.len());
    let mut done = vec![false; names.len()];
    while order.len() < names.len() {
        // A cycle (by name only: a view cannot select from itself through
        // others) leaves the first view left to go next.
        let i = match ready.pop_first() {
            Some(i) => i,
            None => (0..names.len()).find(|&i| !done[i]).unwrap_or(0),
        };
        if done[i] {
            continue;
        }
        done[i] = true;
        order.push(names[i]);
        for &k in &used_by[i] {
            waiting[k] -= 1;
            if waiting[k] == 0 && !done[k] {
                ready.insert(k);
            }
        }
    }
    order
}

/// The folded schema as TiDB SQL.
pub fn schema_sql(catalog: &Catalog) -> String {
    let mut out = String::new();
    for stmt in schema_statements(catalog) {
        out.push_str(&stmt);
        out.push_str(";\n\n");
    }
    out
}

/// The folded schema's statements (without their `;`), in order.
pub fn schema_statements(catalog: &Catalog) -> Vec<Emitted> {
    let mut out = Vec::new();
    // Standalone sequences, and owned ones whose column did not become
    // AUTO_INCREMENT (they would be lost otherwise).
    for s in catalog
        .sequences
        .values()
        .filter(|s| !folded_into_column(catalog, s))
    {
        let mut s = s.clone();
        s.owned_by = None;
        out.push(Emitted::new(Stmt::CreateSequence {
            sequence: s,
            if_not_exists: false,
        }));
    }
    let mut created: BTreeSet<String> = BTreeSet::new();
    let mut deferred = Vec::new();
    for t in catalog.tables_in_order() {
        let mut t = t.into_owned();
        created.insert(t.name.to_lowercase());
        let (now, later): (Vec<_>, Vec<_>) = std::mem::take(&mut t.foreign_keys)
            .into_iter()
            .partition(|fk| created.contains(&fk.ref_table.to_lowercase()));
        t.foreign_keys = now.into();
        for fk in later {
            deferred.push(Emitted::alter(&t.name, AlterOp::AddForeignKey(fk)));
        }
        // AUTO_INCREMENT needs a key (pg_dump adds the primary key separately).
        for c in t.auto_increment_columns() {
            if !t.column_leads_a_key(&c) {
                t.indexes.push(Index {
                    name: format!("{c}_ai_key"),
                    kind: IndexKind::Plain,
                    parts: vec![KeyPart::col(&c)],
                });
            }
        }
        out.push(Emitted::new(Stmt::CreateTable(t)));
    }
    for d in deferred {
        out.push(d);
    }
    for v in views_in_order(catalog) {
        out.push(catalog.views[v].create.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::{Converter, Options};

    /// A view comes after the views it selects from, whatever names its
    /// columns have: `v2` has a column named like view `v1`, which selects
    /// from `v2` (read from the SQL's names, that made a cycle and put `v1`
    /// first, which TiDB refuses: 1146).
    #[test]
    fn views_follow_the_views_they_select_from() {
        let mut conv = Converter::new(Options {
            fold: true,
            ..Options::default()
        });
        conv.convert_text(
            "CREATE TABLE t (id int, v1 int);\n\
             CREATE VIEW v2 AS SELECT id, v1 FROM t;\n\
             CREATE VIEW v1 AS SELECT id FROM v2;\n",
        );
        let views: Vec<String> = super::schema_statements(&conv.catalog)
            .iter()
            .filter(|s| s.starts_with("CREATE VIEW"))
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            views,
            [
                "CREATE VIEW `v2` AS SELECT `id`, `v1` FROM `t`",
                "CREATE VIEW `v1` AS SELECT `id` FROM `v2`"
            ]
        );
    }
}
