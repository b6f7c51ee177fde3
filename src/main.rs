//! The `pg2tidb` command line.

use clap::{Parser, Subcommand};
use pg2tidb::config::Config;
use pg2tidb::convert::Progress;
use pg2tidb::input::{self, Source};
use pg2tidb::layout::Layout;
use pg2tidb::output;
use pg2tidb::report::{self, Format, Summary};
use pg2tidb::rules::{self, Severity};
use pg2tidb::{Converter, FileResult, Options, Target};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// Statements allocate and free many small strings and AST nodes, some
// across the parsing and converting threads: mimalloc is markedly faster
// at that than the system allocator (docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit codes.
const OK: u8 = 0;
/// `convert`: some finding is an error (by its severity after pg2tidb.toml
/// overrides and suppressions; a statement's status does not decide it).
const FINDINGS: u8 = 1;
const USAGE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "pg2tidb",
    version,
    about = "Convert PostgreSQL DDL migrations into SQL that TiDB accepts, reporting every change"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// What every converting command reads: the inputs and the schema-model settings.
#[derive(clap::Args)]
struct ModelArgs {
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
enum Command {
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

fn parse_target(s: &str) -> Result<Target, String> {
    s.parse()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Report {
    Text,
    Markdown,
    Json,
    Html,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Emit {
    Sql,
    Alembic,
}

fn parse_emit(s: &str) -> Result<Emit, String> {
    match s {
        "sql" => Ok(Emit::Sql),
        "alembic" => Ok(Emit::Alembic),
        _ => Err(format!("unknown --emit '{s}' (sql, alembic)")),
    }
}

fn parse_report(s: &str) -> Result<Report, String> {
    match s {
        "text" => Ok(Report::Text),
        "markdown" => Ok(Report::Markdown),
        "json" => Ok(Report::Json),
        "html" => Ok(Report::Html),
        _ => Err(format!("unknown report '{s}' (text, markdown, json, html)")),
    }
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}

fn parse_layout(s: &str) -> Result<Layout, String> {
    s.parse()
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    match s {
        "info" => Ok(Severity::Info),
        "warning" => Ok(Severity::Warning),
        "error" => Ok(Severity::Error),
        _ => Err(format!("unknown severity '{s}' (info, warning, error)")),
    }
}

fn main() -> ExitCode {
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
        .stack_size(pg2tidb::convert::PIPELINE_STACK)
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

fn run(cli: Cli) -> u8 {
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

fn rules_command(id: Option<String>, markdown: bool) -> u8 {
    let mut out = std::io::stdout().lock();
    if markdown {
        let _ = out.write_all(rules::reference_markdown().as_bytes());
        return OK;
    }
    match id {
        Some(id) => match rules::by_id(&id) {
            Some(r) => {
                let m = r.meta();
                let _ = writeln!(out, "{} ({})\n\n{}", m.id, m.severity, m.doc.trim_end());
                OK
            }
            None => {
                let id = report::escape(&id);
                say(&format!(
                    "pg2tidb: unknown rule '{id}'; `pg2tidb rules` lists them"
                ));
                USAGE
            }
        },
        None => {
            for r in rules::REGISTRY {
                let m = r.meta();
                let _ = writeln!(
                    out,
                    "{:<24} {:<8} {}",
                    m.id,
                    m.severity.to_string(),
                    m.summary()
                );
            }
            OK
        }
    }
}

struct ConvertRun<'a> {
    inputs: &'a [String],
    output: Option<&'a Path>,
    target: Target,
    min: Severity,
    layout: Option<Layout>,
    baseline: &'a [String],
    fold: bool,
    report: Report,
    annotate: Option<Severity>,
    since: Option<String>,
    config: &'a Config,
    report_file: Option<&'a Path>,
    /// Print no notes about the inputs (a machine-readable report is on
    /// standard error).
    quiet: bool,
}

/// Load pg2tidb.toml (named, or found from the current directory upward).
fn load_config(explicit: Option<&Path>) -> Result<Config, u8> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    Config::load(explicit, &cwd).map_err(|e| {
        say(&format!(
            "pg2tidb: {}",
            report::escape_lines(&format!("{e:#}"))
        ));
        USAGE
    })
}

/// Where `convert` writes statement by statement, so the results of a large
/// input need not all be held: the kept results lose their source and output.
trait Sink {
    /// File `index` of `sources` (all the input files found) starts.
    fn begin(&mut self, sources: &[Source], index: usize) -> Result<(), String>;
    fn statement(&mut self, r: &pg2tidb::StatementResult) -> Result<(), String>;
}

/// The inputs and baseline of a run, found and read, and the files no
/// output may replace.
struct Gathered {
    sources: Vec<Source>,
    baseline: Vec<Source>,
    plan: output::Plan,
}

/// Find the inputs and the baseline and say what was found: the first step
/// of every converting command. A baseline file that is also an input is
/// left out of the baseline (it would be checked against itself). `skip`:
/// the output directory, never read as input.
fn gather(run: &ConvertRun) -> Result<Gathered, String> {
    let skip = run.output.filter(|o| o.is_dir());
    let found =
        input::discover_skipping(run.inputs, run.layout, skip).map_err(|e| e.to_string())?;
    let sources = found.sources;
    if sources.is_empty() {
        return Err("no .sql files found in the inputs".into());
    }
    let mut notes = found.notes;
    let mut plan = output::Plan::default();
    let inputs: std::collections::BTreeSet<PathBuf> = sources
        .iter()
        .filter_map(|s| s.path.as_deref().map(output::identity))
        .collect();
    for s in &sources {
        if let (Some(p), None) = (&s.path, &s.spool) {
            plan.protect(p, &format!("input {}", s.display));
        }
    }
    let mut baseline = Vec::new();
    if !run.baseline.is_empty() {
        let base = input::discover_skipping(run.baseline, run.layout, skip)
            .map_err(|e| format!("baseline: {e}"))?;
        notes.extend(base.notes.into_iter().map(|n| format!("baseline: {n}")));
        let (kept, inputs_too): (Vec<Source>, Vec<Source>) =
            base.sources.into_iter().partition(|s| {
                s.path
                    .as_deref()
                    .is_none_or(|p| !inputs.contains(&output::identity(p)))
            });
        if !inputs_too.is_empty() {
            let names: Vec<&str> = inputs_too.iter().map(|s| s.display.as_str()).collect();
            notes.push(format!(
                "baseline: {} file(s) that are also inputs left out of it: {}",
                names.len(),
                names.join(", ")
            ));
        }
        for s in &kept {
            if let Some(p) = &s.path {
                plan.protect(p, &format!("baseline {}", s.display));
            }
        }
        baseline = kept;
    }
    if let Some(p) = &run.config.path {
        plan.protect(p, &format!("settings {}", p.display()));
    }
    if !run.fold {
        for s in sources.iter().filter(|s| looks_like_pg_dump(s)) {
            notes.push(format!(
                "{}: looks like pg_dump output: --fold writes one CREATE TABLE per table with its sequences, identity, primary key and comments folded in (statement by statement, a primary key added by a later ALTER is NONCLUSTERED and AUTO_INCREMENT cannot be added)",
                s.display
            ));
        }
    }
    if !run.quiet {
        for note in &notes {
            say(&format!("pg2tidb: {}", report::escape(note)));
        }
    }
    Ok(Gathered {
        sources,
        baseline,
        plan,
    })
}

/// Whether a source starts the way pg_dump's output does.
fn looks_like_pg_dump(s: &Source) -> bool {
    let head = if s.streamed {
        let mut buf = vec![0u8; 4096];
        let n = s
            .path
            .as_ref()
            .and_then(|p| fs::File::open(p).ok())
            .and_then(|mut f| std::io::Read::read(&mut f, &mut buf).ok())
            .unwrap_or(0);
        String::from_utf8_lossy(&buf[..n]).into_owned()
    } else {
        s.text.chars().take(4096).collect()
    };
    head.contains("-- PostgreSQL database dump") || head.contains("-- Dumped by pg_dump")
}

/// A line on standard error; a closed standard error is not worth a panic.
fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// Set when standard output (or standard error) was closed by its reader
/// (`pg2tidb diff | head -1`): the run stops quietly.
static CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Exit code when the reader of standard output went away (128 + SIGPIPE),
/// as a shell reports for tools killed by SIGPIPE.
const PIPE_CLOSED: u8 = 141;

/// The error of a write to a standard stream (`name`): a closed pipe is
/// remembered, so the run ends quietly with [`PIPE_CLOSED`].
fn stream_error(name: &str, e: std::io::Error) -> String {
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

/// Discover the inputs, load the baseline, and convert: shared by every
/// converting command (see [`convert_gathered`]).
fn run_conversion(
    run: &ConvertRun,
    sink: Option<&mut dyn Sink>,
    stream: Option<&mut report::Stream<'_>>,
) -> Result<(Vec<Source>, Vec<FileResult>, Converter), String> {
    let g = gather(run)?;
    convert_gathered(run, g.sources, &g.baseline, sink, stream)
}

/// Load the baseline, then convert the sources. With a `sink`, each kept
/// statement goes there as it is converted and is kept without its source
/// and output. With a `stream`, results are not kept at all: each goes to
/// the stream once its findings are complete (at once, or at its file's end
/// when the file has `ignore-file` suppressions), and the files come back
/// empty.
fn convert_gathered(
    run: &ConvertRun,
    sources: Vec<Source>,
    baseline: &[Source],
    mut sink: Option<&mut dyn Sink>,
    mut stream: Option<&mut report::Stream<'_>>,
) -> Result<(Vec<Source>, Vec<FileResult>, Converter), String> {
    let mut conv = Converter::new(Options {
        target: run.target,
        fold: run.fold,
        types: run.config.types.clone(),
        rules: run.config.rules.clone(),
    });
    if !baseline.is_empty() {
        let inputs: Vec<_> = baseline.iter().map(Source::input).collect();
        conv.convert_inputs_with(&inputs, &mut |_| Ok(()))
            .map_err(|e| format!("baseline: {e}"))?;
        if !run.quiet {
            say(&format!(
                "pg2tidb: baseline: {} file(s) loaded into the schema model",
                baseline.len()
            ));
        }
    }
    let changed = match &run.since {
        Some(rev) => Some(changed_since(rev, &sources)?),
        None => None,
    };
    // --since: unchanged files only build the schema model.
    let keeps: Vec<bool> = sources
        .iter()
        .map(|s| {
            changed.as_ref().is_none_or(|c| {
                s.path
                    .as_ref()
                    .and_then(|p| std::fs::canonicalize(p).ok())
                    .is_some_and(|p| c.contains(&p))
            })
        })
        .collect();
    let inputs: Vec<_> = sources.iter().map(Source::input).collect();
    let mut results: Vec<Vec<pg2tidb::StatementResult>> = vec![Vec::new(); sources.len()];
    // The current file's statements wait for its end (late findings).
    let mut late = false;
    let name = stream.as_deref().map_or("report", |s| s.name);
    let report_err = |e: std::io::Error| stream_error(name, e);
    // A write that fails (output or report) stops the conversion at once.
    conv.convert_inputs_with(&inputs, &mut |p| {
        match p {
            Progress::File {
                index: i,
                late_findings,
            } if keeps[i] => {
                late = late_findings;
                if let Some(sink) = sink.as_deref_mut() {
                    sink.begin(&sources, i)?;
                }
                if let Some(stream) = stream.as_deref_mut() {
                    stream.file(&sources[i].display).map_err(report_err)?;
                }
            }
            Progress::Statement(i, mut r) if keeps[i] => {
                if let Some(sink) = sink.as_deref_mut() {
                    sink.statement(&r)?;
                    // Kept for the report only when it shows them.
                    if !stream.as_deref().is_some_and(report::Stream::needs_text) {
                        r.source = String::new();
                        r.output = Vec::new();
                        r.comments = Vec::new();
                    }
                }
                match stream.as_deref_mut() {
                    Some(stream) if !late => stream
                        .statement(&sources[i].display, &r)
                        .map_err(report_err)?,
                    _ => results[i].push(r),
                }
            }
            Progress::FileEnd(i, tail) if keeps[i] => {
                pg2tidb::suppress::attach(&mut results[i], tail);
                if let Some(stream) = stream.as_deref_mut() {
                    for r in std::mem::take(&mut results[i]) {
                        stream
                            .statement(&sources[i].display, &r)
                            .map_err(report_err)?;
                    }
                }
            }
            Progress::File { .. } | Progress::Statement(..) | Progress::FileEnd(..) => {}
        }
        Ok(())
    })?;
    let mut kept_sources = Vec::new();
    let mut files = Vec::new();
    for ((s, statements), keep) in sources.into_iter().zip(results).zip(keeps) {
        if keep {
            files.push(FileResult {
                path: s.display.clone(),
                statements,
            });
            kept_sources.push(s);
        }
    }
    if let (Some(rev), Some(_)) = (&run.since, &changed) {
        say(&format!(
            "pg2tidb: --since {}: {} changed file(s) checked, the rest loaded as schema state",
            report::escape(rev),
            files.len()
        ));
    }
    Ok((kept_sources, files, conv))
}

/// Files changed since `rev` (committed, staged, unstaged or untracked), as canonical paths.
fn changed_since(
    rev: &str,
    sources: &[Source],
) -> Result<std::collections::BTreeSet<PathBuf>, String> {
    let dir = sources
        .iter()
        .find_map(|s| s.path.as_ref())
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("."));
    let dir = if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    };
    let git = |args: &[&str]| -> Result<String, String> {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(&dir)
            .args(args)
            .output()
            .map_err(|e| format!("--since needs git: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "--since {rev}: git {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    // The value is a revision, never an option of git's (`--output=FILE`
    // would make git write a file): resolved to a commit first.
    if rev.is_empty() || rev.starts_with('-') {
        return Err(format!(
            "--since {rev}: not a git revision (a commit, branch or tag such as origin/main)"
        ));
    }
    let commit = git(&[
        "rev-parse",
        "--verify",
        "--quiet",
        "--end-of-options",
        &format!("{rev}^{{commit}}"),
    ])
    .map_err(|_| format!("--since {rev}: not a commit of the inputs' git repository"))?;
    let commit = commit.trim();
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?.trim());
    let mut set = std::collections::BTreeSet::new();
    let listed = git(&["diff", "--name-only", commit, "--"])?
        + &git(&["ls-files", "--others", "--exclude-standard", "--full-name"])?;
    for line in listed.lines().filter(|l| !l.is_empty()) {
        if let Ok(p) = std::fs::canonicalize(top.join(line)) {
            set.insert(p);
        }
    }
    Ok(set)
}

/// `pg2tidb diff`: every statement's change as a unified diff with its findings.
fn diff_command(run: &ConvertRun, color: &str) -> Result<u8, String> {
    use std::io::IsTerminal;
    let color = match color {
        "always" => true,
        "never" => false,
        "auto" => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
        other => return Err(format!("unknown --color '{other}' (auto, always, never)")),
    };
    let kind = match run.report {
        Report::Text => report::Kind::Diff { color },
        Report::Markdown => report::Kind::Markdown {
            target: run.target,
            diffs: true,
        },
        Report::Json => report::Kind::Json {
            target: run.target,
            newline: false,
        },
        Report::Html => report::Kind::Html { target: run.target },
    };
    // Written as statements complete: nothing is kept.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut stream =
        report::Stream::report(&mut out, "stdout", kind).map_err(|e| stream_error("stdout", e))?;
    run_conversion(run, None, Some(&mut stream))?;
    stream.finish().map_err(|e| stream_error("stdout", e))?;
    Ok(if stream.summary.error_findings > 0 {
        FINDINGS
    } else {
        OK
    })
}

struct VerifyArgs<'a> {
    target_url: &'a str,
    source_url: Option<&'a str>,
    keep: bool,
    ca: Option<&'a Path>,
    password_env: Option<&'a str>,
    source_password_env: Option<&'a str>,
    json: bool,
    timeout: std::time::Duration,
    explicit_target: Option<Target>,
}

/// Set by Ctrl-C / SIGTERM during `verify`.
static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Exit code after an interrupt (128 + SIGINT).
const INTERRUPTED_EXIT: u8 = 130;

/// `pg2tidb verify`: apply the conversion in a scratch database on a live server and compare.
fn verify_command(run: &mut ConvertRun, v: &VerifyArgs) -> Result<u8, String> {
    use pg2tidb::verify::{self, connect, Outcome};
    let target = connect::target(v.target_url, v.ca, v.password_env)?;
    let source = match v.source_url {
        Some(u) => Some(connect::source(u, v.source_password_env)?),
        None => None,
    };
    let mut secrets = connect::Secrets::default();
    secrets.add(&target);
    if let Some(s) = &source {
        secrets.add(s);
    }
    // Before any scratch database exists: an interrupt from here on is cleaned up.
    // The first Ctrl-C stops after the running statement and cleans up; a
    // second one exits at once.
    ctrlc::set_handler(|| {
        if INTERRUPTED.swap(true, std::sync::atomic::Ordering::SeqCst) {
            eprintln!("pg2tidb: interrupted again: exiting now; scratch databases may be left behind (their names are above)");
            std::process::exit(i32::from(INTERRUPTED_EXIT));
        }
        eprintln!("pg2tidb: interrupted: stopping after the running statement and dropping the scratch databases (Ctrl-C again to exit at once)");
    })
    .map_err(|e| format!("cannot install the Ctrl-C handler: {e}"))?;
    let mut conn = connect::mysql_conn(&target, None, v.timeout).map_err(|e| secrets.redact(&e))?;
    let server =
        verify::server_of(&mut conn, &target, v.timeout).map_err(|e| secrets.redact(&e))?;
    match (server.target(), v.explicit_target) {
        (None, _) => eprintln!(
            "pg2tidb: warning: the target is {}, not TiDB: TiDB-only SQL is rewritten or set aside there and listed as not proven",
            server.describe()
        ),
        (Some(t), Some(chosen)) if chosen > t => eprintln!(
            "pg2tidb: warning: converting for {chosen} (--target / pg2tidb.toml), but the server is {} ({t} features)",
            server.describe()
        ),
        _ => {}
    }
    run.target = v.explicit_target.or(server.target()).unwrap_or_default();
    let (sources, mut files, conv) = run_conversion(run, None, None)?;
    // --fold: the target gets the folded schema; each statement was only
    // read into the model (its findings still explain the differences).
    let folded = run.fold.then(|| {
        for st in files.iter_mut().flat_map(|f| f.statements.iter_mut()) {
            st.output.clear();
        }
        pg2tidb::fold::schema_statements(&conv.catalog)
    });
    let texts: Vec<(String, String)> = sources
        .iter()
        .map(|s| Ok((s.display.clone(), s.load()?.into_owned())))
        .collect::<Result<_, input::InputError>>()
        .map_err(|e| e.to_string())?;
    let settings = verify::Settings {
        target: &target,
        source: source.as_ref(),
        keep: v.keep,
        timeout: v.timeout,
        interrupted: &INTERRUPTED,
        secrets: &secrets,
        folded: folded.as_deref(),
    };
    let report = verify::run(
        &files,
        &texts,
        server,
        run.target,
        conn,
        &settings,
        &mut |line| eprintln!("pg2tidb: {}", secrets.redact(line)),
    )?;
    let rendered = if v.json {
        serde_json::to_string_pretty(&report).map_err(|e| e.to_string())? + "\n"
    } else {
        verify::text(&report)
    };
    std::io::stdout()
        .lock()
        .write_all(secrets.redact(&rendered).as_bytes())
        .map_err(|e| stream_error("stdout", e))?;
    Ok(match report.outcome {
        Outcome::Verified => OK,
        Outcome::Failed | Outcome::Incomplete => FINDINGS,
        Outcome::Interrupted => INTERRUPTED_EXIT,
        Outcome::ConnectionLost => USAGE,
    })
}

/// `pg2tidb check`: convert in memory, report in `format`, exit 1 at `fail_on`.
fn check_command(run: &ConvertRun, format: Format, fail_on: Severity) -> Result<u8, String> {
    let kind = match format {
        Format::Text => report::Kind::Text { min: run.min },
        Format::Json => report::Kind::Json {
            target: run.target,
            newline: false,
        },
        Format::Sarif => report::Kind::Sarif,
        Format::Github => report::Kind::Github,
        Format::Gitlab => report::Kind::Gitlab,
    };
    // Written as statements complete: nothing is kept.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut stream =
        report::Stream::report(&mut out, "stdout", kind).map_err(|e| stream_error("stdout", e))?;
    run_conversion(run, Some(&mut Discard), Some(&mut stream))?;
    stream.finish().map_err(|e| stream_error("stdout", e))?;
    let (summary, worst) = (stream.summary, stream.worst);
    if format == Format::Text {
        writeln!(out, "{}", summary.line())
            .and_then(|()| out.flush())
            .map_err(|e| stream_error("stdout", e))?;
    } else {
        say(&summary.line());
    }
    Ok(if worst >= Some(fail_on) { FINDINGS } else { OK })
}

fn convert_command(run: &ConvertRun) -> Result<u8, String> {
    let Gathered {
        sources,
        baseline,
        mut plan,
    } = gather(run)?;
    // Every destination is claimed before anything is converted: nothing is
    // written when one of them cannot be.
    let many = sources.len() > 1 || run.inputs.iter().any(|i| Path::new(i).is_dir());
    let dests = plan_outputs(run, &sources, many, &mut plan)?;
    let report_dest = match run.report_file {
        Some(p) => Some(plan.claim(p, "the report")?),
        None => None,
    };
    output::remove_temporaries_on_interrupt();
    // SQL is written as each statement is converted (--fold writes it at
    // the end) and the report as each completes; nothing is kept. Only
    // --annotate keeps the results (late findings are placed above their
    // statements).
    if run.annotate.is_none() {
        let mut sink = OutputSink {
            dests: &dests,
            stdout: None,
            current: None,
            written: vec![],
            buf: String::new(),
        };
        let mut file = report_dest
            .as_deref()
            .map(output::AtomicFile::create)
            .transpose()?;
        let mut err = std::io::BufWriter::new(std::io::stderr());
        let (out, name): (&mut dyn Write, &'static str) = match &mut file {
            Some(f) => (f, "report file"),
            None => (&mut err, "stderr"),
        };
        let mut stream = report::Stream::report(out, name, report_kind(run))
            .map_err(|e| stream_error(name, e))?;
        let sink_used: Option<&mut dyn Sink> = if run.fold { None } else { Some(&mut sink) };
        let (_, _, conv) = convert_gathered(run, sources, &baseline, sink_used, Some(&mut stream))?;
        stream.finish().map_err(|e| stream_error(name, e))?;
        let summary = stream.summary;
        sink.finish()?;
        if let Some(f) = file {
            f.commit()?;
        }
        if run.fold {
            write_folded(&dests, &conv)?;
        }
        // A machine-readable report on standard error is the whole of it.
        if !run.quiet {
            say(&summary.line());
        }
        return Ok(if summary.error_findings > 0 {
            FINDINGS
        } else {
            OK
        });
    }
    let (_, files, conv) = convert_gathered(run, sources, &baseline, None, None)?;
    write_report(run, report_dest.as_deref(), &files)?;
    let summary = Summary::of(&files);
    if run.fold {
        write_folded(&dests, &conv)?;
    } else {
        write_outputs(&files, &dests, run.annotate)?;
    }
    if !run.quiet {
        say(&summary.line());
    }
    Ok(if summary.error_findings > 0 {
        FINDINGS
    } else {
        OK
    })
}

/// `--fold`: one schema from all inputs, on standard output or in the one
/// claimed destination.
fn write_folded(dests: &[Option<PathBuf>], conv: &Converter) -> Result<(), String> {
    let sql = pg2tidb::fold::schema_sql(&conv.catalog);
    match dests.first() {
        Some(Some(dest)) => output::write_atomic(dest, &sql),
        _ => std::io::stdout()
            .lock()
            .write_all(sql.as_bytes())
            .map_err(|e| stream_error("stdout", e)),
    }
}

/// The report format of `convert --report`.
fn report_kind(run: &ConvertRun) -> report::Kind {
    let target = run.target;
    match run.report {
        Report::Text => report::Kind::Text { min: run.min },
        Report::Markdown => report::Kind::Markdown {
            target,
            diffs: false,
        },
        Report::Json => report::Kind::Json {
            target,
            newline: true,
        },
        Report::Html => report::Kind::Html { target },
    }
}

/// Where each source's SQL goes: `None` for standard output. Each file
/// destination is claimed in `plan` (no input, no other output, a regular
/// file or nothing).
fn plan_outputs(
    run: &ConvertRun,
    sources: &[Source],
    many: bool,
    plan: &mut output::Plan,
) -> Result<Vec<Option<PathBuf>>, String> {
    if run.fold {
        // One schema from all inputs.
        return match run.output {
            Some(p) if p.is_dir() => Err(format!(
                "{}: --fold writes one file, not a directory",
                p.display()
            )),
            Some(p) => Ok(vec![Some(plan.claim(p, "the folded schema")?)]),
            None => Ok(vec![None]),
        };
    }
    match run.output {
        None if many => Err("several inputs need -o DIR".into()),
        None => Ok(vec![None]),
        Some(out) if !many && !out.is_dir() => Ok(vec![Some(plan.claim(out, "the output")?)]),
        Some(dir) => {
            if dir.exists() && !dir.is_dir() {
                return Err(format!(
                    "{}: not a directory (several outputs need -o DIR)",
                    dir.display()
                ));
            }
            sources
                .iter()
                .map(|s| {
                    plan.claim(&dir.join(&s.rel), &format!("the output of {}", s.display))
                        .map(Some)
                })
                .collect()
        }
    }
}

/// `convert --emit alembic`: one Alembic revision file per upgrade section.
fn alembic_command(run: &ConvertRun, downgrade: Option<&Path>) -> Result<u8, String> {
    if run.fold {
        return Err("--emit alembic and --fold do not go together".into());
    }
    let Some(dir) = run.output else {
        return Err("--emit alembic needs -o DIR (the TiDB project's versions directory)".into());
    };
    if dir.exists() && !dir.is_dir() {
        return Err(format!("{}: not a directory", dir.display()));
    }
    let Gathered {
        sources,
        baseline,
        mut plan,
    } = gather(run)?;
    let report_dest = match run.report_file {
        Some(p) => Some(plan.claim(p, "the report")?),
        None => None,
    };
    let downgrade_sources = match downgrade {
        Some(d) => {
            let found = input::discover(&[d.display().to_string()], Some(Layout::Plain))
                .map_err(|e| e.to_string())?;
            for s in &found.sources {
                if let Some(p) = &s.path {
                    plan.protect(p, &format!("downgrade SQL {}", s.display));
                }
            }
            found.sources
        }
        None => vec![],
    };
    output::remove_temporaries_on_interrupt();
    let (mut sources, mut files, mut conv) = convert_gathered(run, sources, &baseline, None, None)?;
    if files.len() != 1 {
        return Err(format!(
            "--emit alembic takes one `alembic upgrade --sql` file, got {}",
            files.len()
        ));
    }
    for s in downgrade_sources {
        // After the upgrade: the schema model is the head's, as for a real downgrade.
        let statements = conv.convert_text(&s.load().map_err(|e| e.to_string())?);
        files.push(FileResult {
            path: s.display.clone(),
            statements,
        });
        sources.push(s);
    }
    let revisions = pg2tidb::alembic::revisions(&files[0], files.get(1))?;
    // Plan every path first: nothing is written if any would clash.
    let plan: Vec<(PathBuf, String)> = revisions
        .into_iter()
        .map(|(name, text)| {
            let path = dir.join(&name);
            plan.claim(&path, &format!("revision {name}"))
                .map(|dest| (dest, text))
        })
        .collect::<Result<_, _>>()?;
    write_report(run, report_dest.as_deref(), &files)?;
    for (p, text) in &plan {
        output::write_atomic(p, text)?;
    }
    let summary = Summary::of(&files);
    say(&format!(
        "pg2tidb: {} Alembic revision(s) written to {}",
        plan.len(),
        report::escape(&dir.display().to_string())
    ));
    say(&summary.line());
    Ok(if summary.error_findings > 0 {
        FINDINGS
    } else {
        OK
    })
}

/// The `convert` report (--report) of results held whole (--annotate,
/// --emit alembic), on standard error or in `dest` (the claimed
/// --report-file).
fn write_report(run: &ConvertRun, dest: Option<&Path>, files: &[FileResult]) -> Result<(), String> {
    match dest {
        Some(p) => {
            let mut f = output::AtomicFile::create(p)?;
            report::write(report_kind(run), &mut f, files)
                .map_err(|e| format!("{}: cannot write: {e}", p.display()))?;
            f.commit()
        }
        None => {
            let mut err = std::io::BufWriter::new(std::io::stderr().lock());
            report::write(report_kind(run), &mut err, files)
                .and_then(|()| err.flush())
                .map_err(|e| stream_error("stderr", e))
        }
    }
}

/// `check` writes no SQL.
struct Discard;

impl Sink for Discard {
    fn begin(&mut self, _: &[Source], _: usize) -> Result<(), String> {
        Ok(())
    }
    fn statement(&mut self, _: &pg2tidb::StatementResult) -> Result<(), String> {
        Ok(())
    }
}

/// `convert`'s streaming output: standard output, or temporary files beside
/// their (claimed) destinations, renamed into place only when every file is
/// complete (and removed otherwise), so no file is ever half written.
struct OutputSink<'a> {
    /// Per source: its destination, or `None` for standard output.
    dests: &'a [Option<PathBuf>],
    stdout: Option<std::io::BufWriter<std::io::StdoutLock<'static>>>,
    current: Option<output::AtomicFile>,
    /// Every file completed, waiting to be renamed into place.
    written: Vec<output::AtomicFile>,
    buf: String,
}

impl Sink for OutputSink<'_> {
    fn begin(&mut self, _: &[Source], index: usize) -> Result<(), String> {
        self.close_current()?;
        match self.dests.get(index).cloned().flatten() {
            None => {
                if self.stdout.is_none() {
                    self.stdout = Some(std::io::BufWriter::new(std::io::stdout().lock()));
                }
            }
            Some(dest) => self.current = Some(output::AtomicFile::create(&dest)?),
        }
        Ok(())
    }

    fn statement(&mut self, r: &pg2tidb::StatementResult) -> Result<(), String> {
        self.buf.clear();
        pg2tidb::statement_sql(r, None, &mut self.buf);
        match (&mut self.current, &mut self.stdout) {
            (Some(f), _) => f.write_all(self.buf.as_bytes()),
            (None, Some(out)) => out
                .write_all(self.buf.as_bytes())
                .map_err(|e| stream_error("stdout", e)),
            (None, None) => Ok(()),
        }
    }
}

impl OutputSink<'_> {
    fn close_current(&mut self) -> Result<(), String> {
        if let Some(mut f) = self.current.take() {
            f.close()?;
            self.written.push(f);
        }
        Ok(())
    }

    /// Every file is complete: rename them into place.
    fn finish(&mut self) -> Result<(), String> {
        self.close_current()?;
        if let Some(out) = &mut self.stdout {
            out.flush().map_err(|e| stream_error("stdout", e))?;
        }
        for f in std::mem::take(&mut self.written) {
            f.commit()?;
        }
        Ok(())
    }
}

/// Write each file's SQL (held in memory: --annotate, reports) to its
/// claimed destination, or standard output.
fn write_outputs(
    files: &[FileResult],
    dests: &[Option<PathBuf>],
    annotate: Option<Severity>,
) -> Result<(), String> {
    for (f, dest) in files.iter().zip(dests) {
        let text = f.output_sql_annotated(annotate);
        match dest {
            Some(p) => output::write_atomic(p, &text)?,
            None => std::io::stdout()
                .lock()
                .write_all(text.as_bytes())
                .map_err(|e| stream_error("stdout", e))?,
        }
    }
    Ok(())
}
