//! Diagnostics and the summary line.

use crate::convert::Status;
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
        for f in files {
            for st in &f.statements {
                s.statements += 1;
                s.suppressed += st.suppressed;
                match st.status {
                    Status::Converted => s.converted += 1,
                    Status::Dropped => s.dropped += 1,
                    Status::Error => s.errors += 1,
                }
                for fd in &st.findings {
                    match fd.severity {
                        Severity::Error => s.error_findings += 1,
                        Severity::Warning => s.warnings += 1,
                        Severity::Info => s.infos += 1,
                    }
                }
            }
        }
        s
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
    let mut out = String::new();
    for f in files {
        for st in &f.statements {
            for fd in st.findings.iter().filter(|fd| fd.severity >= min) {
                let _ = writeln!(
                    out,
                    "{}:{}:{}: {}[{}]: {}",
                    f.path, fd.loc.line, fd.loc.col, fd.severity, fd.rule, fd.message
                );
            }
        }
    }
    out
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

/// The JSON report: `{"version": 1, "tool", "target", "summary", "files": [{"path", "statements": [...]}]}`.
/// Its schema is docs/report.schema.json.
pub fn json(files: &[FileResult], target: crate::Target) -> String {
    let report = serde_json::json!({
        "version": 1,
        "tool": {"name": "pg2tidb", "version": env!("CARGO_PKG_VERSION")},
        "target": target,
        "summary": Summary::of(files),
        "files": files,
    });
    serde_json::to_string_pretty(&report).expect("the report serialises")
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
    let items: Vec<serde_json::Value> = all_findings(files)
        .map(|(path, f)| {
            serde_json::json!({
                "description": format!("{} ({})", f.message, f.rule),
                "check_name": f.rule,
                "fingerprint": fingerprint(path, f),
                "severity": match f.severity { Severity::Error => "critical", Severity::Warning => "minor", Severity::Info => "info" },
                "location": {"path": path, "lines": {"begin": f.loc.line}},
            })
        })
        .collect();
    serde_json::to_string_pretty(&items).expect("the report serialises")
}

/// SARIF 2.1.0, one run, with every rule in the driver.
pub fn sarif(files: &[FileResult]) -> String {
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
    let results: Vec<serde_json::Value> = all_findings(files)
        .map(|(path, f)| {
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
        })
        .collect();
    let doc = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "pg2tidb", "version": env!("CARGO_PKG_VERSION"), "rules": rules}},
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&doc).expect("the report serialises")
}
