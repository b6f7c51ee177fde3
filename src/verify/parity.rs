//! Object-by-object comparison of the PostgreSQL schema with the target's,
//! each difference explained by a finding of the conversion or flagged as
//! unexpected.

use super::schema::{Column, ForeignKey, Schema, Table, EQUIVALENT, EQUIVALENT_DEFAULTS};
use std::collections::BTreeSet;

/// Why a difference is expected: a finding of the conversion (or a note of
/// the stand-in for TiDB-only SQL on a MySQL-family server).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Note {
    pub rule: String,
    pub file: String,
    pub line: u32,
    pub col: u32,
    pub message: String,
    /// The table the statement is about, when known.
    #[serde(skip)]
    pub object: Option<String>,
    /// The PostgreSQL statement (for matching names in it).
    #[serde(skip)]
    pub source: String,
    /// The statement was dropped or not carried over.
    #[serde(skip)]
    pub lost: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Difference {
    /// `table t`, `column t.c`, `index t.i`, `foreign key t.f`, `check t.k`, `primary key t`.
    pub object: String,
    /// What differs: missing, extra, type, nullability, default, auto-increment,
    /// comment, columns, unique, predicate, method, references, on delete,
    /// on update, deferrable.
    pub what: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postgres: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// The findings that explain it; empty means unexpected.
    pub explained_by: Vec<Note>,
}

impl Difference {
    pub fn expected(&self) -> bool {
        !self.explained_by.is_empty()
    }
}

#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Parity {
    pub tables: usize,
    pub columns: usize,
    pub indexes: usize,
    pub foreign_keys: usize,
    pub checks: usize,
    pub differences: Vec<Difference>,
}

impl Parity {
    pub fn unexpected(&self) -> usize {
        self.differences.iter().filter(|d| !d.expected()).count()
    }
}

/// `word` occurs in `text` as a whole identifier (case-insensitive).
pub fn mentions(text: &str, word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    let t = text.to_lowercase();
    let w = word.to_lowercase();
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut from = 0;
    while let Some(i) = t[from..].find(&w) {
        let s = from + i;
        let e = s + w.len();
        let before = t[..s].chars().next_back().is_none_or(|c| !ident(c));
        let after = t[e..].chars().next().is_none_or(|c| !ident(c));
        if before && after {
            return true;
        }
        from = s + w.len().max(1);
        while !t.is_char_boundary(from) {
            from += 1;
        }
    }
    false
}

/// Renames seen in the input, so a finding about a column's or table's
/// earlier name explains a difference under its later name.
#[derive(Debug, Default, Clone)]
pub struct Aliases {
    /// (table, old column, new column)
    columns: Vec<(String, String, String)>,
    /// (old table, new table)
    tables: Vec<(String, String)>,
}

fn ident(tok: &str) -> String {
    let t = tok.trim_end_matches([';', ',']);
    let t = t.rsplit('.').next().unwrap_or(t);
    if t.starts_with('"') {
        t.trim_matches('"').to_string()
    } else {
        t.to_lowercase()
    }
}

impl Aliases {
    /// Read `RENAME [COLUMN] a TO b` and `RENAME TO b` from statements (table, PostgreSQL text).
    pub fn from_statements<'a>(
        statements: impl IntoIterator<Item = (Option<&'a str>, &'a str)>,
    ) -> Aliases {
        let mut a = Aliases::default();
        for (object, source) in statements {
            let toks: Vec<&str> = source.split_whitespace().collect();
            let is = |i: usize, w: &str| toks.get(i).is_some_and(|t| t.eq_ignore_ascii_case(w));
            for i in 0..toks.len() {
                if !is(i, "RENAME") {
                    continue;
                }
                if is(i + 1, "TO") {
                    // ALTER TABLE [IF EXISTS] [ONLY] old RENAME TO new
                    let old = toks[..i]
                        .iter()
                        .rev()
                        .find(|t| !t.eq_ignore_ascii_case("ONLY"))
                        .map(|t| ident(t));
                    if let (Some(old), Some(new)) = (old, toks.get(i + 2)) {
                        a.tables.push((old, ident(new)));
                    }
                    continue;
                }
                let (old, to) = if is(i + 1, "COLUMN") {
                    (i + 2, i + 3)
                } else {
                    (i + 1, i + 2)
                };
                // The table: `ALTER TABLE [IF EXISTS] [ONLY] t` before RENAME (also inside a DO block), else the statement's.
                let table = toks[..i]
                    .iter()
                    .rposition(|t| t.eq_ignore_ascii_case("TABLE"))
                    .and_then(|j| {
                        toks[j + 1..i].iter().find(|t| {
                            !["IF", "EXISTS", "ONLY"]
                                .iter()
                                .any(|k| t.eq_ignore_ascii_case(k))
                        })
                    })
                    .map(|t| ident(t))
                    .or_else(|| object.map(str::to_string));
                if let (Some(t), true, Some(o), Some(n)) =
                    (table, is(to, "TO"), toks.get(old), toks.get(to + 1))
                {
                    a.columns.push((t, ident(o), ident(n)));
                }
            }
        }
        a
    }

    fn tables_of(&self, t: &str) -> Vec<String> {
        let mut names = vec![t.to_string()];
        let mut i = 0;
        while i < names.len() && names.len() < 64 {
            for (old, new) in &self.tables {
                if new.eq_ignore_ascii_case(&names[i]) && !names.contains(old) {
                    names.push(old.clone());
                }
            }
            i += 1;
        }
        names
    }

    fn columns_of(&self, t: &str, c: &str) -> Vec<String> {
        let tables = self.tables_of(t);
        let mut names = vec![c.to_string()];
        let mut i = 0;
        while i < names.len() && names.len() < 64 {
            for (tab, old, new) in &self.columns {
                if tables.iter().any(|x| x.eq_ignore_ascii_case(tab))
                    && new.eq_ignore_ascii_case(&names[i])
                    && !names.contains(old)
                {
                    names.push(old.clone());
                }
            }
            i += 1;
        }
        names
    }
}

/// What a difference is about, for finding its explanation.
enum About<'a> {
    Table(&'a str),
    Column(&'a str, &'a str),
    /// An index, key or constraint by name, and words a statement defining
    /// it without that name would contain (a foreign key's columns and table).
    Element(&'a str, &'a str, Vec<&'a str>),
}

fn explain(notes: &[Note], aliases: &Aliases, about: About) -> Vec<Note> {
    let about_table = |n: &Note, tables: &[String]| {
        tables.iter().any(|t| {
            mentions(&n.message, t)
                || n.object
                    .as_deref()
                    .is_some_and(|o| o.eq_ignore_ascii_case(t))
                || mentions(&n.source, t)
        })
    };
    let any = |text: &str, names: &[String]| names.iter().any(|x| mentions(text, x));
    let mut found: Vec<Note> = notes
        .iter()
        .filter(|n| !NEVER_EXPLAINS.contains(&n.rule.as_str()))
        .filter(|n| {
            // A finding about one column ("column t.c: …") explains only that
            // column, or an element it names.
            let column_scoped = n.message.starts_with("column ");
            match &about {
                About::Table(t) => {
                    let ts = aliases.tables_of(t);
                    (!column_scoped && any(&n.message, &ts))
                        || (n.lost
                            && n.object
                                .as_deref()
                                .is_some_and(|o| ts.iter().any(|t| t.eq_ignore_ascii_case(o))))
                }
                About::Column(t, c) => {
                    let ts = aliases.tables_of(t);
                    let cs = aliases.columns_of(t, c);
                    (any(&n.message, &cs) && about_table(n, &ts))
                        || (n.lost && about_table(n, &ts) && any(&n.source, &cs))
                }
                About::Element(t, e, words) => {
                    let ts = aliases.tables_of(t);
                    (mentions(&n.message, e) && about_table(n, &ts))
                        || (n.lost && about_table(n, &ts) && mentions(&n.source, e))
                        || (!column_scoped && about_table(n, &ts) && mentions(&n.source, e))
                        || (!column_scoped
                            && !words.is_empty()
                            && about_table(n, &ts)
                            && words.iter().all(|w| mentions(&n.source, w)))
                }
            }
        })
        .cloned()
        .collect();
    // Findings that name the object first.
    let named = |n: &Note| match &about {
        About::Table(t) => mentions(&n.message, t),
        About::Column(t, c) => any(&n.message, &aliases.columns_of(t, c)),
        About::Element(_, e, _) => mentions(&n.message, e),
    };
    found.sort_by_key(|n| !named(n));
    found
}

/// Findings about statements that change nothing on either side (a no-op
/// `IF EXISTS`, transaction notes) never explain a difference.
const NEVER_EXPLAINS: &[&str] = &["if-exists-noop", "transaction-ddl", "unused-suppression"];

/// Compare every PostgreSQL table with the target's.
pub fn compare(pg: &Schema, target: &Schema, notes: &[Note], aliases: &Aliases) -> Parity {
    let mut p = Parity::default();
    for (name, src) in &pg.tables {
        p.tables += 1;
        p.columns += src.columns.len();
        p.indexes += src.indexes.len();
        p.foreign_keys += src.foreign_keys.len();
        p.checks += src.checks.len();
        let found = target.tables.get(name).or_else(|| {
            target
                .tables
                .iter()
                .find(|(t, _)| t.eq_ignore_ascii_case(name))
                .map(|x| x.1)
        });
        match found {
            Some(dst) => compare_table(&mut p, name, src, dst, notes, aliases),
            None => p.differences.push(Difference {
                object: format!("table {name}"),
                what: "missing",
                postgres: Some(name.clone()),
                target: None,
                explained_by: explain(notes, aliases, About::Table(name)),
            }),
        }
    }
    for name in target.tables.keys() {
        if !pg.tables.keys().any(|t| t.eq_ignore_ascii_case(name)) {
            p.differences.push(Difference {
                object: format!("table {name}"),
                what: "extra",
                postgres: None,
                target: Some(name.clone()),
                explained_by: explain(notes, aliases, About::Table(name)),
            });
        }
    }
    p
}

fn compare_table(
    p: &mut Parity,
    t: &str,
    src: &Table,
    dst: &Table,
    notes: &[Note],
    aliases: &Aliases,
) {
    let mut c = TableComparison {
        t,
        notes,
        aliases,
        differences: &mut p.differences,
    };
    c.columns(src, dst);
    c.primary_key(src, dst);
    c.indexes(src, dst);
    c.foreign_keys(src, dst);
    c.checks(src, dst);
    if src.comment != dst.comment {
        c.diff(
            format!("table {t}"),
            "comment",
            src.comment.clone(),
            dst.comment.clone(),
            About::Element(t, "comment", vec![]),
        );
    }
}

/// The comparison of one table `t`: each difference found goes to
/// `differences` with the notes that explain it.
struct TableComparison<'a> {
    t: &'a str,
    notes: &'a [Note],
    aliases: &'a Aliases,
    differences: &'a mut Vec<Difference>,
}

impl<'a> TableComparison<'a> {
    /// Record that `object` differs in `what`, explained by the notes `about` it.
    fn diff(
        &mut self,
        object: String,
        what: &'static str,
        postgres: Option<String>,
        target: Option<String>,
        about: About<'_>,
    ) {
        self.differences.push(Difference {
            object,
            what,
            postgres,
            target,
            explained_by: explain(self.notes, self.aliases, about),
        });
    }

    /// Columns by name (else case-insensitively), then the target's extra ones.
    fn columns(&mut self, src: &Table, dst: &Table) {
        let t = self.t;
        for c in &src.columns {
            let found = dst.columns.iter().find(|d| d.name == c.name).or_else(|| {
                dst.columns
                    .iter()
                    .find(|d| d.name.eq_ignore_ascii_case(&c.name))
            });
            match found {
                Some(d) => self.column(c, d),
                None => self.diff(
                    format!("column {t}.{}", c.name),
                    "missing",
                    Some(c.ty.clone()),
                    None,
                    About::Column(t, &c.name),
                ),
            }
        }
        for d in &dst.columns {
            if !src
                .columns
                .iter()
                .any(|c| c.name.eq_ignore_ascii_case(&d.name))
            {
                self.diff(
                    format!("column {t}.{}", d.name),
                    "extra",
                    None,
                    Some(d.ty.clone()),
                    About::Column(t, &d.name),
                );
            }
        }
    }

    /// One column on both sides: type, nullability, auto-increment or default,
    /// comment.
    fn column(&mut self, c: &Column, d: &Column) {
        let t = self.t;
        let obj = format!("column {t}.{}", c.name);
        let about = || About::Column(t, &c.name);
        if c.kind != d.kind && !EQUIVALENT.contains(&(c.kind.as_str(), d.kind.as_str())) {
            self.diff(
                obj.clone(),
                "type",
                Some(c.ty.clone()),
                Some(d.ty.clone()),
                about(),
            );
        }
        if c.nullable != d.nullable {
            let s = |n: bool| Some(if n { "NULL" } else { "NOT NULL" }.to_string());
            self.diff(
                obj.clone(),
                "nullability",
                s(c.nullable),
                s(d.nullable),
                about(),
            );
        }
        if c.auto_increment != d.auto_increment {
            let s = |a: bool| Some(if a { "auto-increment" } else { "plain" }.to_string());
            self.diff(
                obj.clone(),
                "auto-increment",
                s(c.auto_increment),
                s(d.auto_increment),
                about(),
            );
        } else if !c.auto_increment
            && c.default != d.default
            && !matches!((&c.default, &d.default), (Some(a), Some(b)) if EQUIVALENT_DEFAULTS.contains(&(a.as_str(), b.as_str())))
        {
            self.diff(
                obj.clone(),
                "default",
                c.default.clone(),
                d.default.clone(),
                about(),
            );
        }
        if c.comment != d.comment {
            self.diff(
                obj,
                "comment",
                c.comment.clone(),
                d.comment.clone(),
                about(),
            );
        }
    }

    fn primary_key(&mut self, src: &Table, dst: &Table) {
        if src.primary_key != dst.primary_key {
            let t = self.t;
            let show = |k: &[String]| Some(k.join(", ")).filter(|s| !s.is_empty());
            self.diff(
                format!("primary key {t}"),
                if dst.primary_key.is_empty() {
                    "missing"
                } else {
                    "columns"
                },
                show(&src.primary_key),
                show(&dst.primary_key),
                About::Element(t, "primary key", vec![]),
            );
        }
    }

    /// Indexes by name, else by the same columns; then the target's extra ones
    /// (not those MySQL and TiDB create for a foreign key).
    fn indexes(&mut self, src: &Table, dst: &Table) {
        let t = self.t;
        let mut matched = BTreeSet::new();
        for (name, ix) in &src.indexes {
            let obj = format!("index {t}.{name}");
            let about = || About::Element(t, name, vec![]);
            let found = dst
                .indexes
                .get_key_value(name)
                .filter(|(n, _)| !matched.contains(*n))
                .or_else(|| {
                    dst.indexes
                        .iter()
                        .find(|(n, d)| !matched.contains(*n) && d.parts == ix.parts)
                });
            let Some((dname, d)) = found else {
                let what = format!(
                    "{}{}({})",
                    if ix.unique { "UNIQUE " } else { "" },
                    ix.method
                        .as_deref()
                        .map(|m| format!("USING {m} "))
                        .unwrap_or_default(),
                    ix.parts.join(", ")
                );
                self.diff(obj, "missing", Some(what), None, about());
                continue;
            };
            matched.insert(dname.clone());
            if ix.parts != d.parts {
                self.diff(
                    obj.clone(),
                    "columns",
                    Some(ix.parts.join(", ")),
                    Some(d.parts.join(", ")),
                    about(),
                );
            }
            if ix.unique != d.unique {
                let s = |u: bool| Some(if u { "unique" } else { "not unique" }.to_string());
                self.diff(obj.clone(), "unique", s(ix.unique), s(d.unique), about());
            }
            if let Some(pred) = &ix.predicate {
                self.diff(obj.clone(), "predicate", Some(pred.clone()), None, about());
            }
            if let Some(m) = &ix.method {
                self.diff(
                    obj,
                    "method",
                    Some(m.clone()),
                    Some("btree".into()),
                    about(),
                );
            }
        }
        for (name, d) in &dst.indexes {
            // MySQL and TiDB create an index for a foreign key that has none.
            let fk_backing = dst.foreign_keys.contains_key(name)
                || dst
                    .foreign_keys
                    .values()
                    .any(|fk| d.parts.starts_with(&fk.columns) && !d.unique);
            if !matched.contains(name) && !fk_backing {
                self.diff(
                    format!("index {t}.{name}"),
                    "extra",
                    None,
                    Some(d.parts.join(", ")),
                    About::Element(t, name, vec![]),
                );
            }
        }
    }

    /// Foreign keys by name, else by the same columns and table; then the
    /// target's extra ones.
    fn foreign_keys(&mut self, src: &Table, dst: &Table) {
        let t = self.t;
        let mut matched = BTreeSet::new();
        for (name, fk) in &src.foreign_keys {
            let found = dst.foreign_keys.get_key_value(name).or_else(|| {
                dst.foreign_keys.iter().find(|(n, d)| {
                    !matched.contains(*n) && d.columns == fk.columns && d.ref_table == fk.ref_table
                })
            });
            match found {
                Some((dname, d)) => {
                    matched.insert(dname.clone());
                    self.foreign_key(name, fk, d);
                }
                None => {
                    let what = format!(
                        "({}) → {}({})",
                        fk.columns.join(", "),
                        fk.ref_table,
                        fk.ref_columns.join(", ")
                    );
                    let obj = format!("foreign key {t}.{name}");
                    self.diff(obj, "missing", Some(what), None, fk_about(t, name, fk));
                }
            }
        }
        for name in dst.foreign_keys.keys() {
            if !matched.contains(name) {
                self.diff(
                    format!("foreign key {t}.{name}"),
                    "extra",
                    None,
                    Some(name.clone()),
                    About::Element(t, name, vec![]),
                );
            }
        }
    }

    /// The foreign key `name` on both sides: references, actions, deferral.
    fn foreign_key(&mut self, name: &str, fk: &ForeignKey, d: &ForeignKey) {
        let t = self.t;
        let obj = format!("foreign key {t}.{name}");
        let about = || fk_about(t, name, fk);
        if (&fk.columns, &fk.ref_table, &fk.ref_columns)
            != (&d.columns, &d.ref_table, &d.ref_columns)
        {
            self.diff(
                obj.clone(),
                "references",
                Some(format!("{}({})", fk.ref_table, fk.ref_columns.join(", "))),
                Some(format!("{}({})", d.ref_table, d.ref_columns.join(", "))),
                about(),
            );
        }
        if fk.on_delete != d.on_delete {
            self.diff(
                obj.clone(),
                "on delete",
                Some(fk.on_delete.clone()),
                Some(d.on_delete.clone()),
                about(),
            );
        }
        if fk.on_update != d.on_update {
            self.diff(
                obj.clone(),
                "on update",
                Some(fk.on_update.clone()),
                Some(d.on_update.clone()),
                about(),
            );
        }
        if fk.deferrable {
            self.diff(obj, "deferrable", Some("DEFERRABLE".into()), None, about());
        }
    }

    /// Checks by name; the rest pair up by count (servers name unnamed checks
    /// differently).
    fn checks(&mut self, src: &Table, dst: &Table) {
        let t = self.t;
        let missing: Vec<&String> = src.checks.difference(&dst.checks).collect();
        let extra = dst.checks.difference(&src.checks).count();
        for name in missing.iter().skip(extra) {
            self.diff(
                format!("check {t}.{name}"),
                "missing",
                Some((*name).clone()),
                None,
                About::Element(t, name, vec![]),
            );
        }
    }
}

/// What a foreign key is about: its name, and the words a statement defining
/// it without that name would contain (its columns and table).
fn fk_about<'a>(t: &'a str, name: &'a str, fk: &'a ForeignKey) -> About<'a> {
    let mut words: Vec<&str> = fk.columns.iter().map(String::as_str).collect();
    words.push(&fk.ref_table);
    About::Element(t, name, words)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::schema::{Column, Index};

    fn col(name: &str, kind: &str) -> Column {
        Column {
            name: name.into(),
            ty: kind.into(),
            kind: kind.into(),
            nullable: true,
            default: None,
            auto_increment: false,
            comment: None,
        }
    }

    fn note(message: &str, source: &str) -> Note {
        Note {
            rule: "r".into(),
            file: "f.sql".into(),
            line: 1,
            col: 1,
            message: message.into(),
            object: Some("users".into()),
            source: source.into(),
            lost: false,
        }
    }

    #[test]
    fn differences_are_explained_only_by_findings_that_name_them() {
        let mut pg = Schema::default();
        let mut my = Schema::default();
        let mut t = Table {
            columns: vec![col("email", "varchar"), col("age", "int")],
            ..Table::default()
        };
        t.indexes.insert(
            "ix_age".into(),
            Index {
                unique: false,
                parts: vec!["age".into()],
                method: None,
                predicate: Some("age > 0".into()),
            },
        );
        pg.tables.insert("users".into(), t.clone());
        t.columns = vec![col("email", "varchar(255)"), col("age", "bigint")];
        t.indexes.get_mut("ix_age").unwrap().predicate = None;
        my.tables.insert("users".into(), t);
        let notes = [note(
            "column users.email: VARCHAR without a length → VARCHAR(255)",
            "CREATE TABLE users (email varchar, age int)",
        )];
        let p = compare(&pg, &my, &notes, &Aliases::default());
        assert_eq!(p.differences.len(), 3, "{:#?}", p.differences);
        let by = |o: &str| p.differences.iter().find(|d| d.object == o).unwrap();
        assert!(by("column users.email").expected());
        assert!(!by("column users.age").expected(), "no finding names age");
        assert!(!by("index users.ix_age").expected());
        assert_eq!(p.unexpected(), 2);
    }

    #[test]
    fn a_finding_about_a_column_explains_it_after_a_rename() {
        let mut pg = Schema::default();
        let mut my = Schema::default();
        let mut t = Table {
            columns: vec![col("name", "varchar")],
            ..Table::default()
        };
        pg.tables.insert("projects".into(), t.clone());
        t.columns = vec![col("name", "varchar(255)")];
        my.tables.insert("projects".into(), t);
        let mut n = note(
            "column projects.title: VARCHAR without a length",
            "CREATE TABLE projects (title varchar)",
        );
        n.object = Some("projects".into());
        let aliases = Aliases::from_statements([(
            Some("projects"),
            "ALTER TABLE projects RENAME COLUMN title TO name",
        )]);
        assert!(compare(&pg, &my, &[n.clone()], &aliases).differences[0].expected());
        assert!(!compare(&pg, &my, &[n], &Aliases::default()).differences[0].expected());
    }

    #[test]
    fn mentions_matches_whole_identifiers() {
        assert!(mentions("column users.email: x", "email"));
        assert!(mentions("index `ix_a` dropped", "ix_a"));
        assert!(!mentions("column users.email_2", "email"));
        assert!(!mentions("ix_ab", "ix_a"));
        assert!(mentions("Ünïcode ix_a", "ix_a"));
    }
}
