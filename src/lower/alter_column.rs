//! ALTER TABLE … ALTER COLUMN: type, default, nullability, identity.

use crate::emit;
use crate::model::{ident, Column, ForeignKey, Index, KeyPart, Loc, Table, TiType};
use crate::rules::{
    self, serial, unknown_object, unsupported_statement, CatalogUpdate, ColumnDraft, ColumnMode, Cx,
};
use crate::types::{self, Mapped};
use sqlparser::ast::{AlterColumnOperation, ColumnDef};

use crate::lower::{column::column_draft, column::identity_start, shadowed};

pub(crate) fn alter_column(
    cx: &mut Cx,
    t: &mut Table,
    c: &str,
    op: &AlterColumnOperation,
    loc: Loc,
) {
    let Some(current) = t.column(c).cloned() else {
        unknown_object::report_column(cx, &t.name, c);
        return;
    };
    if shadowed(cx, "column", c, &current.name, "ALTER COLUMN") {
        return;
    }
    match op {
        AlterColumnOperation::SetNotNull | AlterColumnOperation::DropNotNull => {
            let mut col = current;
            col.nullable = matches!(op, AlterColumnOperation::DropNotNull);
            cx.output.push(emit::modify_column(&t.name, &col));
            *t.column_mut(c).expect("checked above") = col;
        }
        AlterColumnOperation::SetDataType {
            data_type, using, ..
        } => {
            if using.is_some() {
                rules::lossy_type::report_using(cx, loc, c);
            }
            let def = ColumnDef {
                name: sqlparser::ast::Ident::with_quote('"', c),
                data_type: data_type.clone(),
                options: vec![],
            };
            let mut d = column_draft(cx, &t.name, &def, ColumnMode::AlterType);
            d.loc = loc;
            d.col.nullable = current.nullable;
            d.col.comment = current.comment.clone();
            d.col.on_update = current.on_update.clone();
            d.col.auto_increment = current.auto_increment;
            // The default stays; re-check it against the new type.
            d.col.default = current.default.clone();
            rules::run_column(cx, &mut d);
            if d.dropped {
                return;
            }
            // A primary-key column only takes meta-only changes in TiDB (8200).
            let in_pk = t.primary_key.as_ref().is_some_and(|pk| {
                pk.parts
                    .iter()
                    .any(|p| p.column_name().is_some_and(|n| n.eq_ignore_ascii_case(c)))
            });
            if in_pk && !meta_only_change(&current.ty, &d.col.ty) {
                unsupported_statement::report_text(
                    cx,
                    &format!("{}.{c}: TiDB cannot change a primary-key column from {} to {} (8200); the column keeps {}", t.name, current.ty, d.col.ty, current.ty),
                );
                return;
            }
            // A foreign-key column keeps the type of the column it references (3780).
            for fk in t
                .foreign_keys
                .iter()
                .filter(|f| f.columns.iter().any(|x| x.eq_ignore_ascii_case(c)))
            {
                let pos = fk
                    .columns
                    .iter()
                    .position(|x| x.eq_ignore_ascii_case(c))
                    .unwrap_or(0);
                let parent = if fk.ref_table.eq_ignore_ascii_case(&t.name) {
                    Some(std::borrow::Cow::Borrowed(&*t))
                } else {
                    cx.catalog.table(&fk.ref_table)
                };
                if let Some(pc) = parent.as_deref().and_then(|p| {
                    p.column(fk.ref_columns.get(pos).map(String::as_str).unwrap_or(""))
                }) {
                    if pc.ty != d.col.ty {
                        rules::fk_type_mismatch::report_kept(
                            cx,
                            &t.name,
                            c,
                            &d.col.ty,
                            &fk.ref_table,
                            &pc.ty,
                        );
                        d.col.ty = pc.ty.clone();
                        d.col.collation = pc.collation.clone();
                    }
                }
            }
            if d.col == current {
                rules::if_exists_noop::report_noop(
                    cx,
                    &format!("{}.{c} is already {} in TiDB", t.name, current.ty),
                );
                return;
            }
            // Foreign keys on either side block the MODIFY (1832/1833): drop
            // them, change the column and the columns that reference it, add them back.
            let child_fks: Vec<ForeignKey> = t
                .foreign_keys
                .iter()
                .filter(|f| f.columns.iter().any(|x| x.eq_ignore_ascii_case(c)))
                .cloned()
                .collect();
            let mut referencing: Vec<(Table, ForeignKey, String)> = Vec::new();
            for u in cx
                .catalog
                .referencing_column(&t.name, c)
                .filter(|u| !u.name.eq_ignore_ascii_case(&t.name))
                .chain(std::iter::once(std::borrow::Cow::Borrowed(&*t)))
            {
                for fk in &u.foreign_keys {
                    if !fk.ref_table.eq_ignore_ascii_case(&t.name) {
                        continue;
                    }
                    if let Some(pos) = fk
                        .ref_columns
                        .iter()
                        .position(|x| x.eq_ignore_ascii_case(c))
                    {
                        referencing.push((u.as_ref().clone(), fk.clone(), fk.columns[pos].clone()));
                    }
                }
            }
            for fk in &child_fks {
                cx.output.push(emit::alter(
                    &t.name,
                    &format!("DROP FOREIGN KEY {}", ident(&fk.name)),
                ));
            }
            for (u, fk, _) in &referencing {
                if !child_fks
                    .iter()
                    .any(|x| x.name == fk.name && u.name == t.name)
                {
                    cx.output.push(emit::alter(
                        &u.name,
                        &format!("DROP FOREIGN KEY {}", ident(&fk.name)),
                    ));
                }
            }
            // Indexes with a prefix on this column must be rebuilt to fit the
            // new type (a prefix longer than a VARCHAR is error 1089).
            let affected: Vec<Index> = t
                .indexes
                .iter()
                .filter(|ix| {
                    ix.parts.iter().any(|p| {
                        matches!(p, KeyPart::Column { name, prefix: Some(_) } if name.eq_ignore_ascii_case(c))
                    })
                })
                .cloned()
                .collect();
            for ix in &affected {
                cx.output.push(emit::alter(
                    &t.name,
                    &format!("DROP INDEX {}", ident(&ix.name)),
                ));
            }
            cx.output.push(emit::modify_column(&t.name, &d.col));
            *t.column_mut(c).expect("checked above") = d.col;
            for mut ix in affected {
                for p in &mut ix.parts {
                    if let KeyPart::Column { name, prefix } = p {
                        if name.eq_ignore_ascii_case(c) {
                            *prefix = None;
                        }
                    }
                }
                rules::index_key_length::refit(cx, t, &mut ix);
                cx.output.push(emit::alter(
                    &t.name,
                    &format!("ADD {}", emit::index_element(&ix)),
                ));
                if let Some(slot) = t.indexes.iter_mut().find(|i| i.name == ix.name) {
                    *slot = ix;
                }
            }
            let new_ty = t.column(c).map(|x| (x.ty.clone(), x.collation.clone()));
            let mut readded: Vec<String> = Vec::new();
            for (mut u, fk, child_col) in referencing {
                let same = u.name.eq_ignore_ascii_case(&t.name);
                let target: &mut Table = if same { &mut *t } else { &mut u };
                if let (Some((ty, coll)), Some(col)) = (&new_ty, target.column_mut(&child_col)) {
                    if &col.ty != ty {
                        let from = col.ty.clone();
                        col.ty = ty.clone();
                        col.collation = coll.clone();
                        let col = col.clone();
                        rules::fk_type_mismatch::report_followed(
                            cx,
                            &target.name,
                            &child_col,
                            &from,
                            ty,
                            &fk.name,
                        );
                        cx.output.push(emit::modify_column(&target.name, &col));
                    }
                }
                cx.output.push(emit::alter(
                    &target.name,
                    &format!("ADD {}", emit::foreign_key(&fk)),
                ));
                readded.push(format!("{}.{}", target.name, fk.name));
                if !same {
                    cx.catalog_updates.push(CatalogUpdate::Table(Box::new(u)));
                }
            }
            for fk in &child_fks {
                if !readded.contains(&format!("{}.{}", t.name, fk.name)) {
                    cx.output.push(emit::alter(
                        &t.name,
                        &format!("ADD {}", emit::foreign_key(fk)),
                    ));
                }
            }
        }
        AlterColumnOperation::SetDefault { value } => {
            let def = ColumnDef {
                name: sqlparser::ast::Ident::with_quote('"', c),
                data_type: sqlparser::ast::DataType::Unspecified,
                options: vec![],
            };
            let mut d = ColumnDraft {
                table: t.name.clone(),
                def: &def,
                loc,
                mode: ColumnMode::SetDefault,
                pg: types::PgType {
                    name: String::new(),
                    args: vec![],
                    array: 0,
                    written: String::new(),
                },
                mapped: Mapped::exact(current.ty.clone()),
                pg_default: Some(value.clone()),
                identity: None,
                col: Column {
                    default: None,
                    ..current.clone()
                },
                dropped: false,
                needs_key: false,
                deferred_default: None,
                auto_increment_start: None,
                domain_checks: vec![],
                in_key: false,
            };
            rules::run_column(cx, &mut d);
            if d.dropped {
                return;
            }
            if d.col.auto_increment && !current.auto_increment {
                if cx.fold {
                    *t.column_mut(c).expect("checked above") = d.col;
                    serial::report_folded(cx, &t.name, c, "nextval() default");
                    rules::check_auto_increment::filter(cx, t);
                } else {
                    serial::report_cannot_add(cx, loc, &t.name, c);
                }
                return;
            }
            match &d.col.default {
                Some(v) => cx.output.push(emit::alter(
                    &t.name,
                    &format!("ALTER COLUMN {} SET DEFAULT {v}", ident(c)),
                )),
                None => return,
            }
            *t.column_mut(c).expect("checked above") = d.col;
        }
        AlterColumnOperation::DropDefault => {
            if current.auto_increment {
                serial::report_drop_default(cx, loc, &t.name, c);
                return;
            }
            cx.output.push(emit::alter(
                &t.name,
                &format!("ALTER COLUMN {} DROP DEFAULT", ident(c)),
            ));
            t.column_mut(c).expect("checked above").default = None;
        }
        AlterColumnOperation::AddGenerated {
            sequence_options, ..
        } => {
            if current.auto_increment {
                return;
            }
            if cx.fold && current.ty.is_integer() {
                if let Some(n) = identity_start(sequence_options.as_deref()).filter(|n| *n != 1) {
                    t.auto_increment_start = Some(n);
                }
                let col = t.column_mut(c).expect("checked above");
                col.auto_increment = true;
                col.nullable = false;
                col.default = None;
                serial::report_folded(cx, &t.name, c, "identity");
                rules::check_auto_increment::filter(cx, t);
                return;
            }
            serial::report_cannot_add(cx, loc, &t.name, c);
        }
        other => unsupported_statement::report_text(
            cx,
            &format!("ALTER COLUMN {c} {other} has no TiDB translation"),
        ),
    }
}

/// Type changes TiDB makes without rewriting data (allowed on primary-key columns).
pub(crate) fn meta_only_change(from: &TiType, to: &TiType) -> bool {
    from == to
        || match (from, to) {
            (TiType::SmallInt, TiType::Int | TiType::BigInt) | (TiType::Int, TiType::BigInt) => {
                true
            }
            (TiType::Varchar(a), TiType::Varchar(b)) | (TiType::Char(a), TiType::Char(b)) => b >= a,
            _ => false,
        }
}
