//! The last ways a statement could be lost, or reported as something it is
//! not (issue 12): each test names what it proves.

mod common;

use pg2tidb::config::RuleSettings;
use pg2tidb::report::Summary;
use pg2tidb::rules::Severity;
use pg2tidb::{convert_texts, FileResult, Options, StatementResult, Status};
use std::process::Command;

fn convert_with(text: &str, options: Options) -> FileResult {
    convert_texts([("t.sql", text)], options).remove(0)
}

fn convert(text: &str) -> FileResult {
    convert_with(text, Options::default())
}

/// The statement that starts on `line`.
fn at(f: &FileResult, line: u32) -> &StatementResult {
    f.statements
        .iter()
        .find(|s| s.loc.line == line)
        .unwrap_or_else(|| panic!("no statement on line {line}: {:#?}", f.statements))
}

fn rules(disabled: &[&str], severity: &[(&str, Severity)]) -> Options {
    Options {
        rules: RuleSettings {
            disabled: disabled.iter().map(|s| s.to_string()).collect(),
            severity: severity
                .iter()
                .map(|(id, s)| (id.to_string(), *s))
                .collect(),
        },
        ..Options::default()
    }
}

// ---------------------------------------------------------------------------
// 5. Severity overrides and suppressions change how a finding is reported,
//    not what happened to the statement.
// ---------------------------------------------------------------------------

/// Line 1 is written with a warning (varchar-length); line 2 is not carried
/// over (unsupported-statement, an error); line 3 is dropped (info).
const STATUS_INPUT: &str = "CREATE TABLE t (id int PRIMARY KEY, name varchar);\n\
CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;\n\
GRANT SELECT ON t TO app;\n";

fn statuses(f: &FileResult) -> Vec<Status> {
    f.statements.iter().map(|s| s.status).collect()
}

#[test]
fn severity_overrides_do_not_change_what_happened_to_a_statement() {
    let plain = convert(STATUS_INPUT);
    let expected = vec![Status::Converted, Status::Error, Status::Dropped];
    assert_eq!(statuses(&plain), expected);
    // Every finding raised to error: the written statement is still converted,
    // the dropped one still dropped.
    let raised = convert_with(
        STATUS_INPUT,
        rules(
            &[],
            &[
                ("varchar-length", Severity::Error),
                ("pg-only-statement", Severity::Error),
            ],
        ),
    );
    assert_eq!(statuses(&raised), expected);
    assert!(at(&raised, 1)
        .findings
        .iter()
        .any(|f| f.rule == "varchar-length" && f.severity == Severity::Error));
    assert!(!at(&raised, 1).output.is_empty());
    // The error lowered to info, or its rule disabled: the function is still
    // not carried over.
    let lowered = convert_with(
        STATUS_INPUT,
        rules(&[], &[("unsupported-statement", Severity::Info)]),
    );
    assert_eq!(statuses(&lowered), expected);
    assert_eq!(at(&lowered, 2).findings[0].severity, Severity::Info);
    let disabled = convert_with(STATUS_INPUT, rules(&["unsupported-statement"], &[]));
    assert_eq!(statuses(&disabled), expected);
    assert!(at(&disabled, 2).findings.is_empty());
    // The summary agrees with the statements.
    let s = Summary::of(std::slice::from_ref(&raised));
    assert_eq!((s.converted, s.dropped, s.errors), (1, 1, 1));
    assert_eq!(s.error_findings, 3);
}

#[test]
fn suppressions_do_not_change_what_happened_to_a_statement() {
    let text = "-- pg2tidb: ignore[varchar-length]\n\
CREATE TABLE t (id int PRIMARY KEY, name varchar);\n\
-- pg2tidb: ignore[unsupported-statement]\n\
CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;\n\
-- pg2tidb: ignore[pg-only-statement]\n\
GRANT SELECT ON t TO app;\n";
    let f = convert(text);
    assert_eq!(
        statuses(&f),
        vec![Status::Converted, Status::Error, Status::Dropped]
    );
    assert_eq!(at(&f, 4).suppressed, 1);
    assert!(at(&f, 4).findings.is_empty());
    // A file-level suppression that suppresses nothing, reported as an error
    // (its severity raised), lands on a statement without changing its status.
    let text = "CREATE TABLE t (id int PRIMARY KEY);\n-- pg2tidb: ignore-file[lossy-type]\n";
    let f = convert_with(text, rules(&[], &[("unused-suppression", Severity::Error)]));
    assert_eq!(at(&f, 1).status, Status::Converted);
    assert!(at(&f, 1)
        .findings
        .iter()
        .any(|x| x.rule == "unused-suppression" && x.severity == Severity::Error));
}

fn pg2tidb_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_pg2tidb"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn scratch(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("pg2tidb-drops-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The exit code follows the findings' severities (as overridden); the
/// summary line counts statements by what happened to them.
#[test]
fn exit_code_follows_the_overridden_severities_and_the_summary_the_statements() {
    let d = scratch("exit");
    std::fs::write(
        d.join("m.sql"),
        "CREATE TABLE t (id int PRIMARY KEY, name varchar);\n",
    )
    .unwrap();
    let o = pg2tidb_in(&d, &["convert", "m.sql"]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    std::fs::write(
        d.join("pg2tidb.toml"),
        "[rules]\nseverity = { varchar-length = \"error\" }\n",
    )
    .unwrap();
    let o = pg2tidb_in(&d, &["convert", "m.sql"]);
    let err = common::stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("1 converted, 0 dropped, 0 error(s); findings: 1 error"),
        "{err}"
    );
    assert!(common::stdout(&o).contains("CREATE TABLE `t`"));
    // A statement not carried over whose error is suppressed: still counted
    // as an error statement, but no error finding fails the run.
    std::fs::remove_file(d.join("pg2tidb.toml")).unwrap();
    std::fs::write(
        d.join("m.sql"),
        "-- pg2tidb: ignore[unsupported-statement]\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;\n",
    )
    .unwrap();
    let o = pg2tidb_in(&d, &["convert", "m.sql"]);
    let err = common::stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("0 converted, 0 dropped, 1 error(s); findings: 0 error"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&d);
}
