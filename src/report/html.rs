//! The HTML report: one self-contained page, its summary first, so the
//! per-file sections are spooled and copied after it.

use super::{Items, Spool, Summary, Tally};
use crate::result::{StatementResult, Status};
use std::io::{self, Write};

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub(super) struct Html {
    target: crate::Target,
    spool: Spool,
    /// Files begun so far.
    files: usize,
}

impl Html {
    pub fn new(target: crate::Target) -> io::Result<Self> {
        Ok(Html {
            target,
            spool: Spool::new()?,
            files: 0,
        })
    }
}

impl Items for Html {
    fn file(&mut self, _: &mut dyn Write, path: &str) -> io::Result<()> {
        writeln!(
            self.spool.0,
            "<h2 id=\"f{}\">{}</h2>",
            self.files,
            html_escape(path)
        )?;
        self.files += 1;
        Ok(())
    }

    fn statement(&mut self, _: &mut dyn Write, _: &str, st: &StatementResult) -> io::Result<()> {
        let h = &mut self.spool.0;
        let i = self.files.saturating_sub(1);
        let class = match st.status {
            Status::Converted if st.findings.is_empty() => "stmt converted same",
            Status::Converted => "stmt converted",
            Status::Dropped => "stmt dropped",
            Status::Error => "stmt error-stmt",
        };
        let tidb = if st.output.is_empty() {
            match st.status {
                Status::Dropped => "(dropped)".to_string(),
                _ => "(not carried over)".to_string(),
            }
        } else {
            st.output
                .iter()
                .map(|o| format!("{o};"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        writeln!(
            h,
            "<div class=\"{class}\" id=\"f{i}l{}\"><pre class=\"pg\" title=\"PostgreSQL, line {}\">{}</pre><pre class=\"tidb\" title=\"TiDB\">{}</pre>",
            st.loc.line,
            st.loc.line,
            html_escape(&st.source),
            html_escape(&tidb)
        )?;
        if !st.findings.is_empty() {
            h.write_all(b"<ul class=\"findings\">")?;
            for x in &st.findings {
                write!(
                    h,
                    "<li class=\"{}\"><b>{}</b> <code>{}</code> {}:{} {}</li>",
                    x.severity,
                    x.severity,
                    x.rule,
                    x.loc.line,
                    x.loc.col,
                    html_escape(&x.message)
                )?;
            }
            h.write_all(b"</ul>")?;
        }
        h.write_all(b"</div>\n")
    }

    fn finish(&mut self, h: &mut dyn Write, s: &Summary, tally: &Tally) -> io::Result<()> {
        let a = &tally.assessment;
        h.write_all(b"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>pg2tidb report</title>\n<style>\n")?;
        h.write_all(b"body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}\n")?;
        h.write_all(b".stmt{display:grid;grid-template-columns:1fr 1fr;gap:.5rem;margin:.8rem 0;border-top:1px solid #ddd;padding-top:.5rem}\n")?;
        h.write_all(b"pre{margin:0;padding:.4rem;background:#f6f8fa;overflow-x:auto;font-size:.85rem}.findings{grid-column:1/3;margin:0;padding-left:1.2rem}\n")?;
        h.write_all(b".error{color:#b00020}.warning{color:#8a5a00}.info{color:#555}.dropped pre.tidb,.error-stmt pre.tidb{background:#fdecea}\n")?;
        h.write_all(b"body.hide-info li.info{display:none}body.hide-same .same{display:none}\n</style></head>\n<body>\n")?;
        writeln!(
            h,
            "<h1>pg2tidb report <small>({})</small></h1>",
            self.target
        )?;
        writeln!(
            h,
            "<p id=\"assessment\">{} statement(s) in {} file(s): <b>{}</b> converted as is, <b>{}</b> converted with changes, <b>{}</b> dropped, <b>{}</b> not carried over.</p>",
            s.statements, s.files, a.as_is, a.with_changes, a.dropped, a.not_carried_over
        )?;
        h.write_all(b"<p><label><input type=\"checkbox\" id=\"hide-info\"> hide info findings</label> <label><input type=\"checkbox\" id=\"hide-same\"> hide statements without findings</label></p>\n")?;
        writeln!(
            h,
            "<table id=\"per-severity\"><tr><th>severity</th><th>findings</th></tr><tr><td class=\"error\">error</td><td>{}</td></tr><tr><td class=\"warning\">warning</td><td>{}</td></tr><tr><td class=\"info\">info</td><td>{}</td></tr><tr><td>suppressed</td><td>{}</td></tr></table>",
            s.error_findings, s.warnings, s.infos, s.suppressed
        )?;
        h.write_all(
            b"<table id=\"per-rule\"><tr><th>rule</th><th>severity</th><th>findings</th></tr>\n",
        )?;
        for (rule, sev, n) in tally.per_rule() {
            writeln!(
                h,
                "<tr><td><code>{rule}</code></td><td class=\"{sev}\">{sev}</td><td>{n}</td></tr>"
            )?;
        }
        h.write_all(b"</table>\n<table id=\"needs-a-human\"><tr><th>table (needs a human)</th><th>errors</th><th>warnings</th></tr>\n")?;
        for (t, e, w) in tally.needs_a_human() {
            writeln!(
                h,
                "<tr><td><code>{}</code></td><td>{e}</td><td>{w}</td></tr>",
                html_escape(&t)
            )?;
        }
        h.write_all(b"</table>\n<table id=\"per-file\"><tr><th>file</th><th>statements</th><th>errors</th><th>warnings</th></tr>\n")?;
        for (i, (path, fs)) in tally.files.iter().enumerate() {
            writeln!(
                h,
                "<tr><td><a href=\"#f{i}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                html_escape(path),
                fs.statements,
                fs.error_findings,
                fs.warnings
            )?;
        }
        h.write_all(b"</table>\n")?;
        self.spool.copy_to(h)?;
        h.write_all(b"<script>\nfor (const id of ['hide-info', 'hide-same']) {\n  document.getElementById(id).addEventListener('change', e => document.body.classList.toggle(id, e.target.checked));\n}\ndocument.body.dataset.findings = document.querySelectorAll('.findings li').length;\ndocument.body.dataset.ready = '1';\n</script>\n</body></html>\n")
    }

    fn needs_text(&self) -> bool {
        true
    }

    fn needs_tally(&self) -> bool {
        true
    }
}
