//! `pg2tidb convert`: write the TiDB SQL (files or standard output) and the
//! report, every destination claimed before anything is converted.

use super::run::{convert_gathered, gather, ConvertRun, Gathered, Sink};
use super::{say, stream_error, Report, FINDINGS, OK};
use pg2tidb::input::Source;
use pg2tidb::output;
use pg2tidb::report::{self, Summary};
use pg2tidb::rules::Severity;
use pg2tidb::{Converter, FileResult};
use std::io::Write;
use std::path::{Path, PathBuf};

pub(crate) fn convert_command(run: &ConvertRun) -> Result<u8, String> {
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
pub(crate) fn write_folded(dests: &[Option<PathBuf>], conv: &Converter) -> Result<(), String> {
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
pub(crate) fn report_kind(run: &ConvertRun) -> report::Kind {
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
pub(crate) fn plan_outputs(
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

/// The `convert` report (--report) of results held whole (--annotate,
/// --emit alembic), on standard error or in `dest` (the claimed
/// --report-file).
pub(crate) fn write_report(
    run: &ConvertRun,
    dest: Option<&Path>,
    files: &[FileResult],
) -> Result<(), String> {
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

/// `convert`'s streaming output: standard output, or temporary files beside
/// their (claimed) destinations, renamed into place only when every file is
/// complete (and removed otherwise), so no file is ever half written.
pub(crate) struct OutputSink<'a> {
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
pub(crate) fn write_outputs(
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
