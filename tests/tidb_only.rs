//! The TiDB rules MariaDB 10.11 would NOT catch (tidb-facts.md §11): the
//! server round trip cannot prove them, so these tests prove that no output
//! ever contains them. They run over every fixture, the scenario and
//! tests/inputs/tidb-limits.sql (written to provoke each case), for every target.

mod common;

use pg2tidb::model::{KeyPart, Table, TiType};
use pg2tidb::{Converter, Options, Target};
use regex::Regex;

fn inputs() -> Vec<(String, String)> {
    let limits = common::root().join("tests/inputs/tidb-limits.sql");
    let mut v = vec![(
        "tidb-limits".to_string(),
        std::fs::read_to_string(limits).unwrap(),
    )];
    for e in std::fs::read_dir(common::root().join("fixtures")).unwrap() {
        let p = e.unwrap().path();
        v.push((
            p.display().to_string(),
            std::fs::read_to_string(&p).unwrap(),
        ));
    }
    v.extend(common::scenario());
    v
}

/// Every statement of every input, per target, with the final schema model.
fn outputs() -> Vec<(String, Target, Vec<String>, Converter)> {
    let mut out = vec![];
    for (name, text) in inputs() {
        for target in Target::ALL {
            let mut conv = Converter::new(Options {
                target,
                ..Options::default()
            });
            let stmts = conv
                .convert_text(&text)
                .into_iter()
                .flat_map(|s| s.output.into_iter().map(|o| o.to_string()))
                .collect();
            out.push((name.clone(), target, stmts, conv));
        }
    }
    out
}

fn column_defs(stmt: &str) -> Vec<String> {
    // Column definitions: CREATE TABLE body lines that start with a backquote,
    // and ADD COLUMN / MODIFY COLUMN clauses.
    let mut v: Vec<String> = stmt
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with('`'))
        .map(str::to_string)
        .collect();
    for kw in ["ADD COLUMN ", "MODIFY COLUMN "] {
        if let Some(i) = stmt.find(kw) {
            v.push(stmt[i + kw.len()..].to_string());
        }
    }
    v
}

fn lob_type(def: &str) -> bool {
    let ty = def.split('`').nth(2).unwrap_or("").trim_start();
    ["JSON", "TEXT", "MEDIUMTEXT", "LONGTEXT", "BLOB", "LONGBLOB"]
        .iter()
        .any(|t| ty.starts_with(&format!("{t} ")) || ty == *t)
}

#[test]
fn no_literal_defaults_on_json_text_blob() {
    let literal = Regex::new(r" DEFAULT ('|-?[0-9]|TRUE|FALSE)").unwrap();
    for (name, target, stmts, _) in outputs() {
        for s in &stmts {
            for d in column_defs(s) {
                if lob_type(&d) {
                    assert!(
                        !literal.is_match(&d),
                        "{name} {target}: literal default on a LOB column: {d}"
                    );
                    if target == Target::Tidb75 {
                        assert!(
                            !d.contains(" DEFAULT "),
                            "{name} {target}: v7.5 allows no LOB default: {d}"
                        );
                    }
                }
            }
            if s.contains("SET DEFAULT '") || s.contains("SET DEFAULT 0") {
                // SET DEFAULT literals only on non-LOB columns (checked through the model below).
            }
        }
    }
}

#[test]
fn current_timestamp_defaults_match_the_column_fsp() {
    let re = Regex::new(r"(DATETIME|TIMESTAMP)(\((\d)\))? (NOT NULL|NULL)( DEFAULT CURRENT_TIMESTAMP(\((\d)\))?)?( ON UPDATE CURRENT_TIMESTAMP(\((\d)\))?)?").unwrap();
    let mut seen = 0;
    for (name, target, stmts, _) in outputs() {
        for s in &stmts {
            for c in re.captures_iter(s) {
                let fsp = c.get(3).map_or("0", |m| m.as_str());
                if c.get(5).is_some() {
                    seen += 1;
                    assert_eq!(
                        c.get(7).map_or("0", |m| m.as_str()),
                        fsp,
                        "{name} {target}: default fsp differs: {s}"
                    );
                }
                if c.get(8).is_some() {
                    assert_eq!(
                        c.get(10).map_or("0", |m| m.as_str()),
                        fsp,
                        "{name} {target}: ON UPDATE fsp differs: {s}"
                    );
                }
            }
        }
    }
    assert!(seen > 20, "the regex must actually find defaults ({seen})");
}

#[test]
fn no_inline_references_serial_or_unsized_varchar() {
    let serial = Regex::new(r"(?i)\bSERIAL\b").unwrap();
    let varchar = Regex::new(r"VARCHAR(\(|$)").unwrap();
    for (name, target, stmts, _) in outputs() {
        for s in &stmts {
            for d in column_defs(s) {
                assert!(
                    !d.contains("REFERENCES"),
                    "{name} {target}: inline REFERENCES: {d}"
                );
                assert!(
                    !d.contains(" CHECK "),
                    "{name} {target}: CHECK inside a column definition: {d}"
                );
            }
            for line in s.lines() {
                let code = line.split("--").next().unwrap_or("");
                let unquoted: String = code.split('`').step_by(2).collect::<Vec<_>>().join(" ");
                assert!(
                    !serial.is_match(&unquoted),
                    "{name} {target}: SERIAL keyword: {line}"
                );
                for (i, _) in unquoted.match_indices("VARCHAR") {
                    assert!(
                        varchar.is_match(&unquoted[i..]) && unquoted[i + 7..].starts_with('('),
                        "{name} {target}: unsized VARCHAR: {line}"
                    );
                }
            }
        }
    }
}

#[test]
fn add_column_has_no_sequence_uuid_or_expression_default() {
    for (name, target, stmts, _) in outputs() {
        for s in stmts.iter().filter(|s| s.contains(" ADD COLUMN ")) {
            assert!(
                !s.contains("DEFAULT ("),
                "{name} {target}: expression default in ADD COLUMN: {s}"
            );
            assert!(
                !s.to_uppercase().contains("NEXTVAL"),
                "{name} {target}: sequence default in ADD COLUMN: {s}"
            );
            assert!(
                !s.contains("AUTO_INCREMENT"),
                "{name} {target}: AUTO_INCREMENT in ADD COLUMN: {s}"
            );
            assert!(
                !s.contains("PRIMARY KEY"),
                "{name} {target}: PRIMARY KEY in ADD COLUMN: {s}"
            );
            assert!(
                !s.contains(" STORED"),
                "{name} {target}: STORED generated column in ADD COLUMN: {s}"
            );
        }
    }
}

/// TiDB's grammar takes only `SignedLiteral` or `'(' Expression ')'` after
/// `ALTER COLUMN … SET DEFAULT` (MariaDB takes any default there).
#[test]
fn set_default_is_a_literal_or_a_parenthesized_expression() {
    let set = Regex::new(r"ALTER COLUMN `(?:[^`]|``)+` SET DEFAULT (.*)$").unwrap();
    let literal = Regex::new(
        r"^(?:[+-]?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|_?[A-Za-z0-9]*'(?:[^']|'')*'|NULL|TRUE|FALSE|\(.*\))$",
    )
    .unwrap();
    let mut seen = 0;
    for (name, target, stmts, _) in outputs() {
        for s in &stmts {
            let Some(c) = set.captures(s) else { continue };
            seen += 1;
            assert!(
                literal.is_match(&c[1]),
                "{name} {target}: SET DEFAULT takes a literal or (expr) in TiDB: {s}"
            );
        }
    }
    assert!(
        seen > 10,
        "only {seen} SET DEFAULT statements in the inputs"
    );
}

#[test]
fn tidb_only_keywords_are_executable_comments() {
    let bare = Regex::new(r"\b(CLUSTERED|NONCLUSTERED|AUTO_RANDOM)\b").unwrap();
    let comment = Regex::new(r"/\*T!\[[a-z_]+\][^*]*\*/").unwrap();
    let add_unique_if = Regex::new(r"ADD UNIQUE( KEY| INDEX)? IF NOT EXISTS").unwrap();
    for (name, target, stmts, _) in outputs() {
        for s in &stmts {
            let without = comment.replace_all(s, "");
            assert!(
                !bare.is_match(&without),
                "{name} {target}: bare TiDB keyword outside /*T![…] */: {s}"
            );
            assert!(
                !s.contains("DROP FOREIGN KEY IF EXISTS"),
                "{name} {target}: {s}"
            );
            assert!(!add_unique_if.is_match(s), "{name} {target}: {s}");
        }
    }
}

fn key_bytes(t: &Table, parts: &[KeyPart]) -> u32 {
    parts
        .iter()
        .map(|p| match p {
            KeyPart::Column { name, prefix } => {
                let ty = &t.column(name).expect("key column exists").ty;
                match prefix {
                    Some(n) => n * ty.prefix_unit(),
                    None => ty.key_bytes().unwrap_or_else(|| {
                        panic!("{}: {name} of type {ty} in a key without a prefix", t.name)
                    }),
                }
            }
            KeyPart::Expr(_) => 0,
        })
        .sum()
}

#[test]
fn keys_fit_3072_bytes_16_parts_and_no_json() {
    for (name, target, _, conv) in outputs() {
        for t in conv.catalog.tables() {
            if let Some(pk) = &t.primary_key {
                assert!(
                    key_bytes(&t, &pk.parts) <= 3072,
                    "{name} {target}: primary key of {} over 3072 bytes",
                    t.name
                );
                assert!(pk.parts.len() <= 16, "{name} {target}");
            }
            for ix in &t.indexes {
                assert!(
                    ix.parts.len() <= 16,
                    "{name} {target}: index {} has {} parts",
                    ix.name,
                    ix.parts.len()
                );
                if ix.kind != pg2tidb::model::IndexKind::Vector {
                    assert!(
                        key_bytes(&t, &ix.parts) <= 3072,
                        "{name} {target}: index {} over 3072 bytes",
                        ix.name
                    );
                }
                for p in &ix.parts {
                    if let Some(c) = p.column_name() {
                        let ty = &t.column(c).unwrap().ty;
                        assert!(
                            !matches!(ty, TiType::Json | TiType::Vector(_)),
                            "{name} {target}: index {} on {ty} column {c}",
                            ix.name
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn model_values_are_within_tidb_limits() {
    for (name, target, _, conv) in outputs() {
        for t in conv.catalog.tables() {
            assert!(
                t.name.chars().count() <= 64,
                "{name} {target}: table name {}",
                t.name
            );
            assert!(
                t.columns.iter().filter(|c| c.auto_increment).count() <= 1,
                "{name} {target}: {} has two AUTO_INCREMENT columns",
                t.name
            );
            for c in &t.columns {
                assert!(
                    c.name.chars().count() <= 64,
                    "{name} {target}: column {}",
                    c.name
                );
                match &c.ty {
                    TiType::Decimal(p, s) => {
                        assert!(*p <= 65 && *s <= 30, "{name} {target}: {}", c.ty)
                    }
                    TiType::Varchar(n) => assert!(*n <= 16383, "{name} {target}: {}", c.ty),
                    TiType::Char(n) => assert!(*n <= 255, "{name} {target}: {}", c.ty),
                    TiType::Enum(labels) => assert!(
                        labels.iter().all(|l| l.chars().count() <= 255),
                        "{name} {target}"
                    ),
                    TiType::Vector(_) => assert!(
                        target.has_vector(),
                        "{name} {target}: VECTOR on a target without it"
                    ),
                    _ => {}
                }
                if let Some(d) = &c.default {
                    if c.ty.is_lob() {
                        assert!(
                            d.starts_with('(') && target.lob_expression_defaults(),
                            "{name} {target}: default {d} on {}",
                            c.ty
                        );
                    }
                    if d.starts_with('(') {
                        let allowed = [
                            "(UUID())",
                            "(JSON_OBJECT())",
                            "(JSON_ARRAY())",
                            "(CURRENT_DATE)",
                        ];
                        assert!(
                            allowed.contains(&d.as_str()) || d.starts_with("(NEXTVAL("),
                            "{name} {target}: expression default {d} outside TiDB's allow-list"
                        );
                    }
                    assert!(
                        !(c.auto_increment && c.default.is_some()),
                        "{name} {target}: AUTO_INCREMENT with DEFAULT"
                    );
                }
                if let (Some(fsp), Some(d)) = (c.ty.fsp(), &c.default) {
                    if d.starts_with("CURRENT_TIMESTAMP") {
                        let want = if fsp == 0 {
                            "CURRENT_TIMESTAMP".to_string()
                        } else {
                            format!("CURRENT_TIMESTAMP({fsp})")
                        };
                        assert_eq!(d, &want, "{name} {target}: {}.{}", t.name, c.name);
                    }
                }
            }
            for ck in &t.checks {
                assert!(
                    ck.name.chars().count() <= 64,
                    "{name} {target}: check name {}",
                    ck.name
                );
            }
        }
    }
}

/// TiDB compares table, view and sequence names case-insensitively (one
/// namespace, `lower_case_table_names = 2`), and a table's column, index,
/// foreign key and CHECK names too (tidb-facts §10, §11.29); MariaDB on
/// Linux creates `Users` beside `users`, so only this test proves that no
/// output makes a name that a live one differs from only in case.
#[test]
fn no_two_names_differ_only_in_case() {
    use std::collections::BTreeMap;
    let name = r"`((?:[^`]|``)+)`";
    let create = Regex::new(&format!(
        r"^CREATE (?:TABLE|(?:OR REPLACE )?VIEW|SEQUENCE) (?:IF NOT EXISTS )?{name}"
    ))
    .unwrap();
    let drop = Regex::new(r"^DROP (?:TABLE|VIEW|SEQUENCE) (?:IF EXISTS )?(.*)$").unwrap();
    let rename = Regex::new(&format!(r"^RENAME TABLE {name} TO {name}")).unwrap();
    let any = Regex::new(name).unwrap();
    let unquote = |s: &str| s.replace("``", "`");
    let mut created = 0;
    for (input, target, stmts, conv) in outputs() {
        // Live names: lower case → as written.
        let mut live: BTreeMap<String, String> = BTreeMap::new();
        for s in &stmts {
            if let Some(c) = create.captures(s) {
                let n = unquote(&c[1]);
                if let Some(other) = live.get(&n.to_lowercase()) {
                    assert_eq!(
                        other, &n,
                        "{input} {target}: TiDB takes `{n}` for `{other}`: {s}"
                    );
                }
                created += 1;
                live.insert(n.to_lowercase(), n);
                let mut columns: BTreeMap<String, String> = BTreeMap::new();
                for line in s.lines().map(str::trim).filter(|l| l.starts_with('`')) {
                    let col = unquote(&any.captures(line).unwrap()[1]);
                    if let Some(other) = columns.insert(col.to_lowercase(), col.clone()) {
                        panic!("{input} {target}: columns `{col}` and `{other}` in one table: {s}");
                    }
                }
            } else if let Some(c) = drop.captures(s) {
                for m in any.captures_iter(&c[1]) {
                    live.remove(&unquote(&m[1]).to_lowercase());
                }
            } else if let Some(c) = rename.captures(s) {
                let (from, to) = (unquote(&c[1]), unquote(&c[2]));
                if let Some(other) = live.get(&to.to_lowercase()) {
                    assert!(
                        other.to_lowercase() == from.to_lowercase(),
                        "{input} {target}: RENAME onto `{other}`: {s}"
                    );
                }
                live.remove(&from.to_lowercase());
                live.insert(to.to_lowercase(), to);
            }
        }
        // Each table's names, as the model promises them.
        for t in conv.catalog.tables() {
            let lists: [(&str, Vec<&String>); 4] = [
                ("column", t.columns.iter().map(|c| &c.name).collect()),
                ("index", t.indexes.iter().map(|i| &i.name).collect()),
                (
                    "foreign key",
                    t.foreign_keys.iter().map(|f| &f.name).collect(),
                ),
                ("check", t.checks.iter().map(|c| &c.name).collect()),
            ];
            for (kind, names) in lists {
                let mut seen: BTreeMap<String, &String> = BTreeMap::new();
                for n in names {
                    if let Some(other) = seen.insert(n.to_lowercase(), n) {
                        panic!(
                            "{input} {target}: table {}: {kind}s `{n}` and `{other}`",
                            t.name
                        );
                    }
                }
            }
        }
    }
    assert!(
        created > 100,
        "the regex must find CREATE statements ({created})"
    );
}
