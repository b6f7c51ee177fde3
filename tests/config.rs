//! pg2tidb.toml: discovery, precedence of command-line flags, errors with
//! their line, and each setting's effect.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn project(name: &str, toml: &str) -> common::Scratch {
    let d = common::Scratch::new(&format!("config-{name}"));
    fs::create_dir_all(d.join("db/migrations")).unwrap();
    fs::write(d.join("pg2tidb.toml"), toml).unwrap();
    fs::write(
        d.join("db/migrations/001.sql"),
        "CREATE TABLE items (id bigserial PRIMARY KEY, ref uuid DEFAULT gen_random_uuid(), name varchar, at timestamptz DEFAULT now(), embedding vector(3));\n",
    )
    .unwrap();
    d
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pg2tidb"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn found_upward_and_applied() {
    let d = project(
        "upward",
        "target = \"tidb-8.1\"\n[types]\nuuid = \"binary16\"\ntimestamptz = \"datetime\"\nauto-random = true\nvarchar-length = 120\n",
    );
    // Run from a subdirectory: the file two levels up is found.
    let o = run_in(&d.join("db/migrations"), &["convert", "001.sql"]);
    let sql = common::stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    assert!(
        sql.contains("`ref` BINARY(16) NULL DEFAULT (UUID_TO_BIN(UUID()))"),
        "{sql}"
    );
    assert!(sql.contains("`name` VARCHAR(120)"), "{sql}");
    assert!(
        sql.contains("`at` DATETIME(6) NULL DEFAULT CURRENT_TIMESTAMP(6)"),
        "{sql}"
    );
    assert!(
        sql.contains("`id` BIGINT NOT NULL /*T![auto_rand] AUTO_RANDOM(5) */"),
        "{sql}"
    );
    assert!(
        sql.contains("`embedding` JSON"),
        "target tidb-8.1 from the file: {sql}"
    );
}

#[test]
fn command_line_overrides_the_file() {
    let d = project("override", "target = \"tidb-8.1\"\nfail-on = \"warning\"\n");
    let sql = common::stdout(&run_in(
        &d,
        &["convert", "--target", "tidb-8.5", "db/migrations/001.sql"],
    ));
    assert!(sql.contains("`embedding` VECTOR(3)"), "{sql}");
    // fail-on from the file: warnings fail the check; the flag wins over it.
    assert_eq!(
        run_in(&d, &["check", "db/migrations"]).status.code(),
        Some(1)
    );
    assert_eq!(
        run_in(&d, &["check", "--fail-on", "error", "db/migrations"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn rules_can_be_disabled_or_change_severity() {
    let d = project(
        "rules",
        "[rules]\ndisable = [\"timestamptz\", \"varchar-length\"]\n",
    );
    let text = common::stdout(&run_in(&d, &["check", "db/migrations"]));
    assert!(
        !text.contains("[timestamptz]") && !text.contains("[varchar-length]"),
        "{text}"
    );
    let d = project(
        "severity",
        "[rules]\nseverity = { varchar-length = \"error\" }\n",
    );
    let o = run_in(&d, &["check", "db/migrations"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(common::stdout(&o).contains("error[varchar-length]"));
}

#[test]
fn explicit_config_and_errors_with_their_line() {
    let d = project(
        "errors",
        "target = \"tidb-8.5\"\n\n[types]\nuuid = \"char36\"\nfrobnicate = true\n",
    );
    let o = run_in(&d, &["convert", "db/migrations/001.sql"]);
    assert_eq!(o.status.code(), Some(2));
    let e = common::stderr(&o);
    assert!(
        e.contains("pg2tidb.toml") && e.contains("line 5") && e.contains("frobnicate"),
        "{e}"
    );
    let other = d.join("other.toml");
    fs::write(&other, "target = \"tidb-7.5\"\n").unwrap();
    let o = run_in(
        &d,
        &[
            "convert",
            "--config",
            other.to_str().unwrap(),
            "db/migrations/001.sql",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    assert!(common::stdout(&o).contains("`embedding` JSON"));
    let o = run_in(
        &d,
        &[
            "convert",
            "--config",
            "missing.toml",
            "db/migrations/001.sql",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(common::stderr(&o).contains("missing.toml"));
}
