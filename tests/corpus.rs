//! The real-world corpus (../shared/corpus): every entry converts without a
//! crash, its output applies to MariaDB 10.11 in order, and the objects of
//! the PostgreSQL catalog of the same input are counted on both sides.
//! Prints one line per entry; run with `--nocapture` to see it.

mod common;

use common::*;
use pg2tidb::report::Summary;
use pg2tidb::{Converter, FileResult, Options, Status, Target};
use std::path::PathBuf;

struct Entry {
    name: String,
    files: Vec<PathBuf>,
}

fn entries() -> Vec<Entry> {
    if !have_shared() {
        return vec![];
    }
    let dir = shared().join("corpus");
    let mut out = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e} (../shared must sit beside the checkout)",
                dir.display()
            )
        })
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("pg").is_dir())
        .collect();
    names.sort();
    for p in names {
        let mut files: Vec<PathBuf> = std::fs::read_dir(p.join("pg"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        out.push(Entry {
            name: p.file_name().unwrap().to_string_lossy().into_owned(),
            files,
        });
    }
    out
}

fn convert(e: &Entry) -> (Vec<FileResult>, Converter) {
    let mut conv = Converter::new(Options {
        target: Target::Tidb85,
        ..Options::default()
    });
    let files = e
        .files
        .iter()
        .map(|p| FileResult {
            path: p.display().to_string(),
            statements: conv.convert_text(&std::fs::read_to_string(p).unwrap()),
        })
        .collect();
    (files, conv)
}

#[test]
fn corpus_converts_without_crashing_and_accounts_for_every_statement() {
    let all = entries();
    if all.is_empty() {
        return;
    }
    assert!(all.len() >= 9, "expected the nine corpus entries");
    for e in &all {
        let (files, _) = convert(e);
        let s = Summary::of(&files);
        assert_eq!(
            s.statements,
            s.converted + s.dropped + s.errors,
            "{}",
            e.name
        );
        for f in &files {
            for st in &f.statements {
                if st.status == Status::Dropped {
                    assert!(
                        !st.findings.is_empty(),
                        "{}:{}: dropped without a reason",
                        f.path,
                        st.loc.line
                    );
                }
            }
        }
    }
}

/// present/total, as "n/m".
fn ratio(present: usize, total: usize) -> String {
    format!("{present}/{total}")
}

#[test]
fn corpus_applies_to_mariadb_and_preserves_the_postgresql_objects() {
    let Some(s) = servers() else { return };
    let pg = s.with_pg15();
    let mut report = String::from(
        "corpus (../shared/corpus), target tidb-8.5; PostgreSQL side: PostgreSQL 15; TiDB side: MariaDB 10.11\n\
         entry            files  stmts  conv  drop   err  applied  tables  columns  keys     indexes  fks\n",
    );
    let mut failures = Vec::new();
    let mut unexplained = Vec::new();
    for e in entries() {
        let (files, _) = convert(&e);
        let sum = Summary::of(&files);
        // PostgreSQL first: the input is real PostgreSQL.
        let pg_db = db_name(&e.name);
        let refs: Vec<&std::path::Path> = e.files.iter().map(PathBuf::as_path).collect();
        pg.pg_apply(&pg_db, &refs).unwrap_or_else(|err| {
            panic!("{}: PostgreSQL 15 rejects the corpus input: {err}", e.name)
        });
        let cat = pg.pg_catalog(&pg_db);
        pg.pg_drop(&pg_db);
        // Then the conversion on MariaDB, file by file, in order.
        let db = db_name(&e.name);
        s.maria_apply(&db, &[]);
        let mut applied_files = 0;
        let mut conn = s.maria();
        mysql::prelude::Queryable::query_drop(&mut conn, format!("USE `{db}`")).unwrap();
        for f in &files {
            let stmts: Vec<pg2tidb::emit::Emitted> = f
                .statements
                .iter()
                .flat_map(|st| st.output.iter().cloned())
                .collect();
            let shim = mariadb_shim(&stmts);
            let mut ok = true;
            for st in &shim.statements {
                if let Err(err) = mysql::prelude::Queryable::query_drop(&mut conn, st) {
                    ok = false;
                    failures.push(format!(
                        "{}: {err}\n    in: {}",
                        f.path,
                        st.chars().take(300).collect::<String>()
                    ));
                }
            }
            applied_files += usize::from(ok);
        }
        let actual = s.maria_catalog(&db);
        s.maria_drop(&db);
        // Objects of the PostgreSQL catalog found on MariaDB; every missing one must be named by a finding.
        let named = common::findings_text(&files);
        let mut missing = |kind: &str, what: &str, present: bool, names: &[&str]| {
            if !present && !names.iter().any(|n| named.contains(n)) {
                unexplained.push(format!(
                    "{}: {kind} {what} is missing and no finding names it",
                    e.name
                ));
            }
            present
        };
        let tables = cat
            .tables
            .iter()
            .filter(|t| missing("table", t, actual.tables.contains_key(*t), &[t]))
            .count();
        let columns = cat
            .columns
            .iter()
            .filter(|(t, c)| {
                let present = actual
                    .tables
                    .get(t)
                    .is_some_and(|x| x.columns.iter().any(|y| &y.name == c));
                missing("column", &format!("{t}.{c}"), present, &[c, t])
            })
            .count();
        let kinds = |k: &[&str]| {
            cat.constraints
                .iter()
                .filter(|c| k.contains(&c.2.as_str()))
                .count()
        };
        let keys = cat
            .constraints
            .iter()
            .filter(|(_, _, k)| k == "PRIMARY KEY" || k == "UNIQUE")
            .filter(|(t, n, k)| {
                let ts = actual.tables.get(t);
                let present = if k == "PRIMARY KEY" {
                    ts.is_some_and(|x| !x.primary_key.is_empty())
                } else {
                    ts.is_some_and(|x| x.indexes.contains_key(n))
                };
                missing(k, &format!("{t}.{n}"), present, &[n, t])
            })
            .count();
        let fks = cat
            .constraints
            .iter()
            .filter(|(_, _, k)| k == "FOREIGN KEY")
            .filter(|(t, n, _)| {
                missing(
                    "foreign key",
                    &format!("{t}.{n}"),
                    actual
                        .tables
                        .get(t)
                        .is_some_and(|x| x.foreign_keys.contains_key(n)),
                    &[n, t],
                )
            })
            .count();
        let plain_indexes: Vec<&(String, String)> = cat
            .indexes
            .iter()
            .filter(|(t, i)| !cat.constraints.iter().any(|(ct, cn, _)| ct == t && cn == i))
            .collect();
        let indexes = plain_indexes
            .iter()
            .filter(|(t, i)| {
                missing(
                    "index",
                    &format!("{t}.{i}"),
                    actual
                        .tables
                        .get(t)
                        .is_some_and(|x| x.indexes.contains_key(i)),
                    &[i, t],
                )
            })
            .count();
        report.push_str(&format!(
            "{:<16} {:>5} {:>6} {:>5} {:>5} {:>5}  {:>7}  {:>6}  {:>7}  {:>7}  {:>7}  {}\n",
            e.name,
            sum.files,
            sum.statements,
            sum.converted,
            sum.dropped,
            sum.errors,
            ratio(applied_files, sum.files),
            ratio(tables, cat.tables.len()),
            ratio(columns, cat.columns.len()),
            ratio(keys, kinds(&["PRIMARY KEY", "UNIQUE"])),
            ratio(indexes, plain_indexes.len()),
            ratio(fks, kinds(&["FOREIGN KEY"])),
        ));
    }
    println!("{report}");
    // scripts/test prints this file after the tests, so CI shows the table.
    let _ = std::fs::write(root().join("target/corpus-report.txt"), &report);
    assert!(
        failures.is_empty(),
        "{report}\nMariaDB rejected {} converted statement(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        unexplained.is_empty(),
        "{report}\n{}",
        unexplained.join("\n")
    );
}

/// The kind of a MariaDB column type, for comparing with hand-written MySQL schemas.
fn kind(column_type: &str) -> String {
    let t = column_type.to_lowercase();
    let base = t.split(['(', ' ']).next().unwrap_or("").to_string();
    match base.as_str() {
        "tinyint" if t.starts_with("tinyint(1)") => "bool".into(),
        "tinyint" | "smallint" | "mediumint" | "int" | "bigint" => base,
        "char" | "varchar" => "string".into(),
        "tinytext" | "text" | "mediumtext" | "longtext" => "text".into(),
        "binary" | "varbinary" | "tinyblob" | "blob" | "mediumblob" | "longblob" => "binary".into(),
        "decimal" => t.split(' ').next().unwrap_or("").to_string(),
        "float" | "double" => "float".into(),
        other => other.to_string(),
    }
}

/// Differences in kind that the conversion makes on purpose, and the rule that says why.
const EXPLAINED: &[(&str, &str, &str)] = &[
    // (ours, theirs, rule or type-table row)
    (
        "timestamp",
        "datetime",
        "timestamptz: timestamptz keeps instant semantics as TIMESTAMP",
    ),
    (
        "datetime",
        "timestamp",
        "types.rs: timestamp without time zone is DATETIME",
    ),
    (
        "text",
        "string",
        "types.rs: text is LONGTEXT; the hand-written schema chose a length",
    ),
    (
        "string",
        "text",
        "text-key / varchar-length: a length was needed for a key",
    ),
    ("binary", "text", "types.rs: bytea is LONGBLOB"),
    ("text", "binary", "types.rs: text stays text"),
    (
        "string",
        "binary",
        "types.rs: uuid is CHAR(36); the hand-written schema used BINARY(16)",
    ),
    (
        "int",
        "bigint",
        "types.rs: integer is INT; the hand-written schema widened it",
    ),
    ("bigint", "int", "types.rs: bigint is BIGINT"),
    ("smallint", "int", "types.rs: smallint is SMALLINT"),
    ("int", "smallint", "types.rs: integer is INT"),
    ("smallint", "tinyint", "types.rs: smallint is SMALLINT"),
    ("int", "tinyint", "types.rs: integer is INT"),
    ("bool", "bit", "types.rs: boolean is TINYINT(1)"),
    (
        "enum",
        "string",
        "enum-type: PostgreSQL enums are inlined as ENUM",
    ),
    (
        "text",
        "json",
        "types.rs: json/jsonb is JSON (LONGTEXT on MariaDB)",
    ),
    (
        "int",
        "bool",
        "types.rs: integer is INT; the hand-written schema chose TINYINT(1)",
    ),
    ("date", "datetime", "types.rs: date is DATE"),
    (
        "int",
        "year",
        "domain-type: the PostgreSQL domain's base type is integer",
    ),
    (
        "text",
        "set",
        "lossy-type: arrays are JSON (LONGTEXT on MariaDB); the hand-written schema used SET",
    ),
];

#[test]
fn corpus_matches_the_hand_written_mysql_schemas() {
    let Some(s) = servers() else { return };
    let client = std::env::var("PG2TIDB_TEST_MYSQL_BIN").unwrap_or_else(|_| "mariadb".into());
    let url = s
        .mysql_url
        .trim_start_matches("mysql://")
        .trim_end_matches('/')
        .to_string();
    let (user, hostport) = url.split_once('@').unwrap();
    let (host, port) = hostport.split_once(':').unwrap();
    let mut report = String::from("\nhand-written MySQL schemas vs the conversion (tables, columns found in ours; kind differences)\n");
    let mut problems = Vec::new();
    for e in entries() {
        let mysql_dir = shared().join("corpus").join(&e.name).join("mysql");
        if !mysql_dir.is_dir() {
            continue;
        }
        let mut theirs_files: Vec<PathBuf> = std::fs::read_dir(&mysql_dir)
            .unwrap()
            .map(|x| x.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "sql"))
            .collect();
        theirs_files.sort();
        let theirs_db = db_name(&format!("{}_ref", e.name));
        s.maria_apply(&theirs_db, &[]);
        // apply.opts `batch=1`: each file is sent as one batch (it defines procedures).
        let batch = std::fs::read_to_string(mysql_dir.join("apply.opts"))
            .is_ok_and(|o| o.contains("batch=1"));
        let mut applied = 0;
        for f in &theirs_files {
            let ok = if batch {
                let mut conn = s.maria();
                mysql::prelude::Queryable::query_drop(&mut conn, format!("USE `{theirs_db}`"))
                    .unwrap();
                mysql::prelude::Queryable::query_drop(&mut conn, "SET FOREIGN_KEY_CHECKS=0")
                    .unwrap();
                mysql::prelude::Queryable::query_drop(
                    &mut conn,
                    std::fs::read_to_string(f).unwrap(),
                )
                .is_ok()
            } else {
                std::process::Command::new(&client)
                    .args([
                        "--no-defaults",
                        "--protocol=TCP",
                        "-h",
                        host,
                        "-P",
                        port,
                        "-u",
                        user,
                        "--init-command=SET FOREIGN_KEY_CHECKS=0",
                        &theirs_db,
                    ])
                    .stdin(std::fs::File::open(f).unwrap())
                    .output()
                    .unwrap()
                    .status
                    .success()
            };
            applied += usize::from(ok);
        }
        let theirs = s.maria_catalog(&theirs_db);
        s.maria_drop(&theirs_db);

        let (files, _) = convert(&e);
        let stmts: Vec<pg2tidb::emit::Emitted> = files
            .iter()
            .flat_map(|f| f.statements.iter())
            .flat_map(|st| st.output.iter().cloned())
            .collect();
        let ours_db = db_name(&format!("{}_ours", e.name));
        s.maria_apply(&ours_db, &mariadb_shim(&stmts).statements);
        let ours = s.maria_catalog(&ours_db);
        s.maria_drop(&ours_db);

        // Only what the PostgreSQL schema has too: the hand-written side may have tables of its own.
        let pg = s.with_pg15();
        let pg_db = db_name(&format!("{}_pg", e.name));
        let refs: Vec<&std::path::Path> = e.files.iter().map(PathBuf::as_path).collect();
        pg.pg_apply(&pg_db, &refs).unwrap();
        let pg_cat = pg.pg_catalog(&pg_db);
        pg.pg_drop(&pg_db);
        let in_pg_table = |t: &str| pg_cat.tables.iter().any(|x| x.eq_ignore_ascii_case(t));
        let in_pg_column = |t: &str, c: &str| {
            pg_cat
                .columns
                .iter()
                .any(|(x, y)| x.eq_ignore_ascii_case(t) && y.eq_ignore_ascii_case(c))
        };
        let (mut tables, mut cols, mut found_cols, mut same_kind) = (0, 0, 0, 0);
        let mut diffs: std::collections::BTreeMap<String, usize> = Default::default();
        for (t, tt) in theirs.tables.iter().filter(|(t, _)| in_pg_table(t)) {
            let Some(ot) = ours
                .tables
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(t))
                .map(|x| x.1)
            else {
                problems.push(format!("{}: their table {t} is not in ours", e.name));
                continue;
            };
            tables += 1;
            for c in tt.columns.iter().filter(|c| in_pg_column(t, &c.name)) {
                cols += 1;
                let Some(oc) = ot
                    .columns
                    .iter()
                    .find(|x| x.name.eq_ignore_ascii_case(&c.name))
                else {
                    problems.push(format!(
                        "{}: their column {t}.{} is not in ours",
                        e.name, c.name
                    ));
                    continue;
                };
                found_cols += 1;
                let (k1, k2) = (kind(&oc.ty), kind(&c.ty));
                if k1 == k2 || (k1.starts_with("decimal") && k2.starts_with("decimal")) {
                    same_kind += 1;
                } else {
                    *diffs.entry(format!("{k1} vs {k2}")).or_default() += 1;
                    if !EXPLAINED.iter().any(|(a, b, _)| *a == k1 && *b == k2) {
                        problems.push(format!(
                            "{}: {t}.{}: ours {} vs theirs {}: no rule explains it",
                            e.name, c.name, oc.ty, c.ty
                        ));
                    }
                }
            }
        }
        report.push_str(&format!(
            "{:<16} reference files applied {}/{}; shared tables found {}; shared columns found {}/{}; same kind {}/{}; differences: {:?}\n",
            e.name, applied, theirs_files.len(), tables, found_cols, cols, same_kind, found_cols, diffs
        ));
    }
    println!("{report}");
    let _ = std::fs::OpenOptions::new()
        .append(true)
        .open(root().join("target/corpus-report.txt"))
        .and_then(|mut f| std::io::Write::write_all(&mut f, report.as_bytes()));
    assert!(problems.is_empty(), "{report}\n{}", problems.join("\n"));
}
