//! The type table (`src/types.rs`) and the rules that report its notes
//! cannot drift apart: every loss names a registered rule, every note the
//! table gives a column is printed by the rule it names (and by no other),
//! those rules print nothing the table did not give, and each rule's
//! documentation names the rows it reports. docs/types.md is generated from
//! the type and function tables.

use pg2tidb::rules::by_id;
use pg2tidb::types::{self, TimestamptzAs, TypeChoices, UuidAs, TYPES};
use pg2tidb::{convert_str, Options, Target};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every name and example of every row, an array, an array of an
/// unsupported type, and a type the table does not know.
fn spellings() -> Vec<String> {
    let mut v: Vec<String> = TYPES
        .iter()
        .flat_map(|r| r.names.iter().chain(r.examples))
        .map(|s| s.to_string())
        .collect();
    v.extend(["varchar(64)[]", "point[]", "timestamptz[]", "no_such_type"].map(String::from));
    v
}

/// Each target with the default choices, and each non-default choice.
fn settings() -> Vec<(Target, TypeChoices)> {
    let d = TypeChoices::default();
    let mut v: Vec<(Target, TypeChoices)> = Target::ALL.iter().map(|t| (*t, d.clone())).collect();
    for c in [
        TypeChoices {
            uuid: UuidAs::Binary16,
            ..d.clone()
        },
        TypeChoices {
            timestamptz: TimestamptzAs::Datetime,
            ..d.clone()
        },
        TypeChoices {
            varchar_length: 100,
            ..d.clone()
        },
    ] {
        v.push((Target::default(), c));
    }
    v
}

/// Every rule any row or note names.
fn reporting_rules() -> BTreeSet<&'static str> {
    let mut rules: BTreeSet<&str> = TYPES
        .iter()
        .filter_map(|r| r.loss)
        .map(|l| l.rule)
        .collect();
    for (target, choices) in settings() {
        for s in spellings() {
            let pg = types::parse_type(&s).unwrap_or_else(|| panic!("{s} is not a type"));
            rules.extend(
                types::map(&pg, target, &choices)
                    .notes
                    .iter()
                    .map(|n| n.rule),
            );
        }
    }
    rules
}

#[test]
fn every_loss_names_a_registered_rule() {
    let rules = reporting_rules();
    assert!(rules.len() >= 4, "{rules:?}");
    for rule in rules {
        assert!(
            by_id(rule).is_some(),
            "the type table names `{rule}`: no such rule"
        );
    }
}

#[test]
fn every_note_is_printed_by_its_rule_and_the_rules_print_only_notes() {
    let rules = reporting_rules();
    for (target, choices) in settings() {
        for s in spellings() {
            let pg = types::parse_type(&s).unwrap();
            let mapped = types::map(&pg, target, &choices);
            let options = Options {
                target,
                types: choices.clone(),
                ..Options::default()
            };
            let r = convert_str(&format!("CREATE TABLE t (id int, c {s});"), options);
            let findings: Vec<_> = r
                .statements
                .iter()
                .flat_map(|st| &st.findings)
                .filter(|f| rules.contains(f.rule))
                .collect();
            let when = format!("{s} on {target} with {choices:?}");
            assert_eq!(
                findings.len(),
                mapped.notes.len(),
                "{when}: notes {:?}, findings {findings:?}",
                mapped.notes
            );
            for note in &mapped.notes {
                assert!(
                    findings
                        .iter()
                        .any(|f| f.rule == note.rule && f.message.contains(note.text.as_ref())),
                    "{when}: `{}` does not print {:?}: {findings:?}",
                    note.rule,
                    note.text
                );
            }
            // The column is carried over exactly when the table gives a type.
            let sql = r.output_sql();
            assert_eq!(sql.contains("`c`"), mapped.ty.is_some(), "{when}: {sql}");
        }
    }
}

#[test]
fn each_rule_documents_the_rows_it_reports() {
    let mut reports: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (target, choices) in settings() {
        for row in TYPES {
            for s in row.names.iter().chain(row.examples) {
                let pg = types::parse_type(s).unwrap();
                for note in types::map(&pg, target, &choices).notes {
                    reports.entry(note.rule).or_default().insert(row.names[0]);
                }
            }
        }
    }
    for (rule, rows) in reports {
        let doc = by_id(rule).unwrap().meta().doc;
        for name in rows {
            assert!(
                doc.contains(&format!("`{name}`")),
                "the documentation of `{rule}` (src/rules/) does not name `{name}`, which it reports"
            );
        }
    }
}

#[test]
fn docs_types_md_is_generated_from_the_tables() {
    let generated = format!(
        "{}\n{}",
        types::reference_markdown(),
        pg2tidb::expr::reference_markdown()
    );
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/types.md");
    if std::env::var_os("PG2TIDB_WRITE_DOCS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "docs/types.md is out of date: run `PG2TIDB_WRITE_DOCS=1 cargo test --test type_table`"
    );
}
