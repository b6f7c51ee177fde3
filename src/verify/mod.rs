//! `pg2tidb verify`: prove a conversion on a live server.
//!
//! The converted statements run, in order, in a scratch database on the
//! target (TiDB, or a MySQL-family stand-in: [`standin`]); each server error
//! is mapped back to the PostgreSQL statement's `file:line:col` and the rules
//! that shaped it. With a PostgreSQL source, the input runs there too, one
//! statement at a time so that a failure stays that statement's ([`source`]),
//! both catalogs are read ([`schema`]) and compared object by object
//! ([`parity`]), every difference explained by a finding or flagged as
//! unexpected. Statements the conversion could not carry over are counted:
//! a run with any is not "verified". Scratch databases are dropped at the
//! end (also after a failure or an interrupt) unless kept.

pub mod connect;
pub mod parity;
pub mod schema;
pub mod source;
pub mod standin;

use crate::emit::Emitted;
use crate::{FileResult, Status, Target};
use connect::{Context, Endpoint, Phase, Secrets, Side, CONNECTION_GONE};
use mysql::prelude::Queryable;
use parity::{Note, Parity};
use standin::{Server, StandIn};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Every statement was carried over and applied, and no unexpected difference.
    Verified,
    /// Everything carried over applied with no unexpected difference, but
    /// the conversion could not carry some statements over (errors).
    Incomplete,
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

/// An input statement the conversion could not carry over (status `error`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct NotCarried {
    pub file: String,
    pub line: u32,
    pub col: u32,
    /// The rules of its error findings.
    pub rules: Vec<String>,
    /// The first error finding's message.
    pub message: String,
}

/// What became of the input statements in the conversion.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Conversion {
    pub statements: usize,
    pub converted: usize,
    /// Left out on purpose, with a reason (info/warning findings).
    pub dropped: usize,
    /// Could not be carried over, in whole or in part (error findings): the
    /// run is not verified.
    pub not_carried_over: usize,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    pub target: String,
    pub server: Server,
    /// The TLS cipher of the target connection (`None`: not encrypted).
    pub tls: Option<String>,
    pub converted_for: Target,
    /// The input statements by what the conversion made of them.
    pub conversion: Conversion,
    /// Each statement the conversion could not carry over.
    pub not_carried_over: Vec<NotCarried>,
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
    /// Input statements PostgreSQL accepted (with `--source-url`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_applied: Option<usize>,
    /// Input statements not sent to PostgreSQL, and why.
    pub source_skipped: Vec<source::Skipped>,
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
    /// `--fold`: the folded schema's statements, applied instead of each
    /// statement's own output.
    pub folded: Option<&'a [Emitted]>,
}

impl Settings<'_> {
    /// How to word a failure of the target connection.
    fn target_cx(&self, phase: Phase) -> Context<'_> {
        Context {
            endpoint: self.target,
            side: Side::Target,
            phase,
            timeout: self.timeout,
        }
    }
}

/// Read `SELECT VERSION()`.
pub fn server_of(
    conn: &mut mysql::Conn,
    target: &Endpoint,
    timeout: Duration,
) -> Result<Server, String> {
    let v: Option<String> = conn.query_first("SELECT VERSION()").map_err(|e| {
        let cx = Context {
            endpoint: target,
            side: Side::Target,
            phase: Phase::Session,
            timeout,
        };
        format!(
            "the target {} did not answer SELECT VERSION(): {}",
            target.display(),
            connect::mysql_problem(&e, &cx)
        )
    })?;
    Ok(Server::classify(&v.unwrap_or_default()))
}

fn scratch_name() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!("pg2tidb_verify_{secs}_{}", std::process::id())
}

/// The conversion's counts and the statements it could not carry over.
fn conversion_of(files: &[FileResult]) -> (Conversion, Vec<NotCarried>) {
    let mut c = Conversion::default();
    let mut not = Vec::new();
    for f in files {
        for st in &f.statements {
            c.statements += 1;
            // A statement written with an error finding was carried over
            // only in part: it counts as not carried over here.
            let partly = st
                .findings
                .iter()
                .any(|x| x.severity == crate::rules::Severity::Error);
            match st.status {
                Status::Converted if !partly => c.converted += 1,
                Status::Dropped if !partly => c.dropped += 1,
                _ => {
                    c.not_carried_over += 1;
                    let errors: Vec<&crate::rules::Finding> = st
                        .findings
                        .iter()
                        .filter(|x| x.severity == crate::rules::Severity::Error)
                        .collect();
                    let mut rules: Vec<String> =
                        errors.iter().map(|x| x.rule.to_string()).collect();
                    rules.dedup();
                    not.push(NotCarried {
                        file: f.path.clone(),
                        line: st.loc.line,
                        col: st.loc.col,
                        rules,
                        message: errors
                            .first()
                            .map(|x| x.message.clone())
                            .unwrap_or_default(),
                    });
                }
            }
        }
    }
    (c, not)
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
    // The PostgreSQL side answers before anything is created anywhere.
    let admin = match s.source {
        Some(src) => {
            let db = src.database.clone().unwrap_or_else(|| "postgres".into());
            Some(connect::pg_client(src, &db, s.timeout).map_err(|e| s.secrets.redact(&e))?)
        }
        None => None,
    };
    let db = scratch_name();
    let tls: Option<(String, String)> = conn
        .query_first("SHOW SESSION STATUS LIKE 'Ssl_cipher'")
        .unwrap_or(None);
    let (conversion, not_carried_over) = conversion_of(files);
    let mut report = Report {
        target: s.target.display(),
        server: server.clone(),
        tls: tls.map(|t| t.1).filter(|c| !c.is_empty()),
        converted_for,
        conversion,
        not_carried_over,
        target_database: db.clone(),
        source_database: None,
        kept: s.keep,
        statements: files
            .iter()
            .flat_map(|f| &f.statements)
            .map(|st| st.output.len())
            .sum::<usize>()
            + s.folded.map_or(0, <[Emitted]>::len),
        applied: 0,
        last_applied: None,
        rejected: vec![],
        not_proven: vec![],
        source_applied: None,
        source_skipped: vec![],
        source_rejected: vec![],
        parity: None,
        warnings: vec![],
        outcome: Outcome::Verified,
    };
    conn.query_drop(format!(
        "CREATE DATABASE `{db}` DEFAULT CHARSET utf8mb4 COLLATE utf8mb4_bin"
    ))
    .map_err(|e| {
        s.secrets.redact(&format!(
            "cannot create the scratch database `{db}` on {}: {}",
            s.target.display(),
            connect::mysql_problem(&e, &s.target_cx(Phase::Session))
        ))
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
        admin,
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
            let cx = Context {
                endpoint: src,
                side: Side::Source,
                phase: Phase::Session,
                timeout: s.timeout,
            };
            match connect::pg_client(src, &admin, s.timeout).and_then(|mut c| {
                c.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .map_err(|e| connect::pg_error(&e, &cx))
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
    if report.outcome == Outcome::Verified {
        if !report.rejected.is_empty()
            || !report.source_rejected.is_empty()
            || report.parity.as_ref().is_some_and(|p| p.unexpected() > 0)
        {
            report.outcome = Outcome::Failed;
        } else if !report.not_carried_over.is_empty() {
            report.outcome = Outcome::Incomplete;
        }
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
        .map_err(|e| connect::mysql_problem(&e, &s.target_cx(Phase::Session)).to_string())
}

#[allow(clippy::too_many_arguments)]
fn apply_and_compare(
    files: &[FileResult],
    sources: &[(String, String)],
    server: &Server,
    conn: &mut mysql::Conn,
    db: &str,
    admin: Option<postgres::Client>,
    s: &Settings,
    report: &mut Report,
    notes: &mut Vec<Note>,
    source_db: &mut Option<String>,
    progress: &mut dyn FnMut(&str),
) -> Result<(), String> {
    // The PostgreSQL scratch database, beside the target's.
    if let (Some(mut admin), Some(src)) = (admin, s.source) {
        let cx = Context {
            endpoint: src,
            side: Side::Source,
            phase: Phase::Session,
            timeout: s.timeout,
        };
        admin
            .batch_execute(&format!("CREATE DATABASE \"{db}\""))
            .map_err(|e| {
                format!(
                    "cannot create the PostgreSQL scratch database \"{db}\" on {}: {}",
                    src.display(),
                    connect::pg_problem(&e, &cx)
                )
            })?;
        *source_db = Some(db.to_string());
        progress(&format!(
            "PostgreSQL scratch database \"{db}\" created on {}",
            src.display()
        ));
    }
    conn.query_drop(format!("USE `{db}`")).map_err(|e| {
        format!(
            "USE `{db}` on {}: {}",
            s.target.display(),
            connect::mysql_problem(&e, &s.target_cx(Phase::Session))
        )
    })?;
    for f in files {
        for st in &f.statements {
            let rules = rules_of(st);
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
                let at = Origin {
                    file: &f.path,
                    line: st.loc.line,
                    col: st.loc.col,
                    rules: &rules,
                    object: st.object.as_deref(),
                    source: &st.source,
                };
                if !apply_statement(conn, server, s, report, notes, &at, out)? {
                    return Ok(());
                }
            }
        }
    }
    // --fold: the folded schema is what the target gets (the statements
    // above were only read into the model); its statements are numbered.
    for (i, out) in s.folded.unwrap_or_default().iter().enumerate() {
        let at = Origin {
            file: FOLDED,
            line: u32::try_from(i + 1).unwrap_or(u32::MAX),
            col: 1,
            rules: &[],
            object: None,
            source: out,
        };
        if !apply_statement(conn, server, s, report, notes, &at, out)? {
            return Ok(());
        }
    }
    let (Some(src), Some(name)) = (s.source, source_db.clone()) else {
        return Ok(());
    };
    // The PostgreSQL side: the input as written, one statement at a time.
    let cx = Context {
        endpoint: src,
        side: Side::Source,
        phase: Phase::Session,
        timeout: s.timeout,
    };
    let mut pg = connect::pg_client(src, &name, s.timeout)?;
    let _ = pg.batch_execute("SET client_min_messages = warning");
    if !source::apply(files, sources, &mut pg, &cx, s.interrupted, report)? {
        report.outcome = Outcome::Interrupted;
        return Ok(());
    }
    let pg_schema = schema::read_source(&mut pg).map_err(|e| {
        format!(
            "reading the PostgreSQL catalog on {}: {}",
            src.display(),
            connect::pg_error(&e, &cx)
        )
    })?;
    drop(pg);
    let target_schema = schema::read_target(conn, db, server.quoted_defaults()).map_err(|e| {
        format!(
            "reading the target's information_schema on {}: {}",
            s.target.display(),
            connect::mysql_problem(&e, &s.target_cx(Phase::Session))
        )
    })?;
    let aliases = parity::Aliases::from_statements(
        files
            .iter()
            .flat_map(|f| &f.statements)
            .map(|st| (st.object.as_deref(), st.source.as_str())),
    );
    report.parity = Some(parity::compare(&pg_schema, &target_schema, notes, &aliases));
    Ok(())
}

/// The rules whose findings concern a statement, each once.
/// How the folded schema is named where a file name would be (`verify --fold`).
pub const FOLDED: &str = "(folded schema)";

/// Where an applied statement comes from.
struct Origin<'a> {
    file: &'a str,
    line: u32,
    col: u32,
    rules: &'a [String],
    object: Option<&'a str>,
    source: &'a str,
}

/// Apply one converted statement on the target (through the stand-in for
/// the server), recording it in `report`. `Ok(false)`: interrupted, stop.
fn apply_statement(
    conn: &mut mysql::Conn,
    server: &Server,
    s: &Settings,
    report: &mut Report,
    notes: &mut Vec<Note>,
    at: &Origin,
    out: &Emitted,
) -> Result<bool, String> {
    if s.interrupted.load(Ordering::SeqCst) {
        report.outcome = Outcome::Interrupted;
        return Ok(false);
    }
    let note = |reason: String| Note {
        rule: "stand-in".into(),
        file: at.file.to_string(),
        line: at.line,
        col: at.col,
        message: reason,
        object: at.object.map(str::to_string),
        source: at.source.to_string(),
        lost: false,
    };
    let sql = match standin::stand_in(server, out) {
        StandIn::AsIs => out.to_string(),
        StandIn::Rewritten { sql, reason, .. } => {
            report.not_proven.push(Unproven {
                file: at.file.to_string(),
                line: at.line,
                col: at.col,
                action: "rewritten",
                reason: reason.clone(),
            });
            notes.push(note(reason));
            sql
        }
        StandIn::SetAside { reason, .. } => {
            report.not_proven.push(Unproven {
                file: at.file.to_string(),
                line: at.line,
                col: at.col,
                action: "set aside",
                reason: reason.clone(),
            });
            notes.push(note(reason));
            return Ok(true);
        }
    };
    match conn.query_drop(&sql) {
        Ok(()) => {
            report.applied += 1;
            report.last_applied = Some(format!("{}:{}:{}", at.file, at.line, at.col));
        }
        Err(mysql::Error::MySqlError(e)) if !CONNECTION_GONE.contains(&e.code) => {
            report.rejected.push(Rejected {
                file: at.file.to_string(),
                line: at.line,
                col: at.col,
                rules: at.rules.to_vec(),
                statement: sql,
                error: format!("ERROR {} ({}): {}", e.code, e.state, e.message),
            })
        }
        Err(e) => {
            report.outcome = Outcome::ConnectionLost;
            return Err(format!(
                "connection to the target {} lost at {}:{}:{} after {} of {} statement(s) applied (last applied: {}): {}",
                s.target.display(),
                at.file,
                at.line,
                at.col,
                report.applied,
                report.statements,
                report.last_applied.as_deref().unwrap_or("none"),
                connect::mysql_problem(&e, &s.target_cx(Phase::Session))
            ));
        }
    }
    Ok(true)
}

fn rules_of(st: &crate::StatementResult) -> Vec<String> {
    let mut r: Vec<String> = st.findings.iter().map(|x| x.rule.to_string()).collect();
    r.dedup();
    r
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
    let c = &r.conversion;
    let _ = writeln!(
        o,
        "conversion: {} statement(s): {} converted, {} dropped with a reason, {} not carried over",
        c.statements, c.converted, c.dropped, c.not_carried_over
    );
    for n in &r.not_carried_over {
        let _ = writeln!(
            o,
            "{}:{}:{}: not carried over [{}]: {}",
            n.file,
            n.line,
            n.col,
            n.rules.join(", "),
            n.message
        );
    }
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
    if let Some(n) = r.source_applied {
        let _ = writeln!(
            o,
            "PostgreSQL: applied {n} statement(s); rejected: {}; not sent: {}",
            r.source_rejected.len(),
            r.source_skipped.len()
        );
        for reason in [source::ROLES, source::SERVER_WIDE] {
            let k = r
                .source_skipped
                .iter()
                .filter(|x| x.reason == reason)
                .count();
            if k > 0 {
                let _ = writeln!(o, "  not sent: {k} statement(s) on {reason}");
            }
        }
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
    let _ = writeln!(o, "result: {}", result_line(r));
    o
}

/// What the `result:` line says: `verified` only when every statement was
/// carried over and applied on both sides and nothing unexpected differs.
pub fn result_line(r: &Report) -> String {
    let not_carried = r.not_carried_over.len();
    match r.outcome {
        Outcome::Verified => "verified".into(),
        Outcome::Incomplete => {
            format!("not verified: {not_carried} statement(s) not carried over")
        }
        Outcome::Failed => {
            let mut why = Vec::new();
            if !r.rejected.is_empty() {
                why.push(format!(
                    "{} statement(s) rejected by the target",
                    r.rejected.len()
                ));
            }
            if !r.source_rejected.is_empty() {
                why.push(format!(
                    "{} rejected by PostgreSQL",
                    r.source_rejected.len()
                ));
            }
            if let Some(k) = r.parity.as_ref().map(Parity::unexpected).filter(|k| *k > 0) {
                why.push(format!("{k} unexpected difference(s)"));
            }
            if not_carried > 0 {
                why.push(format!("{not_carried} statement(s) not carried over"));
            }
            format!("FAILED: {}", why.join(", "))
        }
        Outcome::Interrupted => "interrupted".into(),
        Outcome::ConnectionLost => "connection lost".into(),
    }
}
