//! A foreign key's columns take the exact type of the columns they reference (`INT` → `BIGINT`), because TiDB requires identical types (3780).
//!
//! ## What it does
//! PostgreSQL lets an `integer` column reference a `bigint` key, or a
//! `varchar(50)` reference a `varchar(100)`. TiDB (like MySQL) requires the
//! same type, length and collation on both sides. When both are integers,
//! both strings or both decimals, the referencing column is given the
//! referenced column's type (and collation), with a warning; in ALTER TABLE
//! a `MODIFY COLUMN` precedes the new constraint. Other mismatches leave the
//! foreign key out as an error (`fk-type-incompatible`).
//!
//! ## Why
//! `ERROR 3780: Referencing column 'd' and referenced column 'b' in foreign
//! key constraint are incompatible` (tidb-facts §6, §11.32). Every value of
//! the referencing column exists in the referenced one, so it fits the
//! referenced type.
use crate::model::{Column, ForeignKey, Table, TiType};
use crate::rules::{
    AlterColumnDraft, AlterColumnKind, Cx, ForeignKeyCheck, ForeignKeyDraft, Rule, RuleMeta,
};

crate::declare_rule!(
    FkTypeMismatch,
    "fk-type-mismatch",
    Warning,
    FK_TYPE_MISMATCH
);

impl Rule for FkTypeMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn foreign_key(&self, cx: &mut Cx, d: &mut ForeignKeyDraft) {
        match &d.check {
            // A referencing column follows a type change of the column it references.
            ForeignKeyCheck::ParentChanged { column, to } => {
                let table = d.table.name.clone();
                let Some(col) = d.table.column_mut(column) else {
                    return;
                };
                if col.ty == to.ty {
                    return;
                }
                let from = std::mem::replace(&mut col.ty, to.ty.clone());
                col.collation = to.collation.clone();
                let col = col.clone();
                cx.report_here(&META, format!("{table}.{column} changed from {from} to {} with the column it references (foreign key {}; TiDB requires identical types, 3780)", to.ty, d.fk.name));
                d.changed.push(col);
            }
            _ => match align(cx, d.table, d.parent.as_deref(), &d.fk) {
                Some(changed) => d.changed.extend(changed),
                None => d.dropped = true,
            },
        }
    }

    /// ALTER COLUMN TYPE on a foreign-key column would break the match with
    /// its parent: the column keeps the type of the column it references.
    fn alter_column(&self, cx: &mut Cx, a: &mut AlterColumnDraft) {
        if a.kind != AlterColumnKind::Type {
            return;
        }
        let catalog = cx.catalog;
        let c = a.current.name.clone();
        for fk in a
            .table
            .foreign_keys
            .iter()
            .filter(|f| f.columns.iter().any(|x| x.eq_ignore_ascii_case(&c)))
        {
            let pos = fk
                .columns
                .iter()
                .position(|x| x.eq_ignore_ascii_case(&c))
                .unwrap_or(0);
            let parent = if fk.ref_table.eq_ignore_ascii_case(&a.table.name) {
                Some(std::borrow::Cow::Borrowed(&*a.table))
            } else {
                catalog.table(&fk.ref_table)
            };
            let referenced = fk.ref_columns.get(pos).map(String::as_str).unwrap_or("");
            let Some(pc) = parent.as_deref().and_then(|p| p.column(referenced)) else {
                continue;
            };
            if pc.ty != a.col.ty {
                cx.report_here(&META, format!("{}.{c}: type change to {} not applied; it keeps {} to match the column it references in {} (TiDB requires identical types, 3780)", a.table.name, a.col.ty, pc.ty, fk.ref_table));
                a.col.ty = pc.ty.clone();
                a.col.collation = pc.collation.clone();
            }
        }
    }
}

/// A referencing column of type `from` can take the referenced column's
/// type `to`: both integers, both strings or both decimals.
pub fn alignable(from: &TiType, to: &TiType) -> bool {
    family(to) != 0 && family(to) == family(from)
}

fn family(t: &TiType) -> u8 {
    match t {
        TiType::SmallInt | TiType::Int | TiType::BigInt => 1,
        TiType::Char(_) | TiType::Varchar(_) => 2,
        TiType::Decimal(..) => 3,
        _ => 0,
    }
}

/// Align the columns of `fk` (on table `t`) with the referenced columns of
/// `parent` (`None`: not known), up to the first pair that cannot be aligned
/// (`fk-type-incompatible` reports it). Returns the columns whose definition
/// changed, or `None` when the foreign key cannot be kept: the referenced
/// table or a referenced column is named only in another case (reported,
/// see `identifier-case`).
fn align(
    cx: &mut Cx,
    t: &mut Table,
    parent: Option<&Table>,
    fk: &ForeignKey,
) -> Option<Vec<Column>> {
    use crate::rules::run_reference;
    // The referenced columns' types, read before `t` changes (it may be the parent).
    let (parent_name, referenced) = {
        let Some(parent) = parent else {
            return Some(vec![]);
        };
        // By their exact names: one that differs only in case is another
        // object, which was not carried over (identifier-case).
        let what = format!("foreign key {} of `{}`", fk.name, t.name);
        if run_reference(cx, "table", &fk.ref_table, &parent.name, &what) {
            return None;
        }
        for r in &fk.ref_columns {
            let Some(c) = parent.column(r).filter(|c| c.name != *r) else {
                continue;
            };
            let requested = format!("{}.{r}", parent.name);
            let known = format!("{}.{}", parent.name, c.name);
            if run_reference(cx, "column", &requested, &known, &what) {
                return None;
            }
        }
        let referenced: Vec<Option<Column>> = fk
            .ref_columns
            .iter()
            .map(|r| parent.column(r).cloned())
            .collect();
        (parent.name.clone(), referenced)
    };
    let mut changed = Vec::new();
    for ((c, r), rc) in fk.columns.iter().zip(&fk.ref_columns).zip(&referenced) {
        let (Some(rc), Some(cc)) = (rc, t.column(c)) else {
            continue;
        };
        if rc.ty == cc.ty && rc.collation == cc.collation {
            continue;
        }
        if !alignable(&cc.ty, &rc.ty) {
            break;
        }
        let (from, to) = (cc.ty.clone(), rc.ty.clone());
        let table = t.name.clone();
        let col = t.column_mut(c).expect("checked above");
        col.ty = to.clone();
        col.collation = rc.collation.clone();
        cx.report_here(&META, format!("foreign key {}: {}.{c} changed from {from} to {to} to match {}.{r} (TiDB requires identical types, 3780)", fk.name, table, parent_name));
        changed.push(col.clone());
    }
    Some(changed)
}
