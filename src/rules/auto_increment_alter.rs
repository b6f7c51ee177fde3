//! TiDB cannot add AUTO_INCREMENT with ALTER TABLE (8200): a `serial` column added by `ADD COLUMN` becomes a plain NOT NULL integer, and `SET DEFAULT nextval(…)` or `ADD GENERATED … AS IDENTITY` on an existing column is not carried over.
//!
//! ## What it does
//! `serial` and identity columns become AUTO_INCREMENT in CREATE TABLE
//! (`serial`). Added later, they cannot: `ALTER TABLE … ADD COLUMN n serial`
//! adds `n` as a plain NOT NULL integer, without its sequence, and `ALTER
//! COLUMN … SET DEFAULT nextval('s')` or `ALTER COLUMN … ADD GENERATED …
//! AS IDENTITY` on an existing column is left out. Each is an error. With
//! `--fold` (a pg_dump schema) such ALTERs are folded into the table's
//! CREATE TABLE instead (`serial`).
//!
//! ## Why
//! `ERROR 8200: unsupported add column 'id' constraint AUTO_INCREMENT when
//! altering 'db.t'` and `ERROR 8200: Unsupported modify column: can't set
//! auto_increment` (tidb-facts §4, §11.14). MariaDB accepts both, so a
//! server test would not catch it. Declare the column in CREATE TABLE, or
//! fill it from the application.
//!
//! Split from `unsupported-statement`: `ignore[unsupported-statement]` and
//! `[rules] unsupported-statement = …` still apply to it.
//!
//! ## Example
//! ```sql
//! ALTER TABLE tickets ADD COLUMN seq serial;   -- error: `seq` INT NOT NULL, no AUTO_INCREMENT
//! ```
use crate::rules::{
    AlterColumnDraft, AlterColumnKind, AlterVerdict, ColumnDraft, ColumnMode, Cx, Rule, RuleMeta,
};

crate::declare_rule!(
    AutoIncrementAlter,
    "auto-increment-alter",
    Error,
    AUTO_INCREMENT_ALTER,
    split_from = "unsupported-statement"
);

impl Rule for AutoIncrementAlter {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// ADD COLUMN of a column `serial` made AUTO_INCREMENT.
    fn column(&self, cx: &mut Cx, col: &mut ColumnDraft) {
        if col.mode != ColumnMode::Add || cx.fold || !col.col.auto_increment {
            return;
        }
        cx.report_here(&META, format!("column {}.{} is added as a plain NOT NULL integer: TiDB cannot add an AUTO_INCREMENT column with ALTER TABLE (8200), so AUTO_INCREMENT is not carried over", col.table, col.col.name));
        col.col.auto_increment = false;
        col.auto_increment_start = None;
    }

    /// An ALTER COLUMN that would make the column AUTO_INCREMENT (and that
    /// `--fold` does not fold into the table).
    fn alter_column(&self, cx: &mut Cx, a: &mut AlterColumnDraft) {
        let becomes = match a.kind {
            AlterColumnKind::SetDefault => a.col.auto_increment && !a.current.auto_increment,
            AlterColumnKind::AddIdentity => !a.current.auto_increment,
            _ => false,
        };
        let folded = cx.fold && a.current.ty.is_integer();
        if becomes && !folded {
            let (table, c) = (&a.table.name, &a.current.name);
            cx.report_here(&META, format!("{table}.{c}: TiDB cannot add AUTO_INCREMENT to an existing column (8200); declare it in CREATE TABLE; not carried over"));
            a.verdict = AlterVerdict::Drop;
        }
    }
}
