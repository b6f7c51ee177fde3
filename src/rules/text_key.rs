//! A TEXT column in a primary, unique or foreign key becomes `VARCHAR(255)`: TiDB keys cannot hold LONGTEXT in full, and foreign keys refuse TEXT.
//!
//! ## What it does
//! PostgreSQL keys on `text` columns are common (`id text PRIMARY KEY`,
//! Prisma and Diesel schemas). In TiDB a TEXT column needs a prefix in every
//! key (uniqueness would then hold for the prefix only), and a foreign key
//! cannot use TEXT at all (tidb-facts §3, §6). Such columns become
//! `VARCHAR(255)`, with a warning: longer values are rejected. A key added
//! later by `ALTER TABLE … ADD PRIMARY KEY/UNIQUE/FOREIGN KEY` first changes
//! the column with `MODIFY COLUMN`.
use crate::model::TiType;
use crate::rules::{ColumnDraft, ConstraintDraft, ConstraintVerdict, Cx, Rule, RuleMeta};

crate::declare_rule!(TextKey, "text-key", Warning, TEXT_KEY);

impl Rule for TextKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn column(&self, cx: &mut Cx, col: &mut ColumnDraft) {
        if col.in_key && is_lob_string(&col.col.ty) {
            let from = col.col.ty.clone();
            col.col.ty = TiType::Varchar(cx.types.varchar_length);
            cx.report(&META, col.loc, format!("column {}.{} is in a key: {from} → VARCHAR({}); longer values will be rejected", col.table, col.col.name, cx.types.varchar_length));
        }
    }

    /// A key added by ALTER TABLE: its TEXT columns change first.
    fn constraint(&self, cx: &mut Cx, c: &mut ConstraintDraft) -> ConstraintVerdict {
        if c.in_alter {
            let changed = fix_columns(cx, c.table, c.columns);
            c.changed.extend(changed);
        }
        ConstraintVerdict::Keep
    }
}

pub fn is_lob_string(t: &TiType) -> bool {
    matches!(t, TiType::Text | TiType::MediumText | TiType::LongText)
}

/// For a key added by ALTER TABLE: the columns of `t` named in `cols` that
/// must change first. Returns the changed columns.
fn fix_columns(
    cx: &mut Cx,
    t: &mut crate::model::Table,
    cols: &[String],
) -> Vec<crate::model::Column> {
    let mut changed = Vec::new();
    for c in cols {
        let table = t.name.clone();
        if let Some(col) = t.column_mut(c) {
            if is_lob_string(&col.ty) {
                let from = col.ty.clone();
                col.ty = TiType::Varchar(cx.types.varchar_length);
                let n = cx.types.varchar_length;
                cx.report_here(&META, format!("column {table}.{c} is in a key: {from} → VARCHAR({n}); longer values will be rejected"));
                changed.push(col.clone());
            }
        }
    }
    changed
}
