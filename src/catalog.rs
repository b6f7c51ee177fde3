//! The schema model carried across statements and files.
//!
//! Names are compared case-insensitively, as TiDB does
//! (`lower_case_table_names = 2`).

use crate::model::{Sequence, Table};
use sqlparser::ast::{DataType, Expr};
use std::collections::BTreeMap;

/// A PostgreSQL domain, inlined into every column declared with it.
#[derive(Debug, Clone)]
pub struct Domain {
    pub name: String,
    pub base: DataType,
    pub not_null: bool,
    pub default: Option<Expr>,
    pub checks: Vec<Expr>,
}

#[derive(Debug, Clone, Default)]
pub struct Catalog {
    tables: BTreeMap<String, Table>,
    pub enums: BTreeMap<String, Vec<String>>,
    pub domains: BTreeMap<String, Domain>,
    pub sequences: BTreeMap<String, Sequence>,
    /// Views created so far, name → TiDB `CREATE VIEW` statement.
    pub views: BTreeMap<String, String>,
    /// `PARTITION OF` children folded into their parent: child → parent (lower case).
    pub partitions: BTreeMap<String, String>,
    /// Table names in creation order (for the folded schema).
    order: Vec<String>,
    /// Trigger functions that only set `NEW.<column> = now()`: function → column.
    pub touch_functions: BTreeMap<String, String>,
}

fn key(name: &str) -> String {
    name.to_lowercase()
}

impl Catalog {
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.get(&key(name))
    }

    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.tables.values()
    }

    pub fn put_table(&mut self, t: Table) {
        let k = key(&t.name);
        // `order` holds exactly the keys of `tables`: a known key is already listed.
        if !self.tables.contains_key(&k) {
            self.order.push(k.clone());
        }
        self.tables.insert(k, t);
    }

    pub fn remove_table(&mut self, name: &str) -> Option<Table> {
        let k = key(name);
        self.order.retain(|x| *x != k);
        self.tables.remove(&k)
    }

    /// Tables in the order they were created.
    pub fn tables_in_order(&self) -> impl Iterator<Item = &Table> {
        self.order.iter().filter_map(|k| self.tables.get(k))
    }

    /// The table that owns an index (PostgreSQL index names are schema-wide).
    pub fn table_of_index(&self, index: &str) -> Option<&Table> {
        self.tables.values().find(|t| t.index(index).is_some())
    }

    pub fn enum_labels(&self, name: &str) -> Option<&Vec<String>> {
        self.enums.get(&key(name))
    }

    pub fn domain(&self, name: &str) -> Option<&Domain> {
        self.domains.get(&key(name))
    }

    pub fn sequence(&self, name: &str) -> Option<&Sequence> {
        self.sequences.get(&key(name))
    }

    pub fn put_sequence(&mut self, s: Sequence) {
        self.sequences.insert(key(&s.name), s);
    }

    pub fn put_enum(&mut self, name: &str, labels: Vec<String>) {
        self.enums.insert(key(name), labels);
    }

    pub fn put_domain(&mut self, d: Domain) {
        self.domains.insert(key(&d.name), d);
    }
}
