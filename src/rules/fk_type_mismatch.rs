//! A foreign key's columns take the exact type of the columns they reference (`INT` → `BIGINT`), because TiDB requires identical types (3780).
//!
//! ## What it does
//! PostgreSQL lets an `integer` column reference a `bigint` key, or a
//! `varchar(50)` reference a `varchar(100)`. TiDB (like MySQL) requires the
//! same type, length and collation on both sides. When both are integers,
//! both strings or both decimals, the referencing column is given the
//! referenced column's type (and collation), with a warning; in ALTER TABLE
//! a `MODIFY COLUMN` precedes the new constraint. Other mismatches leave the
//! foreign key out as an error.
//!
//! ## Why
//! `ERROR 3780: Referencing column 'd' and referenced column 'b' in foreign
//! key constraint are incompatible` (tidb-facts §6, §11.32). Every value of
//! the referencing column exists in the referenced one, so it fits the
//! referenced type.
use crate::model::{Column, ForeignKey, Table, TiType};
use crate::rules::{Cx, Rule, RuleMeta};

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
}

fn family(t: &TiType) -> u8 {
    match t {
        TiType::SmallInt | TiType::Int | TiType::BigInt => 1,
        TiType::Char(_) | TiType::Varchar(_) => 2,
        TiType::Decimal(..) => 3,
        _ => 0,
    }
}

/// Align the columns of `fk` (on table `t`) with the referenced columns.
/// Returns the columns whose definition changed, or `Err` when the foreign
/// key cannot be kept (an empty message: reported already, because the
/// referenced table or a referenced column is named only in another case;
/// see `identifier-case`).
pub fn align(cx: &mut Cx, t: &mut Table, fk: &ForeignKey) -> Result<Vec<Column>, String> {
    use crate::rules::identifier_case::{clash, report_reference};
    // The referenced columns' types, read before `t` changes (it may be the parent).
    let (parent_name, referenced) = {
        let other = if fk.ref_table.eq_ignore_ascii_case(&t.name) {
            None
        } else {
            match cx.catalog.table(&fk.ref_table) {
                Some(p) => Some(p),
                None => return Ok(vec![]),
            }
        };
        let parent: &Table = other.as_deref().unwrap_or(t);
        // By their exact names: one that differs only in case is another
        // object, which was not carried over.
        let what = format!("foreign key {} of `{}`", fk.name, t.name);
        if clash(&fk.ref_table, &parent.name) {
            let known = parent.name.clone();
            report_reference(cx, "table", &fk.ref_table, &known, &what);
            return Err(String::new());
        }
        let named_otherwise = fk.ref_columns.iter().find_map(|r| {
            parent.column(r).filter(|c| clash(r, &c.name)).map(|c| {
                (
                    format!("{}.{r}", parent.name),
                    format!("{}.{}", parent.name, c.name),
                )
            })
        });
        if let Some((requested, known)) = named_otherwise {
            report_reference(cx, "column", &requested, &known, &what);
            return Err(String::new());
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
        if family(&rc.ty) == 0 || family(&rc.ty) != family(&cc.ty) {
            let msg = format!(
                "foreign key {} on {}: {}.{c} is {} but {}.{r} is {}; TiDB requires identical types (3780); not carried over",
                fk.name, t.name, t.name, cc.ty, parent_name, rc.ty
            );
            return Err(msg);
        }
        let (from, to) = (cc.ty.clone(), rc.ty.clone());
        let table = t.name.clone();
        let col = t.column_mut(c).expect("checked above");
        col.ty = to.clone();
        col.collation = rc.collation.clone();
        cx.report_here(&META, format!("foreign key {}: {}.{c} changed from {from} to {to} to match {}.{r} (TiDB requires identical types, 3780)", fk.name, table, parent_name));
        changed.push(col.clone());
    }
    Ok(changed)
}

/// An ALTER COLUMN TYPE on a foreign-key column would break the match with its parent.
pub fn report_kept(
    cx: &mut Cx,
    table: &str,
    col: &str,
    wanted: &TiType,
    parent: &str,
    kept: &TiType,
) {
    cx.report_here(&META, format!("{table}.{col}: type change to {wanted} not applied; it keeps {kept} to match the column it references in {parent} (TiDB requires identical types, 3780)"));
}

/// A referencing column follows a type change of the column it references.
pub fn report_followed(cx: &mut Cx, table: &str, col: &str, from: &TiType, to: &TiType, fk: &str) {
    cx.report_here(&META, format!("{table}.{col} changed from {from} to {to} with the column it references (foreign key {fk}; TiDB requires identical types, 3780)"));
}
