//! pg2tidb: PostgreSQL DDL migrations → SQL that TiDB accepts, with every
//! change reported.
//!
//! The pipeline reads in one direction, and so does this crate's module list:
//! [`input`] (find and read files) → [`split`] (psql-aware statement
//! splitter) → [`parse`] (sqlparser, PostgreSQL dialect) → [`catalog`] and
//! [`model`] (schema state) → [`rules`] (every compatibility decision, one
//! file each; [`types`] is the type table) → [`emit`] (TiDB SQL) →
//! [`report`] (diagnostics and summary).

pub mod alembic;
pub mod catalog;
pub mod config;
pub mod convert;
pub mod dml;
pub mod emit;
pub mod expr;
pub mod fold;
pub mod input;
pub mod layout;
pub mod model;
pub mod output;
pub mod parse;
pub mod psql;
pub mod query;
pub mod report;
pub mod rules;
pub mod split;
pub mod suppress;
pub mod target;
pub mod types;
pub mod verify;

pub use convert::{Converter, Options, StatementResult, Status};
pub use target::Target;

/// One converted input file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileResult {
    /// The input's name as given (or `<stdin>`).
    pub path: String,
    pub statements: Vec<StatementResult>,
}

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
        let msg = report::escape(&f.message);
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

/// Convert texts in order, sharing the schema model between them (parsing
/// runs ahead on a second thread across the files, see
/// [`Converter::convert_texts`]).
pub fn convert_texts<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a str)>,
    options: Options,
) -> Vec<FileResult> {
    let files: Vec<(&str, &str)> = files.into_iter().collect();
    let texts: Vec<&str> = files.iter().map(|f| f.1).collect();
    let results = Converter::new(options).convert_texts(&texts);
    files
        .iter()
        .zip(results)
        .map(|((path, _), statements)| FileResult {
            path: path.to_string(),
            statements,
        })
        .collect()
}

/// Convert one text on its own.
///
/// ```
/// use pg2tidb::{convert_str, Options, Status};
///
/// let r = convert_str("CREATE TABLE t (id serial PRIMARY KEY, note varchar);", Options::default());
/// let sql = r.output_sql();
/// assert!(sql.contains("`id` INT NOT NULL AUTO_INCREMENT"));
/// assert!(sql.contains("`note` VARCHAR(255) NULL"));
/// assert_eq!(r.statements[0].status, Status::Converted);
/// assert_eq!(r.statements[0].findings[0].rule, "varchar-length");
/// ```
pub fn convert_str(text: &str, options: Options) -> FileResult {
    convert_texts([("<input>", text)], options).remove(0)
}
