//! Fixture snapshots: every file in fixtures/ is converted and its output and
//! diagnostics are compared with its reviewed snapshot in tests/snapshots/
//! (one snapshot per fixture through insta's glob, so one mismatch hides no
//! other; the version-dependent ones for the older targets too), and no
//! snapshot file is left that no test takes. Also: every rule has a fixture
//! that triggers it, and every statement is accounted for (converted +
//! dropped + error = read).

mod common;

use pg2tidb::report::{diagnostics, Summary};
use pg2tidb::rules::{Severity, REGISTRY};
use pg2tidb::{convert_texts, FileResult, Options, Status, Target};

/// Fixtures named `fold-*` are pg_dump schemas: converted with `--fold`.
fn options(name: &str, target: Target) -> Options {
    Options {
        target,
        fold: name.starts_with("fold-"),
        ..Options::default()
    }
}

fn convert(name: &str, text: &str, target: Target) -> FileResult {
    let path = format!("fixtures/{name}.sql");
    convert_texts([(path.as_str(), text)], options(name, target)).remove(0)
}

/// What `--fold` writes for a `fold-*` fixture (nothing for the others).
fn folded(name: &str, text: &str, target: Target) -> String {
    let o = options(name, target);
    if !o.fold {
        return String::new();
    }
    let mut conv = pg2tidb::Converter::new(o);
    conv.convert_text(text);
    format!(
        "\n-- folded schema --\n{}",
        pg2tidb::fold::schema_sql(&conv.catalog).trim_end()
    )
}

fn render(f: &FileResult) -> String {
    let summary = Summary::of(std::slice::from_ref(f));
    format!(
        "{}\n-- diagnostics --\n{}{}\n",
        f.output_sql().trim_end(),
        diagnostics(std::slice::from_ref(f), Severity::Info),
        summary.line()
    )
}

/// The fixtures whose rules depend on the target version: snapshotted for
/// the older targets too.
const VERSIONED: &[&str] = &["lob-default", "vector-index", "default-uuid"];
const OLDER_TARGETS: [Target; 2] = [Target::Tidb75, Target::Tidb81];

fn fixture_of(path: &std::path::Path) -> (String, String) {
    let name = path.file_stem().unwrap().to_string_lossy().into_owned();
    let text = std::fs::read_to_string(path).unwrap();
    (name, text)
}

/// One snapshot per fixture (a mismatch in one does not hide the others).
#[test]
fn fixture_snapshots() {
    insta::glob!("../fixtures", "*.sql", |path| {
        let (name, text) = fixture_of(path);
        let f = convert(&name, &text, Target::Tidb85);
        let folded = folded(&name, &text, Target::Tidb85);
        insta::assert_snapshot!(format!("{}{folded}", render(&f)));
    });
}

#[test]
fn version_dependent_fixture_snapshots() {
    let pattern = format!("{{{}}}.sql", VERSIONED.join(","));
    insta::glob!("../fixtures", &pattern, |path| {
        let (name, text) = fixture_of(path);
        for target in OLDER_TARGETS {
            let f = convert(&name, &text, target);
            insta::assert_snapshot!(target.to_string(), render(&f));
        }
    });
}

/// Every snapshot file belongs to a snapshot some test still takes: a
/// fixture removed or renamed leaves no reviewed output behind.
#[test]
fn no_snapshot_is_orphaned() {
    let mut expected: std::collections::BTreeSet<String> = common::fixtures()
        .iter()
        .map(|(n, _)| format!("fixtures__fixture_snapshots@{n}.sql.snap"))
        .collect();
    for n in VERSIONED {
        for t in OLDER_TARGETS {
            expected.insert(format!("fixtures__{t}@{n}.sql.snap"));
        }
    }
    // tests/check.rs (one per --format) and tests/report.rs.
    for f in ["text", "json", "sarif", "github", "gitlab"] {
        expected.insert(format!("check__check-{f}.snap"));
    }
    for r in ["diff-text", "diff-markdown"] {
        expected.insert(format!("report__{r}.snap"));
    }
    let dir = common::root().join("tests/snapshots");
    let orphans: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !expected.contains(n))
        .collect();
    assert!(
        orphans.is_empty(),
        "snapshots no test takes (remove them, or a .snap.new to review): {orphans:?}"
    );
}

#[test]
fn every_rule_has_a_fixture_that_triggers_it() {
    let fx = common::fixtures();
    for rule in REGISTRY {
        let id = rule.meta().id;
        let (_, text) = fx
            .iter()
            .find(|(n, _)| n == id)
            .unwrap_or_else(|| panic!("rule {id} has no fixtures/{id}.sql"));
        let f = convert(id, text, Target::Tidb85);
        assert!(
            f.statements
                .iter()
                .flat_map(|s| &s.findings)
                .any(|x| x.rule == id),
            "fixtures/{id}.sql does not trigger rule {id}"
        );
    }
    for (name, _) in &fx {
        assert!(
            REGISTRY.iter().any(|r| r.meta().id == name),
            "fixtures/{name}.sql names no rule"
        );
    }
}

#[test]
fn every_statement_is_accounted_for() {
    let mut inputs: Vec<(String, String)> = common::fixtures();
    inputs.extend(common::scenario());
    for (name, text) in inputs {
        for target in Target::ALL {
            let f = convert(&name, &text, target);
            let s = Summary::of(std::slice::from_ref(&f));
            assert_eq!(s.statements, s.converted + s.dropped + s.errors, "{name}");
            // The splitter saw the same number of statements.
            assert_eq!(
                s.statements,
                pg2tidb::split::split(&text).chunks.len(),
                "{name}"
            );
            for st in &f.statements {
                match st.status {
                    // With --fold, converted may mean folded into a table written at the end.
                    Status::Converted => {
                        assert!(!st.output.is_empty() || st.folded, "{name}:{}", st.loc.line)
                    }
                    Status::Dropped => assert!(
                        !st.findings.is_empty(),
                        "{name}:{}: dropped without a reason",
                        st.loc.line
                    ),
                    Status::Error => assert!(
                        st.findings.iter().any(|x| x.severity == Severity::Error),
                        "{name}:{}",
                        st.loc.line
                    ),
                }
            }
        }
    }
}

#[test]
fn conversion_is_deterministic() {
    for (name, text) in common::fixtures() {
        let a = render(&convert(&name, &text, Target::Tidb85));
        let b = render(&convert(&name, &text, Target::Tidb85));
        assert_eq!(a, b, "{name}");
    }
}

/// The scenario converted as one history gives each file the output it gets alone.
#[test]
fn scenario_as_one_history_equals_file_by_file() {
    if !common::have_shared() {
        return;
    }
    let names = ["user-service", "project-service", "knowledge-service"];
    let texts: Vec<(String, String)> = names
        .iter()
        .map(|n| {
            let p = common::shared().join(format!("scenario/{n}.sql"));
            (
                n.to_string(),
                std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
            )
        })
        .collect();
    let together = convert_texts(
        texts.iter().map(|(n, t)| (n.as_str(), t.as_str())),
        Options::default(),
    );
    for ((name, text), joint) in texts.iter().zip(&together) {
        let alone = convert(name, text, Target::Tidb85);
        assert_eq!(alone.output_sql(), joint.output_sql(), "{name}");
        let statuses = |f: &FileResult| f.statements.iter().map(|s| s.status).collect::<Vec<_>>();
        assert_eq!(statuses(&alone), statuses(joint), "{name}");
    }
}
