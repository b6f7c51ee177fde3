//! `ALTER COLUMN … TYPE` on a primary-key column that TiDB cannot change in place (8200) is not carried over: the column keeps its type.
//!
//! ## What it does
//! TiDB changes the type of a clustered primary-key column only when no
//! data is rewritten: a wider integer (`SMALLINT` → `INT` → `BIGINT`), a
//! longer `VARCHAR` or `CHAR`, or the same type. Any other type change of a
//! primary-key column is reported as an error and left out; the column keeps
//! its type, and the rest of the migration converts.
//!
//! ## Why
//! `ERROR 8200: Unsupported modify column: column has primary key flag`
//! (tidb-facts §7, §11.17). MariaDB rewrites the table and accepts it, so a
//! server test would not catch it. Change the type in a new table and copy
//! the rows, or keep the PostgreSQL type.
//!
//! Split from `unsupported-statement`: `ignore[unsupported-statement]` and
//! `[rules] unsupported-statement = …` still apply to it.
//!
//! ## Example
//! ```sql
//! CREATE TABLE codes (code varchar(20) PRIMARY KEY);
//! ALTER TABLE codes ALTER COLUMN code TYPE varchar(10);   -- error: not carried over
//! ```
use crate::model::TiType;
use crate::rules::{AlterColumnDraft, AlterColumnKind, AlterVerdict, Cx, Rule, RuleMeta};

crate::declare_rule!(
    PrimaryKeyType,
    "primary-key-type",
    Error,
    PRIMARY_KEY_TYPE,
    split_from = "unsupported-statement"
);

impl Rule for PrimaryKeyType {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn alter_column(&self, cx: &mut Cx, a: &mut AlterColumnDraft) {
        let c = &a.current.name;
        let in_pk = a.table.primary_key.as_ref().is_some_and(|pk| {
            pk.parts
                .iter()
                .any(|p| p.column_name().is_some_and(|n| n.eq_ignore_ascii_case(c)))
        });
        if a.kind != AlterColumnKind::Type || !in_pk || meta_only_change(&a.current.ty, &a.col.ty) {
            return;
        }
        let (from, to) = (&a.current.ty, &a.col.ty);
        cx.report_here(
            &META,
            format!("{}.{c}: TiDB cannot change a primary-key column from {from} to {to} (8200); the column keeps {from}; not carried over", a.table.name),
        );
        a.verdict = AlterVerdict::Drop;
    }
}

/// Type changes TiDB makes without rewriting data.
fn meta_only_change(from: &TiType, to: &TiType) -> bool {
    from == to
        || match (from, to) {
            (TiType::SmallInt, TiType::Int | TiType::BigInt) | (TiType::Int, TiType::BigInt) => {
                true
            }
            (TiType::Varchar(a), TiType::Varchar(b)) | (TiType::Char(a), TiType::Char(b)) => b >= a,
            _ => false,
        }
}
