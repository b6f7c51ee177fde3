//! `pg2tidb check`: convert in memory for CI, report, exit 1 at --fail-on.

use super::run::{run_conversion, ConvertRun, Discard};
use super::{say, stream_error, FINDINGS, OK};
use pg2tidb::report::{self, Format};
use pg2tidb::rules::Severity;
use std::io::Write;

/// `pg2tidb check`: convert in memory, report in `format`, exit 1 at `fail_on`.
pub(crate) fn check_command(
    run: &ConvertRun,
    format: Format,
    fail_on: Severity,
) -> Result<u8, String> {
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
