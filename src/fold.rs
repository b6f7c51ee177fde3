//! Fold mode: the whole schema model as one clean script, for
//! `pg_dump --schema-only` input where one table's facts are spread over many
//! statements (sequence + `OWNED BY` + `SET DEFAULT nextval`, identity,
//! `ALTER TABLE ONLY … ADD CONSTRAINT … PRIMARY KEY`, `COMMENT ON`, `setval`).
//!
//! Order: standalone sequences, then each table in creation order with its
//! keys, indexes, checks and the foreign keys whose parent already exists,
//! then the remaining foreign keys (forward references and cycles) as
//! `ALTER TABLE … ADD CONSTRAINT`, then views.

use crate::catalog::Catalog;
use crate::emit;
use crate::model::{Index, IndexKind, KeyPart};
use std::collections::BTreeSet;

/// The folded schema as TiDB SQL.
pub fn schema_sql(catalog: &Catalog) -> String {
    let mut out = String::new();
    for s in catalog.sequences.values().filter(|s| s.owned_by.is_none()) {
        out.push_str(&emit::create_sequence(s, false));
        out.push_str(";\n\n");
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
            deferred.push(emit::alter(
                &t.name,
                &format!("ADD {}", emit::foreign_key(&fk)),
            ));
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
        out.push_str(&emit::create_table(&t));
        out.push_str(";\n\n");
    }
    for d in deferred {
        out.push_str(&d);
        out.push_str(";\n\n");
    }
    for v in catalog.views.values() {
        out.push_str(v);
        out.push_str(";\n\n");
    }
    out
}
