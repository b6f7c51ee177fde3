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
        format!(
            "pg2tidb: {} file(s), {} statement(s): {} converted, {} dropped, {} error(s); findings: {} error, {} warning, {} info",
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
