//! Review: `pg2tidb diff`, the Markdown and JSON reports, `--annotate`, and
//! `check --since GIT_REV`.

mod common;

use std::process::{Command, Output};

/// How many findings (of `rule`, or all) `check --format json` reports
/// for `files`: what a report of the same files must count.
fn findings(files: &[&str], rule: Option<&str>) -> usize {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(files);
    let o = run(&args);
    let v: serde_json::Value = serde_json::from_str(&common::stdout(&o)).unwrap();
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["statements"].as_array().unwrap())
        .flat_map(|st| st["findings"].as_array().unwrap())
        .filter(|f| rule.is_none_or(|r| f["rule"] == r))
        .count()
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pg2tidb"))
        .args(args)
        .current_dir(common::root())
        .output()
        .unwrap()
}

#[test]
fn diff_text_and_markdown_snapshots() {
    let text = common::stdout(&run(&[
        "diff",
        "--color",
        "never",
        "fixtures/default-now.sql",
        "fixtures/pg-only-statement.sql",
    ]));
    insta::assert_snapshot!("diff-text", text);
    let md = common::stdout(&run(&[
        "diff",
        "--report",
        "markdown",
        "fixtures/default-now.sql",
        "fixtures/pg-only-statement.sql",
    ]));
    insta::assert_snapshot!("diff-markdown", md);
}

#[test]
fn diff_colours_only_when_asked_or_on_a_terminal() {
    let plain = common::stdout(&run(&["diff", "fixtures/default-now.sql"]));
    assert!(!plain.contains('\x1b'), "piped output is plain");
    let coloured = common::stdout(&run(&[
        "diff",
        "--color",
        "always",
        "fixtures/default-now.sql",
    ]));
    assert!(
        coloured.contains("\x1b[31m-CREATE TABLE events")
            && coloured.contains("\x1b[32m+CREATE TABLE `events`")
    );
    let o = Command::new(env!("CARGO_BIN_EXE_pg2tidb"))
        .args(["diff", "--color", "auto", "fixtures/default-now.sql"])
        .env("NO_COLOR", "1")
        .current_dir(common::root())
        .output()
        .unwrap();
    assert!(!common::stdout(&o).contains('\x1b'));
    assert_eq!(
        run(&["diff", "--color", "rainbow", "fixtures/default-now.sql"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn convert_reports_markdown_and_json_on_stderr() {
    let md_out = common::Scratch::new("md");
    let o = run(&[
        "convert",
        "--report",
        "markdown",
        "fixtures/unsupported-statement.sql",
        "fixtures/varchar-length.sql",
        "-o",
        md_out.to_str().unwrap(),
    ]);
    let md = common::stderr(&o);
    assert!(md.contains("# pg2tidb report (tidb-8.5)"), "{md}");
    assert!(
        md.contains("converted as is") && md.contains("not carried over"),
        "{md}"
    );
    let errors = findings(
        &[
            "fixtures/unsupported-statement.sql",
            "fixtures/varchar-length.sql",
        ],
        Some("unsupported-statement"),
    );
    assert!(errors > 0);
    assert!(
        md.contains(&format!("| `unsupported-statement` | error | {errors} |")),
        "{md}"
    );
    assert!(md.contains("## fixtures/varchar-length.sql"), "{md}");
    let o = run(&["convert", "--report", "json", "fixtures/varchar-length.sql"]);
    let v: serde_json::Value = serde_json::from_str(
        common::stderr(&o)
            .lines()
            .take_while(|l| !l.starts_with("pg2tidb:"))
            .collect::<Vec<_>>()
            .join("\n")
            .as_str(),
    )
    .unwrap();
    assert_eq!(v["summary"]["warnings"], 2);
    assert!(common::stdout(&o).contains("CREATE TABLE `handles`"));
}

#[test]
fn annotate_writes_findings_above_their_statements() {
    let sql = common::stdout(&run(&[
        "convert",
        "--annotate",
        "warning",
        "fixtures/partial-index.sql",
    ]));
    let note = sql
        .find("-- pg2tidb warning[partial-index] 3:1: index jobs_pending")
        .expect("annotation");
    let stmt = sql.find("CREATE INDEX `jobs_pending`").unwrap();
    assert!(note < stmt, "{sql}");
    let plain = common::stdout(&run(&["convert", "fixtures/partial-index.sql"]));
    assert!(!plain.contains("-- pg2tidb"), "no annotations unless asked");
    let errors_only = common::stdout(&run(&[
        "convert",
        "--annotate",
        "error",
        "fixtures/partial-index.sql",
    ]));
    assert!(!errors_only.contains("-- pg2tidb"), "{errors_only}");
}

#[test]
fn check_since_checks_only_changed_files() {
    let dir = common::Scratch::new("since");
    std::fs::create_dir_all(dir.join("migrations")).unwrap();
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    git(&["init", "-q"]);
    std::fs::write(dir.join("migrations/V1__init.sql"), "CREATE TABLE users (id int PRIMARY KEY, email varchar);\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;\n").unwrap();
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "v1"]);
    // The new migration needs V1's table; V1 itself has an error and a warning that must not be reported.
    std::fs::write(
        dir.join("migrations/V2__more.sql"),
        "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n",
    )
    .unwrap();
    let check = |extra: &[&str]| {
        let mut args = vec!["check"];
        args.extend_from_slice(extra);
        args.push("migrations");
        Command::new(env!("CARGO_BIN_EXE_pg2tidb"))
            .args(&args)
            .current_dir(&dir)
            .output()
            .unwrap()
    };
    let all = check(&[]);
    assert_eq!(
        all.status.code(),
        Some(1),
        "V1's function fails a full check"
    );
    let since = check(&["--since", "HEAD"]);
    let text = common::stdout(&since);
    assert_eq!(
        since.status.code(),
        Some(0),
        "{text}{}",
        common::stderr(&since)
    );
    assert!(!text.contains("V1__init.sql"), "{text}");
    assert!(
        text.contains("1 file(s), 1 statement(s): 1 converted"),
        "{text}"
    );
    assert!(common::stderr(&since).contains("--since HEAD: 1 changed file(s) checked"));
    assert_eq!(check(&["--since", "no-such-rev"]).status.code(), Some(2));
}

/// The HTML report in a real headless browser: it loads, its script runs
/// without console errors, and it shows the findings.
#[test]
fn html_report_loads_in_headless_chromium() {
    let chromium = match std::env::var("PG2TIDB_TEST_CHROMIUM") {
        Ok(c) if !c.is_empty() => c,
        _ => {
            let required = std::env::var("CI").is_ok()
                || std::env::var("PG2TIDB_REQUIRE_SERVERS").as_deref() == Ok("1");
            assert!(!required, "PG2TIDB_TEST_CHROMIUM is not set: run `bash scripts/test` (it installs Debian's chromium)");
            eprintln!("skipping: no headless Chromium (run `bash scripts/test`)");
            return;
        }
    };
    let dir = common::Scratch::new("html");
    let page = dir.join("report.html");
    let o = run(&[
        "convert",
        "--report",
        "html",
        "--report-file",
        page.to_str().unwrap(),
        "fixtures/unsupported-statement.sql",
        "fixtures/varchar-length.sql",
        "fixtures/transaction-ddl.sql",
        "-o",
        dir.join("out").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", common::stderr(&o));
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        html.starts_with("<!DOCTYPE html>") && !html.contains("<link") && !html.contains("src=\""),
        "self-contained"
    );
    let profile = dir.join("profile");
    let browser = Command::new(&chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            &format!("--user-data-dir={}", profile.display()),
            "--dump-dom",
            &format!("file://{}", page.display()),
        ])
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&browser.stdout);
    let log = String::from_utf8_lossy(&browser.stderr);
    assert!(browser.status.success(), "chromium failed: {log}");
    // The script ran to its end (it marks the body) and counted the findings.
    assert!(
        dom.contains("data-ready=\"1\""),
        "the page's script did not run:\n{log}"
    );
    let all = findings(
        &[
            "fixtures/unsupported-statement.sql",
            "fixtures/varchar-length.sql",
            "fixtures/transaction-ddl.sql",
        ],
        None,
    );
    assert!(
        dom.contains(&format!("data-findings=\"{all}\"")),
        "expected {all} findings shown: {}",
        &dom[..dom.len().min(400)]
    );
    let console_errors: Vec<&str> = log
        .lines()
        .filter(|l| {
            l.contains("CONSOLE")
                && (l.contains("Uncaught") || l.contains("ERROR") || l.contains("error"))
        })
        .collect();
    assert!(
        console_errors.is_empty(),
        "console errors: {console_errors:?}"
    );
    assert!(dom.contains("function bump: TiDB has no stored functions"));
    assert!(
        dom.contains("id=\"per-rule\"")
            && dom.contains("id=\"per-file\"")
            && dom.contains("converted as is")
    );
}

/// Characters that must not reach a terminal raw (tabs may: they neither
/// end a line nor move the cursor back).
fn unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// Input text (a default value, identifiers, a file name) with line
/// breaks, a carriage return, an escape sequence that clears the screen
/// and a right-to-left override: every human-readable line shows them
/// escaped, each finding stays on one line, and the SQL keeps the data.
#[test]
fn control_characters_from_the_input_are_escaped_in_every_human_readable_output() {
    let dir = common::Scratch::new("controls");
    let file = dir.join("odd\u{1b}[2J\u{202e}.sql");
    std::fs::write(
        &file,
        "CREATE TABLE \"we\u{1b}[2Jird\u{202e}\" (id int PRIMARY KEY, note varchar, \
         data jsonb DEFAULT '{\"a\": \"x\ny\rz\u{1b}[2J\u{202e}\"}');\n\
         COMMENT ON COLUMN \"we\u{1b}[2Jird\u{202e}\".\"no\nsuch\r\" IS 'c\u{1b}[2J';\n\
         CREATE TABLE t2 (a int);\n",
    )
    .unwrap();
    let input = file.to_str().unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&common::stdout(&run(&["check", "--format", "json", input]))).unwrap();
    let findings = json["summary"]["error_findings"].as_u64().unwrap()
        + json["summary"]["warnings"].as_u64().unwrap()
        + json["summary"]["infos"].as_u64().unwrap();
    assert!(findings >= 3, "{json}");
    let clean = |what: &str, text: &str| {
        let bad: Vec<(usize, &str)> = text
            .lines()
            .enumerate()
            .filter(|(_, l)| l.chars().any(unsafe_char))
            .collect();
        assert!(bad.is_empty(), "{what}: raw control characters: {bad:?}");
    };
    // Text diagnostics: one line per finding, then the summary line.
    let finding_line = regex::Regex::new(
        r"^/.*/odd\\x1b\[2J\\u\{202e\}\.sql:\d+:\d+: (error|warning|info)\[[a-z-]+\]: ",
    )
    .unwrap();
    let check = common::stdout(&run(&["check", input]));
    clean("check", &check);
    let shown = check.lines().filter(|l| finding_line.is_match(l)).count();
    assert_eq!(shown as u64, findings, "{check}");
    assert_eq!(check.lines().count() as u64, findings + 1, "{check}");
    assert!(check.contains(r#"x\ny\rz\x1b[2J\u{202e}"#), "{check}");
    // convert: the diagnostics on standard error; the SQL keeps the data as it is.
    let o = run(&["convert", input]);
    let err = common::stderr(&o);
    clean("convert diagnostics", &err);
    assert_eq!(err.lines().count() as u64, findings + 1, "{err}");
    let sql = common::stdout(&o);
    assert!(
        sql.contains("x\ny\rz\u{1b}[2J\u{202e}") || sql.contains("`we\u{1b}[2Jird\u{202e}`"),
        "the SQL keeps the user's text: {sql}"
    );
    // --annotate: each finding one comment line, escaped; the statements as they are.
    let annotated = common::stdout(&run(&["convert", "--annotate", "info", input]));
    let notes: Vec<&str> = annotated
        .lines()
        .filter(|l| l.starts_with("-- pg2tidb "))
        .collect();
    assert_eq!(notes.len() as u64, findings, "{annotated}");
    for n in &notes {
        assert!(!n.chars().any(unsafe_char), "{n:?}");
    }
    assert!(
        annotated.contains("`we\u{1b}[2Jird\u{202e}`"),
        "{annotated}"
    );
    // The other human-readable reports.
    for args in [
        &["diff", "--color", "never", input][..],
        &["diff", "--report", "markdown", input],
        &["check", "--format", "github", input],
    ] {
        clean(&args.join(" "), &common::stdout(&run(args)));
    }
    clean(
        "convert --report markdown",
        &common::stderr(&run(&["convert", "--report", "markdown", input])),
    );
    // Notes about inputs: an error naming the file.
    let missing = dir.join("gone\u{1b}[2J.sql");
    let o = run(&["convert", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    clean("input error", &common::stderr(&o));
    assert!(common::stderr(&o).contains(r"gone\x1b[2J.sql"));
    let _ = std::fs::remove_dir_all(&dir);
}
