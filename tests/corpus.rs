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

fn findings_text(files: &[FileResult]) -> String {
    files
        .iter()
        .flat_map(|f| f.statements.iter())
        .flat_map(|s| s.findings.iter())
        .map(|f| format!("{}\n", f.message))
        .collect()
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
        pg.pg_apply(&pg_db, &refs).unwrap_or_else(|err| panic!("{}: PostgreSQL 15 rejects the corpus input: {err}", e.name));
        let cat = pg.pg_catalog(&pg_db);
        pg.pg_drop(&pg_db);
        // Then the conversion on MariaDB, file by file, in order.
        let db = db_name(&e.name);
        s.maria_apply(&db, &[]);
        let mut applied_files = 0;
        let mut conn = s.maria();
        mysql::prelude::Queryable::query_drop(&mut conn, format!("USE `{db}`")).unwrap();
        for f in &files {
            let stmts: Vec<String> = f.statements.iter().flat_map(|st| st.output.iter().cloned()).collect();
            let shim = mariadb_shim(&stmts);
            let mut ok = true;
            for st in &shim.statements {
                if let Err(err) = mysql::prelude::Queryable::query_drop(&mut conn, st) {
                    ok = false;
                    failures.push(format!("{}: {err}\n    in: {}", f.path, st.chars().take(300).collect::<String>()));
                }
            }
            applied_files += usize::from(ok);
        }
        let actual = s.maria_catalog(&db);
        s.maria_drop(&db);
        // Objects of the PostgreSQL catalog found on MariaDB; every missing one must be named by a finding.
        let named = findings_text(&files);
        let mut missing = |kind: &str, what: &str, present: bool, names: &[&str]| {
            if !present && !names.iter().any(|n| named.contains(n)) {
                unexplained.push(format!("{}: {kind} {what} is missing and no finding names it", e.name));
            }
            present
        };
        let tables = cat.tables.iter().filter(|t| missing("table", t, actual.tables.contains_key(*t), &[t])).count();
        let columns = cat
            .columns
            .iter()
            .filter(|(t, c)| {
                let present = actual.tables.get(t).is_some_and(|x| x.columns.iter().any(|y| &y.name == c));
                missing("column", &format!("{t}.{c}"), present, &[c, t])
            })
            .count();
        let kinds = |k: &[&str]| cat.constraints.iter().filter(|c| k.contains(&c.2.as_str())).count();
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
            .filter(|(t, n, _)| missing("foreign key", &format!("{t}.{n}"), actual.tables.get(t).is_some_and(|x| x.foreign_keys.contains_key(n)), &[n, t]))
            .count();
        let plain_indexes: Vec<&(String, String)> = cat
            .indexes
            .iter()
            .filter(|(t, i)| !cat.constraints.iter().any(|(ct, cn, _)| ct == t && cn == i))
            .collect();
        let indexes = plain_indexes
            .iter()
            .filter(|(t, i)| missing("index", &format!("{t}.{i}"), actual.tables.get(t).is_some_and(|x| x.indexes.contains_key(i)), &[i, t]))
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
    assert!(failures.is_empty(), "{report}\nMariaDB rejected {} converted statement(s):\n{}", failures.len(), failures.join("\n"));
    assert!(unexplained.is_empty(), "{report}\n{}", unexplained.join("\n"));
}
