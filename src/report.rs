//! Diagnostics and the summary line.

use crate::convert::{StatementResult, Status};
use crate::rules::Severity;
use crate::FileResult;
use std::fmt::Write as _;

/// Counts over a whole run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub statements: usize,
    pub converted: usize,
    pub dropped: usize,
    pub errors: usize,
    pub error_findings: usize,
    pub warnings: usize,
    pub infos: usize,
    pub suppressed: usize,
}

impl Summary {
    pub fn of(files: &[FileResult]) -> Summary {
        let mut s = Summary {
            files: files.len(),
            ..Summary::default()
        };
        for st in files.iter().flat_map(|f| &f.statements) {
            s.add(st);
        }
        s
    }

    /// Count one statement.
    pub fn add(&mut self, st: &StatementResult) {
        self.statements += 1;
        self.suppressed += st.suppressed;
        match st.status {
            Status::Converted => self.converted += 1,
            Status::Dropped => self.dropped += 1,
            Status::Error => self.errors += 1,
        }
        for fd in &st.findings {
            match fd.severity {
                Severity::Error => self.error_findings += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
        }
    }

    pub fn line(&self) -> String {
        let suppressed = if self.suppressed > 0 {
            format!(", {} suppressed", self.suppressed)
        } else {
            String::new()
        };
        format!(
            "pg2tidb: {} file(s), {} statement(s): {} converted, {} dropped, {} error(s); findings: {} error, {} warning, {} info{suppressed}",
            self.files, self.statements, self.converted, self.dropped, self.errors, self.error_findings, self.warnings, self.infos
        )
    }
}

/// `file:line:col: severity[rule]: message`, one per finding, in file order.
pub fn diagnostics(files: &[FileResult], min: Severity) -> String {
    let mut out = Vec::new();
    let _ = write_diagnostics(&mut out, files, min);
    String::from_utf8(out).expect("diagnostics are UTF-8")
}

/// [`diagnostics`] written straight to `w` (no copy of the whole text).
pub fn write_diagnostics(
    w: &mut dyn std::io::Write,
    files: &[FileResult],
    min: Severity,
) -> std::io::Result<()> {
    for f in files {
        for st in &f.statements {
            write_statement_diagnostics(w, &f.path, st, min)?;
        }
    }
    Ok(())
}

fn write_statement_diagnostics(
    w: &mut dyn std::io::Write,
    path: &str,
    st: &StatementResult,
    min: Severity,
) -> std::io::Result<()> {
    for fd in st.findings.iter().filter(|fd| fd.severity >= min) {
        writeln!(
            w,
            "{path}:{}:{}: {}[{}]: {}",
            fd.loc.line, fd.loc.col, fd.severity, fd.rule, fd.message
        )?;
    }
    Ok(())
}

/// The text report without keeping the results: each statement's
/// diagnostics are written as it is handed over (in file order, as
/// [`write_diagnostics`] writes them) and only the counts are kept.
pub struct Stream<'w> {
    w: &'w mut dyn std::io::Write,
    /// Where it goes, for errors (`stdout`, `stderr`).
    pub name: &'static str,
    min: Severity,
    pub summary: Summary,
    /// The most severe finding seen.
    pub worst: Option<Severity>,
}

impl<'w> Stream<'w> {
    pub fn new(w: &'w mut dyn std::io::Write, name: &'static str, min: Severity) -> Self {
        Stream {
            w,
            name,
            min,
            summary: Summary::default(),
            worst: None,
        }
    }

    /// A file starts.
    pub fn file(&mut self) {
        self.summary.files += 1;
    }

    /// One statement of the file at `path`, complete with its findings.
    pub fn statement(&mut self, path: &str, st: &StatementResult) -> std::io::Result<()> {
        self.summary.add(st);
        self.worst = self.worst.max(st.findings.iter().map(|f| f.severity).max());
        write_statement_diagnostics(self.w, path, st, self.min)
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.w.flush()
    }
}

/// Output formats of `pg2tidb check` (and the JSON report of `convert`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Github,
    Gitlab,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "text" => Format::Text,
            "json" => Format::Json,
            "sarif" => Format::Sarif,
            "github" => Format::Github,
            "gitlab" => Format::Gitlab,
            _ => {
                return Err(format!(
                    "unknown format '{s}' (text, json, sarif, github, gitlab)"
                ))
            }
        })
    }
}

/// Every finding with its file, in order.
fn all_findings(files: &[FileResult]) -> impl Iterator<Item = (&str, &crate::rules::Finding)> {
    files.iter().flat_map(|f| {
        f.statements
            .iter()
            .flat_map(move |s| s.findings.iter().map(move |x| (f.path.as_str(), x)))
    })
}

/// A sequence serialised item by item as it is written (each item is made,
/// written and dropped in turn), so a large report never exists twice in
/// memory. Items are `serde_json::Value`s: their keys come out sorted, as in
/// the rest of the report.
struct Lazy<I>(std::cell::RefCell<Option<I>>);

impl<I: Iterator<Item = serde_json::Value>> Lazy<I> {
    fn new(items: I) -> Self {
        Lazy(std::cell::RefCell::new(Some(items)))
    }
}

impl<I: Iterator<Item = serde_json::Value>> serde::Serialize for Lazy<I> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let items = self.0.borrow_mut().take();
        s.collect_seq(items.into_iter().flatten())
    }
}

/// Pretty JSON (two-space indents) written to `w`.
fn write_pretty(w: &mut dyn std::io::Write, value: &impl serde::Serialize) -> std::io::Result<()> {
    // serde_json writes token by token: buffer here, not behind `dyn`.
    let mut w = std::io::BufWriter::with_capacity(1 << 16, w);
    serde_json::to_writer_pretty(&mut w, value).map_err(std::io::Error::other)?;
    std::io::Write::flush(&mut w)
}

fn render(write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    write(&mut out).expect("the report serialises into memory");
    String::from_utf8(out).expect("the report is UTF-8")
}

/// The JSON report: `{"version": 1, "tool", "target", "summary", "files": [{"path", "statements": [...]}]}`.
/// Its schema is docs/report.schema.json.
pub fn json(files: &[FileResult], target: crate::Target) -> String {
    render(|w| write_json(w, files, target))
}

/// [`json`] written to `w` statement by statement.
pub fn write_json(
    w: &mut dyn std::io::Write,
    files: &[FileResult],
    target: crate::Target,
) -> std::io::Result<()> {
    // Each file is a map whose statements are written one by one (a whole
    // file as one value would hold a large input twice).
    struct Files<'a>(&'a [FileResult]);
    #[derive(serde::Serialize)]
    #[serde(bound = "")]
    struct File<'a, I: Iterator<Item = serde_json::Value>> {
        path: &'a str,
        statements: Lazy<I>,
    }
    impl serde::Serialize for Files<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(self.0.iter().map(|f| File {
                path: &f.path,
                statements: Lazy::new(f.statements.iter().map(value)),
            }))
        }
    }
    // Fields in sorted order, as serde_json writes a map (and the values
    // below are maps for the same reason).
    #[derive(serde::Serialize)]
    struct Report<'a> {
        files: Files<'a>,
        summary: serde_json::Value,
        target: crate::Target,
        tool: serde_json::Value,
        version: u32,
    }
    write_pretty(
        w,
        &Report {
            files: Files(files),
            summary: value(Summary::of(files)),
            target,
            tool: serde_json::json!({"name": "pg2tidb", "version": env!("CARGO_PKG_VERSION")}),
            version: 1,
        },
    )
}

/// A value as a JSON map with sorted keys.
fn value(v: impl serde::Serialize) -> serde_json::Value {
    serde_json::to_value(v).expect("report values serialise")
}

/// GitHub Actions workflow commands: one `::error|warning|notice` line per finding.
pub fn github(files: &[FileResult]) -> String {
    let esc = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let prop = |s: &str| esc(s).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    for (path, f) in all_findings(files) {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let _ = writeln!(
            out,
            "::{level} file={},line={},col={},title={}::{}",
            prop(path),
            f.loc.line,
            f.loc.col,
            prop(&format!("pg2tidb {}", f.rule)),
            esc(&f.message)
        );
    }
    out
}

/// A stable fingerprint for a finding (FNV-1a over file, rule, line and message).
fn fingerprint(path: &str, f: &crate::rules::Finding) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in format!("{path}\0{}\0{}\0{}", f.rule, f.loc.line, f.message).bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// GitLab code-quality report (a JSON array).
pub fn gitlab(files: &[FileResult]) -> String {
    render(|w| write_gitlab(w, files))
}

/// [`gitlab`] written to `w` finding by finding.
pub fn write_gitlab(w: &mut dyn std::io::Write, files: &[FileResult]) -> std::io::Result<()> {
    let items = all_findings(files).map(|(path, f)| {
        serde_json::json!({
            "description": format!("{} ({})", f.message, f.rule),
            "check_name": f.rule,
            "fingerprint": fingerprint(path, f),
            "severity": match f.severity { Severity::Error => "critical", Severity::Warning => "minor", Severity::Info => "info" },
            "location": {"path": path, "lines": {"begin": f.loc.line}},
        })
    });
    write_pretty(w, &Lazy::new(items))
}

/// SARIF 2.1.0, one run, with every rule in the driver.
pub fn sarif(files: &[FileResult]) -> String {
    render(|w| write_sarif(w, files))
}

/// [`sarif`] written to `w` finding by finding.
pub fn write_sarif(w: &mut dyn std::io::Write, files: &[FileResult]) -> std::io::Result<()> {
    let level = |s: Severity| match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    };
    let rules: Vec<serde_json::Value> = crate::rules::REGISTRY
        .iter()
        .map(|r| {
            let m = r.meta();
            serde_json::json!({
                "id": m.id,
                "shortDescription": {"text": m.summary()},
                "fullDescription": {"text": m.doc.trim_end()},
                "defaultConfiguration": {"level": level(m.severity)},
            })
        })
        .collect();
    let results = all_findings(files).map(|(path, f)| {
        serde_json::json!({
            "ruleId": f.rule,
            "level": level(f.severity),
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": path},
                "region": {"startLine": f.loc.line.max(1), "startColumn": f.loc.col.max(1)},
            }}],
            "partialFingerprints": {"pg2tidb/v1": fingerprint(path, f)},
        })
    });
    // Fields in sorted order, as serde_json writes a map.
    #[derive(serde::Serialize)]
    #[serde(bound = "")]
    struct Run<I: Iterator<Item = serde_json::Value>> {
        results: Lazy<I>,
        tool: serde_json::Value,
    }
    #[derive(serde::Serialize)]
    #[serde(bound = "")]
    struct Doc<I: Iterator<Item = serde_json::Value>> {
        #[serde(rename = "$schema")]
        schema: &'static str,
        runs: [Run<I>; 1],
        version: &'static str,
    }
    let tool = serde_json::json!({"driver": {"name": "pg2tidb", "version": env!("CARGO_PKG_VERSION"), "rules": rules}});
    write_pretty(
        w,
        &Doc {
            schema: "https://json.schemastore.org/sarif-2.1.0.json",
            runs: [Run {
                results: Lazy::new(results),
                tool,
            }],
            version: "2.1.0",
        },
    )
}

/// How many statements converted as they were, converted with changes,
/// were dropped, or were not carried over.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Assessment {
    pub as_is: usize,
    pub with_changes: usize,
    pub dropped: usize,
    pub not_carried_over: usize,
}

impl Assessment {
    pub fn of(files: &[FileResult]) -> Assessment {
        let mut a = Assessment::default();
        for s in files.iter().flat_map(|f| f.statements.iter()) {
            match s.status {
                Status::Converted if s.findings.iter().all(|f| f.severity == Severity::Info) => {
                    a.as_is += 1
                }
                Status::Converted => a.with_changes += 1,
                Status::Dropped => a.dropped += 1,
                Status::Error => a.not_carried_over += 1,
            }
        }
        a
    }
}

/// Tables with warning or error findings: (table, errors, warnings), most errors first.
pub fn needs_a_human(files: &[FileResult]) -> Vec<(String, usize, usize)> {
    let mut m: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    for st in files.iter().flat_map(|f| f.statements.iter()) {
        let Some(obj) = &st.object else { continue };
        for f in &st.findings {
            match f.severity {
                Severity::Error => m.entry(obj.clone()).or_default().0 += 1,
                Severity::Warning => m.entry(obj.clone()).or_default().1 += 1,
                Severity::Info => {}
            }
        }
    }
    let mut v: Vec<_> = m.into_iter().map(|(t, (e, w))| (t, e, w)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
    v
}

/// Findings counted per rule, most frequent first.
fn per_rule(files: &[FileResult]) -> Vec<(&'static str, Severity, usize)> {
    let mut m: std::collections::BTreeMap<&'static str, (Severity, usize)> = Default::default();
    for (_, f) in all_findings(files) {
        m.entry(f.rule).or_insert((f.severity, 0)).1 += 1;
    }
    let mut v: Vec<_> = m.into_iter().map(|(r, (s, n))| (r, s, n)).collect();
    v.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));
    v
}

/// The unified diff of one statement: PostgreSQL text → TiDB text.
pub fn statement_diff(path: &str, s: &crate::StatementResult) -> String {
    let old = format!("{}\n", s.source);
    let new: String = s.output.iter().map(|o| format!("{o};\n")).collect();
    let old_header = format!("{path}:{}:{} (PostgreSQL)", s.loc.line, s.loc.col);
    similar::TextDiff::from_lines(&old, &new)
        .unified_diff()
        .context_radius(3)
        .header(&old_header, "TiDB")
        .to_string()
}

/// A Markdown report that fits a pull-request comment: the assessment, a
/// summary table by severity and rule, then a section per file; with
/// `diffs`, each changed statement's diff under its findings.
pub fn markdown(files: &[FileResult], target: crate::Target, diffs: bool) -> String {
    let s = Summary::of(files);
    let a = Assessment::of(files);
    let mut out = format!("# pg2tidb report ({target})\n\n");
    let _ = writeln!(
        out,
        "{} statement(s) in {} file(s): **{}** converted as is, **{}** converted with changes, **{}** dropped, **{}** not carried over.\n",
        s.statements, s.files, a.as_is, a.with_changes, a.dropped, a.not_carried_over
    );
    out.push_str("| severity | findings |\n| --- | ---: |\n");
    let _ = writeln!(
        out,
        "| error | {} |\n| warning | {} |\n| info | {} |",
        s.error_findings, s.warnings, s.infos
    );
    if s.suppressed > 0 {
        let _ = writeln!(out, "| suppressed | {} |", s.suppressed);
    }
    out.push_str("\n| rule | severity | findings |\n| --- | --- | ---: |\n");
    for (rule, sev, n) in per_rule(files) {
        let _ = writeln!(out, "| `{rule}` | {sev} | {n} |");
    }
    let tables = needs_a_human(files);
    if !tables.is_empty() {
        out.push_str("\n**Needs a human**, per table:\n\n| table | errors | warnings |\n| --- | ---: | ---: |\n");
        for (t, e, w) in tables {
            let _ = writeln!(out, "| `{t}` | {e} | {w} |");
        }
    }
    for f in files {
        let findings: Vec<_> = f
            .statements
            .iter()
            .flat_map(|st| st.findings.iter())
            .collect();
        let _ = writeln!(out, "\n## {}\n", f.path);
        if findings.is_empty() && !diffs {
            out.push_str("No findings.\n");
            continue;
        }
        for st in &f.statements {
            if !diffs {
                for x in &st.findings {
                    let _ = writeln!(
                        out,
                        "- `{}:{}` **{}** `{}`: {}",
                        x.loc.line,
                        x.loc.col,
                        x.severity,
                        x.rule,
                        x.message.replace('|', "\\|")
                    );
                }
                continue;
            }
            if st.findings.is_empty() && st.output.len() == 1 && st.output[0] == st.source {
                continue;
            }
            let _ = writeln!(
                out,
                "### line {} ({})\n",
                st.loc.line,
                match st.status {
                    Status::Converted => "converted",
                    Status::Dropped => "dropped",
                    Status::Error => "not carried over",
                }
            );
            for x in &st.findings {
                let _ = writeln!(
                    out,
                    "- **{}** `{}` ({}:{}): {}",
                    x.severity, x.rule, x.loc.line, x.loc.col, x.message
                );
            }
            let _ = writeln!(out, "\n```diff\n{}```", statement_diff(&f.path, st));
        }
    }
    out
}

/// The plain-text diff report of `pg2tidb diff`, optionally coloured.
pub fn diff_text(files: &[FileResult], color: bool) -> String {
    let paint = |line: &str| -> String {
        if !color {
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
    };
    let mut out = String::new();
    for f in files {
        for st in &f.statements {
            if st.findings.is_empty() && st.output.len() == 1 && st.output[0] == st.source {
                continue;
            }
            for line in statement_diff(&f.path, st).lines() {
                out.push_str(&paint(line));
                out.push('\n');
            }
            for x in &st.findings {
                let _ = writeln!(
                    out,
                    "  {}:{}:{}: {}[{}]: {}",
                    f.path, x.loc.line, x.loc.col, x.severity, x.rule, x.message
                );
            }
            out.push('\n');
        }
    }
    out.push_str(&Summary::of(files).line());
    out.push('\n');
    out
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One self-contained HTML page: the assessment and summary (per severity,
/// per rule, per file), then each file with every statement side by side
/// (PostgreSQL | TiDB) and its findings inline. A few lines of script let the
/// reader hide info findings and unchanged statements.
pub fn html(files: &[FileResult], target: crate::Target) -> String {
    let s = Summary::of(files);
    let a = Assessment::of(files);
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>pg2tidb report</title>\n<style>\n");
    h.push_str("body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}\n");
    h.push_str(".stmt{display:grid;grid-template-columns:1fr 1fr;gap:.5rem;margin:.8rem 0;border-top:1px solid #ddd;padding-top:.5rem}\n");
    h.push_str("pre{margin:0;padding:.4rem;background:#f6f8fa;overflow-x:auto;font-size:.85rem}.findings{grid-column:1/3;margin:0;padding-left:1.2rem}\n");
    h.push_str(".error{color:#b00020}.warning{color:#8a5a00}.info{color:#555}.dropped pre.tidb,.error-stmt pre.tidb{background:#fdecea}\n");
    h.push_str("body.hide-info li.info{display:none}body.hide-same .same{display:none}\n</style></head>\n<body>\n");
    let _ = writeln!(h, "<h1>pg2tidb report <small>({target})</small></h1>");
    let _ = writeln!(
        h,
        "<p id=\"assessment\">{} statement(s) in {} file(s): <b>{}</b> converted as is, <b>{}</b> converted with changes, <b>{}</b> dropped, <b>{}</b> not carried over.</p>",
        s.statements, s.files, a.as_is, a.with_changes, a.dropped, a.not_carried_over
    );
    h.push_str("<p><label><input type=\"checkbox\" id=\"hide-info\"> hide info findings</label> <label><input type=\"checkbox\" id=\"hide-same\"> hide statements without findings</label></p>\n");
    let _ = writeln!(
        h,
        "<table id=\"per-severity\"><tr><th>severity</th><th>findings</th></tr><tr><td class=\"error\">error</td><td>{}</td></tr><tr><td class=\"warning\">warning</td><td>{}</td></tr><tr><td class=\"info\">info</td><td>{}</td></tr><tr><td>suppressed</td><td>{}</td></tr></table>",
        s.error_findings, s.warnings, s.infos, s.suppressed
    );
    h.push_str("<table id=\"per-rule\"><tr><th>rule</th><th>severity</th><th>findings</th></tr>\n");
    for (rule, sev, n) in per_rule(files) {
        let _ = writeln!(
            h,
            "<tr><td><code>{rule}</code></td><td class=\"{sev}\">{sev}</td><td>{n}</td></tr>"
        );
    }
    h.push_str("</table>\n<table id=\"needs-a-human\"><tr><th>table (needs a human)</th><th>errors</th><th>warnings</th></tr>\n");
    for (t, e, w) in needs_a_human(files) {
        let _ = writeln!(
            h,
            "<tr><td><code>{}</code></td><td>{e}</td><td>{w}</td></tr>",
            html_escape(&t)
        );
    }
    h.push_str("</table>\n<table id=\"per-file\"><tr><th>file</th><th>statements</th><th>errors</th><th>warnings</th></tr>\n");
    for f in files {
        let fs = Summary::of(std::slice::from_ref(f));
        let _ = writeln!(
            h,
            "<tr><td><a href=\"#f{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            files.iter().position(|x| std::ptr::eq(x, f)).unwrap_or(0),
            html_escape(&f.path),
            fs.statements,
            fs.error_findings,
            fs.warnings
        );
    }
    h.push_str("</table>\n");
    for (i, f) in files.iter().enumerate() {
        let _ = writeln!(h, "<h2 id=\"f{i}\">{}</h2>", html_escape(&f.path));
        for st in &f.statements {
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
            let _ = writeln!(
                h,
                "<div class=\"{class}\" id=\"f{i}l{}\"><pre class=\"pg\" title=\"PostgreSQL, line {}\">{}</pre><pre class=\"tidb\" title=\"TiDB\">{}</pre>",
                st.loc.line,
                st.loc.line,
                html_escape(&st.source),
                html_escape(&tidb)
            );
            if !st.findings.is_empty() {
                h.push_str("<ul class=\"findings\">");
                for x in &st.findings {
                    let _ = write!(
                        h,
                        "<li class=\"{}\"><b>{}</b> <code>{}</code> {}:{} {}</li>",
                        x.severity,
                        x.severity,
                        x.rule,
                        x.loc.line,
                        x.loc.col,
                        html_escape(&x.message)
                    );
                }
                h.push_str("</ul>");
            }
            h.push_str("</div>\n");
        }
    }
    h.push_str("<script>\nfor (const id of ['hide-info', 'hide-same']) {\n  document.getElementById(id).addEventListener('change', e => document.body.classList.toggle(id, e.target.checked));\n}\ndocument.body.dataset.findings = document.querySelectorAll('.findings li').length;\ndocument.body.dataset.ready = '1';\n</script>\n</body></html>\n");
    h
}
