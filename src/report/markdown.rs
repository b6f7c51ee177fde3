//! The Markdown report (`--report markdown`): the summary first, so the
//! per-file sections are spooled and copied after it.

use super::text::{statement_diff, unchanged};
use super::{escape, Items, Spool, Summary, Tally};
use crate::result::{StatementResult, Status};
use std::io::{self, Write};

pub(super) struct Markdown {
    target: crate::Target,
    diffs: bool,
    spool: Spool,
    /// The current file has shown a finding (or there is no current file).
    shown: bool,
}

impl Markdown {
    pub fn new(target: crate::Target, diffs: bool) -> io::Result<Self> {
        Ok(Markdown {
            target,
            diffs,
            spool: Spool::new()?,
            shown: true,
        })
    }

    fn end_file(&mut self) -> io::Result<()> {
        if !self.shown && !self.diffs {
            self.spool.0.write_all(b"No findings.\n")?;
        }
        self.shown = true;
        Ok(())
    }
}

impl Items for Markdown {
    fn file(&mut self, _: &mut dyn Write, path: &str) -> io::Result<()> {
        self.end_file()?;
        writeln!(self.spool.0, "\n## {}\n", escape(path))?;
        self.shown = false;
        Ok(())
    }

    fn statement(&mut self, _: &mut dyn Write, path: &str, st: &StatementResult) -> io::Result<()> {
        let out = &mut self.spool.0;
        self.shown |= !st.findings.is_empty();
        if !self.diffs {
            for x in &st.findings {
                writeln!(
                    out,
                    "- `{}:{}` **{}** `{}`: {}",
                    x.loc.line,
                    x.loc.col,
                    x.severity,
                    x.rule,
                    escape(&x.message).replace('|', "\\|")
                )?;
            }
            return Ok(());
        }
        if unchanged(st) {
            return Ok(());
        }
        writeln!(
            out,
            "### line {} ({})\n",
            st.loc.line,
            match st.status {
                Status::Converted => "converted",
                Status::Dropped => "dropped",
                Status::Error => "not carried over",
            }
        )?;
        for x in &st.findings {
            writeln!(
                out,
                "- **{}** `{}` ({}:{}): {}",
                x.severity,
                x.rule,
                x.loc.line,
                x.loc.col,
                escape(&x.message)
            )?;
        }
        out.write_all(b"\n```diff\n")?;
        for line in statement_diff(path, st).lines() {
            writeln!(out, "{}", escape(line))?;
        }
        out.write_all(b"```\n")
    }

    fn finish(&mut self, w: &mut dyn Write, s: &Summary, tally: &Tally) -> io::Result<()> {
        self.end_file()?;
        let a = &tally.assessment;
        write!(w, "# pg2tidb report ({})\n\n", self.target)?;
        writeln!(
            w,
            "{} statement(s) in {} file(s): **{}** converted as is, **{}** converted with changes, **{}** dropped, **{}** not carried over.\n",
            s.statements, s.files, a.as_is, a.with_changes, a.dropped, a.not_carried_over
        )?;
        w.write_all(b"| severity | findings |\n| --- | ---: |\n")?;
        writeln!(
            w,
            "| error | {} |\n| warning | {} |\n| info | {} |",
            s.error_findings, s.warnings, s.infos
        )?;
        if s.suppressed > 0 {
            writeln!(w, "| suppressed | {} |", s.suppressed)?;
        }
        w.write_all(b"\n| rule | severity | findings |\n| --- | --- | ---: |\n")?;
        for (rule, sev, n) in tally.per_rule() {
            writeln!(w, "| `{rule}` | {sev} | {n} |")?;
        }
        let tables = tally.needs_a_human();
        if !tables.is_empty() {
            w.write_all(b"\n**Needs a human**, per table:\n\n| table | errors | warnings |\n| --- | ---: | ---: |\n")?;
            for (t, e, warn) in tables {
                writeln!(w, "| `{}` | {e} | {warn} |", escape(&t))?;
            }
        }
        self.spool.copy_to(w)
    }

    fn needs_text(&self) -> bool {
        self.diffs
    }

    fn needs_tally(&self) -> bool {
        true
    }
}
