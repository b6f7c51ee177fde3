//! Round trips on real servers: every input is applied to PostgreSQL first
//! (so it is real PostgreSQL), its conversion is applied to MariaDB 10.11,
//! and MariaDB's catalog must equal what the conversion promised (the
//! converter's schema model). Every PostgreSQL table, column, index and
//! constraint must be in MariaDB or named by a finding.

mod common;

use common::*;
use pg2tidb::{Converter, FileResult, Options, Status, Target};
use std::path::{Path, PathBuf};

struct RoundTrip {
    files: Vec<FileResult>,
    conv: Converter,
}

fn convert_paths(paths: &[PathBuf], target: Target) -> RoundTrip {
    let mut conv = Converter::new(Options {
        target,
        ..Options::default()
    });
    let files = paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            FileResult {
                path: p.display().to_string(),
                statements: conv.convert_text(&text),
            }
        })
        .collect();
    RoundTrip { files, conv }
}

/// Apply `paths` to PostgreSQL, their conversion to MariaDB, and compare.
fn round_trip(s: &Servers, name: &str, paths: &[PathBuf]) {
    let pg_db = db_name(name);
    let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    s.pg_apply(&pg_db, &refs).unwrap_or_else(|e| {
        panic!("{name}: PostgreSQL rejects the input, so it is not a valid test input:\n{e}")
    });
    let pg = s.pg_catalog(&pg_db);
    s.pg_drop(&pg_db);

    let rt = convert_paths(paths, Target::Tidb85);
    let statements: Vec<pg2tidb::emit::Emitted> = rt
        .files
        .iter()
        .flat_map(|f| f.statements.iter())
        .flat_map(|st| st.output.iter().cloned())
        .collect();
    let shim = mariadb_shim(&statements);
    let maria_db = db_name(name);
    let errors = s.maria_apply(&maria_db, &shim.statements);
    assert!(
        errors.is_empty(),
        "{name}: MariaDB rejected converted statements:\n{}",
        errors.join("\n")
    );

    let actual = s.maria_catalog(&maria_db);
    s.maria_drop(&maria_db);
    let expected = expected_catalog(&rt.conv, &shim.skipped_indexes);
    common::assert_tables_match(
        name,
        &expected,
        &actual,
        "in MariaDB (promised by the model)",
    );
    assert_eq!(expected.sequences, actual.sequences, "{name}: sequences");
    assert_eq!(expected.views, actual.views, "{name}: views");
    let extra: Vec<&String> = actual
        .tables
        .keys()
        .filter(|t| !expected.tables.contains_key(*t))
        .collect();
    assert!(
        extra.is_empty(),
        "{name}: MariaDB has tables the model does not: {extra:?}"
    );

    // Parity with PostgreSQL: everything is carried over or a finding names it.
    let findings = common::findings_text(&rt.files);
    let named = |x: &str| findings.contains(x);
    for t in &pg.tables {
        assert!(
            actual.tables.contains_key(t) || named(t),
            "{name}: PostgreSQL table {t} is missing and no finding says why"
        );
    }
    for v in &pg.views {
        assert!(
            actual.views.contains(v) || named(v),
            "{name}: PostgreSQL view {v} is missing and no finding says why"
        );
    }
    for (t, c) in &pg.columns {
        let present = actual
            .tables
            .get(t)
            .is_some_and(|ts| ts.columns.iter().any(|x| &x.name == c));
        assert!(
            present || named(c) || named(t),
            "{name}: column {t}.{c} is missing and no finding says why"
        );
    }
    for (t, tname, kind) in &pg.constraints {
        let ts = actual.tables.get(t);
        let present = match kind.as_str() {
            "PRIMARY KEY" => ts.is_some_and(|x| !x.primary_key.is_empty()),
            "UNIQUE" => ts.is_some_and(|x| x.indexes.get(tname).is_some_and(|i| i.0)),
            "FOREIGN KEY" => ts.is_some_and(|x| x.foreign_keys.contains_key(tname)),
            _ => ts.is_some_and(|x| x.checks.contains(tname)),
        };
        assert!(
            present || named(tname) || named(t),
            "{name}: {kind} {tname} on {t} is missing and no finding says why"
        );
    }
    for (t, ix) in &pg.indexes {
        let ts = actual.tables.get(t);
        let is_constraint = pg.constraints.iter().any(|(ct, cn, _)| ct == t && cn == ix);
        let present = is_constraint
            || ts.is_some_and(|x| x.indexes.contains_key(ix))
            || shim.skipped_indexes.contains(ix);
        assert!(
            present || named(ix) || named(t),
            "{name}: index {ix} on {t} is missing and no finding says why"
        );
    }
}

#[test]
fn every_fixture_round_trips() {
    let Some(s) = servers() else { return };
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 30, "fixtures/ should cover every rule");
    for f in fixtures {
        let name = f.file_stem().unwrap().to_string_lossy().into_owned();
        if name == "vector-index" && !s.has_vector {
            panic!(
                "the PostgreSQL test server has no pgvector; scripts/test installs one that has"
            );
        }
        round_trip(&s, &name, std::slice::from_ref(&f));
    }
}

/// The input that provokes every TiDB limit MariaDB would not catch runs on both servers too.
#[test]
fn tidb_limits_input_round_trips() {
    let Some(s) = servers() else { return };
    round_trip(
        &s,
        "tidb-limits",
        &[root().join("tests/inputs/tidb-limits.sql")],
    );
}

/// The README's example runs on both servers.
#[test]
fn bundled_example_round_trips() {
    let Some(s) = servers() else { return };
    round_trip(&s, "example", &[root().join("docs/example/app.sql")]);
}

/// The scenario files; empty (the test skips) outside a checkout with ../shared beside it.
fn scenario_files() -> Vec<PathBuf> {
    if !have_shared() {
        return vec![];
    }
    [
        "user-service.sql",
        "project-service.sql",
        "knowledge-service.sql",
    ]
    .iter()
    .map(|f| shared().join("scenario").join(f))
    .collect()
}

#[test]
fn scenario_services_round_trip() {
    let Some(s) = servers() else { return };
    for f in scenario_files() {
        assert!(
            f.exists(),
            "{} is missing: ../shared must sit beside the checkout",
            f.display()
        );
        let name = f.file_stem().unwrap().to_string_lossy().into_owned();
        round_trip(&s, &name, std::slice::from_ref(&f));
    }
}

/// What the scenario's README says a correct conversion shows.
#[test]
fn scenario_shows_what_its_readme_lists() {
    let files = scenario_files();
    if files.is_empty() {
        return;
    }
    for f in &files {
        assert!(
            f.exists(),
            "{} is missing: ../shared must sit beside the checkout",
            f.display()
        );
    }
    let rt = convert_paths(&files, Target::Tidb85);
    let out: String = rt.files.iter().map(FileResult::output_sql).collect();
    let report = pg2tidb::report::diagnostics(&rt.files, pg2tidb::rules::Severity::Info);

    // now()/CURRENT_TIMESTAMP → CURRENT_TIMESTAMP; the updated_at trigger → ON UPDATE.
    assert!(
        !out.to_lowercase().contains("now()"),
        "now() left in output"
    );
    assert!(out.contains("DEFAULT CURRENT_TIMESTAMP(6)"));
    assert!(out.contains("`updated_at` TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)"));
    // Every VARCHAR has a length; indexed ones fit 3072 bytes (url prefixed).
    for (i, _) in out.match_indices("VARCHAR") {
        assert_eq!(
            out[i + 7..].chars().next(),
            Some('('),
            "unsized VARCHAR in output"
        );
    }
    assert!(out.contains("(`url`(768))"));
    // JSON/TEXT never carry a literal default; the report says which, with the line.
    assert!(out.contains("`preferences` JSON NOT NULL DEFAULT (JSON_OBJECT())"));
    assert!(!out.contains("DEFAULT '{}'"));
    assert!(report.contains("knowledge-service.sql:56:5: warning[lob-default]: column bookmarks.note: default '' dropped"));
    // GRANT, REVOKE, OWNER TO, CREATE EXTENSION disappear from the output and appear in the report.
    for kw in ["GRANT", "REVOKE", "OWNER TO", "EXTENSION"] {
        assert!(!out.contains(kw), "{kw} in output");
    }
    for line in [
        "user-service.sql:10:1: info[pg-only-statement]: CREATE EXTENSION",
        "user-service.sql:69:1: info[pg-only-statement]: GRANT",
        "project-service.sql:66:1: info[pg-only-statement]: ALTER TABLE … OWNER TO dropped",
        "project-service.sql:70:1: info[pg-only-statement]: REVOKE",
        "knowledge-service.sql:90:1: info[pg-only-statement]: GRANT",
    ] {
        assert!(report.contains(line), "report lacks `{line}`:\n{report}");
    }
    // Alembic bookkeeping survives, without RETURNING.
    assert!(out.contains("INSERT INTO `alembic_version` (`version_num`) VALUES ('3e8c1f0a9b21');"));
    assert!(out.contains("UPDATE `alembic_version` SET `version_num` = '8b52dae3f6c1'"));
    assert!(!out.contains("RETURNING"));
    // They convert with exit status 0, except for the one statement TiDB
    // cannot carry over: a CHECK on the BIGSERIAL column comments.id (TiDB 3818).
    let errors: Vec<String> = rt
        .files
        .iter()
        .flat_map(|f| {
            f.statements
                .iter()
                .filter(|s| s.status == Status::Error)
                .map(move |s| format!("{}:{}", f.path, s.loc.line))
        })
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].ends_with("project-service.sql:86"), "{errors:?}");
    assert!(report.contains("project-service.sql:86:1: error[check-auto-increment]: CHECK ck_comments_not_self_parent on comments uses AUTO_INCREMENT column id"), "{report}");
}

/// `pg_dump --schema-only` of each scenario database, converted with
/// `--fold`, gives MariaDB the same schema as the migrations converted
/// statement by statement.
#[test]
fn scenario_pg_dump_folds_to_the_migration_schema() {
    let Some(s) = servers() else { return };
    for f in scenario_files() {
        let name = f.file_stem().unwrap().to_string_lossy().into_owned();
        let pg_db = db_name(&name);
        s.pg_apply(&pg_db, &[f.as_path()]).unwrap();
        let dump = s.pg_dump(&pg_db);
        s.pg_drop(&pg_db);
        assert!(
            dump.contains("\\restrict"),
            "pg_dump 16.10+ writes \\restrict; the splitter must handle it"
        );

        // Migrations, statement by statement.
        let migrated = convert_paths(std::slice::from_ref(&f), Target::Tidb85);
        let stmts: Vec<pg2tidb::emit::Emitted> = migrated
            .files
            .iter()
            .flat_map(|f| f.statements.iter())
            .flat_map(|st| st.output.iter().cloned())
            .collect();
        let a = db_name(&format!("{name}_mig"));
        let errors = s.maria_apply(&a, &mariadb_shim(&stmts).statements);
        assert!(errors.is_empty(), "{name}: {errors:?}");
        let from_migrations = s.maria_catalog(&a);
        s.maria_drop(&a);

        // The dump, folded.
        let mut conv = Converter::new(Options {
            target: Target::Tidb85,
            fold: true,
            ..Options::default()
        });
        let results = conv.convert_text(&dump);
        for r in &results {
            // The only errors are what the migrations also cannot carry over: functions and the CHECK on an AUTO_INCREMENT column.
            for x in r
                .findings
                .iter()
                .filter(|x| x.severity == pg2tidb::rules::Severity::Error)
            {
                assert!(
                    x.rule == "unsupported-statement" || x.rule == "check-auto-increment",
                    "{name}: {x:?}"
                );
            }
        }
        let folded = pg2tidb::fold::schema_statements(&conv.catalog);
        let b = db_name(&format!("{name}_fold"));
        let errors = s.maria_apply(&b, &mariadb_shim(&folded).statements);
        assert!(errors.is_empty(), "{name}: {errors:?}");
        let from_dump = s.maria_catalog(&b);
        s.maria_drop(&b);

        common::assert_tables_match(&name, &from_migrations, &from_dump, "from the folded dump");
        assert_eq!(
            from_migrations.tables.len(),
            from_dump.tables.len(),
            "{name}"
        );
    }
}
