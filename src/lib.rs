//! pg2tidb: PostgreSQL DDL migrations → SQL that TiDB accepts, with every
//! change reported.
//!
//! The pipeline reads in one direction, and so does this crate's module list:
//! [`input`] (find and read files) → [`split`] (psql-aware statement
//! splitter) → [`parse`] (sqlparser, PostgreSQL dialect) → [`catalog`] and
//! [`model`] (schema state) → [`rules`] (every compatibility decision, one
//! file each; [`types`] is the type table) → [`emit`] (output statements as
//! values, rendered as SQL for TiDB or a stand-in server) →
//! [`report`] (diagnostics and summary).

pub mod alembic;
pub mod catalog;
pub mod config;
pub mod emit;
pub mod expr;
pub mod fold;
pub mod input;
pub mod layout;
pub mod lower;
pub mod model;
pub mod output;
pub mod parse;
pub mod pipeline;
pub mod psql;
pub mod query;
pub mod report;
pub mod result;
pub mod rules;
pub mod split;
pub mod suppress;
pub mod target;
pub mod types;
pub mod verify;

pub use pipeline::{Converter, Options};
pub use report::statement_sql;
pub use result::{FileResult, StatementResult, Status};
pub use target::Target;

/// Convert texts in order, sharing the schema model between them (parsing
/// runs ahead on a second thread across the files, see
/// [`Converter::convert_texts`]).
pub fn convert_texts<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a str)>,
    options: Options,
) -> Vec<FileResult> {
    let files: Vec<(&str, &str)> = files.into_iter().collect();
    let texts: Vec<&str> = files.iter().map(|f| f.1).collect();
    let mut conv = Converter::new(options);
    conv.file_names = files.iter().map(|f| f.0.to_string()).collect();
    let results = conv.convert_texts(&texts);
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
