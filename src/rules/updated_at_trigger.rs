//! The `updated_at` trigger pattern becomes `ON UPDATE CURRENT_TIMESTAMP` on that column.
//!
//! ## What it does
//! A trigger function whose whole body is `NEW.<col> = now(); RETURN NEW;`
//! (any of `now()`, `CURRENT_TIMESTAMP`, `clock_timestamp()`, … and `=` or
//! `:=`) is dropped and remembered. A `BEFORE UPDATE … FOR EACH ROW` trigger
//! that executes it becomes
//! `ALTER TABLE t MODIFY COLUMN <col> … ON UPDATE CURRENT_TIMESTAMP(n)` with
//! the column's full definition. Both are reported as warnings naming the
//! trigger, because the behaviour moves from a trigger to a column option.
//!
//! ## Example
//! ```sql
//! CREATE FUNCTION set_updated_at() RETURNS trigger AS $$
//! BEGIN NEW.updated_at = now(); RETURN NEW; END; $$ LANGUAGE plpgsql;
//! CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON users
//!     FOR EACH ROW EXECUTE FUNCTION set_updated_at();
//! ```
//! becomes
//! ```sql
//! ALTER TABLE `users` MODIFY COLUMN `updated_at` TIMESTAMP(6) NOT NULL
//!   DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6);
//! ```
//!
//! `DROP TRIGGER` of such a trigger removes the `ON UPDATE` again (a
//! `MODIFY COLUMN` with the column's full definition).
//!
//! ## What is lost
//! `ON UPDATE` fires only when some other column changes value; a trigger
//! fires on every UPDATE. Other trigger shapes are errors
//! (`unsupported-statement`).
use crate::emit::AlterOp;
use crate::expr::last_name;
use crate::model::TiType;
use crate::rules::trigger_key;
use crate::rules::{CatalogUpdate, Cx, Rule, RuleMeta, Verdict};
use sqlparser::ast::{Statement, TriggerEvent, TriggerObject, TriggerObjectKind, TriggerPeriod};

crate::declare_rule!(
    UpdatedAtTrigger,
    "updated-at-trigger",
    Warning,
    UPDATED_AT_TRIGGER
);

impl Rule for UpdatedAtTrigger {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn statement(&self, cx: &mut Cx, stmt: &Statement) -> Option<Verdict> {
        match stmt {
            Statement::CreateFunction(f) => {
                let column = touched_column(&stmt.to_string())?;
                let name = last_name(&f.name);
                cx.report_here(&META, format!("function {name} only stamps `{column}`: dropped, and triggers that run it become ON UPDATE CURRENT_TIMESTAMP"));
                crate::rules::pg_object_created(cx, "routine", &name);
                cx.catalog_updates.push(CatalogUpdate::TouchFunction {
                    function: name,
                    column,
                });
                Some(Verdict::Drop)
            }
            Statement::DropTrigger(d) => {
                // A trigger that became ON UPDATE: dropping it removes ON UPDATE.
                let table = crate::rules::tidb_name(cx, d.table_name.as_ref()?);
                let trig = last_name(&d.trigger_name);
                let key = trigger_key(&table, &trig);
                let column = cx.catalog.pg_objects.get(&key).filter(|c| !c.is_empty())?;
                let mut tbl = cx.catalog.table(&table)?.into_owned();
                let column = column.clone();
                let col = tbl.column_mut(&column)?;
                col.on_update = None;
                let col = col.clone();
                cx.alter(&tbl.name, AlterOp::ModifyColumn(col.clone()));
                cx.report_here(&META, format!("trigger {trig} dropped: ON UPDATE CURRENT_TIMESTAMP removed from `{table}.{column}`"));
                cx.catalog_updates.push(CatalogUpdate::RemovePgObject(key));
                cx.catalog_updates.push(CatalogUpdate::Table(Box::new(tbl)));
                Some(Verdict::Replace)
            }
            Statement::CreateTrigger(t) => {
                let func = last_name(&t.exec_body.as_ref()?.func_desc.name);
                let column = cx.catalog.touch_functions.get(&func)?.clone();
                let before_update = t.period == Some(TriggerPeriod::Before)
                    && t.events
                        .iter()
                        .all(|e| matches!(e, TriggerEvent::Update(_)))
                    && matches!(
                        t.trigger_object,
                        Some(TriggerObjectKind::ForEach(TriggerObject::Row))
                            | Some(TriggerObjectKind::For(TriggerObject::Row))
                    )
                    && t.condition.is_none();
                if !before_update {
                    return None;
                }
                let table = crate::rules::tidb_name(cx, &t.table_name);
                let trig = last_name(&t.name);
                let mut tbl = cx.catalog.table(&table)?.into_owned();
                let col = tbl.column_mut(&column)?;
                let fsp = match col.ty {
                    TiType::Datetime(p) | TiType::Timestamp(p) => p,
                    _ => return None,
                };
                col.on_update = Some(if fsp == 0 {
                    "CURRENT_TIMESTAMP".into()
                } else {
                    format!("CURRENT_TIMESTAMP({fsp})")
                });
                let col = col.clone();
                cx.alter(&tbl.name, AlterOp::ModifyColumn(col.clone()));
                cx.report_here(&META, format!("trigger {trig} replaced by ON UPDATE CURRENT_TIMESTAMP on `{table}.{column}` (fires only when a row's values change)"));
                cx.catalog_updates.push(CatalogUpdate::PgObject {
                    key: trigger_key(&table, &trig),
                    detail: col.name.clone(),
                });
                cx.catalog_updates.push(CatalogUpdate::Table(Box::new(tbl)));
                Some(Verdict::Replace)
            }
            _ => None,
        }
    }
}

/// `NEW.col = now(); RETURN NEW;` and nothing else → `col`.
pub fn touched_column(function_sql: &str) -> Option<String> {
    let lower = function_sql.to_lowercase();
    if !lower.contains("returns trigger") {
        return None;
    }
    let start = lower.find("$$").or_else(|| lower.find("$function$"))?;
    let body = &lower[start..];
    let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    let compact = compact.trim_start_matches(|c| {
        c == '$' || c == 'f' || c == 'u' || c == 'n' || c == 'c' || c == 't' || c == 'i' || c == 'o'
    });
    let rest = compact.strip_prefix("begin")?.strip_prefix("new.")?;
    let assign = rest
        .find(":=")
        .map(|i| (i, 2))
        .or_else(|| rest.find('=').map(|i| (i, 1)))?;
    let column = rest[..assign.0].trim_matches('"').to_string();
    let after = &rest[assign.0 + assign.1..];
    let now_call = [
        "now()",
        "current_timestamp",
        "clock_timestamp()",
        "statement_timestamp()",
        "transaction_timestamp()",
        "localtimestamp",
    ]
    .iter()
    .find(|n| after.starts_with(*n))?;
    let tail = &after[now_call.len()..];
    let tail = tail.strip_prefix(';')?;
    let tail = tail.strip_prefix("returnnew;")?;
    let tail = tail.strip_prefix("end")?;
    if !tail.trim_start_matches(';').starts_with('$')
        || column.is_empty()
        || !column.chars().all(|c| c.is_alphanumeric() || c == '_')
    {
        return None;
    }
    Some(column)
}

#[cfg(test)]
mod tests {
    use super::touched_column;

    #[test]
    fn recognises_the_pattern_only() {
        let f = "CREATE FUNCTION f() RETURNS trigger AS $$\nBEGIN\n    NEW.updated_at = now();\n    RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql";
        assert_eq!(touched_column(f).as_deref(), Some("updated_at"));
        let g = "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.modified := CURRENT_TIMESTAMP; RETURN NEW; END $$";
        assert_eq!(touched_column(g).as_deref(), Some("modified"));
        let other = "CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN NEW.updated_at = now(); NEW.n = NEW.n + 1; RETURN NEW; END; $$ LANGUAGE plpgsql";
        assert_eq!(touched_column(other), None);
        assert_eq!(
            touched_column("CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$"),
            None
        );
    }
}
