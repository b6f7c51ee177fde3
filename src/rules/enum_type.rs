//! `CREATE TYPE … AS ENUM` is inlined as `ENUM(…)` on every column of that type; `ALTER TYPE … ADD VALUE` modifies each such column.
//!
//! ## What it does
//! The CREATE TYPE statement itself is dropped (info) and remembered; a
//! column declared with the type gets `ENUM('a','b',…)`. `ALTER TYPE t ADD
//! VALUE 'x' [BEFORE|AFTER 'y']` becomes one `MODIFY COLUMN` (full
//! definition) per column using the type, with the label in the same place.
//! `DROP TYPE` is dropped.
//!
//! ## Why
//! TiDB has no named types (tidb-facts §1): an enum exists only as a column
//! type. Labels longer than 255 characters are rejected by TiDB (3505).
//!
//! ## What is lost
//! The type's name; `RENAME VALUE` is not converted (error), because
//! rewriting the label list would invalidate stored values.
use crate::emit::AlterOp;
use crate::expr::last_name;
use crate::model::{Table, TiType};
use crate::rules::{CatalogUpdate, Cx, Event, Object, Rule, RuleMeta, Taken, TypeKind, Verdict};
use sqlparser::ast::{
    AlterTypeAddValuePosition, AlterTypeOperation, Statement, UserDefinedTypeRepresentation,
};

crate::declare_rule!(EnumType, "enum-type", Info, ENUM_TYPE);

impl Rule for EnumType {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn statement(&self, cx: &mut Cx, stmt: &Statement) -> Option<Verdict> {
        match stmt {
            Statement::CreateType {
                name: stmt_name,
                representation: Some(UserDefinedTypeRepresentation::Enum { labels }),
                ..
            } => {
                let name = last_name(stmt_name);
                // A name the model has in another case is another type (identifier-case).
                let known = crate::rules::type_name(cx.catalog, &name);
                let at = cx.loc;
                let taken = |cx: &mut Cx, k: String| {
                    crate::rules::run_new_name_taken(cx, "type", &name, &k, "", at)
                };
                if known.is_some_and(|k| taken(cx, k)) {
                    return Some(Verdict::Drop);
                }
                let labels: Vec<String> = labels.iter().map(|l| l.value.clone()).collect();
                for l in &labels {
                    if l.chars().count() > 255 {
                        crate::rules::unsupported_statement::report_text(
                            cx,
                            &format!("enum label '{l}' is longer than 255 characters (TiDB 3505)"),
                        );
                    }
                }
                cx.report_here(
                    &META,
                    format!(
                        "enum type {name} inlined as ENUM({}) on its columns; CREATE TYPE dropped",
                        labels.len()
                    ),
                );
                cx.catalog_updates.push(CatalogUpdate::FlattenedFrom {
                    key: crate::rules::pg_object_key("type", &name),
                    schema: crate::rules::schema_name::schema_of(stmt_name),
                });
                // Its name as written, for the names that differ only in case.
                cx.catalog_updates.push(CatalogUpdate::PgObject {
                    key: crate::rules::pg_object_key("enum", &name),
                    detail: name.clone(),
                });
                cx.catalog_updates
                    .push(CatalogUpdate::Enum { name, labels });
                Some(Verdict::Drop)
            }
            Statement::AlterType(at) => {
                let name = last_name(&at.name);
                let mut labels = cx.catalog.enum_labels(&name)?.clone();
                let known = crate::rules::type_name(cx.catalog, &name).unwrap_or_default();
                if !known.is_empty()
                    && crate::rules::run_reference(cx, "type", &name, &known, "ALTER TYPE")
                {
                    return Some(Verdict::Drop);
                }
                match &at.operation {
                    AlterTypeOperation::AddValue(add) => {
                        let value = add.value.value.clone();
                        if labels.contains(&value) {
                            cx.report_here(
                                &META,
                                format!("enum {name} already has '{value}'; nothing to do"),
                            );
                            return Some(Verdict::Drop);
                        }
                        let pos = match &add.position {
                            Some(AlterTypeAddValuePosition::Before(b)) => {
                                labels.iter().position(|l| *l == b.value)
                            }
                            Some(AlterTypeAddValuePosition::After(a)) => {
                                labels.iter().position(|l| *l == a.value).map(|i| i + 1)
                            }
                            None => None,
                        }
                        .unwrap_or(labels.len());
                        labels.insert(pos, value.clone());
                        let mut n = 0;
                        // Copies of the tables that use the enum only (each
                        // table is decoded in turn; the rest are dropped at once).
                        let uses = |t: &Table| {
                            t.columns
                                .iter()
                                .any(|c| c.pg_enum.as_deref() == Some(&name))
                        };
                        let tables: Vec<Table> = cx
                            .catalog
                            .tables_using_enum(&name)
                            .filter(|t| uses(t))
                            .map(std::borrow::Cow::into_owned)
                            .collect();
                        for mut t in tables {
                            let mut changed = false;
                            for c in t
                                .columns
                                .iter_mut()
                                .filter(|c| c.pg_enum.as_deref() == Some(&name))
                            {
                                c.ty = TiType::Enum(labels.clone());
                                cx.alter(&t.name, AlterOp::ModifyColumn(c.clone()));
                                changed = true;
                                n += 1;
                            }
                            if changed {
                                cx.catalog_updates.push(CatalogUpdate::Table(Box::new(t)));
                            }
                        }
                        cx.report_here(
                            &META,
                            format!("enum {name}: '{value}' added by modifying {n} column(s)"),
                        );
                        cx.catalog_updates
                            .push(CatalogUpdate::Enum { name, labels });
                        Some(if n == 0 {
                            Verdict::Drop
                        } else {
                            Verdict::Replace
                        })
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// `DROP TYPE` of an enum type (or of an unknown type, without IF EXISTS).
    fn event(&self, cx: &mut Cx, e: &Event) -> Option<Taken> {
        let Event::Drop {
            object: Object::Type { name, kind },
            if_exists,
            ..
        } = *e
        else {
            return None;
        };
        if !(kind == TypeKind::Enum || (kind == TypeKind::Unknown && !if_exists)) {
            return None;
        }
        cx.report_here(
            &META,
            format!("DROP TYPE {name}: enum types exist only on their columns in TiDB; dropped"),
        );
        if kind == TypeKind::Enum {
            cx.catalog_updates
                .push(CatalogUpdate::RemoveEnum(name.to_string()));
        }
        Some(Taken::Drop)
    }
}
