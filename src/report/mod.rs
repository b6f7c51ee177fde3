//! Reports: diagnostics, the summary line, and every format of `convert
//! --report`, `diff --report` and `check --format`.
//!
//! Every format is written as statements complete ([`Stream`]), so a
//! report on a large history holds no statement's source or output after
//! it is written: only counts (and, for the formats whose summary comes
//! first, Markdown and HTML, the items are spooled to an unnamed temporary
//! file and copied after the summary). The functions over whole
//! [`FileResult`]s feed the same streams.

mod html;
mod json;
mod markdown;
mod sql;
mod text;

pub use sql::statement_sql;
pub use text::statement_diff;

use crate::result::{StatementResult, Status};
use crate::rules::Severity;
use crate::FileResult;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Characters that must not reach a terminal or a line-oriented report
/// raw: C0 controls but the tab (SQL is often indented with tabs; a tab
/// can neither end a line nor move the cursor back), DEL, C1 controls,
/// the Unicode bidi embeddings, overrides and isolates (they reorder what
/// follows), and the line and paragraph separators.
fn is_unsafe(c: char) -> bool {
    matches!(
        c,
        '\0'..='\x08'
            | '\n'..='\x1f'
            | '\x7f'..='\u{9f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// Input text (a message, a name, a path) made safe for one line of human
/// output: each unsafe character is written visibly as an escape (`\n`,
/// `\r`, `\x1b`, `\u{202e}`), so a value from the input can neither
/// start a line that looks like a diagnostic nor move the cursor. Text
/// without such characters comes back as it is.
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c < '\u{80}' && is_unsafe(c) => {
                let _ = std::fmt::Write::write_fmt(&mut out, format_args!("\\x{:02x}", c as u32));
            }
            c if is_unsafe(c) => {
                let _ = std::fmt::Write::write_fmt(&mut out, format_args!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// [`escape`] line by line: the line breaks stay (a message meant to
/// span lines), everything else unsafe is escaped.
pub fn escape_lines(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c != '\n' && is_unsafe(c)) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.split('\n').map(escape).collect::<Vec<_>>().join("\n"))
}

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
            a.add(s);
        }
        a
    }

    /// Count one statement.
    pub fn add(&mut self, s: &StatementResult) {
        match s.status {
            Status::Converted if s.findings.iter().all(|f| f.severity == Severity::Info) => {
                self.as_is += 1
            }
            Status::Converted => self.with_changes += 1,
            Status::Dropped => self.dropped += 1,
            Status::Error => self.not_carried_over += 1,
        }
    }
}

/// Tables with warning or error findings: (table, errors, warnings), most errors first.
pub fn needs_a_human(files: &[FileResult]) -> Vec<(String, usize, usize)> {
    let mut t = Tally::default();
    for st in files.iter().flat_map(|f| f.statements.iter()) {
        t.add(st);
    }
    t.needs_a_human()
}

/// What the formats whose summary comes first need to know of the
/// statements already written: counts per rule, per table and per file.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    assessment: Assessment,
    per_rule: BTreeMap<&'static str, (Severity, usize)>,
    needs: BTreeMap<String, (usize, usize)>,
    /// Each file's path and counts, in order.
    files: Vec<(String, Summary)>,
}

impl Tally {
    fn file(&mut self, path: &str) {
        self.files.push((path.to_string(), Summary::default()));
    }

    fn add(&mut self, st: &StatementResult) {
        self.assessment.add(st);
        if let Some((_, s)) = self.files.last_mut() {
            s.add(st);
        }
        for f in &st.findings {
            self.per_rule.entry(f.rule).or_insert((f.severity, 0)).1 += 1;
        }
        let Some(obj) = &st.object else { return };
        for f in &st.findings {
            match f.severity {
                Severity::Error => self.needs.entry(obj.clone()).or_default().0 += 1,
                Severity::Warning => self.needs.entry(obj.clone()).or_default().1 += 1,
                Severity::Info => {}
            }
        }
    }

    /// Findings counted per rule, most frequent first.
    fn per_rule(&self) -> Vec<(&'static str, Severity, usize)> {
        let mut v: Vec<_> = self
            .per_rule
            .iter()
            .map(|(r, (s, n))| (*r, *s, *n))
            .collect();
        v.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));
        v
    }

    fn needs_a_human(&self) -> Vec<(String, usize, usize)> {
        let mut v: Vec<_> = self
            .needs
            .iter()
            .map(|(t, (e, w))| (t.clone(), *e, *w))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
        v
    }
}

/// One report format, written item by item.
trait Items {
    /// A file starts.
    fn file(&mut self, w: &mut dyn Write, path: &str) -> io::Result<()>;
    /// One statement of the file at `path`, complete with its findings.
    fn statement(&mut self, w: &mut dyn Write, path: &str, st: &StatementResult) -> io::Result<()>;
    /// Everything was handed over.
    fn finish(&mut self, w: &mut dyn Write, summary: &Summary, tally: &Tally) -> io::Result<()>;
    /// The format shows statements' source and output (not only findings).
    fn needs_text(&self) -> bool {
        false
    }
    /// The format needs the per-rule, per-table and per-file counts.
    fn needs_tally(&self) -> bool {
        false
    }
}

/// A report and its options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `file:line:col: severity[rule]: message` per finding at or above `min`.
    Text {
        min: Severity,
    },
    /// The JSON report (docs/report.schema.json), with a final newline or not.
    Json {
        target: crate::Target,
        newline: bool,
    },
    Sarif,
    /// GitHub Actions workflow commands.
    Github,
    /// GitLab code quality.
    Gitlab,
    /// The Markdown report; with `diffs`, each changed statement's diff.
    Markdown {
        target: crate::Target,
        diffs: bool,
    },
    /// One self-contained HTML page.
    Html {
        target: crate::Target,
    },
    /// The unified diff of each changed statement, then the summary line.
    Diff {
        color: bool,
    },
}

/// A report written as statements are handed over: only counts are kept.
pub struct Stream<'w> {
    w: &'w mut dyn Write,
    items: Box<dyn Items>,
    /// Where it goes, for errors (`stdout`, `stderr`, a file name).
    pub name: &'static str,
    pub summary: Summary,
    /// The most severe finding seen.
    pub worst: Option<Severity>,
    tally: Option<Tally>,
}

impl<'w> Stream<'w> {
    /// The text diagnostics (the summary line is the caller's).
    pub fn new(w: &'w mut dyn Write, name: &'static str, min: Severity) -> Self {
        Stream::with_items(w, name, Box::new(text::Diagnostics { min }))
    }

    /// A report of `kind`. Fails only when the spool of a Markdown or HTML
    /// report cannot be made.
    pub fn report(w: &'w mut dyn Write, name: &'static str, kind: Kind) -> io::Result<Self> {
        let items: Box<dyn Items> = match kind {
            Kind::Text { min } => Box::new(text::Diagnostics { min }),
            Kind::Json { target, newline } => Box::new(json::Report::new(target, newline)),
            Kind::Sarif => Box::new(json::Sarif::default()),
            Kind::Github => Box::new(text::Github),
            Kind::Gitlab => Box::new(json::Gitlab::default()),
            Kind::Markdown { target, diffs } => Box::new(markdown::Markdown::new(target, diffs)?),
            Kind::Html { target } => Box::new(html::Html::new(target)?),
            Kind::Diff { color } => Box::new(text::Diff { color }),
        };
        Ok(Stream::with_items(w, name, items))
    }

    fn with_items(w: &'w mut dyn Write, name: &'static str, items: Box<dyn Items>) -> Self {
        let tally = items.needs_tally().then(Tally::default);
        Stream {
            w,
            items,
            name,
            summary: Summary::default(),
            worst: None,
            tally,
        }
    }

    /// The report shows statements' source and output: hand them over whole.
    pub fn needs_text(&self) -> bool {
        self.items.needs_text()
    }

    /// A file starts.
    pub fn file(&mut self, path: &str) -> io::Result<()> {
        self.summary.files += 1;
        if let Some(t) = &mut self.tally {
            t.file(path);
        }
        self.items.file(self.w, path)
    }

    /// One statement of the file at `path`, complete with its findings.
    pub fn statement(&mut self, path: &str, st: &StatementResult) -> io::Result<()> {
        self.summary.add(st);
        self.worst = self.worst.max(st.findings.iter().map(|f| f.severity).max());
        if let Some(t) = &mut self.tally {
            t.add(st);
        }
        self.items.statement(self.w, path, st)
    }

    /// Every statement was handed over: write what comes last (or the
    /// summary and the spooled items), and flush.
    pub fn finish(&mut self) -> io::Result<()> {
        let tally = self.tally.take().unwrap_or_default();
        self.items.finish(self.w, &self.summary, &tally)?;
        self.w.flush()
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.w.flush()
    }
}

/// Write a report of `kind` on whole results.
pub fn write(kind: Kind, w: &mut dyn Write, files: &[FileResult]) -> io::Result<()> {
    let mut s = Stream::report(w, "report", kind)?;
    for f in files {
        s.file(&f.path)?;
        for st in &f.statements {
            s.statement(&f.path, st)?;
        }
    }
    s.finish()
}

fn render(kind: Kind, files: &[FileResult]) -> String {
    let mut out = Vec::new();
    write(kind, &mut out, files).expect("the report is written into memory");
    String::from_utf8(out).expect("the report is UTF-8")
}

/// `file:line:col: severity[rule]: message`, one per finding, in file order.
pub fn diagnostics(files: &[FileResult], min: Severity) -> String {
    render(Kind::Text { min }, files)
}

/// [`diagnostics`] written straight to `w`.
pub fn write_diagnostics(w: &mut dyn Write, files: &[FileResult], min: Severity) -> io::Result<()> {
    write(Kind::Text { min }, w, files)
}

/// The JSON report: `{"version": 1, "tool", "target", "summary", "files": [{"path", "statements": [...]}]}`.
/// Its schema is docs/report.schema.json.
pub fn json(files: &[FileResult], target: crate::Target) -> String {
    render(
        Kind::Json {
            target,
            newline: false,
        },
        files,
    )
}

/// [`json`] written to `w` statement by statement.
pub fn write_json(
    w: &mut dyn Write,
    files: &[FileResult],
    target: crate::Target,
) -> io::Result<()> {
    let newline = false;
    write(Kind::Json { target, newline }, w, files)
}

/// GitHub Actions workflow commands: one `::error|warning|notice` line per finding.
pub fn github(files: &[FileResult]) -> String {
    render(Kind::Github, files)
}

/// GitLab code-quality report (a JSON array).
pub fn gitlab(files: &[FileResult]) -> String {
    render(Kind::Gitlab, files)
}

/// [`gitlab`] written to `w` finding by finding.
pub fn write_gitlab(w: &mut dyn Write, files: &[FileResult]) -> io::Result<()> {
    write(Kind::Gitlab, w, files)
}

/// SARIF 2.1.0, one run, with every rule in the driver.
pub fn sarif(files: &[FileResult]) -> String {
    render(Kind::Sarif, files)
}

/// [`sarif`] written to `w` finding by finding.
pub fn write_sarif(w: &mut dyn Write, files: &[FileResult]) -> io::Result<()> {
    write(Kind::Sarif, w, files)
}

/// A Markdown report that fits a pull-request comment: the assessment, a
/// summary table by severity and rule, then a section per file; with
/// `diffs`, each changed statement's diff under its findings.
pub fn markdown(files: &[FileResult], target: crate::Target, diffs: bool) -> String {
    render(Kind::Markdown { target, diffs }, files)
}

/// The plain-text diff report of `pg2tidb diff`, optionally coloured.
pub fn diff_text(files: &[FileResult], color: bool) -> String {
    render(Kind::Diff { color }, files)
}

/// One self-contained HTML page: the assessment and summary (per severity,
/// per rule, per file), then each file with every statement side by side
/// (PostgreSQL | TiDB) and its findings inline. A few lines of script let the
/// reader hide info findings and unchanged statements.
pub fn html(files: &[FileResult], target: crate::Target) -> String {
    render(Kind::Html { target }, files)
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

/// A spool for the items of a report whose summary comes first: an
/// unnamed temporary file, gone when it is dropped or the process ends.
struct Spool(io::BufWriter<std::fs::File>);

impl Spool {
    fn new() -> io::Result<Spool> {
        Ok(Spool(io::BufWriter::with_capacity(
            1 << 16,
            tempfile::tempfile()?,
        )))
    }

    /// Copy what was spooled to `w`.
    fn copy_to(&mut self, w: &mut dyn Write) -> io::Result<()> {
        use std::io::Seek;
        self.0.flush()?;
        let f = self.0.get_mut();
        f.seek(io::SeekFrom::Start(0))?;
        io::copy(f, w)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{escape, escape_lines};

    #[test]
    fn escapes_what_could_forge_a_line_or_move_the_cursor() {
        assert_eq!(escape("plain\ttext é"), "plain\ttext é");
        assert_eq!(
            escape("a\nb\rc\u{1b}[2J\u{7f}\u{85}\u{202e}\u{2066}\u{2028}\0"),
            r"a\nb\rc\x1b[2J\x7f\u{85}\u{202e}\u{2066}\u{2028}\x00"
        );
        assert_eq!(escape_lines("one\ntwo\u{1b}"), "one\ntwo\\x1b");
    }
}
