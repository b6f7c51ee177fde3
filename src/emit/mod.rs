//! The emitter: typed output statements ([`Stmt`], [`AlterOp`]) → SQL text
//! for a [`Profile`].
//!
//! Lowering builds values, never SQL text: a statement is a [`Stmt`] whose
//! TiDB text is rendered once, when it is made ([`Emitted`]). The same value
//! renders for the stand-in servers `verify` and the tests use (MariaDB,
//! MySQL), which cannot run every TiDB-only part ([`Emitted::stand_in`]).
//!
//! Every identifier is backquoted, every string literal escaped, and
//! TiDB-only clauses are written as `/*T![feature] … */` executable comments
//! so the same text also runs on MySQL and MariaDB.

mod stand_in;
mod stmt;

pub use stand_in::{Profile, StandIn};
pub use stmt::{AlterOp, DropKind, Emitted, Stmt, Transaction};

use crate::model::{
    ident, quote_str, Check, Column, ForeignKey, Index, IndexKind, KeyPart, PrimaryKey, Sequence,
    Table, TiType,
};
use std::borrow::Cow;

/// Character set and collation of every table (closest to PostgreSQL's byte-wise default).
pub const TABLE_CHARSET: &str = "DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

/// How one profile writes what it cannot take from TiDB as is: set by
/// [`stand_in`] while it renders, empty for TiDB.
#[derive(Debug, Default)]
pub(crate) struct Rewrites {
    /// The profile to render for.
    pub profile: Profile,
    /// Inline indexes left out.
    pub indexes: Vec<String>,
    /// A `CAST(… AS JSON)` was written as `CAST(… AS CHAR)`.
    pub cast_json: bool,
    /// Columns whose VECTOR type was written as JSON.
    pub vectors: Vec<String>,
}

impl Rewrites {
    fn tidb() -> Self {
        Rewrites::default()
    }

    /// An expression as this profile takes it.
    fn expr<'e>(&mut self, e: &'e str) -> Cow<'e, str> {
        if self.profile == Profile::Mariadb && e.contains(" AS JSON)") {
            self.cast_json = true;
            Cow::Owned(e.replace(" AS JSON)", " AS CHAR)"))
        } else {
            Cow::Borrowed(e)
        }
    }

    /// A column type as this profile takes it.
    fn ty(&mut self, column: &str, ty: &TiType) -> String {
        if self.profile != Profile::Tidb && matches!(ty, TiType::Vector(_)) {
            self.vectors.push(column.to_string());
            return "JSON".to_string();
        }
        ty.to_string()
    }

    /// Whether this profile can create `ix` at all.
    fn takes_index(&self, ix: &Index) -> bool {
        match self.profile {
            Profile::Tidb => true,
            Profile::Mysql => ix.kind != IndexKind::Vector,
            Profile::Mariadb => {
                ix.kind != IndexKind::Vector
                    && !ix.parts.iter().any(|p| matches!(p, KeyPart::Expr(_)))
            }
        }
    }
}

/// A column definition, as in CREATE TABLE or MODIFY COLUMN.
pub fn column_def(c: &Column) -> String {
    column_def_for(c, &mut Rewrites::tidb())
}

fn column_def_for(c: &Column, rw: &mut Rewrites) -> String {
    let mut s = format!("{} {}", ident(&c.name), rw.ty(&c.name, &c.ty));
    if let Some(coll) = &c.collation {
        s.push_str(" COLLATE ");
        s.push_str(coll);
    }
    if let Some((expr, stored)) = &c.generated {
        s.push_str(&format!(
            " GENERATED ALWAYS AS ({}) {}",
            rw.expr(expr),
            if *stored { "STORED" } else { "VIRTUAL" }
        ));
    }
    // MariaDB refuses NULL/NOT NULL on generated columns; TiDB does not need it.
    if c.generated.is_none() {
        s.push_str(if c.nullable { " NULL" } else { " NOT NULL" });
    }
    if c.auto_increment {
        s.push_str(" AUTO_INCREMENT");
    }
    if c.auto_random {
        s.push_str(" /*T![auto_rand] AUTO_RANDOM(5) */");
    }
    if let Some(d) = &c.default {
        s.push_str(" DEFAULT ");
        s.push_str(&rw.expr(d));
    }
    if let Some(u) = &c.on_update {
        s.push_str(" ON UPDATE ");
        s.push_str(u);
    }
    if let Some(cm) = &c.comment {
        s.push_str(" COMMENT ");
        s.push_str(&quote_str(cm));
    }
    s
}

fn key_parts(parts: &[KeyPart], rw: &mut Rewrites) -> String {
    let items: Vec<String> = parts
        .iter()
        .map(|p| match p {
            KeyPart::Column { name, prefix: None } => ident(name),
            KeyPart::Column {
                name,
                prefix: Some(n),
            } => format!("{}({n})", ident(name)),
            KeyPart::Expr(e) => format!("({})", rw.expr(e)),
        })
        .collect();
    format!("({})", items.join(", "))
}

fn primary_key(pk: &PrimaryKey, rw: &mut Rewrites) -> String {
    format!(
        "PRIMARY KEY {} /*T![clustered_index] {} */",
        key_parts(&pk.parts, rw),
        if pk.clustered {
            "CLUSTERED"
        } else {
            "NONCLUSTERED"
        }
    )
}

/// The keyword of an index of `kind` (`KEY` inside a table, `INDEX` in
/// CREATE INDEX) and the clause after its key parts.
fn index_words(kind: IndexKind, key: &'static str) -> (String, &'static str) {
    match kind {
        IndexKind::Plain => (key.to_string(), ""),
        IndexKind::Unique => (format!("UNIQUE {key}"), ""),
        IndexKind::Vector => ("VECTOR INDEX".to_string(), " USING HNSW"),
    }
}

/// An index as a CREATE TABLE element or ALTER TABLE ADD clause.
fn index_element(ix: &Index, rw: &mut Rewrites) -> String {
    let (kw, using) = index_words(ix.kind, "KEY");
    format!(
        "{kw} {} {}{using}",
        ident(&ix.name),
        key_parts(&ix.parts, rw)
    )
}

fn foreign_key(fk: &ForeignKey) -> String {
    let cols: Vec<String> = fk.columns.iter().map(|c| ident(c)).collect();
    let refs: Vec<String> = fk.ref_columns.iter().map(|c| ident(c)).collect();
    let mut s = format!(
        "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})",
        ident(fk.tidb_name()),
        cols.join(", "),
        ident(&fk.ref_table),
        refs.join(", ")
    );
    if let Some(a) = &fk.on_delete {
        s.push_str(" ON DELETE ");
        s.push_str(a);
    }
    if let Some(a) = &fk.on_update {
        s.push_str(" ON UPDATE ");
        s.push_str(a);
    }
    s
}

fn check(ck: &Check, rw: &mut Rewrites) -> String {
    format!(
        "CONSTRAINT {} CHECK ({})",
        ident(&ck.name),
        rw.expr(&ck.expr)
    )
}

fn create_table(t: &Table, rw: &mut Rewrites) -> String {
    let mut items: Vec<String> = t.columns.iter().map(|c| column_def_for(c, rw)).collect();
    if let Some(pk) = &t.primary_key {
        items.push(primary_key(pk, rw));
    }
    // Indexes this profile cannot create are left out (and named).
    for ix in t.indexes.iter() {
        if rw.takes_index(ix) {
            items.push(index_element(ix, rw));
        } else {
            rw.indexes.push(ix.name.clone());
        }
    }
    items.extend(t.foreign_keys.iter().map(foreign_key));
    items.extend(t.checks.iter().map(|c| check(c, rw)));
    let mut s = format!(
        "CREATE {}TABLE {}{} (\n  {}\n) {TABLE_CHARSET}",
        if t.temporary { "TEMPORARY " } else { "" },
        if t.if_not_exists {
            "IF NOT EXISTS "
        } else {
            ""
        },
        ident(&t.name),
        items.join(",\n  ")
    );
    if let Some(n) = t.auto_increment_start {
        s.push_str(&format!(" AUTO_INCREMENT={n}"));
    }
    if let Some(c) = &t.comment {
        s.push_str(&format!(" COMMENT={}", quote_str(c)));
    }
    s
}

fn create_index(table: &str, ix: &Index, if_not_exists: bool, rw: &mut Rewrites) -> String {
    let (kw, using) = index_words(ix.kind, "INDEX");
    format!(
        "CREATE {kw} {}{} ON {} {}{using}",
        if if_not_exists { "IF NOT EXISTS " } else { "" },
        ident(&ix.name),
        ident(table),
        key_parts(&ix.parts, rw)
    )
}

fn create_sequence(s: &Sequence, if_not_exists: bool) -> String {
    let mut out = format!(
        "CREATE SEQUENCE {}{}",
        if if_not_exists { "IF NOT EXISTS " } else { "" },
        ident(&s.name)
    );
    if let Some(v) = s.start {
        out.push_str(&format!(" START WITH {v}"));
    }
    if let Some(v) = s.increment {
        out.push_str(&format!(" INCREMENT BY {v}"));
    }
    if let Some(v) = s.min {
        out.push_str(&format!(" MINVALUE {v}"));
    }
    if let Some(v) = s.max {
        out.push_str(&format!(" MAXVALUE {v}"));
    }
    if let Some(v) = s.cache {
        out.push_str(&format!(" CACHE {v}"));
    }
    if s.cycle {
        out.push_str(" CYCLE");
    }
    out
}
