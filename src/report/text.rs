//! Line-oriented reports: text diagnostics, GitHub workflow commands and
//! the diff of `pg2tidb diff`.

use super::{escape, Items, Summary, Tally};
use crate::result::StatementResult;
use crate::rules::Severity;
use std::io::{self, Write};

/// `file:line:col: severity[rule]: message` per finding at or above `min`.
pub(super) struct Diagnostics {
    pub min: Severity,
}

impl Items for Diagnostics {
    fn file(&mut self, _: &mut dyn Write, _: &str) -> io::Result<()> {
        Ok(())
    }

    fn statement(&mut self, w: &mut dyn Write, path: &str, st: &StatementResult) -> io::Result<()> {
        let path = escape(path);
        for fd in st.findings.iter().filter(|fd| fd.severity >= self.min) {
            writeln!(
                w,
                "{path}:{}:{}: {}[{}]: {}",
                fd.loc.line,
                fd.loc.col,
                fd.severity,
                fd.rule,
                escape(&fd.message)
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, _: &mut dyn Write, _: &Summary, _: &Tally) -> io::Result<()> {
        Ok(())
    }
}

/// GitHub Actions workflow commands: one `::error|warning|notice` line per finding.
pub(super) struct Github;

impl Items for Github {
    fn file(&mut self, _: &mut dyn Write, _: &str) -> io::Result<()> {
        Ok(())
    }

    fn statement(&mut self, w: &mut dyn Write, path: &str, st: &StatementResult) -> io::Result<()> {
        // GitHub's own escapes for line breaks; other controls visibly.
        let esc = |s: &str| {
            let s = s
                .replace('%', "%25")
                .replace('\r', "%0D")
                .replace('\n', "%0A");
            escape(&s).into_owned()
        };
        let prop = |s: &str| esc(s).replace(':', "%3A").replace(',', "%2C");
        for f in &st.findings {
            let level = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            writeln!(
                w,
                "::{level} file={},line={},col={},title={}::{}",
                prop(path),
                f.loc.line,
                f.loc.col,
                prop(&format!("pg2tidb {}", f.rule)),
                esc(&f.message)
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, _: &mut dyn Write, _: &Summary, _: &Tally) -> io::Result<()> {
        Ok(())
    }
}

/// True when a statement went over exactly as it was, without findings
/// (the diff reports leave it out).
pub(super) fn unchanged(st: &StatementResult) -> bool {
    st.findings.is_empty() && st.output.len() == 1 && st.output[0] == st.source
}

/// The unified diff of one statement: PostgreSQL text → TiDB text.
pub fn statement_diff(path: &str, s: &StatementResult) -> String {
    let old = format!("{}\n", s.source);
    let new: String = s.output.iter().map(|o| format!("{o};\n")).collect();
    let old_header = format!("{path}:{}:{} (PostgreSQL)", s.loc.line, s.loc.col);
    similar::TextDiff::from_lines(&old, &new)
        .unified_diff()
        .context_radius(3)
        .header(&old_header, "TiDB")
        .to_string()
}

/// The plain-text diff report of `pg2tidb diff`, optionally coloured.
pub(super) struct Diff {
    pub color: bool,
}

impl Diff {
    fn paint(&self, line: &str) -> String {
        if !self.color {
            return line.to_string();
        }
        let code = if line.starts_with("+++") || line.starts_with("---") {
            "1"
        } else if line.starts_with('+') {
            "32"
        } else if line.starts_with('-') {
            "31"
        } else if line.starts_with("@@") {
            "36"
        } else {
            return line.to_string();
        };
        format!("\x1b[{code}m{line}\x1b[0m")
    }
}

impl Items for Diff {
    fn file(&mut self, _: &mut dyn Write, _: &str) -> io::Result<()> {
        Ok(())
    }

    fn statement(&mut self, w: &mut dyn Write, path: &str, st: &StatementResult) -> io::Result<()> {
        if unchanged(st) {
            return Ok(());
        }
        for line in statement_diff(path, st).lines() {
            writeln!(w, "{}", self.paint(&escape(line)))?;
        }
        let path = escape(path);
        for x in &st.findings {
            writeln!(
                w,
                "  {path}:{}:{}: {}[{}]: {}",
                x.loc.line,
                x.loc.col,
                x.severity,
                x.rule,
                escape(&x.message)
            )?;
        }
        writeln!(w)
    }

    fn finish(&mut self, w: &mut dyn Write, summary: &Summary, _: &Tally) -> io::Result<()> {
        writeln!(w, "{}", summary.line())
    }

    fn needs_text(&self) -> bool {
        true
    }
}
