//! What every converting command shares: find the inputs and the baseline,
//! convert them in order, and hand each statement to a sink and a report
//! stream as it completes.

use super::say;
use super::stream_error;
use super::Report;
use pg2tidb::config::Config;
use pg2tidb::input::{self, Source};
use pg2tidb::layout::Layout;
use pg2tidb::output;
use pg2tidb::pipeline::Progress;
use pg2tidb::report;
use pg2tidb::rules::Severity;
use pg2tidb::{Converter, FileResult, Options, Target};
use std::fs;
use std::path::{Path, PathBuf};

pub(crate) struct ConvertRun<'a> {
    pub(crate) inputs: &'a [String],
    pub(crate) output: Option<&'a Path>,
    pub(crate) target: Target,
    pub(crate) min: Severity,
    pub(crate) layout: Option<Layout>,
    pub(crate) baseline: &'a [String],
    pub(crate) fold: bool,
    pub(crate) report: Report,
    pub(crate) annotate: Option<Severity>,
    pub(crate) since: Option<String>,
    pub(crate) config: &'a Config,
    pub(crate) report_file: Option<&'a Path>,
    /// Print no notes about the inputs (a machine-readable report is on
    /// standard error).
    pub(crate) quiet: bool,
}

/// Where `convert` writes statement by statement, so the results of a large
/// input need not all be held: the kept results lose their source and output.
pub(crate) trait Sink {
    /// File `index` of `sources` (all the input files found) starts.
    fn begin(&mut self, sources: &[Source], index: usize) -> Result<(), String>;
    fn statement(&mut self, r: &pg2tidb::StatementResult) -> Result<(), String>;
}

/// The inputs and baseline of a run, found and read, and the files no
/// output may replace.
pub(crate) struct Gathered {
    pub(crate) sources: Vec<Source>,
    pub(crate) baseline: Vec<Source>,
    pub(crate) plan: output::Plan,
}

/// Find the inputs and the baseline and say what was found: the first step
/// of every converting command. A baseline file that is also an input is
/// left out of the baseline (it would be checked against itself). `skip`:
/// the output directory, never read as input.
pub(crate) fn gather(run: &ConvertRun) -> Result<Gathered, String> {
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
pub(crate) fn looks_like_pg_dump(s: &Source) -> bool {
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

/// Discover the inputs, load the baseline, and convert: shared by every
/// converting command (see [`convert_gathered`]).
pub(crate) fn run_conversion(
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
pub(crate) fn convert_gathered(
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
        conv.file_names = baseline.iter().map(|s| s.display.clone()).collect();
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
    conv.file_names = sources.iter().map(|s| s.display.clone()).collect();
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
pub(crate) fn changed_since(
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

/// `check` writes no SQL.
pub(crate) struct Discard;

impl Sink for Discard {
    fn begin(&mut self, _: &[Source], _: usize) -> Result<(), String> {
        Ok(())
    }
    fn statement(&mut self, _: &pg2tidb::StatementResult) -> Result<(), String> {
        Ok(())
    }
}
