//! `pg2tidb verify`: prove a conversion on a live server.
//!
//! The converted statements run, in order, in a scratch database on the
//! target (TiDB, or a MySQL-family stand-in: [`standin`]); each server error
//! is mapped back to the PostgreSQL statement's `file:line:col` and the rules
//! that shaped it. With a PostgreSQL source, the input runs there too, both
//! catalogs are read ([`schema`]) and compared object by object
//! ([`parity`]), every difference explained by a finding or flagged as
//! unexpected. Scratch databases are dropped at the end (also after a
//! failure or an interrupt) unless kept.

pub mod connect;
pub mod parity;
pub mod schema;
pub mod standin;

use crate::{FileResult, Status, Target};
use connect::{Endpoint, Secrets};
use mysql::prelude::Queryable;
use parity::{Note, Parity};
use standin::{Server, StandIn};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Every statement applied, and no unexpected difference.
    Verified,
    /// A statement was rejected, or an unexpected difference was found.
    Failed,
    /// Stopped by Ctrl-C / SIGTERM.
    Interrupted,
    /// The connection broke mid-run.
    ConnectionLost,
}

/// A statement a server rejected, at its PostgreSQL source.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Rejected {
    pub file: String,
    pub line: u32,
    pub col: u32,
    /// The rules whose findings concern the statement (empty: it passed through as written).
    pub rules: Vec<String>,
    /// The statement sent.
    pub statement: String,
    /// The server's error.
    pub error: String,
}

/// A statement that could not be proven on a server that is not TiDB.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Unproven {
    pub file: String,
    pub line: u32,
    pub col: u32,
    /// `rewritten` or `set aside`.
    pub action: &'static str,
    pub reason: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    pub target: String,
    pub server: Server,
    /// The TLS cipher of the target connection (`None`: not encrypted).
    pub tls: Option<String>,
    pub converted_for: Target,
    /// The scratch database on the target.
    pub target_database: String,
    /// The scratch database on the PostgreSQL side.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_database: Option<String>,
    /// The scratch databases were kept (`--keep`).
    pub kept: bool,
    /// Converted statements to apply, and how many the target accepted.
    pub statements: usize,
    pub applied: usize,
    /// Where the last applied statement came from (`file:line:col`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_applied: Option<String>,
    pub rejected: Vec<Rejected>,
    pub not_proven: Vec<Unproven>,
    /// Input statements that PostgreSQL itself rejected.
    pub source_rejected: Vec<Rejected>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parity: Option<Parity>,
    /// Problems while cleaning up (a scratch database left behind).
    pub warnings: Vec<String>,
    pub outcome: Outcome,
}

/// What a run needs besides the conversion.
pub struct Settings<'a> {
    pub target: &'a Endpoint,
    pub source: Option<&'a Endpoint>,
    pub keep: bool,
    pub timeout: Duration,
    /// Set by the signal handler; checked between statements.
    pub interrupted: &'a AtomicBool,
    pub secrets: &'a Secrets,
}

/// Server errors that end the session rather than reject a statement:
/// connection killed (MariaDB 1927, MySQL/TiDB 1317 query interrupted),
/// server shutdown (1053), gone away / lost (2006, 2013).
const CONNECTION_GONE: &[u16] = &[1927, 1317, 1053, 2006, 2013];

/// Read `SELECT VERSION()`.
pub fn server_of(conn: &mut mysql::Conn) -> Result<Server, String> {
    let v: Option<String> = conn
        .query_first("SELECT VERSION()")
        .map_err(|e| format!("SELECT VERSION(): {e}"))?;
    Ok(Server::classify(&v.unwrap_or_default()))
}

fn scratch_name() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!("pg2tidb_verify_{secs}_{}", std::process::id())
}

/// Apply `files`' output on the target (and `sources` on PostgreSQL), compare, clean up.
/// `progress` receives one-line notes for standard error (the scratch database names).
pub fn run(
    files: &[FileResult],
    sources: &[(String, String)],
    server: Server,
    converted_for: Target,
    mut conn: mysql::Conn,
    s: &Settings,
    progress: &mut dyn FnMut(&str),
) -> Result<Report, String> {
    let db = scratch_name();
    let tls: Option<(String, String)> = conn
        .query_first("SHOW SESSION STATUS LIKE 'Ssl_cipher'")
        .unwrap_or(None);
    let mut report = Report {
        target: s.target.display(),
        server: server.clone(),
        tls: tls.map(|t| t.1).filter(|c| !c.is_empty()),
        converted_for,
        target_database: db.clone(),
        source_database: None,
        kept: s.keep,
        statements: files
            .iter()
            .flat_map(|f| &f.statements)
            .map(|st| st.output.len())
            .sum(),
        applied: 0,
        last_applied: None,
        rejected: vec![],
        not_proven: vec![],
        source_rejected: vec![],
        parity: None,
        warnings: vec![],
        outcome: Outcome::Verified,
    };
    conn.query_drop(format!(
        "CREATE DATABASE `{db}` DEFAULT CHARSET utf8mb4 COLLATE utf8mb4_bin"
    ))
    .map_err(|e| {
        format!(
            "cannot create the scratch database `{db}` on {}: {}",
            s.target.display(),
            s.secrets.redact(&connect::one_line(&e.to_string()))
        )
    })?;
    progress(&format!(
        "scratch database `{db}` created on {}{}",
        s.target.display(),
        if s.keep { " (kept: --keep)" } else { "" }
    ));
    let mut notes = Vec::new();
    let mut source_db = None;
    let result = apply_and_compare(
        files,
        sources,
        &server,
        &mut conn,
        &db,
        s,
        &mut report,
        &mut notes,
        &mut source_db,
        progress,
    );
    // Clean up whatever happened above.
    if !s.keep {
        let dropped = drop_target_db(&mut conn, s, &db);
        match dropped {
            Ok(()) => progress(&format!("scratch database `{db}` dropped")),
            Err(e) => report.warnings.push(format!(
                "scratch database `{db}` could not be dropped: {}",
                s.secrets.redact(&e)
            )),
        }
    }
    if let (Some(name), Some(src)) = (&source_db, s.source) {
        if !s.keep {
            let admin = src.database.clone().unwrap_or_else(|| "postgres".into());
            match connect::pg_client(src, &admin, s.timeout).and_then(|mut c| {
                c.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .map_err(|e| connect::pg_error(&e))
            }) {
                Ok(()) => progress(&format!("PostgreSQL scratch database \"{name}\" dropped")),
                Err(e) => report.warnings.push(format!(
                    "PostgreSQL scratch database \"{name}\" could not be dropped: {}",
                    s.secrets.redact(&e)
                )),
            }
        }
    }
    report.source_database = source_db;
    result.map_err(|e| s.secrets.redact(&e))?;
    if report.outcome == Outcome::Verified
        && (!report.rejected.is_empty()
            || !report.source_rejected.is_empty()
            || report.parity.as_ref().is_some_and(|p| p.unexpected() > 0))
    {
        report.outcome = Outcome::Failed;
    }
    Ok(report)
}

/// Drop the target's scratch database, on a new connection if the old one broke.
fn drop_target_db(conn: &mut mysql::Conn, s: &Settings, db: &str) -> Result<(), String> {
    let sql = format!("DROP DATABASE IF EXISTS `{db}`");
    if conn.query_drop(&sql).is_ok() {
        return Ok(());
    }
    let mut fresh = connect::mysql_conn(s.target, None, s.timeout)?;
    fresh
        .query_drop(&sql)
        .map_err(|e| connect::one_line(&e.to_string()))
}

#[allow(clippy::too_many_arguments)]
fn apply_and_compare(
    files: &[FileResult],
    sources: &[(String, String)],
    server: &Server,
    conn: &mut mysql::Conn,
    db: &str,
    s: &Settings,
    report: &mut Report,
    notes: &mut Vec<Note>,
    source_db: &mut Option<String>,
    progress: &mut dyn FnMut(&str),
) -> Result<(), String> {
    conn.query_drop(format!("USE `{db}`"))
        .map_err(|e| format!("USE `{db}`: {e}"))?;
    for f in files {
        for st in &f.statements {
            let rules: Vec<String> = {
                let mut r: Vec<String> = st.findings.iter().map(|x| x.rule.to_string()).collect();
                r.dedup();
                r
            };
            for fi in &st.findings {
                notes.push(Note {
                    rule: fi.rule.to_string(),
                    file: f.path.clone(),
                    line: fi.loc.line,
                    col: fi.loc.col,
                    message: fi.message.clone(),
                    object: st.object.clone(),
                    source: st.source.clone(),
                    // Partly lost too: written with an error finding.
                    lost: st.status != Status::Converted
                        || st
                            .findings
                            .iter()
                            .any(|x| x.severity == crate::rules::Severity::Error),
                });
            }
            for out in &st.output {
                if s.interrupted.load(Ordering::SeqCst) {
                    report.outcome = Outcome::Interrupted;
                    return Ok(());
                }
                let sql = match standin::stand_in(server, out) {
                    StandIn::AsIs => out.clone(),
                    StandIn::Rewritten { sql, reason, .. } => {
                        report.not_proven.push(Unproven {
                            file: f.path.clone(),
                            line: st.loc.line,
                            col: st.loc.col,
                            action: "rewritten",
                            reason: reason.clone(),
                        });
                        notes.push(stand_in_note(f, st, reason));
                        sql
                    }
                    StandIn::SetAside { reason, .. } => {
                        report.not_proven.push(Unproven {
                            file: f.path.clone(),
                            line: st.loc.line,
                            col: st.loc.col,
                            action: "set aside",
                            reason: reason.clone(),
                        });
                        notes.push(stand_in_note(f, st, reason));
                        continue;
                    }
                };
                match conn.query_drop(&sql) {
                    Ok(()) => {
                        report.applied += 1;
                        report.last_applied =
                            Some(format!("{}:{}:{}", f.path, st.loc.line, st.loc.col));
                    }
                    Err(mysql::Error::MySqlError(e)) if !CONNECTION_GONE.contains(&e.code) => {
                        report.rejected.push(Rejected {
                            file: f.path.clone(),
                            line: st.loc.line,
                            col: st.loc.col,
                            rules: rules.clone(),
                            statement: sql,
                            error: format!("ERROR {} ({}): {}", e.code, e.state, e.message),
                        })
                    }
                    Err(e) => {
                        report.outcome = Outcome::ConnectionLost;
                        return Err(format!(
                            "connection to {} lost at {}:{}:{} after {} of {} statement(s) applied (last applied: {}): {}",
                            s.target.display(),
                            f.path,
                            st.loc.line,
                            st.loc.col,
                            report.applied,
                            report.statements,
                            report.last_applied.as_deref().unwrap_or("none"),
                            connect::one_line(&e.to_string())
                        ));
                    }
                }
            }
        }
    }
    let Some(src) = s.source else {
        return Ok(());
    };
    // The PostgreSQL side: a scratch database with the input applied as written.
    let admin_db = src.database.clone().unwrap_or_else(|| "postgres".into());
    let mut admin = connect::pg_client(src, &admin_db, s.timeout)?;
    let name = db.to_string();
    admin
        .batch_execute(&format!("CREATE DATABASE \"{name}\""))
        .map_err(|e| {
            format!(
                "cannot create the PostgreSQL scratch database \"{name}\": {}",
                connect::pg_error(&e)
            )
        })?;
    *source_db = Some(name.clone());
    progress(&format!(
        "PostgreSQL scratch database \"{name}\" created on {}",
        src.display()
    ));
    drop(admin);
    let mut pg = connect::pg_client(src, &name, s.timeout)?;
    let _ = pg.batch_execute("SET client_min_messages = warning");
    for (path, text) in sources {
        for chunk in crate::split::split(text).chunks {
            if s.interrupted.load(Ordering::SeqCst) {
                report.outcome = Outcome::Interrupted;
                return Ok(());
            }
            if chunk.kind != crate::split::ChunkKind::Sql {
                continue; // psql meta-commands and COPY data: psql's, not the server's
            }
            if let Err(e) = pg.batch_execute(chunk.text) {
                if e.as_db_error().is_none() && pg.is_closed() {
                    report.outcome = Outcome::ConnectionLost;
                    return Err(format!(
                        "connection to PostgreSQL {} lost at {path}:{}:{}: {}",
                        src.display(),
                        chunk.line,
                        chunk.col,
                        connect::pg_error(&e)
                    ));
                }
                report.source_rejected.push(Rejected {
                    file: path.clone(),
                    line: chunk.line,
                    col: chunk.col,
                    rules: vec![],
                    statement: chunk.text.trim().to_string(),
                    error: connect::pg_error(&e),
                });
                // Leave an aborted transaction block so the rest can run.
                let _ = pg.batch_execute("ROLLBACK");
            }
        }
    }
    let pg_schema = schema::read_source(&mut pg)
        .map_err(|e| format!("reading the PostgreSQL catalog: {}", connect::pg_error(&e)))?;
    drop(pg);
    let target_schema = schema::read_target(conn, db, server.quoted_defaults())
        .map_err(|e| format!("reading the target's information_schema: {e}"))?;
    let aliases = parity::Aliases::from_statements(
        files
            .iter()
            .flat_map(|f| &f.statements)
            .map(|st| (st.object.as_deref(), st.source.as_str())),
    );
    report.parity = Some(parity::compare(&pg_schema, &target_schema, notes, &aliases));
    Ok(())
}

fn stand_in_note(f: &FileResult, st: &crate::StatementResult, reason: String) -> Note {
    Note {
        rule: "stand-in".into(),
        file: f.path.clone(),
        line: st.loc.line,
        col: st.loc.col,
        message: reason,
        object: st.object.clone(),
        source: st.source.clone(),
        lost: false,
    }
}

/// The report as text.
pub fn text(r: &Report) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "target: {} — {} ({})",
        r.target,
        r.server.describe(),
        match &r.tls {
            Some(c) => format!("TLS {c}"),
            None => "not encrypted".into(),
        }
    );
    if !r.server.is_tidb() {
        let _ = writeln!(
            o,
            "  not TiDB: TiDB-only SQL is rewritten or set aside and listed as not proven"
        );
    }
    let _ = writeln!(o, "converted for: {}", r.converted_for);
    let fate = if r.kept { "kept" } else { "dropped" };
    let _ = writeln!(o, "scratch database: `{}` ({fate})", r.target_database);
    if let Some(d) = &r.source_database {
        let _ = writeln!(o, "PostgreSQL scratch database: \"{d}\" ({fate})");
    }
    let _ = writeln!(
        o,
        "applied: {} of {} statement(s); rejected: {}; not proven here: {}",
        r.applied,
        r.statements,
        r.rejected.len(),
        r.not_proven.len()
    );
    if let Some(l) = &r.last_applied {
        let _ = writeln!(o, "last applied: {l}");
    }
    for e in &r.rejected {
        let rules = if e.rules.is_empty() {
            "no rule changed it".to_string()
        } else {
            format!("rules: {}", e.rules.join(", "))
        };
        let first = e.statement.lines().next().unwrap_or("");
        let _ = writeln!(
            o,
            "{}:{}:{}: rejected by the target ({rules}): {}\n    {first}",
            e.file, e.line, e.col, e.error
        );
    }
    for e in &r.source_rejected {
        let first = e.statement.lines().next().unwrap_or("");
        let _ = writeln!(
            o,
            "{}:{}:{}: rejected by PostgreSQL: {}\n    {first}",
            e.file, e.line, e.col, e.error
        );
    }
    for u in &r.not_proven {
        let _ = writeln!(
            o,
            "{}:{}:{}: not proven ({}): {}",
            u.file, u.line, u.col, u.action, u.reason
        );
    }
    if let Some(p) = &r.parity {
        let _ = writeln!(
            o,
            "parity with PostgreSQL: {} table(s), {} column(s), {} index(es), {} foreign key(s), {} check(s); {} difference(s), {} unexpected",
            p.tables,
            p.columns,
            p.indexes,
            p.foreign_keys,
            p.checks,
            p.differences.len(),
            p.unexpected()
        );
        for d in &p.differences {
            let side = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
            let _ = writeln!(
                o,
                "  {:<10} {} {}: {} → {}",
                if d.expected() {
                    "expected"
                } else {
                    "UNEXPECTED"
                },
                d.object,
                d.what,
                side(&d.postgres),
                side(&d.target)
            );
            if let Some(n) = d.explained_by.first() {
                let more = match d.explained_by.len() - 1 {
                    0 => String::new(),
                    k => format!(" (and {k} more)"),
                };
                let _ = writeln!(
                    o,
                    "             by [{}] {}:{}:{}{more}",
                    n.rule, n.file, n.line, n.col
                );
            }
        }
    }
    for w in &r.warnings {
        let _ = writeln!(o, "warning: {w}");
    }
    let _ = writeln!(
        o,
        "result: {}",
        match r.outcome {
            Outcome::Verified => "verified",
            Outcome::Failed => "FAILED",
            Outcome::Interrupted => "interrupted",
            Outcome::ConnectionLost => "connection lost",
        }
    );
    o
}
