//! DROP of tables, views, indexes, sequences, types, domains and schemas.

use crate::catalog::Catalog;
use crate::emit::{AlterOp, DropKind, Stmt};
use crate::model::{Column, ForeignKey, Table};
use crate::rules::{self, CatalogUpdate, Cx, Event, LostAction, Object, Taken, TypeKind};
use sqlparser::ast::{ObjectName, ObjectType};
use std::collections::BTreeSet;

use crate::lower::{
    absent, column::drop_column, constraint::drop_foreign_key, constraint::keep_fk_index,
    dropped_by, index::index_table, object_last, shadowed, table_name,
};
use crate::rules::type_name;

pub(crate) fn drop_objects(
    cx: &mut Cx,
    kind: ObjectType,
    if_exists: bool,
    names: &[ObjectName],
    cascade: bool,
) {
    match kind {
        ObjectType::Table | ObjectType::View => drop_tables(cx, kind, if_exists, names, cascade),
        ObjectType::Index => {
            for n in names {
                drop_index(cx, &object_last(n), if_exists);
            }
        }
        ObjectType::Sequence => {
            for n in names {
                let s = table_name(cx, n);
                drop_sequence(cx, &s, if_exists);
            }
        }
        ObjectType::Type => {
            for n in names {
                drop_type(cx, &object_last(n), if_exists);
            }
        }
        ObjectType::MaterializedView => {
            let mut known = Vec::new();
            for n in names {
                let name = table_name(cx, n);
                let key = rules::pg_object_key("materialized view", &name);
                if rules::run_lost(cx, Object::MaterializedView(&name), LostAction::Drop) {
                    rules::pg_object_dropped(cx, "materialized view", &name);
                    continue;
                }
                if cx.catalog.pg_objects.contains_key(&key) || !if_exists {
                    known.push(name);
                } else {
                    absent(cx, Object::MaterializedView(&name), true, "");
                }
            }
            if !known.is_empty() {
                rules::run_event(cx, &Event::DropMaterializedViews(&known));
            }
        }
        ObjectType::Schema => {
            for n in names {
                drop_schema(cx, &object_last(n), if_exists, cascade);
            }
        }
        other => {
            rules::run_event(cx, &Event::DropKind(other));
        }
    }
}

/// `DROP TABLE` or `DROP VIEW` of `names`, in one statement.
fn drop_tables(
    cx: &mut Cx,
    kind: ObjectType,
    if_exists: bool,
    names: &[ObjectName],
    cascade: bool,
) {
    let table = kind == ObjectType::Table;
    let mut resolved: Vec<String> = Vec::new();
    for n in names {
        let n = table_name(cx, n);
        let known = if table {
            cx.catalog.table(&n).map(|t| t.name.clone())
        } else {
            cx.catalog.view_name(&n).cloned()
        };
        let what = if table { "table" } else { "view" };
        if known
            .as_ref()
            .is_some_and(|k| shadowed(cx, what, &n, k, "its DROP"))
        {
            continue;
        }
        if known.is_none() {
            if table && dropped_by(cx, Event::OnTable { table: &n }) {
                continue;
            }
            let object = if table {
                Object::Table(&n)
            } else {
                Object::View(&n)
            };
            if rules::run_lost(cx, object, LostAction::Drop) {
                continue;
            }
            let e = Event::Absent {
                object,
                if_exists,
                in_drop: true,
                needed: "",
            };
            if rules::run_event(cx, &e) == Some(Taken::Drop) {
                continue;
            }
        }
        resolved.push(n);
    }
    if resolved.is_empty() {
        return;
    }
    if cascade {
        rules::run_event(cx, &Event::Cascade);
    }
    cx.emit(Stmt::Drop {
        kind: if table {
            DropKind::Table
        } else {
            DropKind::View
        },
        names: resolved.clone(),
        if_exists,
    });
    for n in resolved {
        cx.catalog_updates.push(if table {
            CatalogUpdate::RemoveTable(n)
        } else {
            CatalogUpdate::RemoveView(n)
        });
    }
}

fn drop_index(cx: &mut Cx, idx: &str, if_exists: bool) {
    match index_table(cx, idx) {
        Err(known) => {
            shadowed(cx, "index", idx, &known, "its DROP INDEX");
        }
        Ok(Some(mut t)) => {
            keep_fk_index(cx, &mut t, idx);
            cx.emit(Stmt::DropIndex {
                table: t.name.clone(),
                index: idx.to_string(),
                if_exists,
            });
            t.indexes.remove(idx);
            cx.catalog_updates.push(CatalogUpdate::Table(Box::new(t)));
        }
        Ok(None) => {
            if !rules::run_lost(cx, Object::Index(idx), LostAction::Drop) {
                absent(cx, Object::Index(idx), if_exists, "");
            }
        }
    }
}

/// `DROP SEQUENCE s`: written for a standalone sequence; the rules say what
/// becomes of any other.
fn drop_sequence(cx: &mut Cx, s: &str, if_exists: bool) {
    let known = cx.catalog.sequence(s).map(|q| q.name.clone());
    if known.is_some_and(|k| shadowed(cx, "sequence", s, &k, "its DROP")) {
        return;
    }
    match cx.catalog.sequence(s) {
        Some(q) if q.owned_by.is_none() => {
            cx.emit(Stmt::Drop {
                kind: DropKind::Sequence,
                names: vec![s.to_string()],
                if_exists,
            });
            cx.catalog_updates
                .push(CatalogUpdate::RemoveSequence(s.to_string()));
        }
        found => {
            let exists = found.is_some() || serial_sequence(cx.catalog, s);
            let e = Event::Drop {
                object: Object::Sequence(s),
                if_exists,
                exists,
            };
            rules::run_event(cx, &e);
        }
    }
}

/// `DROP TYPE name`: TiDB has no named types; the rules say what becomes
/// of the one the model has.
fn drop_type(cx: &mut Cx, name: &str, if_exists: bool) {
    let known = type_name(cx.catalog, name);
    if known.is_some_and(|k| shadowed(cx, "type", name, &k, "its DROP")) {
        return;
    }
    let other_type = rules::pg_object_key("type", name);
    let kind = if cx.catalog.enum_labels(name).is_some() {
        TypeKind::Enum
    } else if cx.catalog.domain(name).is_some() {
        TypeKind::Domain
    } else if cx.catalog.pg_objects.contains_key(&other_type) {
        TypeKind::Other
    } else {
        TypeKind::Unknown
    };
    let e = Event::Drop {
        object: Object::Type { name, kind },
        if_exists,
        exists: kind != TypeKind::Unknown,
    };
    rules::run_event(cx, &e);
}

/// A schema the input created (`public` always exists).
pub(crate) fn schema_known(catalog: &Catalog, name: &str) -> bool {
    name.eq_ignore_ascii_case("public")
        || name.eq_ignore_ascii_case("pg_catalog")
        || catalog
            .pg_objects
            .contains_key(&rules::pg_object_key("schema", name))
}

/// What the model holds that was flattened from one PostgreSQL schema
/// (`public`: the unqualified objects too).
#[derive(Default)]
pub(crate) struct SchemaContents {
    /// Tables, in name order.
    tables: Vec<Table>,
    views: Vec<String>,
    /// Standalone sequences (an owned one goes with its column).
    sequences: Vec<String>,
    enums: Vec<String>,
    domains: Vec<String>,
}

impl SchemaContents {
    fn of(catalog: &Catalog, schema: &str) -> SchemaContents {
        let from = |s: Option<&String>| match s {
            Some(s) => s == schema,
            None => schema == "public",
        };
        let flattened = |kind: &str, name: &str| {
            from(
                catalog
                    .flattened_from
                    .get(&rules::pg_object_key(kind, name)),
            )
        };
        SchemaContents {
            tables: catalog
                .tables()
                .filter(|t| from(t.schema.as_ref()))
                .map(std::borrow::Cow::into_owned)
                .collect(),
            views: catalog
                .views
                .keys()
                .filter(|v| flattened("view", v))
                .cloned()
                .collect(),
            sequences: catalog
                .sequences
                .values()
                .filter(|q| q.owned_by.is_none() && from(q.schema.as_ref()))
                .map(|q| q.name.clone())
                .collect(),
            enums: catalog
                .enums
                .keys()
                .filter(|e| flattened("type", e))
                .cloned()
                .collect(),
            domains: catalog
                .domains
                .values()
                .filter(|d| flattened("type", &d.name))
                .map(|d| d.name.clone())
                .collect(),
        }
    }

    fn is_empty(&self) -> bool {
        self.tables.is_empty()
            && self.views.is_empty()
            && self.sequences.is_empty()
            && self.enums.is_empty()
            && self.domains.is_empty()
    }

    /// `table a, b; view v; …`
    fn list(&self) -> String {
        let tables: Vec<String> = self.tables.iter().map(|t| t.name.clone()).collect();
        let types: Vec<String> = self.enums.iter().chain(&self.domains).cloned().collect();
        [
            ("table", &tables),
            ("view", &self.views),
            ("sequence", &self.sequences),
            ("type", &types),
        ]
        .iter()
        .filter(|(_, names)| !names.is_empty())
        .map(|(kind, names)| format!("{kind} {}", names.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
    }
}

/// True when `t` uses one of `enums` (a column declared with it).
pub(crate) fn uses_enum(t: &Table, enums: &[String]) -> bool {
    t.columns.iter().any(|c| enum_column(c, enums))
}

pub(crate) fn enum_column(c: &Column, enums: &[String]) -> bool {
    c.pg_enum
        .as_ref()
        .is_some_and(|e| enums.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// `DROP SCHEMA`: the schema itself does not exist in TiDB (schemas are
/// flattened into the one database), but what was flattened from it does.
/// With CASCADE it is dropped as PostgreSQL drops it: its views, the
/// foreign keys and enum columns of other tables that depend on it, its
/// tables (each after the others that reference it), sequences and types.
/// Without, PostgreSQL refuses while the schema holds anything.
pub(crate) fn drop_schema(cx: &mut Cx, schema: &str, if_exists: bool, cascade: bool) {
    let contents = SchemaContents::of(cx.catalog, schema);
    let key = rules::pg_object_key("schema", schema);
    if contents.is_empty() {
        let e = Event::Drop {
            object: Object::Schema(schema),
            if_exists,
            exists: schema_known(cx.catalog, schema),
        };
        rules::run_event(cx, &e);
        return;
    }
    let list = contents.list();
    if !cascade {
        rules::run_event(
            cx,
            &Event::SchemaInUse {
                schema,
                list: &list,
            },
        );
        return;
    }
    let dropping: BTreeSet<String> = contents
        .tables
        .iter()
        .map(|t| t.name.to_lowercase())
        .collect();
    if !contents.views.is_empty() {
        cx.emit(Stmt::Drop {
            kind: DropKind::View,
            names: contents.views.clone(),
            if_exists: false,
        });
        for v in &contents.views {
            cx.catalog_updates
                .push(CatalogUpdate::RemoveView(v.clone()));
        }
    }
    // Other tables lose their foreign keys to the dropped tables and their
    // columns of the dropped enum types, as in PostgreSQL.
    let mut others: Vec<Table> = Vec::new();
    for t in &contents.tables {
        for o in cx.catalog.referencing(&t.name) {
            if !dropping.contains(&o.name.to_lowercase())
                && !others.iter().any(|x| x.name.eq_ignore_ascii_case(&o.name))
            {
                others.push(o.into_owned());
            }
        }
    }
    if !contents.enums.is_empty() {
        let more: Vec<Table> = cx
            .catalog
            .tables()
            .filter(|t| !dropping.contains(&t.name.to_lowercase()))
            .filter(|t| uses_enum(t, &contents.enums))
            .filter(|t| !others.iter().any(|x| x.name.eq_ignore_ascii_case(&t.name)))
            .map(std::borrow::Cow::into_owned)
            .collect();
        others.extend(more);
    }
    let mut outside: Vec<String> = Vec::new();
    for mut o in others {
        let fks: Vec<String> = o
            .foreign_keys
            .iter()
            .filter(|f| dropping.contains(&f.ref_table.to_lowercase()))
            .map(|f| f.name.clone())
            .collect();
        for fk in &fks {
            drop_foreign_key(cx, &mut o, fk);
            outside.push(format!("foreign key {}.{fk}", o.name));
        }
        let columns: Vec<String> = o
            .columns
            .iter()
            .filter(|c| enum_column(c, &contents.enums))
            .map(|c| c.name.clone())
            .collect();
        for c in columns {
            drop_column(cx, &mut o, &c, false);
            outside.push(format!("column {}.{c}", o.name));
        }
        cx.catalog_updates.push(CatalogUpdate::Table(Box::new(o)));
    }
    // A table comes after the others being dropped that reference it (MySQL
    // and MariaDB check foreign keys table by table); a cycle loses its
    // foreign keys first.
    let order = drop_order(cx, contents.tables);
    if !order.is_empty() {
        cx.emit(Stmt::Drop {
            kind: DropKind::Table,
            names: order.clone(),
            if_exists: false,
        });
    }
    for n in order {
        cx.catalog_updates.push(CatalogUpdate::RemoveTable(n));
    }
    if !contents.sequences.is_empty() {
        cx.emit(Stmt::Drop {
            kind: DropKind::Sequence,
            names: contents.sequences.clone(),
            if_exists: false,
        });
        for q in contents.sequences {
            cx.catalog_updates.push(CatalogUpdate::RemoveSequence(q));
        }
    }
    for e in contents.enums {
        cx.catalog_updates.push(CatalogUpdate::RemoveEnum(e));
    }
    for d in contents.domains {
        cx.catalog_updates.push(CatalogUpdate::RemoveDomain(d));
    }
    cx.catalog_updates.push(CatalogUpdate::RemovePgObject(key));
    let outside = if outside.is_empty() {
        String::new()
    } else {
        format!("; and outside it, as in PostgreSQL: {}", outside.join(", "))
    };
    let e = Event::SchemaDropped {
        schema,
        list: &list,
        outside: &outside,
    };
    rules::run_event(cx, &e);
}

/// The names of `tables` in an order where each comes after every other of
/// them that references it, writing `DROP FOREIGN KEY` for the foreign keys
/// of a cycle (Kahn's algorithm: each table and reference is visited once).
pub(crate) fn drop_order(cx: &mut Cx, mut tables: Vec<Table>) -> Vec<String> {
    let key = |n: &str| n.to_lowercase();
    let index: std::collections::BTreeMap<String, usize> = tables
        .iter()
        .enumerate()
        .map(|(i, t)| (key(&t.name), i))
        .collect();
    // The other tables each one references, and how many reference it.
    let targets = |t: &Table| -> BTreeSet<usize> {
        t.foreign_keys
            .iter()
            .filter_map(|f| index.get(&key(&f.ref_table)).copied())
            .filter(|&j| j != index[&key(&t.name)])
            .collect()
    };
    let mut refs: Vec<BTreeSet<usize>> = tables.iter().map(targets).collect();
    let mut referenced_by = vec![0usize; tables.len()];
    for r in &refs {
        for &j in r {
            referenced_by[j] += 1;
        }
    }
    let mut ready: Vec<usize> = (0..tables.len())
        .filter(|&i| referenced_by[i] == 0)
        .rev()
        .collect();
    let mut done = vec![false; tables.len()];
    let mut order = Vec::with_capacity(tables.len());
    let mut next_cut = 0;
    while order.len() < tables.len() {
        let Some(i) = ready.pop() else {
            // Only cycles are left: the first table left that references
            // others loses those foreign keys.
            while done[next_cut] || refs[next_cut].is_empty() {
                next_cut += 1;
            }
            let i = next_cut;
            let cut = std::mem::take(&mut refs[i]);
            let t = &mut tables[i];
            let own = key(&t.name);
            let lost = |f: &ForeignKey| {
                let r = key(&f.ref_table);
                r != own && index.get(&r).is_some_and(|j| cut.contains(j))
            };
            for f in t.foreign_keys.iter().filter(|f| lost(f)) {
                cx.alter(&t.name, AlterOp::DropForeignKey(f.tidb_name().to_string()));
            }
            t.foreign_keys.retain(|f| !lost(f));
            for j in cut {
                referenced_by[j] -= 1;
                if referenced_by[j] == 0 {
                    ready.push(j);
                }
            }
            continue;
        };
        done[i] = true;
        order.push(tables[i].name.clone());
        for j in std::mem::take(&mut refs[i]) {
            referenced_by[j] -= 1;
            if referenced_by[j] == 0 {
                ready.push(j);
            }
        }
    }
    order
}

/// `<table>_<column>_seq`, the sequence PostgreSQL made for a serial or
/// identity column (folded into its AUTO_INCREMENT here).
pub(crate) fn serial_sequence(catalog: &Catalog, name: &str) -> bool {
    let Some(stem) = name.strip_suffix("_seq") else {
        return false;
    };
    stem.match_indices('_').any(|(i, _)| {
        catalog
            .table(&stem[..i])
            .is_some_and(|t| t.column(&stem[i + 1..]).is_some_and(|c| c.auto_increment))
    })
}

/// `DROP DOMAIN`: domains exist only inlined on their columns.
pub(crate) fn drop_domain(cx: &mut Cx, d: &sqlparser::ast::DropDomain) {
    let name = object_last(&d.name);
    let e = Event::Drop {
        object: Object::Domain(&name),
        if_exists: d.if_exists,
        exists: cx.catalog.domain(&name).is_some(),
    };
    rules::run_event(cx, &e);
}
