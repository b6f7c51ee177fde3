//! What became of each input statement: its status, output and findings
//! (the pipeline produces these; reports, suppressions and verify read them).

use crate::model::Loc;
use crate::rules::{Finding, Severity};

/// What became of one input statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Written to the output (possibly changed, or partly lost: see its
    /// findings), whatever the severity of its findings.
    Converted,
    /// Left out on purpose, with a reason in its findings.
    Dropped,
    /// Not written because it could not be carried over (an error finding
    /// says what is missing, unless it was suppressed or its severity
    /// lowered in pg2tidb.toml: the statement is still not carried over).
    Error,
}

/// One input statement and its conversion.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StatementResult {
    #[serde(flatten)]
    pub loc: Loc,
    /// The PostgreSQL text.
    pub source: String,
    /// Comment lines that preceded it, carried into the output.
    #[serde(skip)]
    pub comments: Vec<String>,
    /// TiDB statements, as values with their SQL (without the trailing `;`).
    pub output: Vec<crate::emit::Emitted>,
    pub status: Status,
    pub findings: Vec<Finding>,
    /// Findings removed by `-- pg2tidb: ignore[…]` comments.
    pub suppressed: usize,
    /// The table (or other object) the statement is about, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// `--fold`: no SQL of its own, but its effect is folded into a table,
    /// sequence or view that the folded schema writes (a primary key added
    /// by ALTER, `SET DEFAULT nextval`, `setval`, `OWNED BY`, …): converted.
    #[serde(skip)]
    pub folded: bool,
}

/// What became of a statement, from its output and its findings as the
/// rules reported them (before suppressions and `[rules]` severity
/// overrides, which change how a finding is reported, not what happened):
/// written (or, with `--fold`, folded into what is written) means
/// converted, whatever its findings say was changed or lost on the way; not
/// written is an error when a rule said something is not carried over (an
/// error finding), dropped otherwise.
pub fn status_of(r: &StatementResult) -> Status {
    if !r.output.is_empty() || r.folded {
        Status::Converted
    } else if r.findings.iter().any(|f| f.severity == Severity::Error) {
        Status::Error
    } else {
        Status::Dropped
    }
}

/// One converted input file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileResult {
    /// The input's name as given (or `<stdin>`).
    pub path: String,
    pub statements: Vec<StatementResult>,
}
