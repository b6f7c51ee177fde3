//! Resources (issue 12): the cost of every statement shape is linear in the
//! number of statements, and every report runs in bounded memory.
//!
//! No timed thresholds: each shape is converted at n and 4n statements by
//! the real binary, and the ratio of the child's CPU time (user + system,
//! from `wait4`) must stay far below what quadratic work gives (16×):
//! linear work gives about 4–6×. Memory is the child's peak RSS, compared
//! with that of the plain streamed `convert` of the same input.

mod common;

use std::fmt::Write as _;
use std::process::{Command, Stdio};
use std::sync::Mutex;

/// One child at a time: the children's costs must not disturb each other.
static SERIAL: Mutex<()> = Mutex::new(());

struct Usage {
    cpu: f64,
    /// Peak resident set, KiB.
    max_rss: i64,
    code: Option<i32>,
}

/// Run pg2tidb with `args` (output discarded) and measure that one child.
#[allow(clippy::zombie_processes)] // waited for with wait4, which measures it
fn measure(args: &[&str]) -> Usage {
    let child = Command::new(env!("CARGO_BIN_EXE_pg2tidb"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("pg2tidb runs");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `rusage` is plain data that wait4 fills; `pid` is our child,
    // waited for here only (the `Child` is not waited on again).
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut ru) };
    assert_eq!(r, pid, "wait4: {}", std::io::Error::last_os_error());
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Usage {
        cpu: secs(ru.ru_utime) + secs(ru.ru_stime),
        max_rss: ru.ru_maxrss,
        code: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
    }
}

/// The CPU time of converting `sql` (best of `runs`, stopping early once
/// a run is under `enough`, or over four times that: then no rerun brings
/// it under).
fn convert_cost(name: &str, sql: &str, runs: usize, enough: f64) -> f64 {
    let dir = common::Scratch::new("resources");
    let input = dir.join(format!("{name}.sql"));
    let output = dir.join(format!("{name}.out.sql"));
    std::fs::write(&input, sql).unwrap();
    let mut best = f64::INFINITY;
    for _ in 0..runs {
        let u = measure(&[
            "convert",
            input.to_str().unwrap(),
            "-o",
            output.to_str().unwrap(),
        ]);
        assert!(
            matches!(u.code, Some(0 | 1)),
            "{name}: pg2tidb failed ({:?})",
            u.code
        );
        best = best.min(u.cpu);
        if best < enough || (enough > 0.0 && best > 4.0 * enough) {
            break;
        }
    }
    let _ = std::fs::remove_file(&input);
    let _ = std::fs::remove_file(&output);
    best
}

/// Linear work at 4× the statements costs about 4–6× (some log factors,
/// caches); quadratic work 16× or more.
const MAX_RATIO: f64 = 9.0;

fn assert_linear(shape: &str, n: usize, make: fn(usize) -> String) {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let small = convert_cost(&format!("{shape}-n"), &make(n), 2, 0.0);
    // Runs of the large input stop as soon as one is clearly linear.
    let large = convert_cost(
        &format!("{shape}-4n"),
        &make(4 * n),
        3,
        small * MAX_RATIO / 2.0,
    );
    let ratio = large / small.max(0.005);
    eprintln!("{shape}: n={n} {small:.3} s, 4n {large:.3} s: {ratio:.1}x");
    assert!(
        ratio < MAX_RATIO,
        "{shape}: {n} statements cost {small:.3} s of CPU, {} cost {large:.3} s ({ratio:.1}x): not linear",
        4 * n
    );
}

/// `CREATE TABLE t` and `cols` columns added one by one.
fn wide(cols: usize) -> String {
    let mut s = String::from("CREATE TABLE t (id serial PRIMARY KEY, a int);\n");
    for i in 0..cols {
        let _ = writeln!(s, "ALTER TABLE t ADD COLUMN c{i} varchar(20);");
    }
    s
}

fn each(n: usize, f: impl Fn(usize) -> String) -> String {
    (0..n).map(|i| f(i) + "\n").collect()
}

#[test]
fn add_column_is_linear() {
    assert_linear("add-column", 2000, wide);
    assert_linear("add-column-default", 2000, |n| {
        "CREATE TABLE t (id int PRIMARY KEY);\n".to_string()
            + &each(n, |i| {
                format!("ALTER TABLE t ADD COLUMN c{i} uuid DEFAULT gen_random_uuid() NOT NULL;")
            })
    });
    assert_linear("add-column-check", 1500, |n| {
        "CREATE TABLE t (id bigserial PRIMARY KEY);\n".to_string()
            + &each(n, |i| {
                format!("ALTER TABLE t ADD COLUMN c{i} text CHECK (c{i} <> '');")
            })
    });
}

#[test]
fn alter_column_on_a_wide_table_is_linear() {
    assert_linear("alter-type", 1500, |n| {
        wide(n)
            + &each(n, |i| {
                format!("ALTER TABLE t ALTER COLUMN c{i} TYPE varchar(40);")
            })
    });
    assert_linear("set-default", 1500, |n| {
        wide(n)
            + &each(n, |i| {
                format!("ALTER TABLE t ALTER COLUMN c{i} SET DEFAULT 'x';")
            })
    });
    assert_linear("set-not-null", 1500, |n| {
        wide(n)
            + &each(n, |i| {
                format!("ALTER TABLE t ALTER COLUMN c{i} SET NOT NULL;")
            })
    });
    assert_linear("rename-column", 1500, |n| {
        wide(n) + &each(n, |i| format!("ALTER TABLE t RENAME COLUMN c{i} TO d{i};"))
    });
    assert_linear("comment-on-column", 1500, |n| {
        wide(n) + &each(n, |i| format!("COMMENT ON COLUMN t.c{i} IS 'column {i}';"))
    });
    assert_linear("drop-column", 1500, |n| {
        wide(n) + &each(n, |i| format!("ALTER TABLE t DROP COLUMN c{i};"))
    });
}

#[test]
fn indexes_and_constraints_on_one_table_are_linear() {
    assert_linear("create-index", 2000, |n| {
        wide(10) + &each(n, |i| format!("CREATE INDEX ix{i} ON t (c{});", i % 10))
    });
    assert_linear("rename-and-drop-index", 1000, |n| {
        wide(10)
            + &each(n, |i| format!("CREATE INDEX ix{i} ON t (c{});", i % 10))
            + &each(n, |i| format!("ALTER INDEX ix{i} RENAME TO jx{i};"))
            + &each(n, |i| format!("DROP INDEX jx{i};"))
    });
    assert_linear("add-unique", 2000, |n| {
        wide(10)
            + &each(n, |i| {
                format!("ALTER TABLE t ADD CONSTRAINT uq{i} UNIQUE (c{});", i % 10)
            })
    });
    assert_linear("add-check", 2000, |n| {
        wide(10)
            + &each(n, |i| {
                format!("ALTER TABLE t ADD CONSTRAINT ck{i} CHECK (a <> {i});")
            })
    });
    assert_linear("add-check-unnamed", 1500, |n| {
        wide(n) + &each(n, |i| format!("ALTER TABLE t ADD CHECK (c{i} <> 'v');"))
    });
    assert_linear("add-and-drop-foreign-key", 1000, |n| {
        "CREATE TABLE p (id int PRIMARY KEY);\nCREATE TABLE t (id int PRIMARY KEY, a int);\n"
            .to_string()
            + &each(n, |i| {
                format!("ALTER TABLE t ADD CONSTRAINT fk{i} FOREIGN KEY (a) REFERENCES p (id);")
            })
            + &each(n, |i| format!("ALTER TABLE t DROP CONSTRAINT fk{i};"))
    });
    assert_linear("create-table-with-many-keys", 2000, |n| {
        let cols: Vec<String> = (0..n).map(|i| format!("c{i} int UNIQUE")).collect();
        format!(
            "CREATE TABLE t (id int PRIMARY KEY, {});\n",
            cols.join(", ")
        )
    });
}

#[test]
fn many_tables_are_linear() {
    assert_linear("tables-in-one-schema", 1500, |n| {
        each(n, |i| {
            format!("CREATE TABLE app.t{i} (id int PRIMARY KEY, a text, b int);\nCREATE INDEX t{i}_b ON app.t{i} (b);\nCOMMENT ON TABLE app.t{i} IS 'x';")
        })
    });
    assert_linear("children-of-one-parent", 1000, |n| {
        "CREATE TABLE p (id int PRIMARY KEY, code varchar(10));\n".to_string()
            + &each(n, |i| {
                format!("CREATE TABLE k{i} (id int PRIMARY KEY, p_id int REFERENCES p (id));")
            })
            + &each(n, |i| {
                format!("ALTER TABLE p ADD COLUMN x{i} int;\nALTER TABLE p ALTER COLUMN x{i} TYPE bigint;")
            })
    });
    assert_linear("enum-values", 1000, |n| {
        each(n, |i| {
            format!(
                "CREATE TYPE e{i} AS ENUM ('a');\nCREATE TABLE t{i} (id int PRIMARY KEY, m e{i});"
            )
        }) + &each(n, |i| format!("ALTER TYPE e{i} ADD VALUE 'b';"))
    });
}

/// A migration history of about `bytes` (the shape of `scripts/bench`'s:
/// tables referencing earlier ones, indexes, partial indexes, added and
/// retyped columns, comments), with findings on most statements.
fn history(bytes: usize) -> String {
    let types = [
        "bigint",
        "integer",
        "text",
        "varchar(255)",
        "varchar",
        "boolean DEFAULT false",
        "timestamptz DEFAULT now()",
        "numeric(12,2)",
        "jsonb DEFAULT '{}'::jsonb",
        "uuid",
        "date",
        "smallint NOT NULL DEFAULT 0",
        "text[]",
        "double precision",
    ];
    let mut s = String::new();
    let mut i = 0;
    while s.len() < bytes {
        let cols: Vec<String> = (0..3 + i % 10)
            .map(|j| format!("c{j} {}", types[(i * 7 + j * 3) % types.len()]))
            .collect();
        let parent = if i > 0 {
            format!(
                ",\n    parent_id bigint REFERENCES t{} (id) ON DELETE CASCADE",
                i / 2
            )
        } else {
            String::new()
        };
        let _ = write!(
            s,
            "CREATE TABLE t{i} (\n    id bigserial PRIMARY KEY,\n    {}{parent}\n);\n\
             CREATE INDEX t{i}_c0_idx ON t{i} (c0);\n\
             CREATE UNIQUE INDEX t{i}_c1_key ON t{i} (c1) WHERE c1 IS NOT NULL;\n\
             ALTER TABLE t{i} ADD COLUMN note varchar(200) NOT NULL DEFAULT 'n/a';\n\
             ALTER TABLE t{i} ALTER COLUMN note TYPE text;\n\
             COMMENT ON TABLE t{i} IS 'generated table {i}';\n",
            cols.join(",\n    ")
        );
        i += 1;
    }
    s
}

/// Every report of `convert --report`, `diff --report` and `check
/// --format` holds no more than a few MB beyond what the streamed
/// conversion itself needs (the schema model): none keeps every
/// statement's source, output or findings until the end.
#[test]
fn every_report_runs_in_bounded_memory() {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = common::Scratch::new("resources");
    let input = dir.join("history.sql");
    std::fs::write(&input, history(3 << 20)).unwrap();
    let input = input.to_str().unwrap().to_string();
    let sql = dir.join("history.out.sql");
    let sql = sql.to_str().unwrap().to_string();
    let report_file = dir.join("report.out");
    let report_file = report_file.to_str().unwrap().to_string();
    let plain = measure(&["convert", &input, "-o", &sql]);
    assert_eq!(plain.code, Some(0), "the history converts");
    // Memory a report may add: a few buffers, never the statements (the
    // input is 3 MB; reports that kept it took 15–90 MB more).
    let allowed = plain.max_rss + 8 * 1024;
    let mut runs: Vec<Vec<&str>> = vec![];
    for report in ["text", "json", "markdown", "html"] {
        runs.push(vec!["convert", &input, "-o", &sql, "--report", report]);
        runs.push(vec![
            "convert",
            &input,
            "-o",
            &sql,
            "--report",
            report,
            "--report-file",
            &report_file,
        ]);
        runs.push(vec!["diff", &input, "--report", report]);
    }
    for format in ["text", "json", "sarif", "github", "gitlab"] {
        runs.push(vec!["check", &input, "--format", format]);
    }
    let mut over = vec![];
    for args in &runs {
        let u = measure(args);
        assert!(matches!(u.code, Some(0 | 1)), "{args:?}: {:?}", u.code);
        eprintln!("{:>7} KB: {}", u.max_rss, args.join(" "));
        if u.max_rss > allowed {
            over.push(format!("{} KB: {}", u.max_rss, args.join(" ")));
        }
    }
    assert!(
        over.is_empty(),
        "plain convert peaks at {} KB; these reports go over {allowed} KB:\n{}",
        plain.max_rss,
        over.join("\n")
    );
}
