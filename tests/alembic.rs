//! `convert --emit alembic`: Alembic revisions from `alembic upgrade --sql`
//! output. The generated files must be Python that Alembic loads and runs:
//! Alembic itself (from PyPI, installed by `scripts/test`) prints their SQL
//! with the MySQL dialect, and runs a converted project against MariaDB.

mod common;

use pg2tidb::{Converter, Options};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SCENARIO: [&str; 3] = [
    "user-service.sql",
    "project-service.sql",
    "knowledge-service.sql",
];

fn pg2tidb(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pg2tidb"))
        .args(args)
        .current_dir(common::root())
        .output()
        .unwrap()
}

fn scratch(stem: &str) -> common::Scratch {
    common::Scratch::new(stem)
}

/// Alembic's install directory (PYTHONPATH); required under scripts/test or CI.
fn alembic_path() -> Option<PathBuf> {
    match std::env::var("PG2TIDB_TEST_ALEMBIC_PATH") {
        Ok(p) if !p.is_empty() => Some(PathBuf::from(p)),
        _ => {
            let required = std::env::var("PG2TIDB_REQUIRE_SERVERS").as_deref() == Ok("1")
                || std::env::var_os("CI").is_some();
            assert!(
                !required,
                "PG2TIDB_TEST_ALEMBIC_PATH is not set: run `bash scripts/test` (it installs Alembic from PyPI)"
            );
            eprintln!("skipping Alembic test: run `bash scripts/test`");
            None
        }
    }
}

/// An Alembic project in `dir` whose revisions are in `versions`.
fn project(dir: &Path, versions: &Path, url: &str) {
    std::fs::copy(
        common::root().join("tests/inputs/alembic/env.py"),
        dir.join("env.py"),
    )
    .unwrap();
    std::fs::write(
        dir.join("alembic.ini"),
        format!(
            "[alembic]\nscript_location = {}\nversion_locations = {}\nsqlalchemy.url = {url}\n",
            dir.display(),
            versions.display()
        ),
    )
    .unwrap();
}

/// Run `python3 -m alembic ARGS` in project `dir`; its standard output.
fn alembic(lib: &Path, dir: &Path, args: &[&str]) -> String {
    let out = Command::new("python3")
        .args(["-m", "alembic", "-c"])
        .arg(dir.join("alembic.ini"))
        .args(args)
        .env("PYTHONPATH", lib)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "alembic {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The statements of an offline script, without comments and Alembic's bookkeeping.
fn offline_statements(sql: &str) -> Vec<String> {
    sql.split(";\n\n")
        .map(|chunk| {
            chunk
                .lines()
                .filter(|l| !l.starts_with("-- "))
                .collect::<Vec<_>>()
                .join("\n")
                .trim()
                .to_string()
        })
        .filter(|s| !s.is_empty())
        .filter(|s| {
            let l = s.to_ascii_lowercase();
            !(l == "begin" || l == "commit" || l.contains("alembic_version"))
        })
        .collect()
}

/// pg2tidb's SQL for `text`, without the bookkeeping statements.
fn converted(text: &str) -> Vec<String> {
    let statements = Converter::new(Options::default()).convert_text(text);
    statements
        .iter()
        .filter(|s| !pg2tidb::alembic::is_bookkeeping(s))
        .flat_map(|s| s.output.iter().map(|o| o.to_string()))
        .collect()
}

fn parse_python(files: &[PathBuf]) {
    let out = Command::new("python3")
        .args([
            "-c",
            "import ast, sys\nfor f in sys.argv[1:]:\n    ast.parse(open(f, encoding='utf-8').read(), f)",
        ])
        .args(files)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "not valid Python: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn revision_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    v.sort();
    v
}

/// Each scenario file becomes one revision per `-- Running upgrade` section,
/// same ids and chain; Alembic's MySQL offline SQL over them is exactly
/// pg2tidb's SQL for the file.
#[test]
fn scenario_revisions_load_in_alembic_and_print_the_converted_sql() {
    if !common::have_shared() {
        return;
    }
    let lib = alembic_path();
    for name in SCENARIO {
        let input = common::shared().join("scenario").join(name);
        let text = std::fs::read_to_string(&input).unwrap();
        let dir = scratch(&format!("alembic_{name}"));
        let versions = dir.join("versions");
        let out = pg2tidb(&[
            "convert",
            input.to_str().unwrap(),
            "--emit",
            "alembic",
            "-o",
            versions.to_str().unwrap(),
        ]);
        // 1: some statements are reported as not carried over (errors).
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let files = revision_files(&versions);
        let ids: Vec<String> = text
            .lines()
            .filter_map(|l| l.strip_prefix("-- Running upgrade "))
            .map(|l| l.rsplit("-> ").next().unwrap().trim().to_string())
            .collect();
        let mut names: Vec<String> = files
            .iter()
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
            .collect();
        let mut want = ids.clone();
        names.sort();
        want.sort();
        assert_eq!(names, want, "{name}: one revision per upgrade section");
        parse_python(&files);
        let Some(lib) = &lib else { continue };
        project(&dir, &versions, "mysql+pymysql://u@127.0.0.1/db");
        let history = alembic(lib, &dir, &["history"]);
        for w in ids.windows(2) {
            assert!(
                history.contains(&format!("{} -> {}", w[0], w[1])),
                "{name}: chain {} -> {} in\n{history}",
                w[0],
                w[1]
            );
        }
        let sql = alembic(lib, &dir, &["upgrade", "head", "--sql"]);
        assert_eq!(
            offline_statements(&sql),
            converted(&text),
            "{name}: Alembic's MySQL offline SQL differs from pg2tidb's"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// A PostgreSQL Alembic project (tests/inputs/alembic/pg_versions): its offline
/// upgrade SQL runs on PostgreSQL; converted with its downgrade SQL, the TiDB
/// project upgrades a MariaDB database to head (alembic_version = head) and
/// downgrades it to base again.
#[test]
fn postgres_project_round_trips_through_alembic_on_mariadb() {
    let Some(lib) = alembic_path() else { return };
    let Some(servers) = common::servers() else {
        return;
    };
    let dir = scratch("alembic_pg_project");
    let pg = dir.join("pg");
    std::fs::create_dir_all(&pg).unwrap();
    project(
        &pg,
        &common::root().join("tests/inputs/alembic/pg_versions"),
        "postgresql://localhost/unused",
    );
    let up = alembic(&lib, &pg, &["upgrade", "head", "--sql"]);
    let down = alembic(&lib, &pg, &["downgrade", "head:base", "--sql"]);
    std::fs::write(dir.join("up.sql"), &up).unwrap();
    std::fs::write(dir.join("down.sql"), &down).unwrap();
    let pgdb = common::db_name("alembic_pg");
    servers
        .pg_apply(&pgdb, &[&dir.join("up.sql")])
        .expect("PostgreSQL runs the project's upgrade SQL");
    servers.pg_drop(&pgdb);

    let tidb = dir.join("tidb");
    let versions = tidb.join("versions");
    let out = pg2tidb(&[
        "convert",
        dir.join("up.sql").to_str().unwrap(),
        "--emit",
        "alembic",
        "-o",
        versions.to_str().unwrap(),
        "--downgrade-sql",
        dir.join("down.sql").to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("2 Alembic revision(s) written"), "{stderr}");
    let files = revision_files(&versions);
    parse_python(&files);
    let first = std::fs::read_to_string(versions.join("a1f0c0de0001.py")).unwrap();
    assert!(first.contains("down_revision = None"), "{first}");
    assert!(
        first.contains("# pg2tidb info[pg-only-statement]")
            && first.contains("#   GRANT SELECT ON accounts TO PUBLIC"),
        "dropped statements appear as comments with their finding:\n{first}"
    );
    let second = std::fs::read_to_string(versions.join("b2f0c0de0002.py")).unwrap();
    assert!(
        second.contains("down_revision = \"a1f0c0de0001\""),
        "{second}"
    );

    let db = common::db_name("alembic_tidb");
    let mut conn = servers.maria();
    use mysql::prelude::Queryable;
    conn.query_drop(format!(
        "CREATE DATABASE `{db}` DEFAULT CHARSET utf8mb4 COLLATE utf8mb4_bin"
    ))
    .unwrap();
    let url = servers
        .mysql_url
        .trim_end_matches('/')
        .replacen("mysql://", "mysql+pymysql://", 1);
    project(&tidb, &versions, &format!("{url}/{db}"));
    alembic(&lib, &tidb, &["upgrade", "head"]);
    let tables = |conn: &mut mysql::Conn| -> Vec<String> {
        conn.query(format!(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = '{db}' ORDER BY 1"
        ))
        .unwrap()
    };
    assert_eq!(tables(&mut conn), ["accounts", "alembic_version", "notes"]);
    let version: Vec<String> = conn
        .query(format!("SELECT version_num FROM `{db}`.alembic_version"))
        .unwrap();
    assert_eq!(version, ["b2f0c0de0002"]);
    let comment: Vec<String> = conn
        .query(format!(
            "SELECT table_comment FROM information_schema.tables WHERE table_schema = '{db}' AND table_name = 'accounts'"
        ))
        .unwrap();
    assert_eq!(
        comment,
        ["who signs in: one row per :login"],
        "bind-parameter colons survive op.execute"
    );
    alembic(&lib, &tidb, &["downgrade", "a1f0c0de0001"]);
    assert_eq!(tables(&mut conn), ["accounts", "alembic_version"]);
    alembic(&lib, &tidb, &["downgrade", "base"]);
    assert_eq!(tables(&mut conn), ["alembic_version"]);
    let version: Vec<String> = conn
        .query(format!("SELECT version_num FROM `{db}`.alembic_version"))
        .unwrap();
    assert!(version.is_empty());
    servers.maria_drop(&db);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Without --downgrade-sql, downgrade() raises with a message saying what to do;
/// the wrong kind of input is a usage error that writes nothing.
#[test]
fn missing_downgrade_raises_and_plain_sql_is_refused() {
    let dir = scratch("alembic_cli");
    let versions = dir.join("versions");
    let out = pg2tidb(&[
        "convert",
        "fixtures/default-now.sql",
        "--emit",
        "alembic",
        "-o",
        versions.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no `-- Running upgrade a -> b` sections")
    );
    assert!(!versions.exists(), "nothing written");
    let out = pg2tidb(&["convert", "fixtures/default-now.sql", "--emit", "alembic"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs -o DIR"));
    let input = dir.join("up.sql");
    std::fs::write(
        &input,
        "BEGIN;\n\n-- Running upgrade  -> abc123\n\nCREATE TABLE t (id serial PRIMARY KEY, at time DEFAULT '12:30');\n\nCOMMIT;\n",
    )
    .unwrap();
    let out = pg2tidb(&[
        "convert",
        input.to_str().unwrap(),
        "--emit",
        "alembic",
        "-o",
        versions.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let py = std::fs::read_to_string(versions.join("abc123.py")).unwrap();
    assert!(
        py.contains("raise NotImplementedError(\"pg2tidb: no downgrade SQL"),
        "{py}"
    );
    assert!(py.contains("DEFAULT '12:30:00'"), "{py}");
    parse_python(&[versions.join("abc123.py")]);
    let _ = std::fs::remove_dir_all(&dir);
}
