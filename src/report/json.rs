//! The JSON formats (the report, SARIF, GitLab), pretty-printed exactly as
//! serde_json prints the whole document, but item by item: each item is
//! made, written at its depth and dropped.

use super::{Items, Summary, Tally};
use crate::result::StatementResult;
use crate::rules::Severity;
use std::io::{self, Write};

/// A value as a JSON map with sorted keys.
fn value(v: impl serde::Serialize) -> serde_json::Value {
    serde_json::to_value(v).expect("report values serialise")
}

/// `v` pretty-printed as serde_json prints it `depth` levels deep (two
/// spaces a level; its first line is where the caller is).
fn write_at(w: &mut dyn Write, v: &impl serde::Serialize, depth: usize) -> io::Result<()> {
    let text = serde_json::to_string_pretty(v).map_err(io::Error::other)?;
    // Strings are escaped: every newline is the printer's own.
    let indent = format!("\n{:width$}", "", width = 2 * depth);
    w.write_all(text.replace('\n', &indent).as_bytes())
}

/// An array's elements, one at a time.
#[derive(Default)]
struct Array {
    items: usize,
}

impl Array {
    /// Start element `v` of an array `depth` levels deep.
    fn item(
        &mut self,
        w: &mut dyn Write,
        v: &impl serde::Serialize,
        depth: usize,
    ) -> io::Result<()> {
        let sep = if self.items == 0 { "\n" } else { ",\n" };
        write!(w, "{sep}{:width$}", "", width = 2 * (depth + 1))?;
        self.items += 1;
        write_at(w, v, depth + 1)
    }

    /// Close an array `depth` levels deep (`[]` when it stayed empty).
    fn close(&mut self, w: &mut dyn Write, depth: usize) -> io::Result<()> {
        if self.items > 0 {
            write!(w, "\n{:width$}", "", width = 2 * depth)?;
        }
        self.items = 0;
        w.write_all(b"]")
    }
}

fn tool() -> serde_json::Value {
    serde_json::json!({"name": "pg2tidb", "version": env!("CARGO_PKG_VERSION")})
}

/// The JSON report: `{"files": [{"path", "statements": [...]}], "summary",
/// "target", "tool", "version"}` (keys sorted, as serde_json writes a map).
pub(super) struct Report {
    target: crate::Target,
    newline: bool,
    files: Array,
    statements: Array,
    in_file: bool,
}

impl Report {
    pub fn new(target: crate::Target, newline: bool) -> Self {
        Report {
            target,
            newline,
            files: Array::default(),
            statements: Array::default(),
            in_file: false,
        }
    }

    fn open(&mut self, w: &mut dyn Write) -> io::Result<()> {
        if self.files.items == 0 && !self.in_file {
            w.write_all(b"{\n  \"files\": [")?;
        }
        Ok(())
    }

    fn end_file(&mut self, w: &mut dyn Write) -> io::Result<()> {
        if self.in_file {
            self.statements.close(w, 3)?;
            w.write_all(b"\n    }")?;
            self.in_file = false;
        }
        Ok(())
    }
}

impl Items for Report {
    fn file(&mut self, w: &mut dyn Write, path: &str) -> io::Result<()> {
        self.open(w)?;
        self.end_file(w)?;
        let sep = if self.files.items == 0 { "\n" } else { ",\n" };
        self.files.items += 1;
        write!(
            w,
            "{sep}    {{\n      \"path\": {},\n      \"statements\": [",
            serde_json::to_string(path).map_err(io::Error::other)?
        )?;
        self.in_file = true;
        Ok(())
    }

    fn statement(&mut self, w: &mut dyn Write, _: &str, st: &StatementResult) -> io::Result<()> {
        self.statements.item(w, &value(st), 3)
    }

    fn finish(&mut self, w: &mut dyn Write, summary: &Summary, _: &Tally) -> io::Result<()> {
        self.open(w)?;
        self.end_file(w)?;
        self.files.close(w, 1)?;
        w.write_all(b",\n  \"summary\": ")?;
        write_at(w, &value(summary), 1)?;
        w.write_all(b",\n  \"target\": ")?;
        write_at(w, &self.target, 1)?;
        w.write_all(b",\n  \"tool\": ")?;
        write_at(w, &tool(), 1)?;
        w.write_all(b",\n  \"version\": 1\n}")?;
        if self.newline {
            w.write_all(b"\n")?;
        }
        Ok(())
    }

    fn needs_text(&self) -> bool {
        true
    }
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
#[derive(Default)]
pub(super) struct Gitlab {
    items: Array,
}

impl Items for Gitlab {
    fn file(&mut self, _: &mut dyn Write, _: &str) -> io::Result<()> {
        Ok(())
    }

    fn statement(&mut self, w: &mut dyn Write, path: &str, st: &StatementResult) -> io::Result<()> {
        for f in &st.findings {
            if self.items.items == 0 {
                w.write_all(b"[")?;
            }
            let v = serde_json::json!({
                "description": format!("{} ({})", f.message, f.rule),
                "check_name": f.rule,
                "fingerprint": fingerprint(path, f),
                "severity": match f.severity { Severity::Error => "critical", Severity::Warning => "minor", Severity::Info => "info" },
                "location": {"path": path, "lines": {"begin": f.loc.line}},
            });
            self.items.item(w, &v, 0)?;
        }
        Ok(())
    }

    fn finish(&mut self, w: &mut dyn Write, _: &Summary, _: &Tally) -> io::Result<()> {
        if self.items.items == 0 {
            w.write_all(b"[")?;
        }
        self.items.close(w, 0)
    }
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// SARIF 2.1.0, one run, with every rule in the driver.
#[derive(Default)]
pub(super) struct Sarif {
    results: Array,
    started: bool,
}

impl Sarif {
    fn open(&mut self, w: &mut dyn Write) -> io::Result<()> {
        if !self.started {
            self.started = true;
            w.write_all(b"{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"runs\": [\n    {\n      \"results\": [")?;
        }
        Ok(())
    }
}

impl Items for Sarif {
    fn file(&mut self, _: &mut dyn Write, _: &str) -> io::Result<()> {
        Ok(())
    }

    fn statement(&mut self, w: &mut dyn Write, path: &str, st: &StatementResult) -> io::Result<()> {
        self.open(w)?;
        for f in &st.findings {
            let v = serde_json::json!({
                "ruleId": f.rule,
                "level": sarif_level(f.severity),
                "message": {"text": f.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": path},
                    "region": {"startLine": f.loc.line.max(1), "startColumn": f.loc.col.max(1)},
                }}],
                "partialFingerprints": {"pg2tidb/v1": fingerprint(path, f)},
            });
            self.results.item(w, &v, 3)?;
        }
        Ok(())
    }

    fn finish(&mut self, w: &mut dyn Write, _: &Summary, _: &Tally) -> io::Result<()> {
        self.open(w)?;
        self.results.close(w, 3)?;
        let rules: Vec<serde_json::Value> = crate::rules::REGISTRY
            .iter()
            .map(|r| {
                let m = r.meta();
                serde_json::json!({
                    "id": m.id,
                    "shortDescription": {"text": m.summary()},
                    "fullDescription": {"text": m.doc.trim_end()},
                    "defaultConfiguration": {"level": sarif_level(m.severity)},
                })
            })
            .collect();
        let tool = serde_json::json!({"driver": {"name": "pg2tidb", "version": env!("CARGO_PKG_VERSION"), "rules": rules}});
        w.write_all(b",\n      \"tool\": ")?;
        write_at(w, &tool, 3)?;
        w.write_all(b"\n    }\n  ],\n  \"version\": \"2.1.0\"\n}")
    }
}
