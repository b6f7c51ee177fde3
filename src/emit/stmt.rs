//! Output statements as values: what lowering decides to write, before it
//! is text.

use super::{
    check, column_def_for, create_index, create_sequence, create_table, foreign_key, index_element,
    primary_key, Rewrites,
};
use crate::model::{
    ident, quote_str, Check, Column, ForeignKey, Index, PrimaryKey, Sequence, Table,
};

/// One output statement.
// An [`Emitted`] boxes its statement, so the size of the table variant
// costs nothing where statements are kept.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Stmt {
    CreateTable(Table),
    CreateIndex {
        table: String,
        index: Index,
        if_not_exists: bool,
    },
    CreateSequence {
        sequence: Sequence,
        if_not_exists: bool,
    },
    /// `ALTER TABLE table op`.
    Alter {
        table: String,
        op: AlterOp,
    },
    RenameTable {
        from: String,
        to: String,
    },
    /// `CREATE [OR REPLACE] VIEW name [(columns)] AS query`: the query is
    /// TiDB SQL, as the expression translator wrote it; `uses` names the
    /// tables and views it selects from (from the PostgreSQL query, in
    /// order of first use, each once).
    CreateView {
        name: String,
        or_replace: bool,
        columns: Vec<String>,
        query: String,
        uses: Vec<String>,
    },
    /// `DROP TABLE|VIEW|SEQUENCE [IF EXISTS] names`.
    Drop {
        kind: DropKind,
        names: Vec<String>,
        if_exists: bool,
    },
    /// `DROP INDEX [IF EXISTS] index ON table`.
    DropIndex {
        table: String,
        index: String,
        if_exists: bool,
    },
    /// `TRUNCATE TABLE table`.
    Truncate(String),
    /// `INSERT [IGNORE] INTO table [(columns)] VALUES (…), …`: each value
    /// is TiDB SQL.
    Insert {
        table: String,
        ignore: bool,
        columns: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// `UPDATE table SET column = value, … [WHERE filter]`.
    Update {
        table: String,
        set: Vec<(String, String)>,
        filter: Option<String>,
    },
    /// `DELETE FROM table [WHERE filter]`.
    Delete {
        table: String,
        filter: Option<String>,
    },
    /// `SELECT SETVAL(sequence, value)`.
    SetVal {
        sequence: String,
        value: String,
    },
    /// `ALTER SEQUENCE name options` (`RESTART WITH 5`, `INCREMENT BY 2`, …).
    AlterSequence {
        name: String,
        options: Vec<String>,
    },
    Transaction(Transaction),
}

/// What a `DROP` statement drops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DropKind {
    Table,
    View,
    Sequence,
}

/// Transaction control, written where the input has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transaction {
    Begin,
    Commit,
    Rollback,
}

/// One ALTER TABLE operation.
#[derive(Debug, Clone, PartialEq)]
pub enum AlterOp {
    /// `ADD COLUMN [IF NOT EXISTS] …`.
    AddColumn {
        column: Column,
        if_not_exists: bool,
    },
    ModifyColumn(Column),
    DropColumn(String),
    RenameColumn {
        from: String,
        to: String,
    },
    /// `ALTER COLUMN c SET DEFAULT v`: `v` is a literal or `(expr)`, the
    /// only forms TiDB takes there.
    SetDefault {
        column: String,
        value: String,
    },
    DropDefault(String),
    AddPrimaryKey(PrimaryKey),
    DropPrimaryKey,
    AddIndex(Index),
    DropIndex(String),
    RenameIndex {
        from: String,
        to: String,
    },
    AddForeignKey(ForeignKey),
    DropForeignKey(String),
    AddCheck(Check),
    DropCheck(String),
    /// `COMMENT = '…'` (the table's comment).
    Comment(String),
}

/// An output statement and its TiDB text, rendered once when it is made.
#[derive(Debug, Clone, PartialEq)]
pub struct Emitted {
    sql: String,
    stmt: Box<Stmt>,
}

impl Emitted {
    pub fn new(stmt: Stmt) -> Self {
        let sql = stmt.render(&mut Rewrites::tidb());
        Emitted {
            sql,
            stmt: Box::new(stmt),
        }
    }

    pub fn alter(table: &str, op: AlterOp) -> Self {
        Emitted::new(Stmt::Alter {
            table: table.to_string(),
            op,
        })
    }

    /// The statement as a value.
    pub fn stmt(&self) -> &Stmt {
        &self.stmt
    }

    /// The SQL for a stand-in profile (see [`Emitted::stand_in`]).
    pub(super) fn render(&self, rw: &mut Rewrites) -> String {
        self.stmt.render(rw)
    }

    /// The TiDB SQL, without the trailing `;`.
    pub fn sql(&self) -> &str {
        &self.sql
    }
}

impl From<Stmt> for Emitted {
    fn from(stmt: Stmt) -> Self {
        Emitted::new(stmt)
    }
}

impl std::ops::Deref for Emitted {
    type Target = str;
    fn deref(&self) -> &str {
        &self.sql
    }
}

impl std::fmt::Display for Emitted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.sql)
    }
}

impl PartialEq<str> for Emitted {
    fn eq(&self, other: &str) -> bool {
        self.sql == other
    }
}

impl PartialEq<String> for Emitted {
    fn eq(&self, other: &String) -> bool {
        self.sql == *other
    }
}

impl PartialEq<&str> for Emitted {
    fn eq(&self, other: &&str) -> bool {
        self.sql == *other
    }
}

impl serde::Serialize for Emitted {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.sql)
    }
}

impl Stmt {
    fn render(&self, rw: &mut Rewrites) -> String {
        match self {
            Stmt::CreateTable(t) => create_table(t, rw),
            Stmt::CreateIndex {
                table,
                index,
                if_not_exists,
            } => create_index(table, index, *if_not_exists, rw),
            Stmt::CreateSequence {
                sequence,
                if_not_exists,
            } => create_sequence(sequence, *if_not_exists),
            Stmt::Alter { table, op } => {
                format!("ALTER TABLE {} {}", ident(table), op.render(rw))
            }
            Stmt::RenameTable { from, to } => {
                format!("RENAME TABLE {} TO {}", ident(from), ident(to))
            }
            Stmt::CreateView {
                name,
                or_replace,
                columns,
                query,
                uses: _,
            } => {
                let cols = if columns.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", idents(columns))
                };
                format!(
                    "CREATE {}VIEW {}{cols} AS {}",
                    if *or_replace { "OR REPLACE " } else { "" },
                    ident(name),
                    rw.expr(query)
                )
            }
            Stmt::Drop {
                kind,
                names,
                if_exists,
            } => format!(
                "DROP {} {}{}",
                match kind {
                    DropKind::Table => "TABLE",
                    DropKind::View => "VIEW",
                    DropKind::Sequence => "SEQUENCE",
                },
                if *if_exists { "IF EXISTS " } else { "" },
                idents(names)
            ),
            Stmt::DropIndex {
                table,
                index,
                if_exists,
            } => format!(
                "DROP INDEX {}{} ON {}",
                if *if_exists { "IF EXISTS " } else { "" },
                ident(index),
                ident(table)
            ),
            Stmt::Truncate(t) => format!("TRUNCATE TABLE {}", ident(t)),
            Stmt::Insert {
                table,
                ignore,
                columns,
                rows,
            } => {
                let mut s = format!(
                    "INSERT {}INTO {}",
                    if *ignore { "IGNORE " } else { "" },
                    ident(table)
                );
                if !columns.is_empty() {
                    s.push_str(&format!(" ({})", idents(columns)));
                }
                s.push_str(" VALUES ");
                for (i, row) in rows.iter().enumerate() {
                    if i > 0 {
                        s.push_str(", ");
                    }
                    s.push('(');
                    for (j, v) in row.iter().enumerate() {
                        if j > 0 {
                            s.push_str(", ");
                        }
                        s.push_str(&rw.expr(v));
                    }
                    s.push(')');
                }
                s
            }
            Stmt::Update { table, set, filter } => {
                let sets: Vec<String> = set
                    .iter()
                    .map(|(c, v)| format!("{} = {}", ident(c), rw.expr(v)))
                    .collect();
                let mut s = format!("UPDATE {} SET {}", ident(table), sets.join(", "));
                where_clause(&mut s, filter.as_deref(), rw);
                s
            }
            Stmt::Delete { table, filter } => {
                let mut s = format!("DELETE FROM {}", ident(table));
                where_clause(&mut s, filter.as_deref(), rw);
                s
            }
            Stmt::SetVal { sequence, value } => {
                format!("SELECT SETVAL({}, {value})", ident(sequence))
            }
            Stmt::AlterSequence { name, options } => {
                format!("ALTER SEQUENCE {} {}", ident(name), options.join(" "))
            }
            Stmt::Transaction(t) => match t {
                Transaction::Begin => "BEGIN",
                Transaction::Commit => "COMMIT",
                Transaction::Rollback => "ROLLBACK",
            }
            .to_string(),
        }
    }
}

/// Names, backquoted and comma-separated.
fn idents(names: &[String]) -> String {
    let list: Vec<String> = names.iter().map(|n| ident(n)).collect();
    list.join(", ")
}

fn where_clause(s: &mut String, filter: Option<&str>, rw: &mut Rewrites) {
    if let Some(w) = filter {
        s.push_str(" WHERE ");
        s.push_str(&rw.expr(w));
    }
}

impl AlterOp {
    fn render(&self, rw: &mut Rewrites) -> String {
        match self {
            AlterOp::AddColumn {
                column,
                if_not_exists,
            } => format!(
                "ADD COLUMN {}{}",
                if *if_not_exists { "IF NOT EXISTS " } else { "" },
                column_def_for(column, rw)
            ),
            AlterOp::ModifyColumn(c) => format!("MODIFY COLUMN {}", column_def_for(c, rw)),
            AlterOp::DropColumn(c) => format!("DROP COLUMN {}", ident(c)),
            AlterOp::RenameColumn { from, to } => {
                format!("RENAME COLUMN {} TO {}", ident(from), ident(to))
            }
            AlterOp::SetDefault { column, value } => format!(
                "ALTER COLUMN {} SET DEFAULT {}",
                ident(column),
                literal_or_parenthesized(&rw.expr(value))
            ),
            AlterOp::DropDefault(c) => format!("ALTER COLUMN {} DROP DEFAULT", ident(c)),
            AlterOp::AddPrimaryKey(pk) => format!("ADD {}", primary_key(pk, rw)),
            AlterOp::DropPrimaryKey => "DROP PRIMARY KEY".to_string(),
            AlterOp::AddIndex(ix) => format!("ADD {}", index_element(ix, rw)),
            AlterOp::DropIndex(n) => format!("DROP INDEX {}", ident(n)),
            AlterOp::RenameIndex { from, to } => {
                format!("RENAME INDEX {} TO {}", ident(from), ident(to))
            }
            AlterOp::AddForeignKey(fk) => format!("ADD {}", foreign_key(fk)),
            AlterOp::DropForeignKey(n) => format!("DROP FOREIGN KEY {}", ident(n)),
            AlterOp::AddCheck(c) => format!("ADD {}", check(c, rw)),
            AlterOp::DropCheck(n) => format!("DROP CONSTRAINT {}", ident(n)),
            AlterOp::Comment(c) => format!("COMMENT = {}", quote_str(c)),
        }
    }
}

/// A default as `ALTER COLUMN … SET DEFAULT` takes it in TiDB: a literal
/// (`'x'`, `-1.5`, `NULL`, `TRUE`, `_utf8mb4'x'`, `x'ab'`) as is, anything else
/// in parentheses. TiDB's grammar has only `SignedLiteral` and
/// `'(' Expression ')'` there, so `SET DEFAULT CURRENT_TIMESTAMP(6)` is a
/// syntax error (MariaDB takes it) and `SET DEFAULT (CURRENT_TIMESTAMP(6))`
/// is the same default as in CREATE TABLE.
fn literal_or_parenthesized(value: &str) -> std::borrow::Cow<'_, str> {
    use sqlparser::ast::{Expr, UnaryOperator, Value};
    let parsed = sqlparser::parser::Parser::new(&sqlparser::dialect::MySqlDialect {})
        .try_with_sql(value)
        .and_then(|mut p| {
            let e = p.parse_expr()?;
            p.expect_token(&sqlparser::tokenizer::Token::EOF)?;
            Ok(e)
        });
    let literal = match parsed {
        Ok(Expr::Value(_) | Expr::Nested(_)) => true,
        Ok(Expr::Prefixed { prefix, value }) => {
            prefix.value.starts_with('_') && matches!(*value, Expr::Value(_))
        }
        Ok(Expr::UnaryOp {
            op: UnaryOperator::Minus | UnaryOperator::Plus,
            expr,
        }) => matches!(*expr, Expr::Value(ref v) if matches!(v.value, Value::Number(..))),
        _ => false,
    };
    if literal || wrapped(value) {
        std::borrow::Cow::Borrowed(value)
    } else {
        std::borrow::Cow::Owned(format!("({value})"))
    }
}

/// Whether `sql` is one parenthesized expression, `( … )`, by its tokens
/// (for what the parser does not read, such as `(NEXT VALUE FOR s)`).
fn wrapped(sql: &str) -> bool {
    use sqlparser::tokenizer::{Token, Tokenizer};
    let Ok(tokens) = Tokenizer::new(&sqlparser::dialect::MySqlDialect {}, sql).tokenize() else {
        return false;
    };
    let tokens: Vec<&Token> = tokens
        .iter()
        .filter(|t| !matches!(t, Token::Whitespace(_)))
        .collect();
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate() {
        match t {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i == tokens.len() - 1;
                }
            }
            _ if depth == 0 => return false,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_default_is_a_literal_or_parenthesized() {
        let set = |v: &str| {
            let op = AlterOp::SetDefault {
                column: "c".into(),
                value: v.into(),
            };
            Emitted::alter("t", op).sql().to_string()
        };
        for literal in [
            "'x'",
            "'it''s'",
            "-1.5",
            "+2",
            "0",
            "NULL",
            "TRUE",
            "FALSE",
            "x'ab'",
            "b'1'",
            "(UUID())",
            "(NEXT VALUE FOR `s`)",
            "_utf8mb4'x'",
        ] {
            assert_eq!(
                set(literal),
                format!("ALTER TABLE `t` ALTER COLUMN `c` SET DEFAULT {literal}")
            );
        }
        for expr in [
            "CURRENT_TIMESTAMP(6)",
            "CURRENT_TIMESTAMP",
            "NEXTVAL(`s`)",
            "-`a`",
            "1 + 2",
        ] {
            assert_eq!(
                set(expr),
                format!("ALTER TABLE `t` ALTER COLUMN `c` SET DEFAULT ({expr})")
            );
        }
    }
}
