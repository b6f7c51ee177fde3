//! A foreign key whose referenced columns lead no index of the parent, in the key's order, gets such an index on the parent first.
//!
//! ## Why
//! PostgreSQL accepts a foreign key to any set of columns a unique
//! constraint covers, in any order: `REFERENCES action (id, tenant_id)`
//! with `UNIQUE (tenant_id, id)`. TiDB, like MySQL, needs an index on the
//! parent whose first columns are the referenced ones in the key's order
//! (1822: missing index for constraint). A plain index on those columns is
//! added to the parent before the key (`ALTER TABLE parent ADD KEY`); it
//! changes no data and no uniqueness.
//!
//! ## Example
//! ```sql
//! CREATE TABLE action (id uuid, tenant_id uuid, PRIMARY KEY (id), UNIQUE (tenant_id, id));
//! CREATE TABLE step (action_id uuid, tenant_id uuid,
//!   FOREIGN KEY (action_id, tenant_id) REFERENCES action (id, tenant_id));
//! -- TiDB: ALTER TABLE `action` ADD KEY `step_action_id_tenant_id_fkey_ref` (`id`, `tenant_id`);
//! ```
use crate::emit::AlterOp;
use crate::model::{Index, IndexKind, KeyPart, Table};
use crate::rules::{CatalogUpdate, Cx, ForeignKeyDraft, Rule, RuleMeta};

crate::declare_rule!(FkParentIndex, "fk-parent-index", Info, FK_PARENT_INDEX);

/// The longest identifier TiDB takes.
const MAX_NAME: usize = 64;

impl Rule for FkParentIndex {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn foreign_key(&self, cx: &mut Cx, d: &mut ForeignKeyDraft) {
        if d.dropped || d.fk.ref_columns.is_empty() {
            return;
        }
        let own = d.fk.ref_table.eq_ignore_ascii_case(&d.table.name);
        let led = match (own, d.parent.as_deref()) {
            (true, _) => leads(d.table, &d.fk.ref_columns),
            (false, Some(p)) => leads(p, &d.fk.ref_columns),
            // Not known: nothing to check against.
            (false, None) => return,
        };
        if led {
            return;
        }
        let mut parent: Table = if own {
            d.table.clone()
        } else {
            match d.parent.as_deref() {
                Some(p) => p.clone(),
                None => return,
            }
        };
        let base = format!("{}_ref", d.fk.tidb_name());
        let name = (1..)
            .map(|i| numbered(&base, i))
            .find(|n| parent.index(n).is_none())
            .unwrap_or_default();
        let ix = Index {
            name: name.clone(),
            kind: IndexKind::Plain,
            parts: d.fk.ref_columns.iter().map(KeyPart::col).collect(),
        };
        cx.report_here(
            &META,
            format!(
                "foreign key `{}`: TiDB needs an index on `{}` ({}) in the key's column order (1822); index `{name}` added",
                d.fk.name,
                parent.name,
                d.fk.ref_columns.join(", ")
            ),
        );
        if own {
            // In CREATE TABLE it is one of the table's indexes; in ALTER, added first.
            if d.check != crate::rules::ForeignKeyCheck::Create {
                cx.alter(&d.table.name, AlterOp::AddIndex(ix.clone()));
            }
            d.table.indexes.push(ix);
            return;
        }
        cx.alter(&parent.name, AlterOp::AddIndex(ix.clone()));
        parent.indexes.push(ix);
        cx.catalog_updates
            .push(CatalogUpdate::Table(Box::new(parent)));
    }
}

/// Whether some key of `t` starts with `columns`, in that order.
fn leads(t: &Table, columns: &[String]) -> bool {
    let starts = |parts: &[KeyPart]| {
        parts.len() >= columns.len()
            && columns
                .iter()
                .zip(parts)
                .all(|(c, p)| p.column_name().is_some_and(|n| n.eq_ignore_ascii_case(c)))
    };
    t.primary_key.as_ref().is_some_and(|pk| starts(&pk.parts))
        || t.indexes.iter().any(|ix| starts(&ix.parts))
}

/// `base`, then `base_2`, … cut to fit 64 characters.
fn numbered(base: &str, i: u32) -> String {
    let suffix = if i == 1 {
        String::new()
    } else {
        format!("_{i}")
    };
    let keep = MAX_NAME.saturating_sub(suffix.chars().count());
    let head: String = base.chars().take(keep).collect();
    format!("{head}{suffix}")
}
