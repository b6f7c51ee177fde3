//! `pg2tidb diff`: every statement's change with the rules that made it.

use super::run::{run_conversion, ConvertRun};
use super::{stream_error, Report, FINDINGS, OK};
use pg2tidb::report;

/// `pg2tidb diff`: every statement's change as a unified diff with its findings.
pub(crate) fn diff_command(run: &ConvertRun, color: &str) -> Result<u8, String> {
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
