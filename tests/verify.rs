//! `pg2tidb verify` against the MariaDB and PostgreSQL servers that
//! `bash scripts/test` starts (MariaDB with TLS from a private CA).

mod common;

use common::{servers, shared, Servers, PREREQUISITE_ROLES};
use mysql::prelude::Queryable;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pg2tidb"))
}

fn tmp(name: &str) -> common::Scratch {
    common::Scratch::new(&format!("verify-{name}"))
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn source_url(s: &Servers) -> String {
    format!(
        "postgres://{}@{}:{}/postgres",
        s.pg_user, s.pg_host, s.pg_port
    )
}

/// `pg2tidb verify INPUT ARGS...`
fn verify(input: &Path, args: &[&str]) -> Output {
    bin()
        .arg("verify")
        .arg(input)
        .args(args)
        .output()
        .expect("pg2tidb runs")
}

/// `pg2tidb verify INPUT ARGS... --format json`, and its report.
fn verify_json(input: &Path, args: &[&str]) -> (Output, Value) {
    let o = verify(input, &[args, &["--format", "json"]].concat());
    let r = json(&o);
    (o, r)
}

/// `pg2tidb verify INPUT` against the test servers (both sides), plus `extra`.
fn verify_both(input: &Path, s: &Servers, extra: &[&str]) -> Output {
    let pg = source_url(s);
    let both = ["--target-url", s.mysql_url.as_str(), "--source-url", &pg];
    verify(input, &[&both[..], extra].concat())
}

/// [`verify_both`] with `--format json`, and its report.
fn verify_both_json(input: &Path, s: &Servers, extra: &[&str]) -> (Output, Value) {
    let o = verify_both(input, s, &[extra, &["--format", "json"]].concat());
    let r = json(&o);
    (o, r)
}

/// A one-file input in a fresh temporary directory (removed when the value
/// is dropped); it dereferences to the file's path.
struct Input {
    _dir: common::Scratch,
    file: PathBuf,
}

impl std::ops::Deref for Input {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.file
    }
}

/// A one-file input with `sql` in a fresh temporary directory.
fn input(name: &str, sql: &str) -> Input {
    let dir = tmp(name);
    let file = dir.join(format!("{name}.sql"));
    std::fs::write(&file, sql).unwrap();
    Input { _dir: dir, file }
}

/// An input the conversion carries over whole (so it can verify).
fn clean_input(name: &str) -> Input {
    input(
        name,
        "CREATE TABLE clean (id bigint PRIMARY KEY, name varchar(20) NOT NULL);\nCREATE INDEX ix_clean_name ON clean (name);\n",
    )
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "JSON report expected ({e}); stdout:\n{}\nstderr:\n{}",
            text(&o.stdout),
            text(&o.stderr)
        )
    })
}

/// Databases on MariaDB whose name starts with `prefix`.
fn maria_dbs(s: &Servers, name: &str) -> Vec<String> {
    s.maria()
        .exec(
            "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
            (name,),
        )
        .unwrap()
}

fn pg_has_db(s: &Servers, name: &str) -> bool {
    !s.pg_query(
        "postgres",
        &format!("SELECT 1 FROM pg_database WHERE datname = '{name}'"),
    )
    .is_empty()
}

/// The scenario's roles on the PostgreSQL server `s`.
fn scenario_roles(s: &Servers) -> Vec<String> {
    let list: Vec<String> = PREREQUISITE_ROLES
        .iter()
        .map(|r| format!("'{r}'"))
        .collect();
    s.pg_query(
        "postgres",
        &format!(
            "SELECT rolname FROM pg_roles WHERE rolname IN ({}) ORDER BY 1",
            list.join(", ")
        ),
    )
    .into_iter()
    .map(|r| r[0].clone())
    .collect()
}

/// Make `s` a server without the scenario's roles, as a fresh PostgreSQL
/// is (other test files create them: `common::Servers::pg_apply`). Their
/// privileges and objects in every database go first.
fn drop_scenario_roles(s: &Servers) {
    for role in scenario_roles(s) {
        let dbs = s.pg_query(
            "postgres",
            "SELECT datname FROM pg_database WHERE datallowconn",
        );
        for db in dbs {
            s.pg_query(&db[0], &format!("DROP OWNED BY {role} CASCADE; SELECT 1"));
        }
        s.pg_query("postgres", &format!("DROP ROLE {role}; SELECT 1"));
    }
    assert_eq!(scenario_roles(s), Vec::<String>::new());
}

/// Against a fresh PostgreSQL (none of the roles the scenario grants to),
/// the scenario applies there statement by statement: its GRANT, REVOKE and
/// OWNER TO are not sent (the conversion drops them; they name roles), and
/// nothing is rejected, so nothing cascades. project-service has one
/// statement the conversion cannot carry over: not verified, exit 1.
#[test]
fn the_scenario_verifies_against_a_fresh_postgresql_without_its_roles() {
    let Some(s) = servers() else { return };
    drop_scenario_roles(&s);
    for (file, skipped_lines, not_carried) in [
        ("user-service.sql", vec![69, 71], vec![]),
        ("project-service.sql", vec![66, 68, 70], vec![86]),
        ("knowledge-service.sql", vec![90], vec![]),
    ] {
        let path = shared().join("scenario").join(file);
        let (o, r) = verify_both_json(&path, &s, &[]);
        let report = format!(
            "{file}: {}\n{}",
            serde_json::to_string_pretty(&r).unwrap(),
            text(&o.stderr)
        );
        assert_eq!(r["source_rejected"], serde_json::json!([]), "{report}");
        assert_eq!(r["rejected"], serde_json::json!([]), "{report}");
        let skipped: Vec<u64> = r["source_skipped"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["line"].as_u64().unwrap())
            .collect();
        assert_eq!(skipped, skipped_lines, "{report}");
        for x in r["source_skipped"].as_array().unwrap() {
            let reason = x["reason"].as_str().unwrap();
            assert!(reason.contains("name roles"), "{report}");
        }
        let lines: Vec<u64> = r["not_carried_over"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["line"].as_u64().unwrap())
            .collect();
        assert_eq!(lines, not_carried, "{report}");
        if not_carried.is_empty() {
            assert_eq!(o.status.code(), Some(0), "{report}");
            assert_eq!(r["outcome"], "verified");
        } else {
            assert_eq!(o.status.code(), Some(1), "{report}");
            assert_eq!(r["outcome"], "incomplete");
        }
        assert_eq!(r["server"]["kind"], "mariadb");
        assert_eq!(r["converted_for"], "tidb-8.5", "no --target: the default");
        assert!(
            text(&o.stderr).contains("not TiDB"),
            "warns that MariaDB is not TiDB"
        );
        let applied = r["applied"].as_u64().unwrap();
        let unproven = r["not_proven"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|u| u["action"] == "set aside")
            .count() as u64;
        assert_eq!(applied + unproven, r["statements"].as_u64().unwrap());
        let p = &r["parity"];
        assert!(p["tables"].as_u64().unwrap() >= 4, "{file}: {p}");
        let diffs = p["differences"].as_array().unwrap();
        assert!(
            diffs
                .iter()
                .all(|d| !d["explained_by"].as_array().unwrap().is_empty()),
            "{file}: unexpected differences: {p:#}"
        );
        // The README's "what a correct result shows": e.g. VARCHAR sizing and timestamptz, each explained.
        let explained = |what: &str, rule: &str| {
            diffs.iter().any(|d| {
                d["what"] == what
                    && d["explained_by"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|n| n["rule"] == rule)
            })
        };
        assert!(explained("type", "timestamptz"), "{file}: {p:#}");
        if file == "knowledge-service.sql" {
            assert!(explained("type", "stand-in"), "VECTOR on MariaDB: {p:#}");
            assert!(explained("missing", "index-method"), "GIN index: {p:#}");
            let reasons = r["not_proven"].to_string();
            assert!(reasons.contains("ix_resources_embedding"), "{reasons}");
        }
        if file == "user-service.sql" {
            assert!(explained("type", "varchar-length"), "{p:#}");
        }
        // Both scratch databases are gone, and no role was created.
        let db = r["target_database"].as_str().unwrap();
        assert!(db.starts_with("pg2tidb_verify_"));
        assert!(maria_dbs(&s, db).is_empty(), "{db} left on MariaDB");
        assert!(!pg_has_db(&s, r["source_database"].as_str().unwrap()));
        assert_eq!(scenario_roles(&s), Vec::<String>::new());
    }
    // The text report says the same.
    let t = verify_both(&shared().join("scenario/project-service.sql"), &s, &[]);
    let out = text(&t.stdout);
    assert!(
        out.contains("result: not verified: 1 statement(s) not carried over"),
        "{out}"
    );
    assert!(
        out.contains("not sent: 3 statement(s) on privileges and ownership"),
        "{out}"
    );
    assert!(!out.contains("rejected by PostgreSQL"), "{out}");
}

/// Statements the conversion could not carry over (errors) are counted and
/// listed, and the result is never "verified" while there are any; dropped
/// ones (with an info or warning reason) are counted but do not matter.
#[test]
fn statements_not_carried_over_are_counted_and_the_result_is_not_verified() {
    let Some(s) = servers() else { return };
    let dropped_only = "CREATE TABLE kept (id int PRIMARY KEY, name varchar(20));\nGRANT SELECT ON kept TO PUBLIC;\n";
    let with_errors = format!(
        "{dropped_only}CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';\n  ALTER TABLE kept ADD COLUMN seq_no serial;\n"
    );
    // Dropped with a reason only: verified.
    let clean = input("dropped-only", dropped_only);
    let (o, r) = verify_json(&clean, &["--target-url", &s.mysql_url]);
    assert_eq!(o.status.code(), Some(0), "{r:#}");
    assert_eq!(r["outcome"], "verified");
    assert_eq!(
        r["conversion"],
        serde_json::json!({"statements": 2, "converted": 1, "dropped": 1, "not_carried_over": 0})
    );
    assert!(
        text(&verify(&clean, &["--target-url", &s.mysql_url]).stdout)
            .ends_with("result: verified\n")
    );
    // Two statements not carried over: everything else applies, yet not verified.
    let f = input("not-carried", &with_errors);
    let pg = source_url(&s);
    for args in [
        vec!["--target-url", s.mysql_url.as_str()],
        vec!["--target-url", s.mysql_url.as_str(), "--source-url", &pg],
    ] {
        let (o, r) = verify_json(&f, &args);
        assert_eq!(o.status.code(), Some(1), "{r:#}");
        assert_eq!(r["outcome"], "incomplete", "{r:#}");
        assert_eq!(r["rejected"], serde_json::json!([]));
        assert_eq!(
            r["applied"], r["statements"],
            "all that was carried over applied"
        );
        assert_eq!(
            r["conversion"],
            serde_json::json!({"statements": 4, "converted": 1, "dropped": 1, "not_carried_over": 2})
        );
        let not = r["not_carried_over"].as_array().unwrap();
        assert_eq!(not.len(), 2, "{r:#}");
        assert_eq!(not[0]["file"], f.display().to_string());
        assert_eq!(
            (not[0]["line"].as_u64(), not[0]["col"].as_u64()),
            (Some(3), Some(1))
        );
        assert_eq!(
            not[0]["rules"],
            serde_json::json!(["unsupported-statement"])
        );
        assert_eq!(
            (not[1]["line"].as_u64(), not[1]["col"].as_u64()),
            (Some(4), Some(3))
        );
        assert!(!not[1]["message"].as_str().unwrap().is_empty());
        let t = verify(&f, &args);
        assert_eq!(t.status.code(), Some(1));
        let out = text(&t.stdout);
        assert!(
            out.contains(
                "conversion: 4 statement(s): 1 converted, 1 dropped with a reason, 2 not carried over"
            ),
            "{out}"
        );
        assert!(
            out.contains(&format!(
                "{}:3:1: not carried over [unsupported-statement]: ",
                f.display()
            )),
            "{out}"
        );
        assert!(
            out.ends_with("result: not verified: 2 statement(s) not carried over\n"),
            "{out}"
        );
    }
    // With a rejection too, the result line names both.
    let both = input(
        "not-carried-and-rejected",
        &format!(
            "{with_errors}INSERT INTO kept (id, seq_no) VALUES (1, 1);\nINSERT INTO kept (id, seq_no) VALUES (1, 1);\n"
        ),
    );
    let t = verify(&both, &["--target-url", &s.mysql_url]);
    assert_eq!(t.status.code(), Some(1));
    let out = text(&t.stdout);
    assert!(
        out.ends_with(
            "result: FAILED: 1 statement(s) rejected by the target, 2 statement(s) not carried over\n"
        ),
        "{out}"
    );
}

/// A statement PostgreSQL rejects is reported once and takes nothing else
/// with it, inside the input's transaction or outside one; statements that
/// reach outside the scratch database (roles, databases) are not sent.
#[test]
fn a_statement_postgresql_rejects_takes_nothing_else_with_it() {
    let Some(s) = servers() else { return };
    let pid = std::process::id();
    // A database and a role name of this test: the input drops the one and
    // creates the other; neither may happen on the user's server.
    let keep_db = format!("p2t_verify_keep_{pid}");
    let role = format!("p2t_verify_role_{pid}");
    s.pg_query("postgres", &format!("CREATE DATABASE {keep_db}"));
    let sql = format!(
        "BEGIN;\n\
         CREATE TABLE parent (id int PRIMARY KEY);\n\
         CREATE EXTENSION IF NOT EXISTS pg2tidb_no_such_extension;\n\
         GRANT SELECT ON parent TO pg2tidb_no_such_role;\n\
         ALTER TABLE parent OWNER TO pg2tidb_no_such_role;\n\
         CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent (id));\n\
         COMMIT;\n\
         CREATE EXTENSION IF NOT EXISTS pg2tidb_no_such_extension;\n\
         CREATE TABLE after_commit (id int PRIMARY KEY, child_id int REFERENCES child (id));\n\
         CREATE ROLE {role};\n\
         DROP DATABASE IF EXISTS {keep_db};\n"
    );
    let f = input("source-rejects", &sql);
    let (o, r) = verify_both_json(&f, &s, &[]);
    let report = format!("{r:#}\n{}", text(&o.stderr));
    assert_eq!(o.status.code(), Some(1), "{report}");
    assert_eq!(r["outcome"], "failed");
    let rej = r["source_rejected"].as_array().unwrap();
    let at: Vec<(u64, u64)> = rej
        .iter()
        .map(|x| (x["line"].as_u64().unwrap(), x["col"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        at,
        vec![(3, 1), (8, 1)],
        "only the extension, twice: {report}"
    );
    for x in rej {
        assert_eq!(x["file"], f.display().to_string());
        assert!(
            x["error"]
                .as_str()
                .unwrap()
                .contains("extension \"pg2tidb_no_such_extension\" is not available"),
            "PostgreSQL's message: {report}"
        );
        assert_eq!(x["rules"], serde_json::json!(["pg-only-statement"]));
    }
    let skipped: Vec<(u64, bool)> = r["source_skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["line"].as_u64().unwrap(),
                x["reason"].as_str().unwrap().contains("name roles"),
            )
        })
        .collect();
    assert_eq!(
        skipped,
        vec![(4, true), (5, true), (10, false), (11, false)],
        "{report}"
    );
    // Every table is there on both sides: nothing cascaded.
    let p = &r["parity"];
    assert_eq!(p["tables"], 3, "{report}");
    assert_eq!(p["differences"], serde_json::json!([]), "{report}");
    // Nothing outside the scratch database changed.
    assert!(pg_has_db(&s, &keep_db), "DROP DATABASE reached the server");
    assert!(
        s.pg_query(
            "postgres",
            &format!("SELECT 1 FROM pg_roles WHERE rolname = '{role}'")
        )
        .is_empty(),
        "CREATE ROLE reached the server"
    );
    let t = verify_both(&f, &s, &[]);
    let out = text(&t.stdout);
    assert_eq!(out.matches("rejected by PostgreSQL: ").count(), 2, "{out}");
    assert!(
        out.contains(&format!(
            "{}:3:1: rejected by PostgreSQL: ERROR: extension \"pg2tidb_no_such_extension\" is not available",
            f.display()
        )),
        "{out}"
    );
    assert!(
        out.ends_with("result: FAILED: 2 rejected by PostgreSQL\n"),
        "{out}"
    );
    s.pg_drop(&keep_db);
}

/// `--timeout` bounds each statement on PostgreSQL too: a statement that
/// runs longer is cancelled there and reported, and the rest still applies.
#[test]
fn a_statement_longer_than_the_timeout_is_cancelled_on_postgresql() {
    let Some(s) = servers() else { return };
    let f = input(
        "slow",
        "CREATE TABLE before_sleep (id int PRIMARY KEY);\nSELECT pg_sleep(5);\nCREATE TABLE after_sleep (id int PRIMARY KEY);\n",
    );
    let (o, r) = verify_both_json(&f, &s, &["--timeout", "1"]);
    let report = format!("{r:#}\n{}", text(&o.stderr));
    assert_eq!(o.status.code(), Some(1), "{report}");
    let rej = r["source_rejected"].as_array().unwrap();
    assert_eq!(rej.len(), 1, "{report}");
    assert_eq!(rej[0]["line"], 2);
    assert!(
        rej[0]["error"]
            .as_str()
            .unwrap()
            .contains("canceling statement due to statement timeout"),
        "{report}"
    );
    assert_eq!(r["parity"]["tables"], 2, "{report}");
}

/// `COPY … FROM stdin` reaches PostgreSQL with its data (it used to cut the
/// connection), and the statements after it still apply.
#[test]
fn copy_from_stdin_is_applied_with_its_data() {
    let Some(s) = servers() else { return };
    let f = input(
        "copy",
        "CREATE TABLE t (id int PRIMARY KEY, name text);\nCOPY t (id, name) FROM stdin;\n1\tx\n2\ty\n\\.\n\nCREATE TABLE after_copy (id int PRIMARY KEY);\n",
    );
    let (o, r) = verify_both_json(&f, &s, &["--keep"]);
    let report = format!("{r:#}\n{}", text(&o.stderr));
    let pg_db = r["source_database"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let db = r["target_database"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        o.status.code(),
        Some(1),
        "COPY's data is not carried over: {report}"
    );
    assert_eq!(r["outcome"], "incomplete", "{report}");
    assert_eq!(r["source_rejected"], serde_json::json!([]), "{report}");
    assert_eq!(r["parity"]["tables"], 2, "{report}");
    let rows = s.pg_query(&pg_db, "SELECT count(*) FROM t");
    assert_eq!(rows, vec![vec!["2".to_string()]]);
    s.maria_drop(&db);
    s.pg_drop(&pg_db);
}

#[test]
fn an_unexplained_difference_fails_and_names_the_object() {
    let Some(s) = servers() else { return };
    // A finding suppressed by the user no longer explains its change.
    let f = input(
        "unexplained",
        "-- pg2tidb: ignore[varchar-length]\nCREATE TABLE notes (\n  id int PRIMARY KEY,\n  body varchar\n);\n",
    );
    let (o, r) = verify_both_json(&f, &s, &[]);
    assert_eq!(o.status.code(), Some(1), "{r:#}");
    assert_eq!(r["outcome"], "failed");
    let d = &r["parity"]["differences"][0];
    assert_eq!(d["object"], "column notes.body", "{r:#}");
    assert_eq!(d["what"], "type");
    assert!(d["explained_by"].as_array().unwrap().is_empty());
    let t = verify_both(&f, &s, &[]);
    assert!(
        text(&t.stdout)
            .contains("UNEXPECTED column notes.body type: character varying → varchar(255)"),
        "{}",
        text(&t.stdout)
    );
}

#[test]
fn a_rejected_statement_is_mapped_to_its_source_location_and_rules() {
    let Some(s) = servers() else { return };
    // The server refuses the second INSERT (duplicate key): only a live run can tell.
    let f = input(
        "rejected",
        "CREATE TABLE t (id int PRIMARY KEY);\nINSERT INTO t (id) VALUES (1) RETURNING id;\n\n  INSERT INTO t (id) VALUES (1) RETURNING id;\nCREATE TABLE after_the_error (id int PRIMARY KEY);\n",
    );
    let (o, r) = verify_json(&f, &["--target-url", &s.mysql_url]);
    assert_eq!(o.status.code(), Some(1), "{r:#}");
    assert_eq!(r["outcome"], "failed");
    let rej = r["rejected"].as_array().unwrap();
    assert_eq!(rej.len(), 1, "{r:#}");
    assert_eq!(rej[0]["file"], f.display().to_string());
    assert_eq!(
        (rej[0]["line"].as_u64(), rej[0]["col"].as_u64()),
        (Some(4), Some(3))
    );
    assert_eq!(rej[0]["rules"], serde_json::json!(["returning-clause"]));
    assert!(
        rej[0]["error"]
            .as_str()
            .unwrap()
            .contains("Duplicate entry"),
        "{r:#}"
    );
    assert_eq!(r["applied"], 3, "the statements after the error still run");
    let t = verify(&f, &["--target-url", &s.mysql_url]);
    let out = text(&t.stdout);
    assert!(
        out.contains(&format!(
            "{}:4:3: rejected by the target (rules: returning-clause): ERROR 1062",
            f.display()
        )),
        "{out}"
    );
    assert!(
        maria_dbs(&s, r["target_database"].as_str().unwrap()).is_empty(),
        "dropped after a failure"
    );
}

#[test]
fn passwords_never_appear_in_output_or_reports() {
    let Some(s) = servers() else { return };
    let password = format!("Pw-{}-s3cr3t", std::process::id());
    let user = format!("pg2tidb_pw_{}", std::process::id());
    let mut root = s.maria();
    root.query_drop(format!(
        "CREATE USER IF NOT EXISTS '{user}'@'127.0.0.1' IDENTIFIED BY '{password}'"
    ))
    .unwrap();
    root.query_drop(format!("GRANT ALL ON *.* TO '{user}'@'127.0.0.1'"))
        .unwrap();
    let hostport = s
        .mysql_url
        .trim_start_matches("mysql://")
        .split('@')
        .nth(1)
        .unwrap()
        .trim_end_matches('/');
    let url = format!("mysql://{user}:{password}@{hostport}/");
    let pg = format!(
        "postgres://{}:{password}@{}:{}/postgres",
        s.pg_user, s.pg_host, s.pg_port
    );
    let f = input("password", "CREATE TABLE p (id serial PRIMARY KEY, name varchar);\nINSERT INTO p (id) VALUES (1);\nINSERT INTO p (id) VALUES (1);\n");
    let bad = format!("mysql://{user}:wrong-{password}@{hostport}/");
    let runs = [
        verify(&f, &["--target-url", &url, "--source-url", &pg]),
        verify_json(&f, &["--target-url", &url, "--source-url", &pg]).0,
        verify(&f, &["--target-url", &bad]),
        verify(
            &f,
            &[
                "--target-url",
                &format!("mysql://{user}:{password}@127.0.0.1:1/"),
            ],
        ),
    ];
    assert_eq!(runs[0].status.code(), Some(1), "{}", text(&runs[0].stdout));
    assert!(
        text(&runs[0].stdout).contains(&format!("target: {user}@")),
        "{}",
        text(&runs[0].stdout)
    );
    assert_eq!(
        runs[2].status.code(),
        Some(2),
        "wrong password: {}",
        text(&runs[2].stderr)
    );
    assert!(
        text(&runs[2].stderr).contains("Access denied"),
        "{}",
        text(&runs[2].stderr)
    );
    assert_eq!(runs[3].status.code(), Some(2));
    for o in &runs {
        for out in [text(&o.stdout), text(&o.stderr)] {
            assert!(!out.contains(&password), "password printed:\n{out}");
            assert!(!out.contains("s3cr3t"), "password printed:\n{out}");
        }
    }
    // From an environment variable too.
    let o = bin()
        .args([
            "verify",
            f.to_str().unwrap(),
            "--target-url",
            &format!("mysql://{user}@{hostport}/"),
            "--password-env",
            "P2T_TEST_PW",
        ])
        .env("P2T_TEST_PW", &password)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "connects, then the duplicate INSERT fails: {}",
        text(&o.stderr)
    );
    assert!(!text(&o.stdout).contains(&password) && !text(&o.stderr).contains(&password));
    let _ = root.query_drop(format!("DROP USER '{user}'@'127.0.0.1'"));
}

#[test]
fn an_interrupt_drops_the_scratch_database() {
    let Some(s) = servers() else { return };
    let (child, mut err, db) = start_long_run(&s, "interrupt", &[]);
    // Let it apply some statements, then Ctrl-C.
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(
        maria_dbs(&s, &db).len(),
        1,
        "the scratch database exists while it runs"
    );
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut err, &mut rest).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{rest}");
    let report = text(&out.stdout);
    assert!(report.contains("result: interrupted"), "{report}");
    assert!(
        rest.contains(&format!("scratch database `{db}` dropped")),
        "{rest}"
    );
    let applied: u64 = report
        .split("applied: ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(applied > 0 && applied < 6000, "stopped part-way: {report}");
    assert!(
        maria_dbs(&s, &db).is_empty(),
        "{db} left behind after Ctrl-C"
    );
}

/// Start `verify` on a long input and return it with its scratch database's name.
fn start_long_run(
    s: &Servers,
    name: &str,
    extra: &[&str],
) -> (
    std::process::Child,
    BufReader<std::process::ChildStderr>,
    String,
) {
    let mut sql = String::new();
    for i in 0..3000 {
        sql.push_str(&format!("CREATE TABLE t{i} (id bigserial PRIMARY KEY, name varchar(100) NOT NULL, created_at timestamptz DEFAULT now());\nCREATE INDEX ix_t{i}_name ON t{i} (name);\n"));
    }
    start_run(s, name, &sql, extra)
}

/// Start `verify` on `sql` and return it with its scratch database's name.
fn start_run(
    s: &Servers,
    name: &str,
    sql: &str,
    extra: &[&str],
) -> (
    std::process::Child,
    BufReader<std::process::ChildStderr>,
    String,
) {
    let f = input(name, sql);
    let mut child = bin()
        .args(["verify", f.to_str().unwrap(), "--target-url", &s.mysql_url])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    let mut line = String::new();
    while err.read_line(&mut line).unwrap() > 0 {
        seen.push_str(&line);
        if let Some(rest) = line.split("scratch database `").nth(1) {
            let db = rest.split('`').next().unwrap().to_string();
            return (child, err, db);
        }
        line.clear();
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("no scratch database announced:\n{seen}");
}

#[test]
fn a_lost_connection_reports_what_was_applied_and_still_cleans_up() {
    let Some(s) = servers() else { return };
    let (child, mut err, db) = start_long_run(&s, "lost", &[]);
    std::thread::sleep(std::time::Duration::from_millis(500));
    let mut root = s.maria();
    let ids: Vec<u64> = root
        .exec(
            "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ?",
            (&db,),
        )
        .unwrap();
    assert_eq!(ids.len(), 1, "one session in {db}");
    root.query_drop(format!("KILL CONNECTION {}", ids[0]))
        .unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut err, &mut rest).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{rest}");
    assert!(
        rest.contains("pg2tidb: connection to the target root@")
            && rest.contains("lost at ")
            && rest.contains(" statement(s) applied (last applied: "),
        "{rest}"
    );
    assert!(
        rest.contains("the server closed the connection")
            && rest.contains("run again (the server's log may say why)"),
        "what happened and what to try: {rest}"
    );
    assert_eq!(debug_shapes(&rest), Vec::<String>::new(), "{rest}");
    assert!(
        rest.contains(&format!("scratch database `{db}` dropped")),
        "cleaned up on a new connection: {rest}"
    );
    assert!(maria_dbs(&s, &db).is_empty());
}

/// The PostgreSQL side too: its connection ends mid-run (the backend is
/// terminated) and the one line says where, what happened and what to try;
/// both scratch databases are dropped.
#[test]
fn a_lost_postgresql_connection_reports_where_and_still_cleans_up() {
    let Some(s) = servers() else { return };
    let pg = source_url(&s);
    // pg_sleep is not carried over, but runs on PostgreSQL: a statement
    // that is still running when the session ends.
    let (child, mut err, db) = start_run(
        &s,
        "lost-pg",
        "CREATE TABLE a (id int PRIMARY KEY);\nSELECT pg_sleep(30);\nCREATE TABLE b (id int PRIMARY KEY);\n",
        &["--source-url", &pg],
    );
    let mut backend = None;
    for _ in 0..300 {
        let rows = s.pg_query(
            "postgres",
            &format!("SELECT pid FROM pg_stat_activity WHERE datname = '{db}' AND application_name = 'pg2tidb verify' AND query LIKE '%pg_sleep%'"),
        );
        if let Some(r) = rows.first() {
            backend = Some(r[0].clone());
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let backend = backend.expect("verify applies the input on PostgreSQL");
    s.pg_query(
        "postgres",
        &format!("SELECT pg_terminate_backend({backend})"),
    );
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut err, &mut rest).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{rest}");
    let line = rest
        .lines()
        .find(|l| l.starts_with("pg2tidb: connection to PostgreSQL"))
        .unwrap_or_else(|| panic!("{rest}"));
    assert!(
        line.contains(&format!(
            "{}@{}:{} lost at ",
            s.pg_user, s.pg_host, s.pg_port
        )) && line.contains(
            "lost-pg.sql:2:1 after 1 statement(s) applied there: the server closed the connection"
        ) && line.contains("run again"),
        "{line}"
    );
    assert_eq!(debug_shapes(&rest), Vec::<String>::new(), "{rest}");
    assert!(
        rest.contains(&format!("scratch database `{db}` dropped"))
            && rest.contains(&format!("PostgreSQL scratch database \"{db}\" dropped")),
        "{rest}"
    );
    assert!(maria_dbs(&s, &db).is_empty());
    assert!(!pg_has_db(&s, &db));
}

#[test]
fn tls_with_a_private_ca_succeeds_with_ca_and_fails_without() {
    let Some(s) = servers() else { return };
    let ca = std::env::var("PG2TIDB_TEST_MYSQL_CA")
        .expect("PG2TIDB_TEST_MYSQL_CA (scripts/servers.sh starts MariaDB with TLS)");
    assert!(Path::new(&ca).is_file(), "{ca}");
    let f = clean_input("tls");
    let url = format!("{}?ssl-mode=VERIFY_IDENTITY", s.mysql_url);
    let (ok, r) = verify_json(&f, &["--target-url", &url, "--ca", &ca]);
    assert_eq!(ok.status.code(), Some(0), "{r:#}\n{}", text(&ok.stderr));
    assert!(
        r["tls"].as_str().is_some_and(|c| !c.is_empty()),
        "TLS in use: {r:#}"
    );
    // --ca alone implies VERIFY_IDENTITY.
    let (_, implied) = verify_json(&f, &["--target-url", &s.mysql_url, "--ca", &ca]);
    assert!(implied["tls"].is_string());
    // Without the CA the certificate is not trusted: a one-line error, exit 2, nothing created.
    let no = verify(&f, &["--target-url", &url]);
    assert_eq!(no.status.code(), Some(2));
    let err = text(&no.stderr);
    assert!(
        err.contains("cannot connect to the target") && err.contains("--ca"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(text(&no.stdout).is_empty());
    // The system's CA bundle is trusted by default (SSL_CERT_FILE names it here).
    let system = bin()
        .args([
            "verify",
            f.to_str().unwrap(),
            "--target-url",
            &url,
            "--format",
            "json",
        ])
        .env("SSL_CERT_FILE", &ca)
        .output()
        .unwrap();
    assert_eq!(system.status.code(), Some(0), "{}", text(&system.stderr));
    assert!(json(&system)["tls"].is_string());
    // Plain loopback connections stay unencrypted unless asked.
    let (_, plain) = verify_json(&f, &["--target-url", &s.mysql_url]);
    assert!(plain["tls"].is_null());
}

#[test]
fn connection_errors_are_one_line_with_exit_2() {
    let Some(_s) = servers() else { return };
    let f = common::root().join("fixtures/serial.sql");
    for (url, expect) in [
        (
            "mysql://root@127.0.0.1:1/",
            "cannot connect to the target root@127.0.0.1:1",
        ),
        ("postgres://x@127.0.0.1/", "expected mysql://"),
        (
            "mysql://root@127.0.0.1:1/?ssl-mode=sometimes",
            "unknown ssl-mode",
        ),
    ] {
        let o = verify(&f, &["--target-url", url, "--timeout", "5"]);
        assert_eq!(o.status.code(), Some(2), "{url}");
        let err = text(&o.stderr);
        assert!(err.contains(expect), "{url}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{url}: {err}");
    }
}

/// Rust debug structures (`DriverError { … }`, `Error { kind: … }`) in any output.
fn debug_shapes(out: &str) -> Vec<String> {
    let re = regex::Regex::new(r"[A-Za-z_][A-Za-z0-9_]* ?\{|\{ | \}").unwrap();
    re.find_iter(out).map(|m| m.as_str().to_string()).collect()
}

/// A stand-in peer for failures a real server cannot be made to show here:
/// it accepts one connection on a loopback port and plays `part` on it.
fn fake_server(
    part: impl FnOnce(std::net::TcpStream) + Send + 'static,
) -> (u16, std::thread::JoinHandle<()>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        if let Ok((conn, _)) = listener.accept() {
            part(conn);
        }
    });
    (port, handle)
}

/// Accept, then say nothing for longer than any `--timeout` used here.
fn silent(conn: std::net::TcpStream) {
    std::thread::sleep(std::time::Duration::from_secs(8));
    drop(conn);
}

/// A MySQL server greeting (protocol 10) that does not offer TLS.
fn mysql_without_tls(mut conn: std::net::TcpStream) {
    use std::io::{Read, Write};
    // CLIENT_LONG_PASSWORD | CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION
    // | CLIENT_PLUGIN_AUTH, and not CLIENT_SSL (0x800).
    let caps: u32 = 0x1 | 0x200 | 0x8000 | 0x8_0000;
    let mut p = vec![10u8];
    p.extend_from_slice(b"8.0.11-fake\0");
    p.extend_from_slice(&7u32.to_le_bytes());
    p.extend_from_slice(b"abcdefgh\0");
    p.extend_from_slice(&(caps as u16).to_le_bytes());
    p.push(45); // utf8mb4
    p.extend_from_slice(&2u16.to_le_bytes());
    p.extend_from_slice(&((caps >> 16) as u16).to_le_bytes());
    p.push(21);
    p.extend_from_slice(&[0; 10]);
    p.extend_from_slice(b"ijklmnopqrst\0");
    p.extend_from_slice(b"mysql_native_password\0");
    let len = p.len() as u32;
    let mut packet = len.to_le_bytes()[..3].to_vec();
    packet.push(0);
    packet.extend_from_slice(&p);
    let _ = conn.write_all(&packet);
    let mut buf = [0u8; 512];
    let _ = conn.read(&mut buf);
}

/// Not a database server: an HTTP answer.
fn http(mut conn: std::net::TcpStream) {
    use std::io::Write;
    let _ = conn.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    std::thread::sleep(std::time::Duration::from_secs(3));
}

/// Read a PostgreSQL startup message (length-prefixed).
fn pg_startup(conn: &mut std::net::TcpStream) {
    use std::io::Read;
    let mut len = [0u8; 4];
    if conn.read_exact(&mut len).is_ok() {
        let mut rest = vec![0u8; (u32::from_be_bytes(len) as usize).saturating_sub(4)];
        let _ = conn.read_exact(&mut rest);
    }
}

/// A PostgreSQL ErrorResponse.
fn pg_error_response(code: &str, message: &str) -> Vec<u8> {
    let mut body = Vec::new();
    for (k, v) in [
        (b'S', "FATAL"),
        (b'V', "FATAL"),
        (b'C', code),
        (b'M', message),
    ] {
        body.push(k);
        body.extend_from_slice(v.as_bytes());
        body.push(0);
    }
    body.push(0);
    let mut msg = vec![b'E'];
    msg.extend_from_slice(&(body.len() as u32 + 4).to_be_bytes());
    msg.extend_from_slice(&body);
    msg
}

/// A PostgreSQL server that asks for a password and refuses it.
fn pg_refuses_password(mut conn: std::net::TcpStream) {
    use std::io::{Read, Write};
    pg_startup(&mut conn);
    // AuthenticationCleartextPassword
    let _ = conn.write_all(&[b'R', 0, 0, 0, 8, 0, 0, 0, 3]);
    let mut head = [0u8; 5];
    if conn.read_exact(&mut head).is_ok() {
        let n = u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize;
        let mut rest = vec![0u8; n.saturating_sub(4)];
        let _ = conn.read_exact(&mut rest);
    }
    let _ = conn.write_all(&pg_error_response(
        "28P01",
        "password authentication failed for user \"app\"",
    ));
}

/// A PostgreSQL server whose pg_hba.conf admits only TLS connections.
fn pg_requires_tls(mut conn: std::net::TcpStream) {
    use std::io::Write;
    pg_startup(&mut conn);
    let _ = conn.write_all(&pg_error_response(
        "28000",
        "no pg_hba.conf entry for host \"127.0.0.1\", user \"app\", database \"postgres\", no encryption",
    ));
}

/// One failing `verify` run: exit 2, nothing on standard output, one error
/// line on standard error that names the endpoint, says what happened and
/// what to try, with no debug structure and no password; and no scratch
/// database was created.
fn assert_one_human_line(o: &Output, what: &str, endpoint: &str, said: &[&str], secret: &str) {
    let err = text(&o.stderr);
    let all = format!("{}{err}", text(&o.stdout));
    assert_eq!(o.status.code(), Some(2), "{what}: {all}");
    assert_eq!(text(&o.stdout), "", "{what}");
    let lines: Vec<&str> = err
        .lines()
        .filter(|l| !l.starts_with("pg2tidb: warning:"))
        .collect();
    assert_eq!(lines.len(), 1, "{what}: one line: {err}");
    let line = lines[0];
    assert!(line.contains(endpoint), "{what}: names {endpoint}: {line}");
    for s in said {
        assert!(line.contains(s), "{what}: says {s:?}: {line}");
    }
    assert!(line.contains("; "), "{what}: a hint after the fact: {line}");
    assert_eq!(debug_shapes(&all), Vec::<String>::new(), "{what}: {all}");
    assert!(!all.contains(secret), "{what}: password printed: {all}");
    assert!(
        !err.contains(" created on "),
        "nothing created: {what}: {err}"
    );
}

/// Every way the target connection fails (refused port, unknown host, wrong
/// password, TLS untrusted / not offered / required, a server that never
/// answers, one that is not MySQL, missing privileges) is one human line.
#[test]
fn target_connection_failures_say_what_happened_and_what_to_try() {
    let Some(s) = servers() else { return };
    let f = clean_input("target-failures");
    let pid = std::process::id();
    let secret = format!("Sx-{pid}-pw");
    let hostport = s
        .mysql_url
        .trim_start_matches("mysql://")
        .split('@')
        .nth(1)
        .unwrap()
        .trim_end_matches('/')
        .to_string();
    let (user, tls_user, weak_user) = (
        format!("p2t_cf_{pid}"),
        format!("p2t_cf_tls_{pid}"),
        format!("p2t_cf_weak_{pid}"),
    );
    let mut root = s.maria();
    for (u, extra, grant) in [
        (&user, "", true),
        (&tls_user, " REQUIRE SSL", true),
        (&weak_user, "", false),
    ] {
        root.query_drop(format!(
            "CREATE USER IF NOT EXISTS '{u}'@'127.0.0.1' IDENTIFIED BY '{secret}'{extra}"
        ))
        .unwrap();
        if grant {
            root.query_drop(format!("GRANT ALL ON *.* TO '{u}'@'127.0.0.1'"))
                .unwrap();
        }
    }
    let run = |url: &str, extra: &[&str]| {
        let mut args = vec!["--target-url", url, "--timeout", "2"];
        args.extend_from_slice(extra);
        verify(&f, &args)
    };
    let refused = run("mysql://root@127.0.0.1:1/", &[]);
    assert_one_human_line(
        &refused,
        "refused",
        "root@127.0.0.1:1",
        &[
            "connection refused",
            "check the host and port in --target-url",
        ],
        &secret,
    );
    let unknown = run(
        "mysql://root@pg2tidb-no-such-host.invalid:4000/?ssl-mode=DISABLED",
        &[],
    );
    assert_one_human_line(
        &unknown,
        "unknown host",
        "root@pg2tidb-no-such-host.invalid:4000",
        &[
            "unknown host pg2tidb-no-such-host.invalid",
            "check the host in --target-url",
        ],
        &secret,
    );
    let wrong = run(&format!("mysql://{user}:wrong-{secret}@{hostport}/"), &[]);
    assert_one_human_line(
        &wrong,
        "wrong password",
        &format!("{user}@{hostport}"),
        &[
            "access denied",
            "Access denied",
            "check the user name and the password",
        ],
        &secret,
    );
    let untrusted = run(
        &format!("mysql://{user}:{secret}@{hostport}/?ssl-mode=VERIFY_IDENTITY"),
        &[],
    );
    assert_one_human_line(
        &untrusted,
        "certificate not trusted",
        &format!("{user}@{hostport}"),
        &["certificate is not trusted", "--ca FILE"],
        &secret,
    );
    let needs_tls = run(&format!("mysql://{tls_user}:{secret}@{hostport}/"), &[]);
    assert_one_human_line(
        &needs_tls,
        "account requires TLS, connection plain",
        &format!("{tls_user}@{hostport}"),
        &["access denied", "if the account requires TLS, set ssl-mode"],
        &secret,
    );
    let (port, server) = fake_server(mysql_without_tls);
    let no_tls = run(
        &format!("mysql://root@127.0.0.1:{port}/?ssl-mode=REQUIRED"),
        &[],
    );
    assert_one_human_line(
        &no_tls,
        "server without TLS",
        &format!("root@127.0.0.1:{port}"),
        &[
            "does not offer TLS",
            "ssl-mode=REQUIRED",
            "ssl-mode=DISABLED",
        ],
        &secret,
    );
    server.join().unwrap();
    let (port, server) = fake_server(silent);
    let quiet = run(&format!("mysql://root@127.0.0.1:{port}/"), &[]);
    assert_one_human_line(
        &quiet,
        "silent server",
        &format!("root@127.0.0.1:{port}"),
        &["no answer within 2 s", "raise --timeout"],
        &secret,
    );
    server.join().unwrap();
    let (port, server) = fake_server(http);
    let not_mysql = run(&format!("mysql://root@127.0.0.1:{port}/"), &[]);
    assert_one_human_line(
        &not_mysql,
        "not a MySQL server",
        &format!("root@127.0.0.1:{port}"),
        &[&format!(
            "check that 127.0.0.1:{port} is a MySQL or TiDB server"
        )],
        &secret,
    );
    server.join().unwrap();
    // Connected, but may not create the scratch database.
    let weak = run(&format!("mysql://{weak_user}:{secret}@{hostport}/"), &[]);
    let err = text(&weak.stderr);
    assert_eq!(weak.status.code(), Some(2), "{err}");
    let line = err.lines().last().unwrap_or_default();
    assert!(
        line.starts_with("pg2tidb: cannot create the scratch database")
            && line.contains(&format!("{weak_user}@{hostport}"))
            && line.contains("the user needs the CREATE and DROP privileges"),
        "{err}"
    );
    assert_eq!(debug_shapes(&err), Vec::<String>::new(), "{err}");
    assert!(!err.contains(&secret));
    for u in [&user, &tls_user, &weak_user] {
        let _ = root.query_drop(format!("DROP USER '{u}'@'127.0.0.1'"));
    }
}

/// The same for the PostgreSQL side, which is connected to before anything
/// is created on either server.
#[test]
fn source_connection_failures_say_what_happened_and_what_to_try() {
    let Some(s) = servers() else { return };
    let f = clean_input("source-failures");
    let pid = std::process::id();
    let secret = format!("Pg-{pid}-pw");
    let run = |url: &str| {
        verify(
            &f,
            &[
                "--target-url",
                &s.mysql_url,
                "--source-url",
                url,
                "--timeout",
                "2",
            ],
        )
    };
    let pg = format!("{}:{}", s.pg_host, s.pg_port);
    let refused = run("postgres://app@127.0.0.1:1/postgres");
    assert_one_human_line(
        &refused,
        "refused",
        "app@127.0.0.1:1",
        &[
            "connection refused",
            "check the host and port in --source-url",
        ],
        &secret,
    );
    let unknown = run("postgres://app@pg2tidb-no-such-host.invalid/postgres");
    assert_one_human_line(
        &unknown,
        "unknown host",
        "app@pg2tidb-no-such-host.invalid:5432",
        &[
            "unknown host pg2tidb-no-such-host.invalid",
            "check the host in --source-url",
        ],
        &secret,
    );
    let (port, server) = fake_server(pg_refuses_password);
    let wrong = run(&format!(
        "postgres://app:{secret}@127.0.0.1:{port}/postgres"
    ));
    assert_one_human_line(
        &wrong,
        "wrong password",
        &format!("app@127.0.0.1:{port}"),
        &[
            "password authentication failed",
            "check the user name and the password",
            "--source-password-env",
        ],
        &secret,
    );
    server.join().unwrap();
    let (port, server) = fake_server(pg_requires_tls);
    let tls = run(&format!("postgres://app@127.0.0.1:{port}/postgres"));
    assert_one_human_line(
        &tls,
        "server admits only TLS",
        &format!("app@127.0.0.1:{port}"),
        &[
            "no encryption",
            "TLS to the PostgreSQL side is not supported yet",
        ],
        &secret,
    );
    server.join().unwrap();
    let (port, server) = fake_server(silent);
    let quiet = run(&format!("postgres://app@127.0.0.1:{port}/postgres"));
    assert_one_human_line(
        &quiet,
        "silent server",
        &format!("app@127.0.0.1:{port}"),
        &["no answer within 2 s", "raise --timeout"],
        &secret,
    );
    server.join().unwrap();
    let maria_port = s
        .mysql_url
        .rsplit(':')
        .next()
        .unwrap()
        .trim_end_matches('/');
    let not_pg = run(&format!("postgres://app@127.0.0.1:{maria_port}/postgres"));
    assert_one_human_line(
        &not_pg,
        "not a PostgreSQL server",
        &format!("app@127.0.0.1:{maria_port}"),
        &[&format!(
            "check that 127.0.0.1:{maria_port} is a PostgreSQL server"
        )],
        &secret,
    );
    let no_db = run(&format!(
        "postgres://{}@{pg}/p2t_no_such_db_{pid}",
        s.pg_user
    ));
    assert_one_human_line(
        &no_db,
        "no such database",
        &format!("{}@{pg}", s.pg_user),
        &[
            "does not exist",
            "name an existing database in --source-url",
        ],
        &secret,
    );
    // Connected, but may not create the scratch database.
    let role = format!("p2t_nocreatedb_{pid}");
    s.pg_query("postgres", &format!("CREATE ROLE {role} LOGIN NOCREATEDB"));
    let weak = run(&format!("postgres://{role}@{pg}/postgres"));
    let err = text(&weak.stderr);
    assert_eq!(weak.status.code(), Some(2), "{err}");
    let line = err.lines().last().unwrap_or_default();
    assert!(
        line.starts_with("pg2tidb: cannot create the PostgreSQL scratch database")
            && line.contains(&format!("{role}@{pg}"))
            && line.contains("permission denied to create database")
            && line.contains("CREATEDB"),
        "{err}"
    );
    assert_eq!(debug_shapes(&err), Vec::<String>::new(), "{err}");
    assert!(
        err.contains("scratch database `") && err.contains("` dropped"),
        "the target's scratch database is dropped again: {err}"
    );
    s.pg_query("postgres", &format!("DROP ROLE {role}"));
}

#[test]
fn the_target_version_can_be_chosen_and_is_reported() {
    let Some(s) = servers() else { return };
    let f = common::root().join("fixtures/serial.sql");
    let (_, r) = verify_json(&f, &["--target-url", &s.mysql_url, "--target", "tidb-7.5"]);
    assert_eq!(r["converted_for"], "tidb-7.5");
    assert!(r["server"]["version"].as_str().unwrap().contains("MariaDB"));
}

/// Every corpus entry applies on both sides (MariaDB + PostgreSQL 15, with
/// none of the roles its GRANTs name needed) with nothing rejected and no
/// unexpected difference; it is "verified" (exit 0) exactly when the
/// conversion carried every statement over, else "incomplete" (exit 1).
/// docs/verify.md lists the expected differences as measured here.
#[test]
fn the_corpus_verifies_and_docs_list_its_differences() {
    let Some(s) = servers() else { return };
    let pg = s.with_pg15();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(shared().join("corpus"))
        .expect("../shared/corpus")
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("pg").is_dir())
        .collect();
    dirs.sort();
    let mut table = String::from(
        "| entry | applied | not carried over | not proven | tables | columns | indexes | foreign keys | checks | differences | unexpected |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n",
    );
    let mut kinds = String::new();
    let mut failures = Vec::new();
    for d in dirs {
        let name = d.file_name().unwrap().to_string_lossy().into_owned();
        let mut files: Vec<PathBuf> = std::fs::read_dir(d.join("pg"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        let mut args: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        args.extend([
            "--target-url".into(),
            s.mysql_url.clone(),
            "--source-url".into(),
            source_url(&pg),
            "--format".into(),
            "json".into(),
        ]);
        let o = bin().arg("verify").args(&args).output().unwrap();
        let r = json(&o);
        let p = &r["parity"];
        let diffs = p["differences"].as_array().unwrap();
        let unexpected: Vec<&Value> = diffs
            .iter()
            .filter(|d| d["explained_by"].as_array().unwrap().is_empty())
            .collect();
        let not_carried = r["not_carried_over"].as_array().unwrap().len();
        let (code, outcome) = if not_carried == 0 {
            (0, "verified")
        } else {
            (1, "incomplete")
        };
        if o.status.code() != Some(code)
            || r["outcome"] != outcome
            || r["conversion"]["not_carried_over"] != not_carried
            || !r["rejected"].as_array().unwrap().is_empty()
            || !r["source_rejected"].as_array().unwrap().is_empty()
            || !unexpected.is_empty()
        {
            failures.push(format!(
                "{name}: exit {:?} ({}), expected {code} ({outcome}); rejected {}; rejected by PostgreSQL {}; unexpected {:#?}",
                o.status.code(),
                r["outcome"],
                r["rejected"],
                r["source_rejected"],
                unexpected
            ));
        }
        table.push_str(&format!(
            "| {name} | {}/{} | {not_carried} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            r["applied"],
            r["statements"],
            r["not_proven"].as_array().unwrap().len(),
            p["tables"],
            p["columns"],
            p["indexes"],
            p["foreign_keys"],
            p["checks"],
            diffs.len(),
            unexpected.len()
        ));
        let mut count: std::collections::BTreeMap<(String, String), usize> = Default::default();
        for d in diffs {
            let rule = d["explained_by"][0]["rule"]
                .as_str()
                .unwrap_or("UNEXPECTED");
            *count
                .entry((d["what"].as_str().unwrap().to_string(), rule.to_string()))
                .or_default() += 1;
        }
        let mut count: Vec<_> = count.into_iter().collect();
        count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let list: Vec<String> = count
            .iter()
            .map(|((what, rule), n)| format!("{what} ×{n} ({rule})"))
            .collect();
        kinds.push_str(&format!("- **{name}**: {}\n", list.join(", ")));
    }
    let block = format!("{table}\n{kinds}");
    let _ = std::fs::write(common::root().join("target/verify-corpus.md"), &block);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let doc = std::fs::read_to_string(common::root().join("docs/verify.md")).unwrap();
    let inside = doc
        .split("<!-- corpus:begin -->\n")
        .nth(1)
        .and_then(|r| r.split("<!-- corpus:end -->").next())
        .expect("docs/verify.md has the corpus:begin/end markers");
    assert_eq!(
        inside.trim(),
        block.trim(),
        "docs/verify.md's corpus table is out of date: the measured one is in target/verify-corpus.md"
    );
}

#[test]
fn keep_leaves_both_scratch_databases_for_inspection() {
    let Some(s) = servers() else { return };
    let f = common::root().join("fixtures/serial.sql");
    let (o, r) = verify_both_json(&f, &s, &["--keep"]);
    assert_eq!(r["kept"], true);
    let db = r["target_database"].as_str().unwrap().to_string();
    let pg_db = r["source_database"].as_str().unwrap().to_string();
    assert!(text(&o.stderr).contains(&format!("scratch database `{db}` created")));
    assert_eq!(maria_dbs(&s, &db).len(), 1, "kept on MariaDB");
    assert!(pg_has_db(&s, &pg_db), "kept on PostgreSQL");
    let tables: Vec<String> = s
        .maria()
        .exec(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?",
            (&db,),
        )
        .unwrap();
    assert!(
        !tables.is_empty(),
        "the converted tables are there to inspect"
    );
    s.maria_drop(&db);
    s.pg_drop(&pg_db);
}

#[test]
fn fold_verifies_the_folded_schema_of_a_pg_dump() {
    let Some(s) = servers() else { return };
    // pg_dump spreads one table over several statements: the primary key
    // and the identity come later, as ALTERs.
    let dump = input(
        "fold-dump.sql",
        "--\n-- PostgreSQL database dump\n--\n\
         CREATE TABLE public.accounts (id integer NOT NULL, email character varying(80) NOT NULL);\n\
         CREATE SEQUENCE public.accounts_id_seq AS integer START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;\n\
         ALTER SEQUENCE public.accounts_id_seq OWNED BY public.accounts.id;\n\
         ALTER TABLE ONLY public.accounts ALTER COLUMN id SET DEFAULT nextval('public.accounts_id_seq'::regclass);\n\
         ALTER TABLE ONLY public.accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY (id);\n\
         CREATE UNIQUE INDEX accounts_email_key ON public.accounts USING btree (email);\n",
    );
    let (o, r) = verify_both_json(&dump, &s, &["--fold"]);
    let report = format!(
        "{}\n{}",
        serde_json::to_string_pretty(&r).unwrap(),
        text(&o.stderr)
    );
    assert_eq!(o.status.code(), Some(0), "{report}");
    assert_eq!(r["outcome"], "verified", "{report}");
    assert_eq!(r["rejected"], serde_json::json!([]), "{report}");
    // One folded CREATE TABLE (primary key, AUTO_INCREMENT and index inside),
    // named as the folded schema's first statement.
    assert_eq!(r["applied"], 1, "{report}");
    assert_eq!(r["last_applied"], "(folded schema):1:1", "{report}");
    let diffs = r["parity"]["differences"].as_array().unwrap();
    assert!(
        diffs
            .iter()
            .all(|d| !d["explained_by"].as_array().unwrap().is_empty()),
        "{report}"
    );
    assert_eq!(r["parity"]["tables"], 1, "{report}");
}
