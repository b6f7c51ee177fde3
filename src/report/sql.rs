//! The SQL output: each file's TiDB statements, with the comments carried
//! from the input and, with `--annotate`, each finding as a `-- pg2tidb …`
//! comment above the statement it concerns.

use crate::result::{FileResult, StatementResult};
use crate::rules;

impl FileResult {
    /// The TiDB SQL text of this file.
    pub fn output_sql(&self) -> String {
        self.output_sql_annotated(None)
    }

    /// The TiDB SQL text with each finding at or above `annotate` written as a
    /// `-- pg2tidb …` comment above the statement it concerns (also where a
    /// statement was dropped or not carried over).
    pub fn output_sql_annotated(&self, annotate: Option<rules::Severity>) -> String {
        let mut out = String::new();
        for s in &self.statements {
            statement_sql(s, annotate, &mut out);
        }
        out
    }
}

/// One statement's part of the output SQL (see [`FileResult::output_sql_annotated`]).
pub fn statement_sql(s: &StatementResult, annotate: Option<rules::Severity>, out: &mut String) {
    let notes: Vec<&rules::Finding> = match annotate {
        Some(min) => s.findings.iter().filter(|f| f.severity >= min).collect(),
        None => vec![],
    };
    if !s.output.is_empty() || !s.comments.is_empty() || !notes.is_empty() {
        for c in &s.comments {
            out.push_str(c);
            out.push('\n');
        }
    }
    for f in &notes {
        // One comment line: input text in the message is escaped.
        let msg = super::escape(&f.message);
        out.push_str(&format!(
            "-- pg2tidb {}[{}] {}:{}: {msg}\n",
            f.severity, f.rule, f.loc.line, f.loc.col
        ));
    }
    if s.output.is_empty() && !notes.is_empty() {
        out.push('\n');
    }
    for o in &s.output {
        out.push_str(o);
        out.push_str(";\n");
    }
    if !s.output.is_empty() || !s.comments.is_empty() {
        out.push('\n');
    }
}
