//! The schema model carried across statements and files.
//!
//! Names are compared case-insensitively, as TiDB does
//! (`lower_case_table_names = 2`).

use crate::model::{Sequence, Table};
use sqlparser::ast::{DataType, Expr};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// A PostgreSQL domain, inlined into every column declared with it.
#[derive(Debug, Clone)]
pub struct Domain {
    pub name: String,
    pub base: DataType,
    pub not_null: bool,
    pub default: Option<Expr>,
    pub checks: Vec<Expr>,
}

/// A view: its TiDB `CREATE VIEW` statement and the tables and views it
/// selects from (from its query, not read back from the SQL).
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    pub create: crate::emit::Emitted,
}

impl View {
    /// The tables and views its query selects from.
    pub fn uses(&self) -> &[String] {
        match self.create.stmt() {
            crate::emit::Stmt::CreateView { uses, .. } => uses,
            _ => &[],
        }
    }
}

/// The namespace of a lost object on TiDB: tables, views and materialized
/// views share one (`relation`); indexes have theirs (`index`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LostKind {
    Relation,
    Index,
    /// Functions and procedures (TiDB has none).
    Routine,
}

/// The [`Catalog::lost`] key of `name` in `kind`'s namespace (TiDB compares
/// these names without case).
pub fn lost_key(kind: LostKind, name: &str) -> String {
    let k = match kind {
        LostKind::Relation => "relation",
        LostKind::Index => "index",
        LostKind::Routine => "routine",
    };
    format!("{k} {}", name.to_lowercase())
}

impl Catalog {
    /// The lost object `name` of `kind`, if the input created it and it was
    /// not carried over.
    pub fn lost(&self, kind: LostKind, name: &str) -> Option<&Lost> {
        if self.lost.is_empty() {
            return None;
        }
        self.lost.get(&lost_key(kind, name))
    }
}

/// An object the input created that is not on TiDB (not carried over), so
/// that what later refers to it can say where it was lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lost {
    /// What it is, as a message names it: `` view `v` ``.
    pub what: String,
    /// Where the statement that did not carry it over is: `file:line:col`.
    pub at: String,
}

/// How many recently put tables stay as they are; the others are kept
/// encoded (the statements of a migration mostly touch the tables just
/// created or altered).
const HOT_TABLES: usize = 64;

/// A table in the catalog: as it is, or encoded with postcard (a few hundred
/// bytes instead of a few kilobytes of strings, vectors and options), so a
/// schema of tens of thousands of tables stays small.
#[derive(Debug, Clone)]
enum Stored {
    Table(Box<Table>),
    Encoded(Box<[u8]>),
}

impl Stored {
    fn get(&self) -> Cow<'_, Table> {
        match self {
            Stored::Table(t) => Cow::Borrowed(t),
            Stored::Encoded(bytes) => Cow::Owned(
                postcard::from_bytes(bytes)
                    .expect("a table the catalog encoded decodes with the same types"),
            ),
        }
    }

    fn encode(&mut self) {
        if let Stored::Table(t) = self {
            // Encoding these plain types does not fail; if it did, the table stays as it is.
            if let Ok(bytes) = postcard::to_allocvec(&**t) {
                *self = Stored::Encoded(bytes.into_boxed_slice());
            }
        }
    }
}

/// The primary key's declared constraint name (the default `<table>_pkey`
/// needs no lookup entry: [`Catalog::table_of_primary_key`] derives it).
fn declared_pk(t: &Table) -> Option<String> {
    t.primary_key.as_ref().and_then(|pk| pk.name.clone())
}

/// A table with the position of its creation (for the folded schema).
#[derive(Debug, Clone)]
struct Entry {
    created: u64,
    stored: Stored,
}

impl Entry {
    fn get(&self) -> Cow<'_, Table> {
        self.stored.get()
    }
}

#[derive(Debug, Clone, Default)]
pub struct Catalog {
    tables: BTreeMap<String, Entry>,
    /// Tables created so far (the next one's [`Entry::created`]).
    created: u64,
    /// Keys of the tables put most recently (oldest first, may repeat): the
    /// ones kept as they are.
    hot: VecDeque<String>,
    pub enums: BTreeMap<String, Vec<String>>,
    pub domains: BTreeMap<String, Domain>,
    pub sequences: BTreeMap<String, Sequence>,
    /// Views created so far, by name (change them with
    /// [`Catalog::put_view`] and [`Catalog::remove_view`]).
    pub views: BTreeMap<String, View>,
    /// The views' names by their lookup key (any case → the name).
    view_names: BTreeMap<String, String>,
    /// `PARTITION OF` children folded into their parent: child → parent (lower case).
    pub partitions: BTreeMap<String, String>,
    /// Trigger functions that only set `NEW.<column> = now()`: function → column.
    pub touch_functions: BTreeMap<String, String>,
    /// PostgreSQL objects TiDB has no equivalent of that the input created
    /// (functions, triggers, extensions, schemas, materialized views), so a
    /// later `DROP … IF EXISTS` knows whether they exist: key from
    /// [`crate::rules::pg_object_key`] → detail (the column a trigger that
    /// became `ON UPDATE` stamps; empty otherwise).
    pub pg_objects: BTreeMap<String, String>,
    /// The PostgreSQL schema each view and type (enum, domain) was flattened
    /// from, when not `public`: key from [`crate::rules::pg_object_key`]
    /// (`view`, `type`) → schema. Tables and sequences carry theirs.
    pub flattened_from: BTreeMap<String, String>,
    /// Tables, views and indexes the input created that are not on TiDB:
    /// key from [`lost_key`] → where and what. Read by the target-side
    /// checks ([`crate::target::model`]) and the rules that report a
    /// reference to one.
    pub lost: BTreeMap<String, Lost>,
    /// Columns the input dropped that TiDB still has (their DROP was not
    /// carried over): `table.column`, lower case → what and where.
    pub kept: BTreeMap<String, Lost>,
    /// Lookup aids, kept by `put_table` so large schemas stay linear. They
    /// may hold stale entries; readers check the table they lead to.
    /// `referenced table NUL referenced column NUL table whose foreign keys
    /// have referenced it`, one string each in one set (compact: a set per
    /// table would take a B-tree node each, a tuple three strings).
    referenced_by: BTreeSet<String>,
    /// Index (or declared primary key) name → the table that last had it.
    index_owner: BTreeMap<String, String>,
    /// Foreign key name on TiDB → the table that last had it.
    fk_owner: BTreeMap<String, String>,
    /// Enum type (lower case) → tables with a column that has used it.
    enum_users: BTreeSet<(String, String)>,
}

/// The lookup key of a name: lower case (no copy when it already is).
fn key(name: &str) -> Cow<'_, str> {
    if name.is_ascii() && !name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(name.to_lowercase())
    }
}

impl Catalog {
    /// The table called `name` (any case). Borrowed when it was put recently,
    /// decoded otherwise.
    pub fn table(&self, name: &str) -> Option<Cow<'_, Table>> {
        self.tables.get(key(name).as_ref()).map(Entry::get)
    }

    /// A copy of the table called `name`, to change and put back.
    pub fn table_copy(&self, name: &str) -> Option<Table> {
        self.table(name).map(Cow::into_owned)
    }

    /// Every table, in name order (each decoded in turn when it is encoded).
    pub fn tables(&self) -> impl Iterator<Item = Cow<'_, Table>> {
        self.tables.values().map(Entry::get)
    }

    /// Insert or replace a table. The lookups are brought up to date from
    /// what changed since the stored version only (a copy of a table shares
    /// its unchanged parts: see [`crate::model::Named`]), so a statement on a
    /// wide table costs no more than on a narrow one.
    pub fn put_table(&mut self, mut t: Table) {
        t.settle();
        let k = key(&t.name).into_owned();
        let old = self.tables.get(&k);
        let created = old.map_or(self.created, |e| e.created);
        if old.is_none() {
            self.created += 1;
        }
        let old = old.map(Entry::get);
        let changed = |new: &Table| {
            let o = old.as_deref();
            let fks = o
                .and_then(|o| new.foreign_keys.changed_since(&o.foreign_keys))
                .unwrap_or_else(|| new.foreign_keys.iter().collect());
            let fk_names: Vec<String> = fks
                .iter()
                .map(|f| key(f.tidb_name()).into_owned())
                .collect();
            let ixs = o
                .and_then(|o| new.indexes.changed_since(&o.indexes))
                .unwrap_or_else(|| new.indexes.iter().collect());
            let cols = o
                .and_then(|o| new.columns.changed_since(&o.columns))
                .unwrap_or_else(|| new.columns.iter().collect());
            let pk =
                declared_pk(new).filter(|n| o.is_none_or(|o| declared_pk(o).as_ref() != Some(n)));
            let fks: Vec<(String, String)> = fks
                .iter()
                .flat_map(|f| {
                    let parent = key(&f.ref_table).into_owned();
                    f.ref_columns
                        .iter()
                        .map(move |c| (parent.clone(), key(c).into_owned()))
                })
                .collect();
            let names: Vec<String> = ixs
                .iter()
                .map(|ix| key(&ix.name).into_owned())
                .chain(pk.map(|n| key(&n).into_owned()))
                .collect();
            let enums: Vec<String> = cols
                .iter()
                .filter_map(|c| c.pg_enum.as_deref())
                .map(|e| key(e).into_owned())
                .collect();
            (fks, names, enums, fk_names)
        };
        let (fks, names, enums, fk_names) = changed(&t);
        drop(old);
        for n in fk_names {
            self.fk_owner.insert(n, k.clone());
        }
        for (parent, column) in fks {
            self.referenced_by
                .insert(format!("{parent}\0{column}\0{k}"));
        }
        for n in names {
            self.index_owner.insert(n, k.clone());
        }
        for e in enums {
            self.enum_users.insert((e, k.clone()));
        }
        let stored = Stored::Table(Box::new(t));
        self.tables.insert(k.clone(), Entry { created, stored });
        self.hot.push_back(k);
        while self.hot.len() > HOT_TABLES {
            let Some(cold) = self.hot.pop_front() else {
                break;
            };
            if !self.hot.contains(&cold) {
                if let Some(entry) = self.tables.get_mut(&cold) {
                    entry.stored.encode();
                }
            }
        }
    }

    /// Tables with a column declared with the enum type `name`, in name order
    /// (each decoded in turn when it is encoded).
    pub fn tables_using_enum(&self, name: &str) -> impl Iterator<Item = Cow<'_, Table>> {
        let name = key(name).into_owned();
        let keys: Vec<&String> = self
            .enum_users
            .range((name.clone(), String::new())..)
            .take_while(|(e, _)| *e == name)
            .map(|(_, k)| k)
            .collect();
        keys.into_iter()
            .filter_map(|k| self.tables.get(k).map(Entry::get))
            .filter(move |t| {
                t.columns.iter().any(|c| {
                    c.pg_enum
                        .as_deref()
                        .is_some_and(|e| key(e) == name.as_str())
                })
            })
    }

    /// Keys of the tables recorded as referencing `name` (column `column`,
    /// or any), in name order, once each.
    fn children(&self, name: &str, column: Option<&str>) -> BTreeSet<&str> {
        let prefix = match column {
            Some(c) => format!("{name}\0{c}\0"),
            None => format!("{name}\0"),
        };
        self.referenced_by
            .range(prefix.clone()..)
            .take_while(|e| e.starts_with(&prefix))
            .filter_map(|e| e.rsplit('\0').next())
            .collect()
    }

    /// Tables with a foreign key that references `name` (any column), in name order.
    pub fn referencing(&self, name: &str) -> impl Iterator<Item = Cow<'_, Table>> {
        let name = key(name).into_owned();
        self.children(&name, None)
            .into_iter()
            .filter_map(|k| self.tables.get(k).map(Entry::get))
            .filter(move |t| {
                t.foreign_keys
                    .iter()
                    .any(|fk| fk.ref_table.eq_ignore_ascii_case(&name))
            })
    }

    /// Tables with a foreign key that references column `column` of
    /// `name`, in name order (so a type change on a parent with many
    /// children looks only at those that reference the column).
    pub fn referencing_column<'a>(
        &'a self,
        name: &str,
        column: &str,
    ) -> impl Iterator<Item = Cow<'a, Table>> + 'a {
        let name = key(name).into_owned();
        let column = column.to_string();
        self.children(&name, Some(&key(&column)))
            .into_iter()
            .filter_map(|k| self.tables.get(k).map(Entry::get))
            .filter(move |t| {
                t.foreign_keys.iter().any(|fk| {
                    fk.ref_table.eq_ignore_ascii_case(&name)
                        && fk
                            .ref_columns
                            .iter()
                            .any(|c| c.eq_ignore_ascii_case(&column))
                })
            })
    }

    pub fn remove_table(&mut self, name: &str) -> Option<Table> {
        self.tables
            .remove(key(name).as_ref())
            .map(|e| e.get().into_owned())
    }

    /// Tables in the order they were created (each decoded in turn when it is encoded).
    pub fn tables_in_order(&self) -> impl Iterator<Item = Cow<'_, Table>> {
        let mut order: Vec<&Entry> = self.tables.values().collect();
        order.sort_by_key(|e| e.created);
        order.into_iter().map(Entry::get)
    }

    /// The table other than `except` with a foreign key called `name` on
    /// TiDB (any case), if there is one.
    pub fn table_of_foreign_key(&self, name: &str, except: &str) -> Option<String> {
        let k = self.fk_owner.get(key(name).as_ref())?;
        let t = self.tables.get(k)?.get();
        (!t.name.eq_ignore_ascii_case(except)
            && t.foreign_keys
                .iter()
                .any(|f| f.tidb_name().eq_ignore_ascii_case(name)))
        .then(|| t.name.clone())
    }

    /// The table that owns an index (PostgreSQL index names are schema-wide).
    pub fn table_of_index(&self, index: &str) -> Option<Cow<'_, Table>> {
        self.index_owner
            .get(key(index).as_ref())
            .and_then(|k| self.tables.get(k).map(Entry::get))
            .filter(|t| t.index(index).is_some())
    }

    /// The table whose primary key is called `name` (its constraint and
    /// index name in PostgreSQL).
    pub fn table_of_primary_key(&self, name: &str) -> Option<Cow<'_, Table>> {
        let is_it = |t: &Cow<'_, Table>| {
            t.primary_key_name()
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        };
        let declared = self
            .index_owner
            .get(key(name).as_ref())
            .and_then(|k| self.tables.get(k).map(Entry::get))
            .filter(is_it);
        // PostgreSQL's default `<table>_pkey` leads to its table.
        let default = || {
            let table = name.get(..name.len().checked_sub(5)?)?;
            name[table.len()..]
                .eq_ignore_ascii_case("_pkey")
                .then(|| self.table(table))?
                .filter(is_it)
        };
        declared.or_else(default)
    }

    pub fn enum_labels(&self, name: &str) -> Option<&Vec<String>> {
        self.enums.get(key(name).as_ref())
    }

    pub fn domain(&self, name: &str) -> Option<&Domain> {
        self.domains.get(key(name).as_ref())
    }

    pub fn sequence(&self, name: &str) -> Option<&Sequence> {
        self.sequences.get(key(name).as_ref())
    }

    /// The view called `name` in any case: its name as created.
    pub fn view_name(&self, name: &str) -> Option<&String> {
        self.view_names.get(key(name).as_ref())
    }

    pub fn put_view(&mut self, name: String, view: View) {
        self.view_names
            .insert(key(&name).into_owned(), name.clone());
        self.views.insert(name, view);
    }

    pub fn remove_view(&mut self, name: &str) {
        if self.views.remove(name).is_some() {
            self.view_names.remove(key(name).as_ref());
        }
    }

    pub fn put_sequence(&mut self, s: Sequence) {
        self.sequences.insert(key(&s.name).into_owned(), s);
    }

    pub fn put_enum(&mut self, name: &str, labels: Vec<String>) {
        self.enums.insert(key(name).into_owned(), labels);
    }

    pub fn put_domain(&mut self, d: Domain) {
        self.domains.insert(key(&d.name).into_owned(), d);
    }
}

#[cfg(test)]
mod tests {
    use super::Catalog;
    use crate::model::{ForeignKey, Index, IndexKind, Table};

    fn table(name: &str, fk_to: Option<&str>, index: Option<&str>) -> Table {
        Table {
            name: name.into(),
            foreign_keys: fk_to
                .map(|p| ForeignKey {
                    name: format!("{name}_fk"),
                    columns: vec!["p".into()],
                    ref_table: p.into(),
                    ref_columns: vec!["id".into()],
                    on_delete: None,
                    on_update: None,
                    tidb_name: None,
                })
                .into_iter()
                .collect(),
            indexes: index
                .map(|i| Index {
                    name: i.into(),
                    kind: IndexKind::Plain,
                    parts: vec![],
                })
                .into_iter()
                .collect(),
            ..Table::default()
        }
    }

    fn names<'a>(it: impl Iterator<Item = std::borrow::Cow<'a, Table>>) -> Vec<String> {
        it.map(|t| t.name.clone()).collect()
    }

    #[test]
    fn primary_keys_are_found_by_name_and_referencing_tables_come_in_name_order() {
        use crate::model::{KeyPart, PrimaryKey};
        let mut c = Catalog::default();
        let mut p = table("p", None, None);
        p.primary_key = Some(PrimaryKey {
            name: None,
            parts: vec![KeyPart::col("id")],
            clustered: true,
        });
        c.put_table(p.clone());
        c.put_table(table("z", Some("p"), None));
        c.put_table(table("a", Some("p"), None));
        assert_eq!(names(c.referencing("P")), ["a", "z"]);
        let owner = |c: &Catalog, n: &str| c.table_of_primary_key(n).map(|t| t.name.clone());
        assert_eq!(owner(&c, "P_PKEY").as_deref(), Some("p"));
        assert_eq!(owner(&c, "p_c0_idx"), None);
        // Named, renamed away, and found again only under the new name.
        p.primary_key.as_mut().unwrap().name = Some("p_key".into());
        c.put_table(p.clone());
        assert_eq!(owner(&c, "p_pkey"), None);
        assert_eq!(owner(&c, "p_key").as_deref(), Some("p"));
        // Encoded tables are found too.
        for i in 0..100 {
            c.put_table(table(&format!("filler{i}"), None, None));
        }
        assert_eq!(owner(&c, "p_key").as_deref(), Some("p"));
        assert_eq!(names(c.referencing("p")), ["a", "z"]);
    }

    #[test]
    fn lookup_aids_follow_every_put_and_remove() {
        let mut c = Catalog::default();
        c.put_table(table("a", None, Some("ix")));
        c.put_table(table("b", Some("A"), None));
        assert_eq!(names(c.referencing("a")), ["b"]);
        assert_eq!(
            c.table_of_index("IX").map(|t| t.name.clone()).as_deref(),
            Some("a")
        );
        // The foreign key and the index go away: the aids must not report them.
        c.put_table(table("b", None, None));
        c.put_table(table("a", None, None));
        assert!(names(c.referencing("a")).is_empty());
        assert!(c.table_of_index("ix").is_none());
        // The index name is reused by another table.
        c.put_table(table("c", Some("a"), Some("ix")));
        assert_eq!(
            c.table_of_index("ix").map(|t| t.name.clone()).as_deref(),
            Some("c")
        );
        assert_eq!(names(c.referencing("a")), ["c"]);
        c.remove_table("c");
        assert!(c.table_of_index("ix").is_none());
        assert!(names(c.referencing("a")).is_empty());
        assert_eq!(names(c.tables_in_order()), ["a", "b"]);
    }
}
