//! `pg2tidb check`: exit codes, --fail-on, every report format (snapshotted),
//! SARIF valid against the SARIF 2.1.0 schema, JSON valid against
//! docs/report.schema.json, and suppressions.

mod common;
use common::stdout;

use std::path::PathBuf;
use std::process::{Command, Output};

fn check(args: &[&str]) -> Output {
    // Run from the repository root so paths in reports are relative and stable.
    Command::new(env!("CARGO_BIN_EXE_pg2tidb"))
        .arg("check")
        .args(args)
        .current_dir(common::root())
        .output()
        .unwrap()
}

/// A fixture with findings of every severity.
const MIXED: &str = "fixtures/unsupported-statement.sql";
const WARNINGS_ONLY: &str = "fixtures/varchar-length.sql";

#[test]
fn exit_codes_follow_fail_on() {
    assert_eq!(
        check(&[MIXED]).status.code(),
        Some(1),
        "errors fail by default"
    );
    assert_eq!(
        check(&[WARNINGS_ONLY]).status.code(),
        Some(0),
        "warnings pass by default"
    );
    assert_eq!(
        check(&["--fail-on", "warning", WARNINGS_ONLY])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        check(&["--fail-on", "error", "fixtures/transaction-ddl.sql"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(check(&["no/such/file.sql"]).status.code(), Some(2));
    assert_eq!(check(&["--format", "xml", MIXED]).status.code(), Some(2));
    assert_eq!(
        check(&["--fail-on", "sometimes", MIXED]).status.code(),
        Some(2)
    );
}

#[test]
fn check_writes_no_sql() {
    let out = stdout(&check(&[WARNINGS_ONLY]));
    assert!(!out.contains("CREATE TABLE"), "{out}");
    assert!(out.contains("warning[varchar-length]"));
}

#[test]
fn every_format_snapshot() {
    for format in ["text", "json", "sarif", "github", "gitlab"] {
        let o = check(&[
            "--format",
            format,
            MIXED,
            WARNINGS_ONLY,
            "fixtures/transaction-ddl.sql",
        ]);
        let text = stdout(&o).replace(env!("CARGO_PKG_VERSION"), "VERSION");
        insta::assert_snapshot!(format!("check-{format}"), text);
    }
}

fn validate(schema_path: PathBuf, doc: &str) {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(&schema_path)
            .unwrap_or_else(|e| panic!("{}: {e}", schema_path.display())),
    )
    .unwrap();
    let instance: serde_json::Value = serde_json::from_str(doc).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{} violations:\n{}",
        schema_path.display(),
        errors.join("\n")
    );
}

#[test]
fn sarif_is_valid_sarif_2_1_0() {
    if !common::have_shared() {
        return;
    }
    let o = check(&[
        "--format",
        "sarif",
        MIXED,
        WARNINGS_ONLY,
        "fixtures/unused-suppression.sql",
    ]);
    let doc = stdout(&o);
    validate(
        common::shared().join("reference/sarif-schema-2.1.0.json"),
        &doc,
    );
    let v: serde_json::Value = serde_json::from_str(&doc).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert!(results
        .iter()
        .any(|r| r["level"] == "error" && r["ruleId"] == "unsupported-statement"));
    assert!(results.iter().any(|r| r["level"] == "warning"
        && r["locations"][0]["physicalLocation"]["region"]["startLine"] == 2));
    let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), pg2tidb::rules::REGISTRY.len());
}

#[test]
fn json_report_matches_its_documented_schema() {
    let o = check(&[
        "--format",
        "json",
        MIXED,
        WARNINGS_ONLY,
        "fixtures/unused-suppression.sql",
    ]);
    let doc = stdout(&o);
    validate(common::root().join("docs/report.schema.json"), &doc);
    let v: serde_json::Value = serde_json::from_str(&doc).unwrap();
    assert_eq!(v["summary"]["files"], 3);
    assert_eq!(v["summary"]["suppressed"], 3);
    let statuses: Vec<&str> = v["files"][0]["statements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert!(statuses.contains(&"converted") && statuses.contains(&"error"));
}

#[test]
fn github_and_gitlab_formats() {
    let gh = stdout(&check(&["--format", "github", MIXED]));
    let line = regex::Regex::new(
        r"^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,title=pg2tidb [a-z-]+::.+$",
    )
    .unwrap();
    assert!(!gh.is_empty());
    for l in gh.lines() {
        assert!(line.is_match(l), "{l}");
    }
    let gl: serde_json::Value =
        serde_json::from_str(&stdout(&check(&["--format", "gitlab", MIXED]))).unwrap();
    let items = gl.as_array().unwrap();
    assert!(!items.is_empty());
    let mut fps: Vec<&str> = items
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    let n = fps.len();
    fps.sort();
    fps.dedup();
    assert_eq!(fps.len(), n, "fingerprints are unique");
    assert!(items
        .iter()
        .all(|i| i["location"]["lines"]["begin"].as_u64().unwrap() >= 1));
}

#[test]
fn suppressions_remove_findings_and_unused_ones_are_reported() {
    let out = stdout(&check(&["fixtures/unused-suppression.sql"]));
    assert!(
        !out.contains("[timestamptz]"),
        "ignore-file[timestamptz] applies to the whole file: {out}"
    );
    assert!(
        !out.contains("[varchar-length]"),
        "ignore[varchar-length] applies to the next statement: {out}"
    );
    assert!(out.contains("fixtures/unused-suppression.sql:6:1: warning[unused-suppression]: `ignore[lob-default]` suppresses nothing"), "{out}");
    assert!(out.contains("unknown rule `no-such-rule`"), "{out}");
    assert!(out.contains("3 suppressed"), "{out}");
    // A suppressed error no longer fails the check.
    let dir = common::Scratch::new("check");
    let f = dir.join("accepted.sql");
    std::fs::write(&f, "CREATE TABLE t (id int PRIMARY KEY);\n-- pg2tidb: ignore[unsupported-statement]\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;\n").unwrap();
    let o = check(&[f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn check_uses_the_baseline() {
    let dir = common::Scratch::new("check-base");
    std::fs::write(
        dir.join("001.sql"),
        "CREATE TABLE users (id int PRIMARY KEY, email varchar(100));",
    )
    .unwrap();
    let new = dir.join("002.sql");
    std::fs::write(&new, "ALTER TABLE users ALTER COLUMN email SET NOT NULL;").unwrap();
    assert_eq!(check(&[new.to_str().unwrap()]).status.code(), Some(1));
    let base = dir.join("001.sql");
    assert_eq!(
        check(&["--baseline", base.to_str().unwrap(), new.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
}

/// The command lines of docs/ci.md, run as written (a `migrations/` directory
/// in a scratch checkout, pg2tidb from this build).
#[test]
fn ci_recipes_in_docs_run_as_written() {
    let doc = std::fs::read_to_string(common::root().join("docs/ci.md")).unwrap();
    let dir = common::Scratch::new("ci");
    let mig = dir.join("migrations");
    std::fs::create_dir_all(&mig).unwrap();
    std::fs::write(
        mig.join("V1__init.sql"),
        "CREATE TABLE users (id bigserial PRIMARY KEY, email varchar);\n",
    )
    .unwrap();
    std::fs::write(
        mig.join("V2__fn.sql"),
        "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;\n",
    )
    .unwrap();
    let mut ran = 0;
    for line in doc.lines() {
        let line = line.trim();
        let cmd = line
            .strip_prefix("run: ")
            .or_else(|| line.strip_prefix("entry: "));
        let Some(cmd) = cmd.filter(|c| c.starts_with("pg2tidb check")) else {
            continue;
        };
        let (cmd, redirect) = match cmd.split_once(" > ") {
            Some((c, file)) => (c, Some(file.trim())),
            None => (cmd, None),
        };
        let mut words: Vec<String> = cmd.split_whitespace().skip(1).map(str::to_string).collect();
        if line.starts_with("entry: ") {
            words.push("migrations/V2__fn.sql".into()); // pre-commit appends the changed files
        }
        let o = Command::new(env!("CARGO_BIN_EXE_pg2tidb"))
            .args(&words)
            .current_dir(&dir)
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(1),
            "`{cmd}`: the function in V2 is an error: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let out = stdout(&o);
        if words.contains(&"github".to_string()) {
            assert!(
                out.contains("::error file=migrations/V2__fn.sql,line=1,col=1"),
                "{out}"
            );
        }
        if let Some(file) = redirect {
            std::fs::write(dir.join(file), &out).unwrap();
            let v: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert_eq!(v["version"], "2.1.0");
        }
        ran += 1;
    }
    assert_eq!(
        ran, 3,
        "docs/ci.md should hold two workflow commands and one pre-commit entry"
    );
}
