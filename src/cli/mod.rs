//! The command line: arguments, dispatch to one module per command, exit
//! codes, and the writing helpers every command shares.

mod alembic;
mod check;
mod convert;
mod diff;
mod rules;
mod run;
mod verify;

use alembic::alembic_command;
use check::check_command;
use clap::{Parser, Subcommand};
use convert::convert_command;
use diff::diff_command;
use pg2tidb::config::Config;
use pg2tidb::layout::Layout;
use pg2tidb::report::{self, Format};
use pg2tidb::rules::Severity;
use pg2tidb::Target;
use rules::rules_command;
use run::ConvertRun;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use verify::{verify_command, VerifyArgs};

/// Exit codes.
pub(crate) const OK: u8 = 0;
/// `convert`: some finding is an error (by its severity after pg2tidb.toml
/// overrides and suppressions; a statement's status does not decide it).
pub(crate) const FINDINGS: u8 = 1;
pub(crate) const USAGE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "pg2tidb",
    version,
    about = "Convert PostgreSQL DDL migrations into SQL that TiDB accepts, reporting every change"
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// What every converting command reads: the inputs and the schema-model settings.
#[derive(clap::Args)]
pub(crate) struct ModelArgs {
    /// Input .sql files, directories, or - for stdin.
    #[arg(required = true)]
    inputs: Vec<String>,
    /// TiDB version to convert for (default: pg2tidb.toml's, else tidb-8.5).
    #[arg(long, value_parser = parse_target)]
    target: Option<Target>,
    /// Settings file (default: pg2tidb.toml in the current directory or a parent).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Migration layout of directory inputs: plain, flyway, golang-migrate, dbmate, prisma, diesel or alembic (default: detected).
    #[arg(long, value_parser = parse_layout)]
    layout: Option<Layout>,
    /// Earlier migrations or a schema dump (file or directory, repeatable): loaded into the schema model first; not converted, checked or shown. Files that are also inputs are left out of it.
    #[arg(long)]
    baseline: Vec<String>,
    /// Schema mode for pg_dump --schema-only input: read everything, then write one CREATE TABLE per table (sequences, identity, primary keys, comments and setval folded in) as a single output.
    #[arg(long)]
    fold: bool,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Convert PostgreSQL SQL files (or directories of them, or - for stdin) to TiDB SQL.
    Convert {
        #[command(flatten)]
        model: ModelArgs,
        /// Output file (one input) or directory (several inputs or a directory). Default: stdout for one input.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Print only findings at or above this severity (info, warning, error).
        #[arg(long, default_value = "info", value_parser = parse_severity)]
        min_severity: Severity,
        /// Report on standard error (or --report-file): text (diagnostics), markdown (for a pull-request comment), json or html (one self-contained page).
        #[arg(long, default_value = "text", value_parser = parse_report)]
        report: Report,
        /// Write the report to this file instead of standard error.
        #[arg(long)]
        report_file: Option<PathBuf>,
        /// Write findings at or above this severity as `-- pg2tidb …` comments above the statements they concern.
        #[arg(long, value_parser = parse_severity)]
        annotate: Option<Severity>,
        /// What to write: sql (TiDB SQL files) or alembic (one Alembic revision per `-- Running upgrade A -> B` section of `alembic upgrade --sql` output, same revision ids, into -o DIR).
        #[arg(long, default_value = "sql", value_parser = parse_emit)]
        emit: Emit,
        /// With --emit alembic: `alembic downgrade --sql` output to convert into each revision's downgrade().
        #[arg(long)]
        downgrade_sql: Option<PathBuf>,
    },
    /// Check PostgreSQL migrations for CI: convert in memory (no SQL written), report, and exit 1 when a finding reaches --fail-on.
    Check {
        #[command(flatten)]
        model: ModelArgs,
        /// Report format: text, json, sarif, github (workflow commands) or gitlab (code quality).
        #[arg(long, default_value = "text", value_parser = parse_format)]
        format: Format,
        /// Exit 1 when any finding is at or above this severity (error or warning; default error).
        #[arg(long, value_parser = parse_severity)]
        fail_on: Option<Severity>,
        /// Check only the input files added or changed since this git revision; the others are loaded as schema state.
        #[arg(long)]
        since: Option<String>,
    },
    /// Show every change as a unified diff (PostgreSQL → TiDB) per statement, with the rules that made it.
    Diff {
        #[command(flatten)]
        model: ModelArgs,
        /// text (a coloured diff on a terminal), markdown (diffs under each finding), json or html (side by side).
        #[arg(long, default_value = "text", value_parser = parse_report)]
        report: Report,
        /// Colour: auto (on a terminal, unless NO_COLOR is set), always or never.
        #[arg(long, default_value = "auto")]
        color: String,
    },
    /// Prove a conversion on a live TiDB (or MySQL-family) server in a scratch database, and compare it with PostgreSQL.
    Verify {
        #[command(flatten)]
        model: ModelArgs,
        /// The target: mysql://user[:password]@host[:port]/[?ssl-mode=VERIFY_IDENTITY]. A scratch database is created there.
        #[arg(long)]
        target_url: String,
        /// A PostgreSQL server to apply the input to (in a scratch database) and compare with: postgres://user[:password]@host[:port]/db.
        #[arg(long)]
        source_url: Option<String>,
        /// Keep the scratch databases (default: drop them at the end, also after a failure or Ctrl-C).
        #[arg(long)]
        keep: bool,
        /// CA certificate (PEM) for the target's TLS; implies ssl-mode=VERIFY_IDENTITY unless the URL says otherwise.
        #[arg(long)]
        ca: Option<PathBuf>,
        /// Read the target's password from this environment variable (default: the URL's, else MYSQL_PWD).
        #[arg(long)]
        password_env: Option<String>,
        /// Read the PostgreSQL password from this environment variable (default: the URL's, else PGPASSWORD).
        #[arg(long)]
        source_password_env: Option<String>,
        /// Report format on standard output: text or json.
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
        /// Seconds to wait for a connection, and for each statement.
        #[arg(long, default_value_t = 60)]
        timeout: u64,
    },
    /// List the rules, or print one rule's documentation.
    Rules {
        /// A rule id (see the list).
        id: Option<String>,
        /// Print the whole rules reference as Markdown (docs/rules.md).
        #[arg(long)]
        markdown: bool,
    },
}

pub(crate) fn parse_target(s: &str) -> Result<Target, String> {
    s.parse()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Report {
    Text,
    Markdown,
    Json,
    Html,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Emit {
    Sql,
    Alembic,
}

pub(crate) fn parse_emit(s: &str) -> Result<Emit, String> {
    match s {
        "sql" => Ok(Emit::Sql),
        "alembic" => Ok(Emit::Alembic),
        _ => Err(format!("unknown --emit '{s}' (sql, alembic)")),
    }
}

pub(crate) fn parse_report(s: &str) -> Result<Report, String> {
    match s {
        "text" => Ok(Report::Text),
        "markdown" => Ok(Report::Markdown),
        "json" => Ok(Report::Json),
        "html" => Ok(Report::Html),
        _ => Err(format!("unknown report '{s}' (text, markdown, json, html)")),
    }
}

pub(crate) fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}

pub(crate) fn parse_layout(s: &str) -> Result<Layout, String> {
    s.parse()
}

pub(crate) fn parse_severity(s: &str) -> Result<Severity, String> {
    match s {
        "info" => Ok(Severity::Info),
        "warning" => Ok(Severity::Warning),
        "error" => Ok(Severity::Error),
        _ => Err(format!("unknown severity '{s}' (info, warning, error)")),
    }
}

pub(crate) fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { USAGE } else { OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    // sqlparser's derived Drop/Clone recurse on deep expressions: give the
    // pipeline a large stack (sqlparser-probe §6).
    let worker = std::thread::Builder::new()
        .name("pg2tidb".into())
        .stack_size(pg2tidb::pipeline::PIPELINE_STACK)
        .spawn(move || run(cli));
    match worker.map(|h| h.join()) {
        Ok(Ok(code)) => ExitCode::from(code),
        _ => {
            let _ = writeln!(
                std::io::stderr(),
                "pg2tidb: internal error (please report it with the input that caused it)"
            );
            ExitCode::from(USAGE)
        }
    }
}

pub(crate) fn run(cli: Cli) -> u8 {
    let (model, command) = match cli.command {
        Command::Rules { id, markdown } => return rules_command(id, markdown),
        Command::Diff { ref model, .. }
        | Command::Check { ref model, .. }
        | Command::Verify { ref model, .. }
        | Command::Convert { ref model, .. } => (model, &cli.command),
    };
    let config = match load_config(model.config.as_deref()) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let mut run = ConvertRun {
        inputs: &model.inputs,
        output: None,
        target: model.target.or(config.target).unwrap_or_default(),
        min: Severity::Info,
        layout: model.layout.or(config.layout),
        baseline: &model.baseline,
        fold: model.fold,
        report: Report::Text,
        annotate: None,
        since: None,
        config: &config,
        report_file: None,
        quiet: false,
    };
    let result = match command {
        Command::Rules { .. } => unreachable!("handled above"),
        Command::Verify {
            model,
            target_url,
            source_url,
            keep,
            ca,
            password_env,
            source_password_env,
            format,
            timeout,
        } => {
            if !model.baseline.is_empty() {
                Err("verify takes no --baseline: its scratch database starts empty, so pass the earlier migrations as inputs".into())
            } else {
                let v = VerifyArgs {
                    target_url,
                    source_url: source_url.as_deref(),
                    keep: *keep,
                    ca: ca.as_deref(),
                    password_env: password_env.as_deref(),
                    source_password_env: source_password_env.as_deref(),
                    json: format == "json",
                    timeout: std::time::Duration::from_secs((*timeout).max(1)),
                    explicit_target: model.target.or(config.target),
                };
                verify_command(&mut run, &v)
            }
        }
        Command::Diff { report, color, .. } => {
            run.report = *report;
            diff_command(&run, color)
        }
        Command::Check {
            format,
            fail_on,
            since,
            ..
        } => {
            run.since = since.clone();
            let fail_on = fail_on.or(config.fail_on).unwrap_or(Severity::Error);
            check_command(&run, *format, fail_on)
        }
        Command::Convert {
            output,
            min_severity,
            report,
            report_file,
            annotate,
            emit,
            downgrade_sql,
            ..
        } => {
            run.output = output.as_deref();
            run.min = *min_severity;
            run.report = *report;
            run.annotate = *annotate;
            run.report_file = report_file.as_deref();
            // A machine-readable report on standard error is all there is on it.
            run.quiet = *report != Report::Text && report_file.is_none();
            match emit {
                Emit::Sql if downgrade_sql.is_some() => {
                    Err("--downgrade-sql needs --emit alembic".into())
                }
                Emit::Sql => convert_command(&run),
                Emit::Alembic => alembic_command(&run, downgrade_sql.as_deref()),
            }
        }
    };
    match result {
        // The reader went away (`| head`): nothing more to say.
        _ if CLOSED.load(std::sync::atomic::Ordering::SeqCst) => PIPE_CLOSED,
        Ok(code) => code,
        Err(msg) => {
            // Names from the input (files, revisions) shown safely.
            say(&format!("pg2tidb: {}", report::escape(&msg)));
            USAGE
        }
    }
}

/// Load pg2tidb.toml (named, or found from the current directory upward).
pub(crate) fn load_config(explicit: Option<&Path>) -> Result<Config, u8> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    Config::load(explicit, &cwd).map_err(|e| {
        say(&format!(
            "pg2tidb: {}",
            report::escape_lines(&format!("{e:#}"))
        ));
        USAGE
    })
}

/// A line on standard error; a closed standard error is not worth a panic.
pub(crate) fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// Set when standard output (or standard error) was closed by its reader
/// (`pg2tidb diff | head -1`): the run stops quietly.
pub(crate) static CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Exit code when the reader of standard output went away (128 + SIGPIPE),
/// as a shell reports for tools killed by SIGPIPE.
pub(crate) const PIPE_CLOSED: u8 = 141;

/// The error of a write to a standard stream (`name`): a closed pipe is
/// remembered, so the run ends quietly with [`PIPE_CLOSED`].
pub(crate) fn stream_error(name: &str, e: std::io::Error) -> String {
    let json_kind = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<serde_json::Error>())
        .and_then(serde_json::Error::io_error_kind);
    if e.kind() == std::io::ErrorKind::BrokenPipe
        || json_kind == Some(std::io::ErrorKind::BrokenPipe)
    {
        CLOSED.store(true, std::sync::atomic::Ordering::SeqCst);
    }
    format!("{name}: {e}")
}
