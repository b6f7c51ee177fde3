//! Columns: their drafts from PostgreSQL definitions, ADD, DROP and RENAME COLUMN.

use crate::emit::AlterOp;
use crate::expr::{self, to_tidb};
use crate::model::{Check, Column, KeyPart, Table, TiType};
use crate::rules::{self, ColumnDraft, ColumnMode, Cx, Event, ExprUse, Object, Taken};
use crate::types::{self, fold_ident, Mapped};
use sqlparser::ast::{
    ColumnDef, ColumnOption, Expr, GeneratedAs, OrderByExpr, SequenceOptions, TableConstraint,
};

use crate::lower::{
    absent, constraint::table_constraint, default_constraint_name, dropped_by, expr_loc, ident_loc,
    name_taken_by, new_name, object_last, shadowed,
};
use crate::rules::type_name;

/// The `START WITH` of an identity column's sequence options.
pub(crate) fn identity_start(options: Option<&[SequenceOptions]>) -> Option<i64> {
    options.unwrap_or_default().iter().find_map(|o| match o {
        SequenceOptions::StartWith(e, _) => expr::literal(e).and_then(|s| s.parse().ok()),
        _ => None,
    })
}

/// Build the draft of a column from its PostgreSQL definition.
pub(crate) fn column_draft<'a>(
    cx: &mut Cx,
    table: &str,
    def: &'a ColumnDef,
    mode: ColumnMode,
) -> ColumnDraft<'a> {
    let name = fold_ident(&def.name.value, def.name.quote_style);
    let loc = ident_loc(&def.name, cx.loc);
    new_name(cx, &def.name.value, loc);
    let mut pg = types::normalize(&def.data_type);
    let mut nullable = true;
    let mut pg_default = None;
    let mut domain_checks = vec![];
    // A type whose name differs only in case from the one the model has
    // was not carried over (the model cannot hold both).
    let mut shadowed_type = false;
    if let Some(known) = type_name(cx.catalog, &pg.name).filter(|_| pg.array == 0) {
        let what = format!(
            "column {}",
            fold_ident(&def.name.value, def.name.quote_style)
        );
        shadowed_type = shadowed(cx, "type", &pg.name, &known, &what);
    }
    if pg.array == 0 && !shadowed_type {
        if let Some(d) = cx.catalog.domain(&pg.name) {
            pg = types::normalize(&d.base);
            nullable = !d.not_null;
            pg_default = d.default.clone();
            domain_checks = d.checks.clone();
        }
    }
    let mut pg_enum = None;
    let mapped = match cx.catalog.enum_labels(&pg.name) {
        Some(labels) if pg.array == 0 && !shadowed_type => {
            pg_enum = Some(pg.name.clone());
            Mapped::exact(TiType::Enum(labels.clone()))
        }
        // Left out (reported above): no rule need look at its type.
        _ if shadowed_type => Mapped::exact(TiType::LongText),
        _ => types::map(&pg, cx.target, cx.types),
    };
    // No TiDB type: the unsupported-type rule leaves the column out.
    let mut col = Column::new(name, mapped.ty.clone().unwrap_or(TiType::LongText));
    col.collation = mapped.collation.map(str::to_string);
    col.pg_enum = pg_enum;
    let mut identity = None;
    let mut generated_failed = false;
    let mut collations = vec![];
    for opt in &def.options {
        match &opt.option {
            ColumnOption::NotNull => nullable = false,
            ColumnOption::Null => nullable = true,
            ColumnOption::PrimaryKey(_) => nullable = false,
            ColumnOption::Default(e) => pg_default = Some(e.clone()),
            ColumnOption::Generated {
                generated_as,
                sequence_options,
                generation_expr,
                generation_expr_mode,
                ..
            } => match generation_expr {
                None => {
                    identity = Some(identity_start(sequence_options.as_deref()));
                    nullable = false;
                }
                Some(e) => match to_tidb(e) {
                    Ok(sql) => {
                        let stored = !matches!(
                            generation_expr_mode,
                            Some(sqlparser::ast::GeneratedExpressionMode::Virtual)
                        );
                        col.generated = Some((sql, stored));
                        if *generated_as == GeneratedAs::ExpStored {
                            col.generated.as_mut().unwrap().1 = true;
                        }
                    }
                    Err(why) => {
                        let e = Event::Expression {
                            at: expr_loc(e, loc),
                            used: ExprUse::Generated { column: &col.name },
                            why: &why,
                        };
                        rules::run_event(cx, &e);
                        generated_failed = true;
                    }
                },
            },
            // The column hooks decide what becomes of it.
            ColumnOption::Collation(c) => collations.push(object_last(c)),
            _ => {}
        }
    }
    col.nullable = nullable;
    let mut draft = ColumnDraft::new(table.to_string(), def, loc, mode, pg, mapped, col);
    draft.pg_default = pg_default;
    draft.identity = identity;
    draft.dropped = generated_failed || shadowed_type;
    draft.collations = collations;
    for e in domain_checks {
        match to_tidb(&expr::value_as_column(&e, &draft.col.name)) {
            Ok(sql) => draft.domain_checks.push(sql),
            Err(why) => {
                let e = Event::Expression {
                    at: loc,
                    used: ExprUse::DomainCheck,
                    why: &why,
                };
                rules::run_event(cx, &e);
            }
        }
    }
    draft
}

pub(crate) fn add_column(cx: &mut Cx, t: &mut Table, if_not_exists: bool, def: &ColumnDef) {
    let mut d = column_draft(cx, &t.name, def, ColumnMode::Add);
    d.in_key = def.options.iter().any(|o| {
        matches!(
            o.option,
            ColumnOption::PrimaryKey(_) | ColumnOption::Unique(_) | ColumnOption::ForeignKey(_)
        )
    });
    rules::run_column(cx, &mut d);
    if d.dropped {
        return;
    }
    let taken = t.columns.same_to_tidb(&d.col.name).map(|c| c.name.clone());
    if taken
        .as_ref()
        .is_some_and(|e| name_taken_by(cx, t, "column", &d.col.name, e, d.loc))
    {
        return;
    }
    // IF NOT EXISTS of a column the table has: nothing changes (on either
    // side); the statement is written, and the model keeps one column.
    if taken.is_some() && if_not_exists {
        let op = AlterOp::AddColumn {
            column: d.col.clone(),
            if_not_exists,
        };
        cx.alter(&t.name, op);
        return;
    }
    // PostgreSQL does not have it, TiDB does: a DROP was not carried over.
    if taken.is_some() {
        let key = format!("{}.{}", t.name, d.col.name).to_lowercase();
        let kept = cx.catalog.kept.get(&key).cloned();
        let e = Event::StillExists {
            table: &t.name,
            column: &d.col.name,
            kept: kept.as_ref(),
        };
        if rules::run_event(cx, &e) == Some(Taken::Drop) {
            return;
        }
    }
    let mut col = d.col.clone();
    cx.alter(
        &t.name,
        AlterOp::AddColumn {
            column: col.clone(),
            if_not_exists,
        },
    );
    if let Some(def) = d.deferred_default.take() {
        let op = AlterOp::SetDefault {
            column: col.name.clone(),
            value: def.clone(),
        };
        cx.alter(&t.name, op);
        col.default = Some(def);
    }
    t.columns.push(col.clone());
    for (i, ck) in d.domain_checks.iter().enumerate() {
        let name = default_constraint_name(
            &t.name,
            std::slice::from_ref(&col.name),
            &if i == 0 {
                "check".into()
            } else {
                format!("check{i}")
            },
        );
        let c = Check::new(name, ck.clone(), std::slice::from_ref(&col.name));
        cx.alter(&t.name, AlterOp::AddCheck(c.clone()));
        t.checks.push(c);
    }
    // Inline constraints become separate clauses: TiDB ignores CHECK and
    // REFERENCES inside ADD COLUMN and refuses PRIMARY KEY there.
    for opt in &def.options {
        let cname = opt
            .name
            .as_ref()
            .map(|n| sqlparser::ast::Ident::new(fold_ident(&n.value, n.quote_style)));
        let c = match &opt.option {
            ColumnOption::PrimaryKey(pk) => {
                let mut pk = pk.clone();
                pk.columns = vec![index_col(&col.name)];
                if let Some(n) = cname.clone() {
                    pk.name = Some(n);
                }
                let e = Event::ColumnSplit {
                    column: &col.name,
                    what: "PRIMARY KEY",
                };
                rules::run_event(cx, &e);
                TableConstraint::PrimaryKey(pk)
            }
            ColumnOption::Unique(u) => {
                let mut u = u.clone();
                u.columns = vec![index_col(&col.name)];
                if let Some(n) = cname.clone() {
                    u.name = Some(n);
                }
                TableConstraint::Unique(u)
            }
            ColumnOption::ForeignKey(fk) => {
                let mut fk = fk.clone();
                fk.columns = vec![sqlparser::ast::Ident::with_quote('"', col.name.clone())];
                if let Some(n) = cname.clone() {
                    fk.name = Some(n);
                }
                TableConstraint::ForeignKey(fk)
            }
            ColumnOption::Check(ck) => {
                let mut ck = ck.clone();
                if let Some(n) = cname.clone() {
                    ck.name = Some(n);
                } else if ck.name.is_none() {
                    ck.name = Some(sqlparser::ast::Ident::new(default_constraint_name(
                        &t.name,
                        std::slice::from_ref(&col.name),
                        "check",
                    )));
                }
                TableConstraint::Check(ck)
            }
            _ => continue,
        };
        if let Some(op) = table_constraint(cx, t, &c, true) {
            cx.alter(&t.name, op);
        }
    }
}

pub(crate) fn drop_column(cx: &mut Cx, t: &mut Table, c: &str, if_exists: bool) {
    let known = t.column(c).map(|x| x.name.clone());
    if known.is_some_and(|k| shadowed(cx, "column", c, &k, "its DROP COLUMN")) {
        return;
    }
    if t.column(c).is_none() {
        let column = Object::Column {
            table: &t.name,
            column: c,
        };
        absent(cx, column, if_exists, "");
        return;
    }
    // PostgreSQL drops indexes, foreign keys and checks that use the column;
    // TiDB refuses to drop a column in a composite index (8200): drop them first.
    let uses = |parts: &[KeyPart]| {
        parts
            .iter()
            .any(|p| p.column_name().is_some_and(|n| n.eq_ignore_ascii_case(c)))
    };
    // PostgreSQL drops the primary key with its column. TiDB drops neither
    // the key nor the column first (8200): it needs the key gone first, and
    // cannot drop a clustered key at all (a rule decides).
    if t.primary_key.as_ref().is_some_and(|pk| uses(&pk.parts)) {
        let e = Event::PrimaryKeyColumnDropped {
            table: t,
            column: c,
        };
        if dropped_by(cx, e) {
            return;
        }
        cx.alter(&t.name, AlterOp::DropPrimaryKey);
        t.primary_key = None;
    }
    for fk in t
        .foreign_keys
        .iter()
        .filter(|f| f.columns.iter().any(|x| x.eq_ignore_ascii_case(c)))
    {
        cx.alter(&t.name, AlterOp::DropForeignKey(fk.tidb_name().to_string()));
    }
    t.foreign_keys
        .retain(|f| !f.columns.iter().any(|x| x.eq_ignore_ascii_case(c)));
    for ix in t
        .indexes
        .iter()
        .filter(|i| uses(&i.parts) && i.parts.len() > 1)
    {
        cx.alter(&t.name, AlterOp::DropIndex(ix.name.to_string()));
    }
    t.indexes.retain(|i| !uses(&i.parts));
    for ck in t.checks.iter().filter(|k| k.uses(c)) {
        cx.alter(&t.name, AlterOp::DropCheck(ck.name.to_string()));
    }
    t.checks.retain(|k| !k.uses(c));
    cx.alter(&t.name, AlterOp::DropColumn(c.to_string()));
    t.columns.remove(c);
}

pub(crate) fn rename_column(t: &mut Table, old: &str, new: &str) {
    if let Some(c) = t.column_mut(old) {
        c.name = new.to_string();
    }
    let fix = |parts: &mut Vec<KeyPart>| {
        for p in parts {
            if let KeyPart::Column { name, .. } = p {
                if name.eq_ignore_ascii_case(old) {
                    *name = new.to_string();
                }
            }
        }
    };
    if let Some(pk) = &mut t.primary_key {
        fix(&mut pk.parts);
    }
    for ix in &mut t.indexes {
        fix(&mut ix.parts);
    }
    for fk in &mut t.foreign_keys {
        for c in &mut fk.columns {
            if c.eq_ignore_ascii_case(old) {
                *c = new.to_string();
            }
        }
    }
}

pub(crate) fn index_col(name: &str) -> sqlparser::ast::IndexColumn {
    sqlparser::ast::IndexColumn {
        column: OrderByExpr {
            expr: Expr::Identifier(sqlparser::ast::Ident::with_quote('"', name)),
            options: sqlparser::ast::OrderByOptions {
                sort: None,
                nulls_first: None,
            },
            with_fill: None,
        },
        operator_class: None,
    }
}
