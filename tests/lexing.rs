//! Lexing that loses nothing, and bounded memory for what the lexer and the
//! parser are fed (issue 12):
//!
//! - a `--` comment ends at a lone `\r` as in PostgreSQL, wherever comments
//!   are read (between and inside statements, suppressions, carried
//!   comments, before meta-commands), with positions counted on `\n`;
//! - a chunk over the splitter's limit is reported at its place and the rest
//!   converts, with the memory of the command bounded (peak RSS of a child
//!   process, measured with `wait4`), and so do statements that would make
//!   sqlparser's memory explode;
//! - psql conditionals (`\if`, `\elif`, `\else`, `\endif`): what psql skips
//!   is not converted, what cannot be evaluated offline is reported, and the
//!   evaluation agrees with a real psql (with `bash scripts/test`).

mod common;

use pg2tidb::rules::Severity;
use pg2tidb::{convert_str, convert_texts, FileResult, Options, Status};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn convert(text: &str) -> FileResult {
    convert_str(text, Options::default())
}

fn findings(f: &FileResult) -> Vec<(String, u32, u32, String)> {
    f.statements
        .iter()
        .flat_map(|s| &s.findings)
        .map(|x| (x.rule.to_string(), x.loc.line, x.loc.col, x.message.clone()))
        .collect()
}

// ---------------------------------------------------------------------------
// A lone CR ends a `--` comment
// ---------------------------------------------------------------------------

#[test]
fn statements_after_a_comment_ended_by_a_lone_cr_are_converted() {
    let f = convert("CREATE TABLE a (id int); -- note\rCREATE TABLE b (id int);\r-- x\rCREATE TABLE c (id int);\n");
    assert_eq!(f.statements.len(), 3, "{:#?}", f.statements);
    assert!(f.statements.iter().all(|s| s.status == Status::Converted));
    let sql = f.output_sql();
    for t in ["`a`", "`b`", "`c`"] {
        assert!(sql.contains(&format!("CREATE TABLE {t}")), "{sql}");
    }
    // Lines are counted on `\n` only (as psql and PostgreSQL count them), so
    // all three are on line 1.
    let at: Vec<(u32, u32)> = f
        .statements
        .iter()
        .map(|s| (s.loc.line, s.loc.col))
        .collect();
    assert_eq!(at, vec![(1, 1), (1, 34), (1, 64)]);
}

#[test]
fn a_column_after_an_in_statement_comment_ended_by_a_lone_cr_is_kept() {
    let f = convert(
        "CREATE TABLE c (id int -- the key\r, x varchar); CREATE TABLE d (y int);\nCREATE TABLE e (z int);\n",
    );
    assert_eq!(f.statements.len(), 3, "{:#?}", f.statements);
    assert!(f.statements.iter().all(|s| s.status == Status::Converted));
    let sql = f.output_sql();
    assert!(sql.contains("`x` VARCHAR(255)"), "{sql}");
    assert!(sql.contains("CREATE TABLE `d`"), "{sql}");
    // The finding on `x` is where `x` is: line 1, after the `\r` (a column).
    let fs = findings(&f);
    assert!(
        fs.iter()
            .any(|(rule, l, c, _)| rule == "varchar-length" && (*l, *c) == (1, 37)),
        "{fs:?}"
    );
}

#[test]
fn a_suppression_comment_ended_by_a_lone_cr_applies() {
    // On the statement's own line.
    let f = convert("-- pg2tidb: ignore[varchar-length]\rCREATE TABLE t (a varchar);\n");
    assert_eq!(f.statements.len(), 1);
    assert_eq!(f.statements[0].suppressed, 1, "{:?}", f.statements[0]);
    assert!(findings(&f).is_empty(), "{:?}", findings(&f));
    // After another comment ended by a lone CR.
    let f = convert("-- note\r-- pg2tidb: ignore[varchar-length]\nCREATE TABLE t (a varchar);\n");
    assert_eq!(f.statements[0].suppressed, 1, "{:?}", f.statements[0]);
    // Unused, it is reported where it is.
    let f = convert("-- note\r-- pg2tidb: ignore[serial]\nCREATE TABLE t (a int);\n");
    let fs = findings(&f);
    assert_eq!(fs.len(), 1, "{fs:?}");
    assert_eq!(
        (fs[0].0.as_str(), fs[0].1, fs[0].2),
        ("unused-suppression", 1, 9)
    );
    // File level, after a comment ended by a lone CR.
    let f = convert(
        "-- note\r-- pg2tidb: ignore-file[varchar-length, serial]\nCREATE TABLE t (a varchar);\n",
    );
    let fs = findings(&f);
    assert_eq!(f.statements[0].suppressed, 1, "{fs:?}");
    assert_eq!(fs.len(), 1, "{fs:?}");
    assert_eq!(
        (fs[0].0.as_str(), fs[0].1, fs[0].2),
        ("unused-suppression", 1, 9)
    );
}

#[test]
fn comments_ended_by_a_lone_cr_are_carried_one_per_line() {
    let f = convert("-- Running upgrade  -> a1\r-- second note\rCREATE TABLE t (a int);\n");
    assert_eq!(f.statements.len(), 1);
    assert_eq!(
        f.statements[0].comments,
        vec!["-- Running upgrade  -> a1", "-- second note"]
    );
    let sql = f.output_sql();
    assert!(!sql.contains('\r'), "{sql:?}");
    // A block comment is not a line comment, even with `--` inside.
    let f = convert("/* old:\r-- CREATE TABLE x (a int);\r*/ -- kept\rCREATE TABLE t (a int);\n");
    assert_eq!(f.statements[0].comments, vec!["-- kept"]);
}

#[test]
fn a_meta_command_after_a_comment_ended_by_a_lone_cr_is_reported() {
    let f = convert("-- set up\r\\set ON_ERROR_STOP on\nCREATE TABLE t (a int);\n");
    assert_eq!(f.statements.len(), 2, "{:#?}", f.statements);
    let fs = findings(&f);
    assert!(
        fs.iter().any(|(rule, l, c, m)| rule == "pg-only-statement"
            && (*l, *c) == (1, 11)
            && m.contains("\\set")),
        "{fs:?}"
    );
}

#[test]
fn a_file_read_in_blocks_reads_lone_cr_comments_alike() {
    // Files of 8 MiB or more are read as they are converted: same results.
    let dir = temp_dir("blocks");
    let unit =
        "-- pg2tidb: ignore[varchar-length]\rCREATE TABLE t (a varchar); -- c\rDROP TABLE t;\n";
    let text = unit.repeat((9 << 20) / unit.len());
    let path = dir.join("big.sql");
    std::fs::write(&path, &text).unwrap();
    let out = run(&["check", "--format", "json", path.to_str().unwrap()], None);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let summary = &json["summary"];
    let n = text.matches("CREATE TABLE").count() as u64;
    assert_eq!(summary["statements"], serde_json::json!(2 * n), "{summary}");
    assert_eq!(summary["converted"], serde_json::json!(2 * n), "{summary}");
    std::fs::remove_dir_all(dir).ok();
}

// ---------------------------------------------------------------------------
// Chunks over the limit: reported, the rest converts, memory bounded
// ---------------------------------------------------------------------------

fn temp_dir(name: &str) -> common::Scratch {
    common::Scratch::new(&format!("lexing-{name}"))
}

struct Run {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
    /// Peak resident set size of the process, in KiB.
    max_rss_kib: i64,
}

/// Run pg2tidb with `args` (stdin from `input` or nothing) and measure its
/// peak RSS. The peak of a process includes the memory of the process it was
/// spawned from until it replaces itself with the program (Linux records the
/// old image's high-water mark at exec), and this test process can be large:
/// so a fresh, small copy of this test binary ([`rss_launcher`]) spawns
/// pg2tidb and reports what `wait4` says of it.
fn run(args: &[&str], input: Option<&Path>) -> Run {
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let dir = temp_dir("run");
    let k = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let base = dir.join(format!("run{k}"));
    let launched = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "rss_launcher", "--nocapture", "--test-threads=1"])
        .env(LAUNCH_ARGS, args.join("\u{1f}"))
        .env(LAUNCH_FILES, &base)
        .stdin(match input {
            Some(p) => Stdio::from(std::fs::File::open(p).unwrap()),
            None => Stdio::null(),
        })
        .output()
        .unwrap();
    assert!(launched.status.success(), "launcher: {launched:?}");
    let read = |ext: &str| std::fs::read(base.with_extension(ext)).unwrap();
    let result = String::from_utf8(read("rusage")).unwrap();
    let (code, rss) = result.trim().split_once(' ').unwrap();
    let r = Run {
        code: code.parse().unwrap(),
        stdout: read("out"),
        stderr: String::from_utf8(read("err")).unwrap(),
        max_rss_kib: rss.parse().unwrap(),
    };
    for ext in ["out", "err", "rusage"] {
        std::fs::remove_file(base.with_extension(ext)).ok();
    }
    r
}

const LAUNCH_ARGS: &str = "PG2TIDB_TEST_LAUNCH_ARGS";
const LAUNCH_FILES: &str = "PG2TIDB_TEST_LAUNCH_FILES";

/// Not a test of its own: when [`run`] starts this binary with the variables
/// set, spawn pg2tidb with the given arguments (and this stdin), wait for it
/// with `wait4` and write its exit code and peak RSS (KiB) to `FILES.rusage`,
/// its output to `FILES.out` and `FILES.err`.
#[test]
fn rss_launcher() {
    let (Ok(args), Ok(files)) = (std::env::var(LAUNCH_ARGS), std::env::var(LAUNCH_FILES)) else {
        return;
    };
    let files = PathBuf::from(files);
    let child = Command::new(env!("CARGO_BIN_EXE_pg2tidb"))
        .args(args.split('\u{1f}'))
        .stdin(Stdio::inherit())
        .stdout(std::fs::File::create(files.with_extension("out")).unwrap())
        .stderr(std::fs::File::create(files.with_extension("err")).unwrap())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value to be overwritten.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our child, not yet waited for; status and usage are valid pointers.
    let got = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(got, pid, "wait4: {}", std::io::Error::last_os_error());
    // Waited for already: `Child` must not wait again.
    std::mem::forget(child);
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -libc::WTERMSIG(status)
    };
    std::fs::write(
        files.with_extension("rusage"),
        format!("{code} {}", usage.ru_maxrss),
    )
    .unwrap();
}

/// Write `parts` (text, repeat count) to a file.
fn generate(path: &Path, parts: &[(&str, usize)]) {
    use std::io::Write;
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for (text, n) in parts {
        for _ in 0..*n {
            f.write_all(text.as_bytes()).unwrap();
        }
    }
    f.flush().unwrap();
}

/// Peak RSS allowed to `convert` on the inputs below: what the command needs
/// anyway (the binary, two thread stacks in use, one read block, the 8 MiB of
/// a chunk at the limit) with room to spare, and far below the inputs' sizes
/// (e36c332 held a whole chunk, and the whole line of a file to look for
/// `ignore-file` comments).
const BOUND_KIB: i64 = 80 * 1024;

#[test]
fn a_statement_that_never_ends_is_reported_with_bounded_memory() {
    let dir = temp_dir("endless");
    let path = dir.join("endless.sql");
    // 96 MiB of `(`, then the statements after it.
    generate(
        &path,
        &[
            ("CREATE TABLE a (id int);\n", 1),
            (&"(".repeat(1 << 20), 96),
            (";\nCREATE TABLE b (id int);\n", 1),
        ],
    );
    let r = run(&["convert", path.to_str().unwrap()], None);
    eprintln!("{}: peak RSS {} KiB", path.display(), r.max_rss_kib);
    let out = String::from_utf8_lossy(&r.stdout);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        out.contains("CREATE TABLE `a`") && out.contains("CREATE TABLE `b`"),
        "{out}"
    );
    assert!(
        r.stderr.contains(&format!(
            "endless.sql:2:1: error[syntax-error]: statement of {} bytes exceeds pg2tidb's limit of 8388608 bytes",
            96 << 20
        )),
        "{}",
        r.stderr
    );
    assert!(
        r.max_rss_kib < BOUND_KIB,
        "peak RSS {} KiB for a 96 MiB statement",
        r.max_rss_kib
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn copy_data_of_any_size_is_reported_with_bounded_memory() {
    let dir = temp_dir("copy");
    let path = dir.join("dump.sql");
    let row = "1\tsome text of a row\t2024-01-01\n";
    generate(
        &path,
        &[
            (
                "CREATE TABLE t (a int, b text, c date);\nCOPY t (a, b, c) FROM stdin;\n",
                1,
            ),
            (row, (96 << 20) / row.len()),
            ("\\.\nCREATE TABLE u (id int);\n", 1),
        ],
    );
    let r = run(&["convert", path.to_str().unwrap()], None);
    eprintln!("{}: peak RSS {} KiB", path.display(), r.max_rss_kib);
    let out = String::from_utf8_lossy(&r.stdout);
    assert!(
        out.contains("CREATE TABLE `t`") && out.contains("CREATE TABLE `u`"),
        "{out}"
    );
    let bytes = (96 << 20) / row.len() * row.len() + 2;
    assert!(
        r.stderr.contains(&format!(
            "dump.sql:3:1: error[unsupported-statement]: COPY data ({bytes} bytes, not read) is not carried over"
        )),
        "{}",
        r.stderr
    );
    assert!(
        r.max_rss_kib < BOUND_KIB,
        "peak RSS {} KiB for 96 MiB of COPY data",
        r.max_rss_kib
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn comments_over_the_limit_are_reported_and_the_statement_converts() {
    let dir = temp_dir("comments");
    let path = dir.join("comments.sql");
    generate(
        &path,
        &[
            ("-- a comment line of a long comment block\n", 300_000),
            ("CREATE TABLE t (id int);\n", 1),
        ],
    );
    let r = run(&["convert", path.to_str().unwrap()], None);
    eprintln!("{}: peak RSS {} KiB", path.display(), r.max_rss_kib);
    let out = String::from_utf8_lossy(&r.stdout);
    assert!(out.contains("CREATE TABLE `t`"), "{out}");
    assert!(
        r.stderr.contains("comments.sql:300001:1: error[syntax-error]: the 12600000 bytes of comments and whitespace before this exceed pg2tidb's limit"),
        "{}",
        r.stderr
    );
    assert!(r.max_rss_kib < BOUND_KIB, "peak RSS {} KiB", r.max_rss_kib);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_statement_over_the_limit_in_memory_is_reported_alike() {
    // Text in memory (the library, small files) cuts chunks the same way.
    let text = format!(
        "CREATE TABLE a (id int);\nSELECT '{}';\nCREATE TABLE b (id int);\n",
        "x".repeat(9 << 20)
    );
    let f = convert(&text);
    assert_eq!(f.statements.len(), 3);
    let s = &f.statements[1];
    assert_eq!(s.status, Status::Error);
    // Only its head is kept (split::CUT_HEAD_BYTES).
    assert!(s.source.len() <= 4096, "{}", s.source.len());
    assert!(s.findings.iter().any(|x| x.severity == Severity::Error
        && x.message
            .starts_with(&format!("statement of {} bytes exceeds", (9 << 20) + 9))));
    assert_eq!(f.statements[2].status, Status::Converted);
}

// ---------------------------------------------------------------------------
// Parsing memory: unbalanced and deeply nested statements
// ---------------------------------------------------------------------------

#[test]
fn unbalanced_and_deeply_nested_statements_are_refused_with_bounded_memory() {
    // e36c332 tokenized each whole (about 90 bytes a token, in a vector that
    // doubles) before sqlparser refused it: 277 MB of RSS for a megabyte of
    // `(`, 914 MB for four.
    let dir = temp_dir("nested");
    let shapes: &[(&str, &str, usize, &str)] = &[
        // Reported at the bracket (or CASE) one level past the limit of 128.
        (
            "paren1",
            "(",
            1,
            "2:136: error[syntax-error]: expression nests deeper than 64 levels",
        ),
        (
            "paren4",
            "(",
            4,
            "2:136: error[syntax-error]: expression nests deeper than 64 levels",
        ),
        (
            "bracket",
            "ARRAY[",
            4,
            "2:781: error[syntax-error]: expression nests deeper than 64 levels",
        ),
        (
            "calls",
            "f(",
            4,
            "2:265: error[syntax-error]: expression nests deeper than 64 levels",
        ),
        (
            "case",
            "CASE WHEN ",
            4,
            "2:1288: error[syntax-error]: expression nests deeper than 64 levels",
        ),
        (
            "unary",
            "- ",
            4,
            "2:1: error[syntax-error]: statement has about",
        ),
        (
            "not",
            "NOT ",
            4,
            "2:1: error[syntax-error]: statement has about",
        ),
        (
            "list",
            "1,",
            4,
            "2:1: error[syntax-error]: statement has about",
        ),
        (
            "spaces",
            " ",
            4,
            "2:1: error[unsupported-statement]: `SELECT …` has no TiDB translation",
        ),
    ];
    for (name, unit, mib, expected) in shapes {
        let path = dir.join(format!("{name}.sql"));
        generate(
            &path,
            &[
                ("CREATE TABLE a (id int);\nSELECT ", 1),
                (unit, (mib << 20) / unit.len()),
                (";\nCREATE TABLE b (id int);\n", 1),
            ],
        );
        let r = run(&["convert", path.to_str().unwrap()], None);
        eprintln!(
            "{name}: {mib} MiB statement, peak RSS {} KiB",
            r.max_rss_kib
        );
        assert!(
            r.max_rss_kib < 48 * 1024,
            "{name}: peak RSS {} KiB for a {mib} MiB statement",
            r.max_rss_kib
        );
        let out = String::from_utf8_lossy(&r.stdout);
        assert_eq!(r.code, 1, "{name}: {}", r.stderr);
        assert!(
            out.contains("CREATE TABLE `a`") && out.contains("CREATE TABLE `b`"),
            "{name}: {out}"
        );
        assert!(
            r.stderr.contains(&format!("{name}.sql:{expected}")),
            "{name}: {}",
            r.stderr
        );
    }
    std::fs::remove_dir_all(dir).ok();
}

// ---------------------------------------------------------------------------
// psql conditionals
// ---------------------------------------------------------------------------

/// (line, rule, status) of each statement.
fn outcomes(f: &FileResult) -> Vec<(u32, Vec<&'static str>, Status)> {
    f.statements
        .iter()
        .map(|s| {
            (
                s.loc.line,
                s.findings.iter().map(|x| x.rule).collect(),
                s.status,
            )
        })
        .collect()
}

#[test]
fn statements_in_a_branch_psql_skips_are_not_converted() {
    let f = convert(
        "CREATE TABLE a (id int);\n\
         \\if false\n\
         CREATE TABLE b (id int);\n\
         \\set x 1\n\
         COPY a FROM stdin;\n1\n\\.\n\
         \\elif 'T'\n\
         CREATE TABLE c (id int);\n\
         \\else\n\
         CREATE TABLE d (id int);\n\
         \\endif\n\
         CREATE TABLE e (id int);\n",
    );
    let sql = f.output_sql();
    for (t, carried) in [
        ("a", true),
        ("b", false),
        ("c", true),
        ("d", false),
        ("e", true),
    ] {
        assert_eq!(
            sql.contains(&format!("CREATE TABLE `{t}`")),
            carried,
            "{t}: {sql}"
        );
    }
    let skipped: Vec<(u32, Status)> = f
        .statements
        .iter()
        .filter(|s| {
            s.findings
                .iter()
                .any(|x| x.message.starts_with("psql skips"))
        })
        .map(|s| (s.loc.line, s.status))
        .collect();
    // The statement, the meta-command, the COPY and its data, the `\else` branch.
    let lines: Vec<u32> = skipped.iter().map(|x| x.0).collect();
    assert_eq!(lines, vec![3, 4, 5, 6, 11], "{:#?}", outcomes(&f));
    assert!(skipped.iter().all(|x| x.1 == Status::Dropped));
    let fs = findings(&f);
    assert!(
        fs.iter().any(|(rule, l, c, m)| rule == "psql-conditional"
            && (*l, *c) == (3, 1)
            && m.contains("`CREATE TABLE b (id int)`")
            && m.contains("`\\if false` (line 2), which is false")),
        "{fs:#?}"
    );
    // Nothing is lost silently: every statement has a finding or output.
    for s in &f.statements {
        assert!(!s.output.is_empty() || !s.findings.is_empty(), "{s:?}");
    }
}

#[test]
fn conditions_are_read_as_psql_reads_booleans_and_variables() {
    // (condition, whether psql runs the branch)
    let cases = [
        ("true", true),
        ("t", true),
        ("Yes", true),
        ("ON", true),
        ("1", true),
        ("'t'rue", true),
        ("false", false),
        ("F", false),
        ("no", false),
        ("of", false),
        ("0", false),
        ("o", false),      // not a boolean: false (and an error)
        ("yes no", false), // one expression: "yes no"
        (":on_var", true),
        (":{?on_var}", true),
        (":{?unset_var}", false),
    ];
    for (cond, runs) in cases {
        let text = format!(
            "\\set on_var on\n\\set unset_var x\n\\unset unset_var\n\\if {cond}\nCREATE TABLE inside (id int);\n\\endif\n"
        );
        let f = convert(&text);
        let sql = f.output_sql();
        assert_eq!(
            sql.contains("CREATE TABLE `inside`"),
            runs,
            "\\if {cond}: {sql}"
        );
    }
}

#[test]
fn blocks_nest_and_only_the_first_true_branch_runs() {
    let f = convert(
        "\\if yes\n\
           \\if no\n CREATE TABLE a (id int);\n\
           \\elif true\n CREATE TABLE b (id int);\n\
           \\elif true\n CREATE TABLE c (id int);\n\
           \\endif\n\
         \\else\n\
           \\if true\n CREATE TABLE d (id int);\n\\endif\n\
         \\endif\n",
    );
    let sql = f.output_sql();
    let made: Vec<&str> = ["a", "b", "c", "d"]
        .into_iter()
        .filter(|t| sql.contains(&format!("CREATE TABLE `{t}`")))
        .collect();
    assert_eq!(made, vec!["b"], "{sql}");
    // Inside a skipped branch, an inner block is not evaluated.
    let fs = findings(&f);
    assert!(
        fs.iter()
            .any(|(_, l, _, m)| *l == 10 && m.contains("not evaluated")),
        "{fs:#?}"
    );
}

#[test]
fn a_condition_that_cannot_be_evaluated_offline_carries_nothing_of_its_block() {
    for cond in [":flag", "`test -f x`", ":{?flag}", ":'flag'"] {
        let f = convert(&format!(
            "CREATE TABLE a (id int);\n\\if {cond}\nCREATE TABLE b (id int);\n\\elif true\nCREATE TABLE c (id int);\n\\else\nCREATE TABLE d (id int);\n\\endif\nCREATE TABLE e (id int);\n"
        ));
        let sql = f.output_sql();
        for (t, carried) in [
            ("a", true),
            ("b", false),
            ("c", false),
            ("d", false),
            ("e", true),
        ] {
            assert_eq!(
                sql.contains(&format!("CREATE TABLE `{t}`")),
                carried,
                "{cond}: {t}"
            );
        }
        for line in [3, 5, 7] {
            let s = f.statements.iter().find(|s| s.loc.line == line).unwrap();
            assert_eq!(s.status, Status::Error, "{cond}: line {line}");
            let msg = &s.findings[0].message;
            assert_eq!(s.findings[0].rule, "psql-conditional-error", "{msg}");
            assert!(
                msg.contains(&format!(
                    "`\\if {cond}` (line 2) cannot be evaluated offline"
                )),
                "{msg}"
            );
        }
        // The condition itself is an error at the `\if`.
        let s = f.statements.iter().find(|s| s.loc.line == 2).unwrap();
        assert_eq!(s.status, Status::Error);
    }
    // A variable this file sets before is known; one set where psql may not
    // run it is not.
    let f = convert("\\set v on\n\\if :v\nCREATE TABLE x (id int);\n\\endif\n");
    assert!(f.output_sql().contains("CREATE TABLE `x`"));
    let f =
        convert("\\if :maybe\n\\set v on\n\\endif\n\\if :v\nCREATE TABLE x (id int);\n\\endif\n");
    let s = f.statements.iter().find(|s| s.loc.line == 5).unwrap();
    assert_eq!(s.status, Status::Error);
}

#[test]
fn unbalanced_conditionals_are_reported_where_they_are() {
    let f = convert(
        "\\endif\n\\else\n\\elif true\nCREATE TABLE a (id int);\n\\if true\n\\else\n\\elif true\n\\else\n\\endif\n\\if false\nCREATE TABLE b (id int);\n",
    );
    let errors: Vec<(u32, String)> = f
        .statements
        .iter()
        .flat_map(|s| &s.findings)
        .filter(|x| x.rule == "psql-conditional-error")
        .map(|x| (x.loc.line, x.message.clone()))
        .collect();
    let lines: Vec<u32> = errors.iter().map(|e| e.0).collect();
    assert_eq!(lines, vec![1, 2, 3, 7, 8, 10], "{errors:#?}");
    assert!(errors[0].1.contains("`\\endif` without a `\\if`"));
    assert!(errors[3]
        .1
        .contains("after the `\\else` of the `\\if` at line 5"));
    assert!(errors[5].1.contains("never closed"), "{errors:#?}");
    // The statement after the unbalanced commands converts (psql goes on
    // without ON_ERROR_STOP); the one in the open `\if false` does not.
    let sql = f.output_sql();
    assert!(sql.contains("CREATE TABLE `a`") && !sql.contains("CREATE TABLE `b`"));
}

#[test]
fn each_file_has_its_own_conditionals() {
    let files = convert_texts(
        [
            ("V1.sql", "\\if false\nCREATE TABLE a (id int);\n"),
            ("V2.sql", "CREATE TABLE b (id int);\n\\endif\n"),
        ],
        Options::default(),
    );
    assert!(!files[0].output_sql().contains("`a`"));
    assert!(files[1].output_sql().contains("CREATE TABLE `b`"));
    let never_closed = files[0].statements[0]
        .findings
        .iter()
        .any(|x| x.rule == "psql-conditional-error" && x.message.contains("never closed"));
    assert!(never_closed, "{:#?}", files[0].statements);
    assert!(files[1].statements[1].findings[0]
        .message
        .contains("without a `\\if`"));
}

#[test]
fn the_command_line_reports_an_if_never_closed() {
    // Statements are reported as they are converted; a file with `\if` keeps
    // them until its end, where an `\if` never closed is known.
    let dir = temp_dir("open-if");
    let path = dir.join("open.sql");
    std::fs::write(
        &path,
        "CREATE TABLE a (id int);\n\\if true\nCREATE TABLE b (id int);\n",
    )
    .unwrap();
    let r = run(&["check", path.to_str().unwrap()], None);
    let report = String::from_utf8_lossy(&r.stdout);
    assert_eq!(r.code, 1, "{report} {}", r.stderr);
    assert!(
        report.contains("open.sql:2:1: error[psql-conditional-error]: this `\\if` is never closed"),
        "{report}"
    );
    std::fs::remove_dir_all(dir).ok();
}

/// With a real psql (`bash scripts/test`): for each condition, whether psql
/// runs the branch is what pg2tidb decides.
#[test]
fn the_evaluation_agrees_with_psql() {
    let Some(s) = common::servers() else { return };
    let conditions = [
        "true",
        "t",
        "TR",
        "yes",
        "Y",
        "on",
        "ON",
        "1",
        "'t'rue",
        "\"t\"",
        "false",
        "f",
        "no",
        "N",
        "of",
        "off",
        "0",
        "o",
        "",
        "01",
        "yes no",
        "'yes' 'no'",
        "'of''f'",
        ":on_var",
        ":off_var",
        ":{?on_var}",
        ":{?unset_var}",
        ":unset_var",
        ":'on_var'",
        "maybe",
        "t \\\\ \\echo x",
    ];
    let mut script =
        String::from("\\set on_var on\n\\set off_var off\n\\set unset_var x\n\\unset unset_var\n");
    for (i, c) in conditions.iter().enumerate() {
        script.push_str(&format!(
            "\\if {c}\n\\echo ran {i}\nCREATE TABLE t{i} (id int);\n\\endif\n"
        ));
    }
    let dir = temp_dir("psql");
    let path = dir.join("conditions.sql");
    std::fs::write(&path, &script).unwrap();
    let db = common::db_name("psql_if");
    let out = Command::new(&s.psql)
        .args([
            "-X", "-q", "-h", &s.pg_host, "-p", &s.pg_port, "-U", &s.pg_user, "-d", "postgres",
        ])
        .args(["-c", &format!("CREATE DATABASE {db}")])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let out = Command::new(&s.psql)
        .args([
            "-X", "-q", "-h", &s.pg_host, "-p", &s.pg_port, "-U", &s.pg_user, "-d", &db, "-f",
        ])
        .arg(&path)
        .output()
        .unwrap();
    let _ = Command::new(&s.psql)
        .args([
            "-X", "-q", "-h", &s.pg_host, "-p", &s.pg_port, "-U", &s.pg_user, "-d", "postgres",
        ])
        .args(["-c", &format!("DROP DATABASE IF EXISTS {db}")])
        .output();
    let echoed = String::from_utf8_lossy(&out.stdout);
    assert!(echoed.lines().any(|l| l == "ran 0"), "psql: {out:?}");
    let f = convert(&script);
    let sql = f.output_sql();
    for (i, c) in conditions.iter().enumerate() {
        let psql_runs = echoed.lines().any(|l| l == format!("ran {i}"));
        let statement = f
            .statements
            .iter()
            .find(|st| st.source.starts_with(&format!("CREATE TABLE t{i} ")))
            .unwrap();
        let verdict = match statement.status {
            Status::Converted => "runs",
            Status::Error => "unknown",
            Status::Dropped => "skipped",
        };
        assert!(
            (psql_runs && verdict == "runs")
                || (!psql_runs && verdict == "skipped")
                || verdict == "unknown",
            "\\if {c}: psql {} it, pg2tidb says {verdict}\n{sql}",
            if psql_runs { "runs" } else { "skips" }
        );
        // The file sets (or unsets) every variable it uses: nothing is unknown.
        assert_ne!(verdict, "unknown", "\\if {c}: {:?}", statement.findings);
    }
    std::fs::remove_dir_all(dir).ok();
}
