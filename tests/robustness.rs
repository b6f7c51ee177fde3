//! Hostile input: whatever pg2tidb is fed, it never panics, never hangs,
//! accounts for every statement, and gives the same answer twice. Property
//! tests over random and mutated inputs (proptest), and one test per kind of
//! hostile file through the command line.

mod common;

use pg2tidb::rules::Severity;
use pg2tidb::split::{self, OwnedChunk};
use pg2tidb::{Converter, Options, StatementResult, Status};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::path::PathBuf;
use std::process::{Command, Output};

/// Run `f` on a thread with the stack the command line uses.
fn big_stack<F: FnOnce() + Send + 'static>(f: F) {
    std::thread::Builder::new()
        .stack_size(256 * 1024 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

/// Every statement converted (with output), dropped (with a reason) or an error.
fn accounted(text: &str, statements: &[StatementResult]) -> Result<(), TestCaseError> {
    prop_assert_eq!(statements.len(), pg2tidb::split::split(text).chunks.len());
    for s in statements {
        match s.status {
            Status::Converted => prop_assert!(!s.output.is_empty(), "converted, no output: {s:?}"),
            Status::Dropped => prop_assert!(!s.findings.is_empty(), "dropped silently: {s:?}"),
            Status::Error => prop_assert!(
                s.findings.iter().any(|f| f.severity == Severity::Error),
                "error without an error finding: {s:?}"
            ),
        }
    }
    Ok(())
}

/// Splitting from a reader in blocks gives exactly the chunks of splitting
/// the whole text (offsets, lines and columns included).
fn streamed_like_whole(text: &str, blocks: &[usize]) -> Result<(), TestCaseError> {
    let whole: Vec<OwnedChunk> = split::split(text)
        .chunks
        .into_iter()
        .map(Into::into)
        .collect();
    for &block in blocks {
        let mut got: Vec<OwnedChunk> = Vec::new();
        split::split_read_blocks(text.as_bytes(), block, &mut |c| got.push(c.into())).unwrap();
        prop_assert_eq!(&got, &whole, "block size {}", block);
    }
    Ok(())
}

fn check(text: &str) -> Result<(), TestCaseError> {
    streamed_like_whole(text, &[1, 7, 64])?;
    let a = Converter::new(Options::default()).convert_text(text);
    accounted(text, &a)?;
    let b = Converter::new(Options::default()).convert_text(text);
    prop_assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap(),
        "not deterministic"
    );
    Ok(())
}

/// SQL-shaped noise: keywords, names, literals and punctuation in random order.
fn token_soup() -> impl Strategy<Value = String> {
    let tokens = prop::sample::select(vec![
        "CREATE",
        "TABLE",
        "INDEX",
        "ALTER",
        "ADD",
        "COLUMN",
        "DROP",
        "PRIMARY",
        "KEY",
        "REFERENCES",
        "DEFAULT",
        "NOT",
        "NULL",
        "CHECK",
        "UNIQUE",
        "ON",
        "USING",
        "AS",
        "GENERATED",
        "ALWAYS",
        "IDENTITY",
        "SEQUENCE",
        "TYPE",
        "ENUM",
        "VIEW",
        "SELECT",
        "FROM",
        "WHERE",
        "t",
        "u",
        "id",
        "x",
        "serial",
        "bigint",
        "text",
        "varchar(10)",
        "jsonb",
        "timestamptz",
        "uuid",
        "int[]",
        "numeric(5,2)",
        "now()",
        "'a'",
        "'{}'",
        "$$",
        "$x$",
        "1",
        "-1",
        "(",
        ")",
        ",",
        ";",
        "::",
        "=",
        "||",
        "\"Q\"",
        "--",
        "/*",
        "*/",
        "\n",
        "\\.",
        "COPY",
        "stdin",
        "DO",
        "BEGIN",
        "END",
        "COMMENT",
        "IS",
        "GRANT",
        "TO",
        "PARTITION",
        "BY",
        "RANGE",
        "OF",
        "FOR",
        "VALUES",
        "IN",
        "ARRAY[1,2]",
        "E'\\\\'",
        "U&'x'",
    ]);
    prop::collection::vec(tokens, 0..80).prop_map(|v| v.join(" "))
}

/// A fixture with a few bytes deleted, duplicated or replaced (kept UTF-8).
fn mutated_fixture() -> impl Strategy<Value = String> {
    let texts: Vec<String> = common::fixtures().into_iter().map(|(_, t)| t).collect();
    (
        0..texts.len(),
        prop::collection::vec((any::<prop::sample::Index>(), 0usize..40, 0u8..4), 1..6),
    )
        .prop_map(move |(i, edits)| {
            let mut b: Vec<u8> = texts[i].clone().into_bytes();
            for (at, len, kind) in edits {
                if b.is_empty() {
                    break;
                }
                let at = at.index(b.len());
                let end = (at + len).min(b.len());
                match kind {
                    0 => {
                        b.drain(at..end);
                    }
                    1 => {
                        let piece: Vec<u8> = b[at..end].to_vec();
                        b.splice(at..at, piece);
                    }
                    2 => b.truncate(at),
                    _ => {
                        b.splice(at..at, b"'$$(/*".iter().copied().skip(len % 6).take(1));
                    }
                }
            }
            String::from_utf8_lossy(&b).into_owned()
        })
}

#[test]
fn random_bytes_token_soup_and_mutated_fixtures_never_break_the_pipeline() {
    big_stack(|| {
        let config = Config {
            cases: 400,
            failure_persistence: None,
            ..Config::default()
        };
        let mut runner = TestRunner::new(config.clone());
        runner
            .run(
                &prop::collection::vec(any::<u8>(), 0..400)
                    .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
                |text| check(&text),
            )
            .unwrap();
        let mut runner = TestRunner::new(config.clone());
        runner.run(&token_soup(), |text| check(&text)).unwrap();
        let mut runner = TestRunner::new(config);
        runner.run(&mutated_fixture(), |text| check(&text)).unwrap();
    });
}

#[test]
fn streamed_splitting_equals_whole_text_splitting_on_every_fixture_and_corpus_file() {
    let mut texts: Vec<(String, String)> = common::fixtures();
    texts.extend(common::scenario());
    let corpus = common::shared().join("corpus");
    let mut stack = vec![corpus];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "sql") {
                if let Ok(t) = std::fs::read_to_string(&p) {
                    texts.push((p.display().to_string(), t));
                }
            }
        }
    }
    assert!(
        texts.len() > 100 || !common::have_shared(),
        "{} inputs",
        texts.len()
    );
    for (name, text) in &texts {
        streamed_like_whole(text, &[1, 5, 4096]).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

fn pg2tidb(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pg2tidb"))
        .args(args)
        .output()
        .unwrap()
}

fn scratch(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(common::db_name("hostile"));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn run_file(name: &str, bytes: &[u8]) -> (Option<i32>, String, String) {
    let p = scratch(name, bytes);
    let o = pg2tidb(&["convert", p.to_str().unwrap()]);
    let _ = std::fs::remove_dir_all(p.parent().unwrap());
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn nul_bytes_are_an_error_at_their_position_and_the_rest_converts() {
    let (code, out, err) = run_file(
        "nul.sql",
        b"CREATE TABLE a (id int);\nCREATE TABLE b (\n  id int, x text DEFAULT 'a\0b');\nCREATE TABLE c (id int);\n",
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("nul.sql:3:28: error[syntax-error]: NUL byte (U+0000)"),
        "{err}"
    );
    assert!(out.contains("CREATE TABLE `a`") && out.contains("CREATE TABLE `c`"));
    assert!(!out.contains("CREATE TABLE `b`"));
}

#[test]
fn unterminated_quotes_and_dollar_quotes_say_so_where_they_start() {
    for (text, what, at) in [
        (
            "CREATE TABLE a (id int);\nCREATE TABLE b (note text DEFAULT 'abc);\nCREATE TABLE c (id int);\n",
            "unterminated single-quoted string",
            ":2:35:",
        ),
        (
            "CREATE TABLE a (id int);\nCREATE FUNCTION f() RETURNS int AS $body$ SELECT 1;\n",
            "unterminated dollar-quoted string",
            ":2:36:",
        ),
        (
            "CREATE TABLE a (id int);\nCREATE TABLE \"b (id int);\n",
            "unterminated",
            ":2:14:",
        ),
        (
            "CREATE TABLE a (id int);\n/* never closed\nCREATE TABLE b (id int);\n",
            "unterminated",
            ":2:1:",
        ),
    ] {
        let (code, out, err) = run_file("open.sql", text.as_bytes());
        assert_eq!(code, Some(1), "{text}\n{err}");
        assert!(err.contains(what) && err.contains(at), "{text}\n{err}");
        assert!(out.contains("CREATE TABLE `a`"), "{text}\n{out}");
    }
}

#[test]
fn mixed_line_endings_keep_statements_and_positions() {
    // CRLF counts as one line break; a lone CR is not a line break (as in
    // git, grep -n and compilers), so positions stay byte-exact per line.
    let (code, out, err) = run_file(
        "endings.sql",
        b"CREATE TABLE a (id int);\r\nCREATE TABLE b (x varchar);\rCREATE TABLE c (id serial, y varchar);\nCREATE TABLE d (z varchar);",
    );
    assert_eq!(code, Some(0), "{err}");
    for t in ["a", "b", "c", "d"] {
        assert!(out.contains(&format!("CREATE TABLE `{t}`")), "{out}");
    }
    assert!(
        err.contains("endings.sql:2:17: warning[varchar-length]: column b.x"),
        "{err}"
    );
    assert!(
        err.contains("endings.sql:2:56: warning[varchar-length]: column c.y"),
        "{err}"
    );
    assert!(
        err.contains("endings.sql:3:17: warning[varchar-length]: column d.z"),
        "{err}"
    );
}

#[test]
fn a_one_megabyte_statement_converts() {
    let values: Vec<String> = (0..100_000).map(|i| format!("'c{i:05}'")).collect();
    let text = format!(
        "CREATE TABLE codes (code varchar(6) NOT NULL CHECK (code IN ({})));\nCREATE TABLE after_it (id int);\n",
        values.join(", ")
    );
    assert!(text.len() > 1_000_000);
    let (code, out, err) = run_file("wide.sql", text.as_bytes());
    assert_eq!(code, Some(0), "{}", &err[..err.len().min(2000)]);
    assert!(out.contains("'c99999'") && out.contains("CREATE TABLE `after_it`"));
}

#[test]
fn deep_nesting_and_long_operator_chains_are_errors_or_conversions_never_crashes() {
    // 10,000-term OR chain: a normal thread's stack overflows in sqlparser's
    // recursive drop/clone (sqlparser-probe §6). Here it parses; the CHECK is
    // past the rewriter's depth limit, so it is an error at its position and
    // the table and the rest still convert.
    let or_chain: Vec<String> = (0..10_000).map(|i| format!("n = {i}")).collect();
    let text = format!(
        "CREATE TABLE t (n int CHECK ({}));\nCREATE TABLE after_it (id int);\n",
        or_chain.join(" OR ")
    );
    let (code, out, err) = run_file("chain.sql", text.as_bytes());
    assert_eq!(code, Some(1), "{}", &err[..err.len().min(2000)]);
    assert!(
        err.contains("chain.sql:1:30: error[unsupported-expression]: CHECK constraint on t dropped: expression nests deeper than 200 levels"),
        "{}",
        &err[..err.len().min(2000)]
    );
    assert!(out.contains("CREATE TABLE `t`") && out.contains("CREATE TABLE `after_it`"));
    // Past the operator limit: an error at the statement, the rest converts.
    let long: Vec<String> = (0..25_000).map(|i| format!("n = {i}")).collect();
    let text = format!(
        "CREATE TABLE after_it (id int);\nCREATE TABLE t (n int CHECK ({}));\n",
        long.join(" OR ")
    );
    let (code, out, err) = run_file("chain.sql", text.as_bytes());
    assert_eq!(code, Some(1));
    assert!(
        err.contains("chain.sql:2:1: error[syntax-error]: statement has")
            && err.contains("over the 20000 limit"),
        "{}",
        &err[..err.len().min(2000)]
    );
    assert!(out.contains("CREATE TABLE `after_it`"));
    // 10,000 nested parentheses: refused at sqlparser's recursion limit.
    let text = format!(
        "CREATE TABLE t (n int DEFAULT {}1{});\nCREATE TABLE after_it (id int);\n",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    let (code, out, err) = run_file("deep.sql", text.as_bytes());
    assert_eq!(code, Some(1));
    assert!(
        err.contains("deep.sql:1:") && err.contains("nests deeper than 64 levels"),
        "{}",
        &err[..err.len().min(2000)]
    );
    assert!(out.contains("CREATE TABLE `after_it`"));
}

/// Fixtures repeated past `input::STREAM_MIN`, with a file-level suppression
/// at the end (its unused rule is reported late, on an earlier statement).
fn large_history() -> String {
    let fixtures: String = common::fixtures()
        .into_iter()
        .map(|(_, t)| t + "\n")
        .collect();
    let mut text = String::new();
    while (text.len() as u64) <= pg2tidb::input::STREAM_MIN {
        text.push_str(&fixtures);
    }
    text + "-- pg2tidb: ignore-file[varchar-length, no-such-rule]\n"
}

#[test]
fn a_large_file_read_as_it_is_converted_gives_what_the_same_text_held_gives() {
    let text = large_history();
    let p = scratch("large.sql", text.as_bytes());
    let file = pg2tidb(&["convert", p.to_str().unwrap()]);
    let held = {
        use std::io::Write;
        let mut child = Command::new(env!("CARGO_BIN_EXE_pg2tidb"))
            .args(["convert", "-"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
        let out = child.wait_with_output().unwrap();
        writer.join().unwrap().unwrap();
        out
    };
    let _ = std::fs::remove_dir_all(p.parent().unwrap());
    assert_eq!(file.status.code(), held.status.code());
    let (sql, held_sql) = (common::stdout(&file), common::stdout(&held));
    assert!(sql.len() > 1 << 20 && sql == held_sql, "the SQL differs");
    let err = common::stderr(&file).replace(p.to_str().unwrap(), "<stdin>");
    assert_eq!(err, common::stderr(&held));
    assert!(err.contains("unused-suppression") && err.contains("no-such-rule"));
    assert!(
        !err.contains("[varchar-length]"),
        "suppressed in the whole file"
    );
}

#[test]
fn invalid_utf8_late_in_a_large_file_stops_before_anything_is_written() {
    let mut bytes = large_history().into_bytes();
    bytes.extend_from_slice(b"SELECT '\xff';\n");
    let p = scratch("bad.sql", &bytes);
    let out = p.with_file_name("out.sql");
    let o = pg2tidb(&["convert", p.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    let written = out.exists();
    let _ = std::fs::remove_dir_all(p.parent().unwrap());
    assert_eq!(o.status.code(), Some(2));
    let offset = bytes.len() - 4;
    assert!(
        common::stderr(&o).contains(&format!("at offset {offset}")),
        "{}",
        common::stderr(&o)
    );
    assert!(common::stdout(&o).is_empty() && !written);
}

#[test]
fn a_hundred_megabyte_file_converts_completely() {
    let dir = std::env::temp_dir().join(common::db_name("hundred_mb"));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("big.sql");
    let mut text = String::with_capacity(101 << 20);
    let mut tables = 0;
    while text.len() < 100 << 20 {
        let i = tables;
        text.push_str(&format!(
            "CREATE TABLE t{i} (id bigserial PRIMARY KEY, name varchar(100) NOT NULL, note text, created_at timestamptz DEFAULT now());\n\
             CREATE INDEX t{i}_name_idx ON t{i} (name);\n\
             ALTER TABLE t{i} ADD COLUMN score numeric(10,2) DEFAULT 0;\n"
        ));
        tables += 1;
    }
    std::fs::write(&input, &text).unwrap();
    drop(text);
    let output = dir.join("out.sql");
    let o = pg2tidb(&[
        "convert",
        input.to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
        "--min-severity",
        "error",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let n = tables * 3;
    assert!(
        err.contains(&format!(
            "{n} statement(s): {n} converted, 0 dropped, 0 error(s)"
        )),
        "{err}"
    );
    let out = std::fs::read_to_string(&output).unwrap();
    let last = tables - 1;
    assert!(out.contains(&format!(
        "ALTER TABLE `t{last}` ADD COLUMN `score` DECIMAL(10,2) NULL DEFAULT 0;"
    )));
    let _ = std::fs::remove_dir_all(&dir);
}
