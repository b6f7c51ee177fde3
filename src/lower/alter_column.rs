//! ALTER TABLE … ALTER COLUMN: type, default, nullability, identity.

use crate::emit::AlterOp;
use crate::model::{Column, ForeignKey, Index, KeyPart, Loc, Table};
use crate::rules::{
    self, AlterColumnDraft, AlterColumnKind, AlterVerdict, CatalogUpdate, ColumnDraft, ColumnMode,
    Cx, Event, ForeignKeyCheck, ForeignKeyDraft, Object, Refit, Untranslated,
};
use crate::types::{Mapped, PgType};
use sqlparser::ast::{AlterColumnOperation, ColumnDef, DataType, Expr};

use crate::lower::{absent, column::column_draft, column::identity_start, shadowed};

pub(crate) fn alter_column(
    cx: &mut Cx,
    t: &mut Table,
    c: &str,
    op: &AlterColumnOperation,
    loc: Loc,
) {
    let Some(current) = t.column(c).cloned() else {
        let column = Object::Column {
            table: &t.name,
            column: c,
        };
        absent(cx, column, false, "");
        return;
    };
    if shadowed(cx, "column", c, &current.name, "ALTER COLUMN") {
        return;
    }
    match op {
        AlterColumnOperation::SetNotNull | AlterColumnOperation::DropNotNull => {
            let mut col = current;
            col.nullable = matches!(op, AlterColumnOperation::DropNotNull);
            cx.alter(&t.name, AlterOp::ModifyColumn(col.clone()));
            *t.column_mut(c).expect("checked above") = col;
        }
        AlterColumnOperation::SetDataType {
            data_type, using, ..
        } => set_type(cx, t, current, data_type, using.as_ref(), loc),
        AlterColumnOperation::SetDefault { value } => set_default(cx, t, current, value, loc),
        AlterColumnOperation::DropDefault => {
            let col = current.clone();
            let kind = AlterColumnKind::DropDefault;
            if ask(cx, t, current, kind, col, None, loc).0 != AlterVerdict::Write {
                return;
            }
            cx.alter(&t.name, AlterOp::DropDefault(c.to_string()));
            t.column_mut(c).expect("checked above").default = None;
        }
        AlterColumnOperation::AddGenerated {
            sequence_options, ..
        } => {
            // The rules fold it into the model or say why not: TiDB cannot
            // add AUTO_INCREMENT by ALTER TABLE, so nothing is written.
            let start = identity_start(sequence_options.as_deref());
            let (col, kind) = (current.clone(), AlterColumnKind::AddIdentity);
            ask(cx, t, current, kind, col, start, loc);
        }
        other => {
            let op = Untranslated::AlterColumnOp {
                column: c,
                op: other,
            };
            rules::run_event(cx, &Event::Untranslated(op));
        }
    }
}

/// Run the ALTER COLUMN hooks: what becomes of the change, and the column as the rules leave it.
fn ask(
    cx: &mut Cx,
    t: &mut Table,
    current: Column,
    kind: AlterColumnKind,
    col: Column,
    start: Option<i64>,
    loc: Loc,
) -> (AlterVerdict, Column) {
    let mut a = AlterColumnDraft {
        table: t,
        current,
        kind,
        col,
        start,
        loc,
        verdict: AlterVerdict::Write,
    };
    rules::run_alter_column(cx, &mut a);
    (a.verdict, a.col)
}

/// `ALTER COLUMN c TYPE t [USING …]`: the new definition goes through the
/// column hooks, then the ALTER COLUMN hooks.
fn set_type(
    cx: &mut Cx,
    t: &mut Table,
    current: Column,
    data_type: &DataType,
    using: Option<&Expr>,
    loc: Loc,
) {
    let c = current.name.clone();
    let def = ColumnDef {
        name: sqlparser::ast::Ident::with_quote('"', &c),
        data_type: data_type.clone(),
        options: vec![],
    };
    let mut d = column_draft(cx, &t.name, &def, ColumnMode::AlterType);
    d.loc = loc;
    d.using = using;
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
    let kind = AlterColumnKind::Type;
    let (verdict, col) = ask(cx, t, current.clone(), kind, d.col, None, loc);
    if verdict != AlterVerdict::Write {
        return;
    }
    if col == current {
        let e = Event::Unchanged {
            table: &t.name,
            column: &c,
            ty: &current.ty,
        };
        rules::run_event(cx, &e);
        return;
    }
    modify_with_keys(cx, t, &c, col);
}

/// Write `MODIFY COLUMN` for the new definition `col` of `c`. Foreign keys
/// on either side block it (1832/1833): they are dropped, the column and the
/// columns that reference it changed, and they are added back. Indexes with a
/// prefix on it are rebuilt to fit the new type (a prefix longer than a
/// VARCHAR is error 1089).
fn modify_with_keys(cx: &mut Cx, t: &mut Table, c: &str, col: Column) {
    let child_fks: Vec<ForeignKey> = t
        .foreign_keys
        .iter()
        .filter(|f| f.columns.iter().any(|x| x.eq_ignore_ascii_case(c)))
        .cloned()
        .collect();
    let referencing = referencing(cx, t, c);
    for fk in &child_fks {
        cx.alter(&t.name, AlterOp::DropForeignKey(fk.tidb_name().to_string()));
    }
    for (u, fk, _) in &referencing {
        if !child_fks
            .iter()
            .any(|x| x.name == fk.name && u.name == t.name)
        {
            cx.alter(&u.name, AlterOp::DropForeignKey(fk.tidb_name().to_string()));
        }
    }
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
        cx.alter(&t.name, AlterOp::DropIndex(ix.name.to_string()));
    }
    cx.alter(&t.name, AlterOp::ModifyColumn(col.clone()));
    *t.column_mut(c).expect("checked above") = col;
    for mut ix in affected {
        let mut key = Refit {
            table: t,
            name: &ix.name,
            parts: &mut ix.parts,
            column: Some(c),
        };
        rules::run_refit(cx, &mut key);
        cx.alter(&t.name, AlterOp::AddIndex(ix.clone()));
        if let Some(slot) = t.indexes.iter_mut().find(|i| i.name == ix.name) {
            *slot = ix;
        }
    }
    let readded = add_back(cx, t, c, referencing);
    for fk in &child_fks {
        if !readded.contains(&format!("{}.{}", t.name, fk.name)) {
            cx.alter(&t.name, AlterOp::AddForeignKey(fk.clone()));
        }
    }
}

/// The foreign keys that reference column `c` of `t` (with their table and
/// referencing column), `t`'s own last.
fn referencing(cx: &Cx, t: &Table, c: &str) -> Vec<(Table, ForeignKey, String)> {
    let mut out = Vec::new();
    for u in cx
        .catalog
        .referencing_column(&t.name, c)
        .filter(|u| !u.name.eq_ignore_ascii_case(&t.name))
        .chain(std::iter::once(std::borrow::Cow::Borrowed(t)))
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
                out.push((u.as_ref().clone(), fk.clone(), fk.columns[pos].clone()));
            }
        }
    }
    out
}

/// Add back the foreign keys that reference `c` of `t`, after the
/// foreign-key hooks changed their columns to follow it. Returns them as `table.key`.
fn add_back(
    cx: &mut Cx,
    t: &mut Table,
    c: &str,
    referencing: Vec<(Table, ForeignKey, String)>,
) -> Vec<String> {
    let Some(to) = t.column(c).cloned() else {
        return vec![];
    };
    let mut readded: Vec<String> = Vec::new();
    for (mut u, fk, child_col) in referencing {
        let same = u.name.eq_ignore_ascii_case(&t.name);
        let target: &mut Table = if same { &mut *t } else { &mut u };
        let check = ForeignKeyCheck::ParentChanged {
            column: child_col,
            to: Box::new(to.clone()),
        };
        let mut d = ForeignKeyDraft {
            table: &mut *target,
            fk,
            parent: None,
            check,
            changed: vec![],
            dropped: false,
        };
        rules::run_foreign_key(cx, &mut d);
        let (changed, fk) = (std::mem::take(&mut d.changed), d.fk);
        for col in changed {
            cx.alter(&target.name, AlterOp::ModifyColumn(col.clone()));
        }
        cx.alter(&target.name, AlterOp::AddForeignKey(fk.clone()));
        readded.push(format!("{}.{}", target.name, fk.name));
        if !same {
            cx.catalog_updates.push(CatalogUpdate::Table(Box::new(u)));
        }
    }
    readded
}

/// `ALTER COLUMN c SET DEFAULT …`: the default goes through the column
/// hooks (a `nextval()` default makes the column AUTO_INCREMENT), then the
/// ALTER COLUMN hooks.
fn set_default(cx: &mut Cx, t: &mut Table, current: Column, value: &Expr, loc: Loc) {
    let c = current.name.clone();
    let def = ColumnDef {
        name: sqlparser::ast::Ident::with_quote('"', &c),
        data_type: DataType::Unspecified,
        options: vec![],
    };
    let col = Column {
        default: None,
        ..current.clone()
    };
    let mapped = Mapped::exact(current.ty.clone());
    let mut d = ColumnDraft::new(
        t.name.clone(),
        &def,
        loc,
        ColumnMode::SetDefault,
        PgType::default(),
        mapped,
        col,
    );
    d.pg_default = Some(value.clone());
    rules::run_column(cx, &mut d);
    if d.dropped {
        return;
    }
    let kind = AlterColumnKind::SetDefault;
    let (verdict, col) = ask(cx, t, current, kind, d.col, None, loc);
    if verdict != AlterVerdict::Write {
        return;
    }
    let Some(v) = &col.default else {
        return;
    };
    let op = AlterOp::SetDefault {
        column: c.clone(),
        value: v.clone(),
    };
    cx.alter(&t.name, op);
    *t.column_mut(&c).expect("checked above") = col;
}
