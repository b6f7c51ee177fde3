//! The TiDB emitter: model values → SQL text.
//!
//! Every identifier is backquoted, every string literal escaped, and
//! TiDB-only clauses are written as `/*T![feature] … */` executable comments
//! so the same text also runs on MySQL and MariaDB.

use crate::model::{
    ident, quote_str, Check, Column, ForeignKey, Index, IndexKind, KeyPart, PrimaryKey, Sequence,
    Table,
};

/// Character set and collation of every table (closest to PostgreSQL's byte-wise default).
pub const TABLE_CHARSET: &str = "DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

/// A column definition, as in CREATE TABLE or MODIFY COLUMN.
pub fn column_def(c: &Column) -> String {
    let mut s = format!("{} {}", ident(&c.name), c.ty);
    if let Some(coll) = &c.collation {
        s.push_str(" COLLATE ");
        s.push_str(coll);
    }
    if let Some((expr, stored)) = &c.generated {
        s.push_str(&format!(
            " GENERATED ALWAYS AS ({expr}) {}",
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
        s.push_str(d);
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

pub fn key_parts(parts: &[KeyPart]) -> String {
    let items: Vec<String> = parts
        .iter()
        .map(|p| match p {
            KeyPart::Column { name, prefix: None } => ident(name),
            KeyPart::Column {
                name,
                prefix: Some(n),
            } => format!("{}({n})", ident(name)),
            KeyPart::Expr(e) => format!("({e})"),
        })
        .collect();
    format!("({})", items.join(", "))
}

pub fn primary_key(pk: &PrimaryKey) -> String {
    format!(
        "PRIMARY KEY {} /*T![clustered_index] {} */",
        key_parts(&pk.parts),
        if pk.clustered {
            "CLUSTERED"
        } else {
            "NONCLUSTERED"
        }
    )
}

/// An index as a CREATE TABLE element or ALTER TABLE ADD clause.
pub fn index_element(ix: &Index) -> String {
    let kw = match ix.kind {
        IndexKind::Plain => "KEY",
        IndexKind::Unique => "UNIQUE KEY",
        IndexKind::Vector => "VECTOR INDEX",
    };
    let using = if ix.kind == IndexKind::Vector {
        " USING HNSW"
    } else {
        ""
    };
    format!("{kw} {} {}{using}", ident(&ix.name), key_parts(&ix.parts))
}

pub fn foreign_key(fk: &ForeignKey) -> String {
    let cols: Vec<String> = fk.columns.iter().map(|c| ident(c)).collect();
    let refs: Vec<String> = fk.ref_columns.iter().map(|c| ident(c)).collect();
    let mut s = format!(
        "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})",
        ident(&fk.name),
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

pub fn check(ck: &Check) -> String {
    format!("CONSTRAINT {} CHECK ({})", ident(&ck.name), ck.expr)
}

pub fn create_table(t: &Table) -> String {
    let mut items: Vec<String> = t.columns.iter().map(column_def).collect();
    if let Some(pk) = &t.primary_key {
        items.push(primary_key(pk));
    }
    items.extend(t.indexes.iter().map(index_element));
    items.extend(t.foreign_keys.iter().map(foreign_key));
    items.extend(t.checks.iter().map(check));
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

pub fn create_index(table: &str, ix: &Index, if_not_exists: bool) -> String {
    let kw = match ix.kind {
        IndexKind::Plain => "INDEX",
        IndexKind::Unique => "UNIQUE INDEX",
        IndexKind::Vector => "VECTOR INDEX",
    };
    let using = if ix.kind == IndexKind::Vector {
        " USING HNSW"
    } else {
        ""
    };
    format!(
        "CREATE {kw} {}{} ON {} {}{using}",
        if if_not_exists { "IF NOT EXISTS " } else { "" },
        ident(&ix.name),
        ident(table),
        key_parts(&ix.parts)
    )
}

pub fn alter(table: &str, clause: &str) -> String {
    format!("ALTER TABLE {} {clause}", ident(table))
}

pub fn modify_column(table: &str, c: &Column) -> String {
    alter(table, &format!("MODIFY COLUMN {}", column_def(c)))
}

pub fn create_sequence(s: &Sequence, if_not_exists: bool) -> String {
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
