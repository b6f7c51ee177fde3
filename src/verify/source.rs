//! The PostgreSQL side of `verify`: the input, as written, in the scratch
//! database, one statement at a time.
//!
//! A statement that fails is reported once, at its `file:line:col`, and
//! takes nothing else with it:
//!
//! - outside a transaction each statement commits on its own;
//! - inside the input's own `BEGIN … COMMIT` each statement runs under a
//!   savepoint, and a failure is rolled back to it (PostgreSQL would
//!   otherwise abort the whole transaction, and every later statement would
//!   fail with it);
//! - `COPY … FROM stdin` gets its data block through the COPY protocol.
//!
//! Statements that reach outside the scratch database are not sent
//! ([`skip_reason`]): privileges and ownership name roles, which are
//! server-wide (a fresh server lacks them, and verify creates none), and
//! roles, databases, tablespaces and server settings are the server's, not
//! the scratch database's. Only statements the conversion did not carry over
//! are candidates; each one skipped is listed with its reason.

use super::connect::{self, Context};
use super::Rejected;
use crate::model::Loc;
use crate::parse::{self, Parsed};
use crate::result::StatementResult;
use crate::split::{self, ChunkKind};
use crate::{FileResult, Status};
use sqlparser::ast::{ObjectType, Set, Statement};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

/// An input statement that was not sent to PostgreSQL.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Skipped {
    pub file: String,
    pub line: u32,
    pub col: u32,
    /// Its first line.
    pub statement: String,
    pub reason: &'static str,
}

/// Privileges, ownership and the roles they name.
pub const ROLES: &str = "privileges and ownership: they name roles, which are server-wide; verify creates none and does not compare privileges";
/// Objects of the server rather than of the scratch database.
pub const SERVER_WIDE: &str = "roles, databases, tablespaces or server settings: they are the server's, and verify changes nothing outside its scratch database";

/// How a statement moves the session's transaction state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Txn {
    Begin,
    End,
    None,
}

/// The savepoint each statement inside the input's transaction runs under.
const SAVEPOINT: &str = "pg2tidb_verify_statement";

/// Apply the input on `pg`. `Ok(false)`: interrupted. `Err`: the connection
/// was lost (the message says where).
pub fn apply(
    files: &[FileResult],
    sources: &[(String, String)],
    pg: &mut postgres::Client,
    cx: &Context,
    interrupted: &AtomicBool,
    report: &mut super::Report,
) -> Result<bool, String> {
    let mut in_txn = false;
    let mut applied = 0;
    for (i, (path, text)) in sources.iter().enumerate() {
        // The conversion's result for each statement, by its position.
        let file = files
            .get(i)
            .filter(|f| f.path == *path)
            .or_else(|| files.iter().find(|f| f.path == *path));
        let results: HashMap<(u32, u32), &StatementResult> = file
            .map(|f| {
                f.statements
                    .iter()
                    .map(|st| ((st.loc.line, st.loc.col), st))
                    .collect()
            })
            .unwrap_or_default();
        let chunks = split::split(text).chunks;
        for (k, chunk) in chunks.iter().enumerate() {
            if interrupted.load(Ordering::SeqCst) {
                report.source_applied = Some(applied);
                return Ok(false);
            }
            if chunk.kind != ChunkKind::Sql {
                continue; // psql meta-commands are psql's; COPY data goes with its COPY
            }
            let loc = Loc {
                line: chunk.line,
                col: chunk.col,
            };
            let result = results.get(&(loc.line, loc.col)).copied();
            let carried = result.is_some_and(|st| st.status == Status::Converted);
            // Only what the conversion set aside needs a second look.
            let parsed = (!carried).then(|| parse::parse(chunk.text, loc));
            if let Some(reason) = parsed.as_ref().and_then(skip_reason) {
                report.source_skipped.push(Skipped {
                    file: path.clone(),
                    line: loc.line,
                    col: loc.col,
                    statement: chunk.text.trim().lines().next().unwrap_or("").to_string(),
                    reason,
                });
                continue;
            }
            let txn = match (result, &parsed) {
                (_, Some(Parsed::Ok(stmt, _))) => txn_of(stmt.as_ref()),
                // transaction-ddl carries BEGIN/COMMIT/ROLLBACK over as exactly these.
                (Some(st), _) => match st.output.as_slice() {
                    [o] if o == "BEGIN" => Txn::Begin,
                    [o] if o == "COMMIT" || o == "ROLLBACK" => Txn::End,
                    _ => Txn::None,
                },
                _ => Txn::None,
            };
            let data = chunks
                .get(k + 1)
                .filter(|d| d.kind == ChunkKind::CopyData)
                .map(|d| copy_data(d.text));
            let outcome = match data {
                Some(data) => guarded(pg, in_txn, |pg| copy_in(pg, chunk.text, data)),
                None if txn != Txn::None => pg.batch_execute(chunk.text),
                None => guarded(pg, in_txn, |pg| pg.batch_execute(chunk.text)),
            };
            match outcome {
                Ok(()) => {
                    applied += 1;
                    match txn {
                        Txn::Begin => in_txn = true,
                        Txn::End => in_txn = false,
                        Txn::None => {}
                    }
                }
                Err(e) if pg.is_closed() || e.is_closed() || ends_session(&e) => {
                    report.source_applied = Some(applied);
                    return Err(format!(
                        "connection to PostgreSQL {} lost at {path}:{}:{} after {applied} statement(s) applied there: {}",
                        cx.endpoint.display(),
                        chunk.line,
                        chunk.col,
                        connect::pg_problem(&e, cx)
                    ));
                }
                Err(e) => {
                    if txn == Txn::End {
                        in_txn = false; // a COMMIT that fails ends the transaction too
                    }
                    report.source_rejected.push(Rejected {
                        file: path.clone(),
                        line: chunk.line,
                        col: chunk.col,
                        rules: result.map(super::rules_of).unwrap_or_default(),
                        statement: chunk.text.trim().to_string(),
                        error: connect::pg_error(&e, cx),
                    });
                }
            }
        }
    }
    report.source_applied = Some(applied);
    Ok(true)
}

/// The server ended the session (terminated, shut down): not the statement's fault.
fn ends_session(e: &postgres::Error) -> bool {
    use postgres::error::SqlState;
    e.code().is_some_and(|c| {
        [
            SqlState::ADMIN_SHUTDOWN,
            SqlState::CRASH_SHUTDOWN,
            SqlState::IDLE_SESSION_TIMEOUT,
        ]
        .contains(c)
    })
}

/// Run `f` so that its failure takes nothing else with it: under a
/// savepoint inside a transaction (rolled back to on failure), plainly
/// outside one (the statement commits or fails on its own).
fn guarded(
    pg: &mut postgres::Client,
    in_txn: bool,
    f: impl FnOnce(&mut postgres::Client) -> Result<(), postgres::Error>,
) -> Result<(), postgres::Error> {
    if !in_txn {
        return f(pg);
    }
    if let Err(e) = pg.batch_execute(&format!("SAVEPOINT {SAVEPOINT}")) {
        // Not in a transaction after all (25P01): the statement stands alone.
        if e.code() == Some(&postgres::error::SqlState::NO_ACTIVE_SQL_TRANSACTION) {
            return f(pg);
        }
        return Err(e);
    }
    match f(pg) {
        Ok(()) => pg.batch_execute(&format!("RELEASE SAVEPOINT {SAVEPOINT}")),
        Err(e) => {
            let _ = pg.batch_execute(&format!(
                "ROLLBACK TO SAVEPOINT {SAVEPOINT}; RELEASE SAVEPOINT {SAVEPOINT}"
            ));
            Err(e)
        }
    }
}

/// `COPY … FROM stdin` with its data block.
fn copy_in(pg: &mut postgres::Client, statement: &str, data: &str) -> Result<(), postgres::Error> {
    use std::io::Write;
    let mut w = pg.copy_in(statement.trim_end().trim_end_matches(';'))?;
    // A write error surfaces again from finish(), with the server's reason.
    let _ = w.write_all(data.as_bytes());
    w.finish().map(|_| ())
}

/// A COPY data block without its closing `\.` line.
fn copy_data(text: &str) -> &str {
    text.strip_suffix("\\.").unwrap_or(text)
}

fn txn_of(stmt: &Statement) -> Txn {
    match stmt {
        Statement::StartTransaction { .. } => Txn::Begin,
        Statement::Commit { .. } => Txn::End,
        Statement::Rollback {
            savepoint: None, ..
        } => Txn::End,
        _ => Txn::None,
    }
}

/// Why a statement the conversion did not carry over is not sent to
/// PostgreSQL either (`None`: it is sent).
pub fn skip_reason(parsed: &Parsed) -> Option<&'static str> {
    match parsed {
        Parsed::Ok(stmt, _) => skip_statement(stmt),
        Parsed::Failed { words, .. } => skip_words(words),
    }
}

fn skip_statement(stmt: &Statement) -> Option<&'static str> {
    use sqlparser::ast::{
        AlterCollationOperation as Coll, AlterFunctionOperation as Func,
        AlterOperatorClassOperation as OpClass, AlterOperatorFamilyOperation as OpFam,
        AlterOperatorOperation as Op, AlterSchemaOperation as Schema, AlterTableOperation as Table,
        AlterTextSearchOperation as Ts, AlterViewOperation as View,
    };
    Some(match stmt {
        Statement::Grant(_)
        | Statement::GrantRole(_)
        | Statement::Revoke(_)
        | Statement::RevokeRole(_)
        | Statement::AlterDefaultPrivileges(_)
        | Statement::CreatePolicy(_)
        | Statement::AlterPolicy(_)
        | Statement::DropPolicy(_)
        | Statement::Set(Set::SetRole { .. } | Set::SetSessionAuthorization(_)) => ROLES,
        Statement::AlterTable(at)
            if at
                .operations
                .iter()
                .any(|op| matches!(op, Table::OwnerTo { .. })) =>
        {
            ROLES
        }
        Statement::AlterSchema(a)
            if a.operations
                .iter()
                .any(|op| matches!(op, Schema::OwnerTo { .. })) =>
        {
            ROLES
        }
        Statement::AlterView(a) if matches!(a.operation, View::OwnerTo(_)) => ROLES,
        Statement::AlterFunction(a) if matches!(a.operation, Func::OwnerTo(_)) => ROLES,
        Statement::AlterCollation(a) if matches!(a.operation, Coll::OwnerTo(_)) => ROLES,
        Statement::AlterOperator(a) if matches!(a.operation, Op::OwnerTo(_)) => ROLES,
        Statement::AlterOperatorFamily(a) if matches!(a.operation, OpFam::OwnerTo(_)) => ROLES,
        Statement::AlterOperatorClass(a) if matches!(a.operation, OpClass::OwnerTo(_)) => ROLES,
        Statement::AlterTextSearch(a) if matches!(a.operation, Ts::OwnerTo(_)) => ROLES,
        Statement::CreateRole(_)
        | Statement::AlterRole { .. }
        | Statement::CreateUser(_)
        | Statement::AlterUser(_)
        | Statement::CreateDatabase { .. } => SERVER_WIDE,
        Statement::Drop {
            object_type:
                ObjectType::Role | ObjectType::User | ObjectType::Group | ObjectType::Database,
            ..
        } => SERVER_WIDE,
        _ => return None,
    })
}

/// The same for statements sqlparser cannot read, by their leading keywords.
fn skip_words(words: &[String]) -> Option<&'static str> {
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    let owner_to = w.windows(2).any(|p| p == ["OWNER", "TO"]);
    Some(match w.as_slice() {
        ["ALTER", "DEFAULT", "PRIVILEGES", ..] | ["GRANT", ..] | ["REVOKE", ..] => ROLES,
        ["REASSIGN", "OWNED", ..] | ["DROP", "OWNED", ..] | ["SECURITY", "LABEL", ..] => ROLES,
        ["SET" | "RESET", "ROLE", ..]
        | ["SET" | "RESET", "SESSION", "AUTHORIZATION", ..]
        | ["SET", "SESSION" | "LOCAL", "ROLE", ..] => ROLES,
        ["CREATE" | "ALTER" | "DROP", "POLICY", ..] => ROLES,
        ["CREATE" | "ALTER" | "DROP", "ROLE" | "USER" | "GROUP" | "DATABASE" | "TABLESPACE", ..]
        | ["ALTER", "SYSTEM", ..] => SERVER_WIDE,
        ["ALTER", ..] if owner_to => ROLES,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(sql: &str) -> Option<&'static str> {
        skip_reason(&parse::parse(sql, Loc { line: 1, col: 1 }))
    }

    #[test]
    fn privileges_ownership_and_server_objects_are_skipped_the_schema_is_not() {
        for sql in [
            "GRANT SELECT ON t TO r1",
            "GRANT r1 TO r2",
            "REVOKE ALL ON TABLE t FROM PUBLIC",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO r1",
            "ALTER TABLE t OWNER TO r1",
            "ALTER TABLE t OWNER TO r1, ENABLE ROW LEVEL SECURITY",
            "ALTER SEQUENCE s OWNER TO r1",
            "ALTER TYPE e OWNER TO r1",
            "ALTER SCHEMA sc OWNER TO r1",
            "ALTER VIEW v OWNER TO r1",
            "ALTER MATERIALIZED VIEW mv OWNER TO r1",
            "ALTER FUNCTION f() OWNER TO r1",
            "ALTER DOMAIN d OWNER TO r1",
            "REASSIGN OWNED BY r1 TO r2",
            "DROP OWNED BY r1",
            "SET ROLE r1",
            "SET SESSION AUTHORIZATION r1",
            "CREATE POLICY p ON t TO r1 USING (true)",
        ] {
            assert_eq!(reason(sql), Some(ROLES), "{sql}");
        }
        for sql in [
            "CREATE ROLE r2",
            "CREATE USER r3 PASSWORD 'x'",
            "ALTER ROLE r2 SET search_path = public",
            "DROP ROLE r2",
            "DROP USER IF EXISTS r3",
            "CREATE DATABASE foo",
            "DROP DATABASE IF EXISTS foo",
            "ALTER DATABASE foo SET timezone TO 'UTC'",
            "ALTER DATABASE postgres OWNER TO r1",
            "ALTER SYSTEM SET work_mem = '1MB'",
            "CREATE TABLESPACE ts LOCATION '/tmp'",
        ] {
            assert_eq!(reason(sql), Some(SERVER_WIDE), "{sql}");
        }
        for sql in [
            "CREATE EXTENSION IF NOT EXISTS vector",
            "SET search_path = app, public",
            "CREATE SCHEMA app",
            "COMMENT ON TABLE t IS 'x'",
            "CREATE TYPE e AS ENUM ('a')",
            "ALTER TABLE t RENAME COLUMN owner TO holder",
            "ALTER TABLE t ENABLE ROW LEVEL SECURITY",
            "LOCK TABLE t",
            "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
            "BEGIN",
            "COMMIT",
        ] {
            assert_eq!(reason(sql), None, "{sql}");
        }
    }

    #[test]
    fn transaction_control_is_recognised() {
        let txn = |sql: &str| match parse::parse(sql, Loc { line: 1, col: 1 }) {
            Parsed::Ok(s, _) => txn_of(&s),
            Parsed::Failed { .. } => Txn::None,
        };
        assert_eq!(txn("BEGIN"), Txn::Begin);
        assert_eq!(txn("START TRANSACTION"), Txn::Begin);
        assert_eq!(txn("COMMIT"), Txn::End);
        assert_eq!(txn("END"), Txn::End);
        assert_eq!(txn("ROLLBACK"), Txn::End);
        assert_eq!(txn("ROLLBACK TO SAVEPOINT a"), Txn::None);
        assert_eq!(txn("CREATE TABLE t (id int)"), Txn::None);
        assert_eq!(copy_data("1\tx\n\\."), "1\tx\n");
    }
}
