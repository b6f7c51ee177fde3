//! An INSERT or UPDATE writes a string longer than its column's TiDB type holds: the column is widened to fit.
//!
//! ## Why
//! Some column lengths are chosen by the converter, not by the input: an
//! unsized `varchar` becomes `VARCHAR(255)` (varchar-length), a text key
//! column `VARCHAR(n)` (text-key). When the same history then writes a
//! longer value, PostgreSQL stores it and TiDB refuses the row (1406, data
//! too long), or cuts it where strict mode is off. So the column is made
//! as wide as the longest value written (`MODIFY COLUMN` before the
//! statement): `VARCHAR(n)` up to 16,383 characters, `MEDIUMTEXT` or
//! `LONGTEXT` beyond. (A column in a key or index keeps its length:
//! see value-too-long-key.)
//!
//! ## Example
//! ```sql
//! CREATE TABLE notes (body varchar);        -- VARCHAR(255)
//! INSERT INTO notes VALUES (repeat('x', 300)::text);  -- not a literal: as is
//! INSERT INTO notes VALUES ('… 300 characters …');
//! -- TiDB:
//! ALTER TABLE `notes` MODIFY COLUMN `body` VARCHAR(300) NULL;
//! INSERT INTO `notes` VALUES ('… 300 characters …');
//! ```
use crate::emit::AlterOp;
use crate::model::{Table, TiType};
use crate::rules::{CatalogUpdate, Cx, Event, Rule, RuleMeta, Taken};

crate::declare_rule!(ValueTooLong, "value-too-long", Warning, VALUE_TOO_LONG);

/// The longest VARCHAR in characters (65,535 bytes of utf8mb4).
const MAX_VARCHAR: u32 = 16_383;

impl Rule for ValueTooLong {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn event(&self, cx: &mut Cx, e: &Event) -> Option<Taken> {
        let Event::ValuesTooLong { table, long } = e else {
            return None;
        };
        let mut t: Table = (*table).clone();
        for (column, chars) in long.iter() {
            let Some(c) = t.column(column) else { continue };
            let old = c.ty.clone();
            let ty = if *chars <= MAX_VARCHAR {
                TiType::Varchar(*chars)
            } else if *chars <= (16 << 20) / 4 {
                TiType::MediumText
            } else {
                TiType::LongText
            };
            cx.report_here(
                &META,
                format!("column `{}.{column}` widened from {old} to {ty}: this statement writes a value of {chars} characters (TiDB would refuse it: 1406)", t.name),
            );
            let Some(c) = t.columns.get_mut(column) else {
                continue;
            };
            c.ty = ty;
            let col = c.clone();
            cx.alter(&t.name, AlterOp::ModifyColumn(col));
        }
        cx.catalog_updates.push(CatalogUpdate::Table(Box::new(t)));
        Some(Taken::Keep)
    }
}
