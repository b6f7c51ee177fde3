//! Migration-directory layouts: which files of a directory are migrations,
//! in which order, and which part of each file applies.
//!
//! | layout | files | order |
//! | --- | --- | --- |
//! | `plain` | every `.sql` file | digit runs compared as numbers (`2_x` before `10_x`) |
//! | `flyway` | `V<version>__<desc>.sql`, then repeatable `R__<desc>.sql` | version (`V1.1` after `V1`, `V10` after `V9`), repeatables last by name; `U…` undo files skipped |
//! | `golang-migrate` | `<version>_<title>.up.sql` | version; `.down.sql` skipped |
//! | `dbmate` | `<version>_<name>.sql` | version; only the `-- migrate:up` section applies |
//! | `prisma` | `<timestamp>_<name>/migration.sql` | directory name |
//! | `diesel` | `<date>_<name>/up.sql` | directory name; `down.sql` skipped |
//! | `alembic` | `alembic upgrade --sql` output files | as `plain`; `-- Running upgrade a -> b` markers are kept in the output |

use std::cmp::Ordering;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Plain,
    Flyway,
    GolangMigrate,
    Dbmate,
    Prisma,
    Diesel,
    Alembic,
}

impl Layout {
    pub const ALL: [Layout; 7] = [
        Layout::Plain,
        Layout::Flyway,
        Layout::GolangMigrate,
        Layout::Dbmate,
        Layout::Prisma,
        Layout::Diesel,
        Layout::Alembic,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Layout::Plain => "plain",
            Layout::Flyway => "flyway",
            Layout::GolangMigrate => "golang-migrate",
            Layout::Dbmate => "dbmate",
            Layout::Prisma => "prisma",
            Layout::Diesel => "diesel",
            Layout::Alembic => "alembic",
        }
    }
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Layout {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Layout::ALL
            .into_iter()
            .find(|l| l.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Layout::ALL.iter().map(|l| l.name()).collect();
                format!(
                    "unknown layout '{s}' (expected one of {})",
                    names.join(", ")
                )
            })
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn parent_name(p: &Path) -> String {
    p.parent().map(file_name).unwrap_or_default()
}

fn is_flyway_versioned(name: &str) -> bool {
    name.strip_prefix('V')
        .and_then(|r| r.split_once("__"))
        .is_some_and(|(v, _)| {
            !v.is_empty()
                && v.chars()
                    .all(|c| c.is_ascii_digit() || c == '.' || c == '_')
        })
}

fn is_golang_up(name: &str) -> bool {
    name.ends_with(".up.sql")
        && name
            .split('_')
            .next()
            .is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit()))
}

/// Guess the layout from the relative paths of a directory's `.sql` files
/// and, for dbmate, a peek at their text.
pub fn detect(files: &[PathBuf], text_of: impl Fn(&Path) -> Option<String>) -> Layout {
    let names: Vec<String> = files.iter().map(|p| file_name(p)).collect();
    if files
        .iter()
        .any(|p| file_name(p) == "migration.sql" && p.components().count() >= 2)
    {
        return Layout::Prisma;
    }
    if files
        .iter()
        .any(|p| file_name(p) == "up.sql" && p.components().count() >= 2)
    {
        return Layout::Diesel;
    }
    if names
        .iter()
        .any(|n| is_flyway_versioned(n) || n.starts_with("R__"))
    {
        return Layout::Flyway;
    }
    if names.iter().any(|n| is_golang_up(n)) {
        return Layout::GolangMigrate;
    }
    if files
        .iter()
        .take(20)
        .any(|p| text_of(p).is_some_and(|t| t.lines().any(|l| l.trim() == "-- migrate:up")))
    {
        return Layout::Dbmate;
    }
    if files
        .iter()
        .take(5)
        .any(|p| text_of(p).is_some_and(|t| t.contains("-- Running upgrade")))
    {
        return Layout::Alembic;
    }
    Layout::Plain
}

/// Flyway version segments: `1.2_3` → [1, 2, 3].
fn flyway_version(name: &str) -> Vec<u64> {
    let v = name
        .strip_prefix('V')
        .and_then(|r| r.split_once("__"))
        .map(|x| x.0)
        .unwrap_or("");
    v.split(['.', '_'])
        .map(|s| s.parse().unwrap_or(0))
        .collect()
}

/// The migrations of a directory in order; the rest is returned as skipped.
pub fn select(layout: Layout, mut files: Vec<PathBuf>) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut skipped = Vec::new();
    let keep = |p: &Path| -> bool {
        let n = file_name(p);
        match layout {
            Layout::Plain | Layout::Alembic | Layout::Dbmate => true,
            Layout::Flyway => is_flyway_versioned(&n) || n.starts_with("R__"),
            Layout::GolangMigrate => is_golang_up(&n),
            Layout::Prisma => n == "migration.sql",
            Layout::Diesel => n == "up.sql",
        }
    };
    files.retain(|p| {
        let k = keep(p);
        if !k {
            skipped.push(p.clone());
        }
        k
    });
    match layout {
        Layout::Flyway => files.sort_by(|a, b| {
            let (na, nb) = (file_name(a), file_name(b));
            match (na.starts_with("R__"), nb.starts_with("R__")) {
                (false, false) => flyway_version(&na)
                    .cmp(&flyway_version(&nb))
                    .then_with(|| na.cmp(&nb)),
                (true, true) => na.cmp(&nb),
                (r, _) => {
                    if r {
                        Ordering::Greater
                    } else {
                        Ordering::Less
                    }
                }
            }
        }),
        Layout::Prisma | Layout::Diesel => {
            files.sort_by(|a, b| natural_cmp(&parent_name(a), &parent_name(b)))
        }
        _ => files.sort_by(|a, b| natural_cmp(&a.to_string_lossy(), &b.to_string_lossy())),
    }
    (files, skipped)
}

/// The part of a file's text that a layout applies. Lines outside it are
/// blanked, so line numbers stay those of the file.
pub fn applied_text(layout: Layout, text: String) -> String {
    if layout != Layout::Dbmate {
        return text;
    }
    let mut in_up = false;
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if t == "-- migrate:up" || t.starts_with("-- migrate:up ") {
            in_up = true;
        } else if t == "-- migrate:down" || t.starts_with("-- migrate:down ") {
            in_up = false;
        }
        if in_up {
            out.push_str(line);
        } else if line.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// Compare names with digit runs as numbers: `V9` < `V10`.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let (mut x, mut y) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (x.peek().copied(), y.peek().copied()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, _) => return std::cmp::Ordering::Less,
            (_, None) => return std::cmp::Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let mut n1 = String::new();
                while let Some(c) = x.peek().copied().filter(char::is_ascii_digit) {
                    n1.push(c);
                    x.next();
                }
                let mut n2 = String::new();
                while let Some(d) = y.peek().copied().filter(char::is_ascii_digit) {
                    n2.push(d);
                    y.next();
                }
                let t1 = n1.trim_start_matches('0');
                let t2 = n2.trim_start_matches('0');
                let o = t1.len().cmp(&t2.len()).then_with(|| t1.cmp(t2));
                if o != std::cmp::Ordering::Equal {
                    return o;
                }
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(&d);
                }
                x.next();
                y.next();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(v: &[&str]) -> Vec<PathBuf> {
        v.iter().map(PathBuf::from).collect()
    }

    fn names(v: &[PathBuf]) -> Vec<String> {
        v.iter().map(|p| p.to_string_lossy().into_owned()).collect()
    }

    #[test]
    fn flyway_orders_by_version_and_puts_repeatables_last() {
        let files = paths(&[
            "R__views.sql",
            "V10__ten.sql",
            "V2__two.sql",
            "V1.1__one_one.sql",
            "V1__one.sql",
            "U2__undo.sql",
            "notes.sql",
        ]);
        assert_eq!(detect(&files, |_| None), Layout::Flyway);
        let (sel, skipped) = select(Layout::Flyway, files);
        assert_eq!(
            names(&sel),
            [
                "V1__one.sql",
                "V1.1__one_one.sql",
                "V2__two.sql",
                "V10__ten.sql",
                "R__views.sql"
            ]
        );
        assert_eq!(names(&skipped), ["U2__undo.sql", "notes.sql"]);
    }

    #[test]
    fn golang_migrate_takes_up_files_only() {
        let files = paths(&["000010_b.up.sql", "000002_a.up.sql", "000002_a.down.sql"]);
        assert_eq!(detect(&files, |_| None), Layout::GolangMigrate);
        let (sel, skipped) = select(Layout::GolangMigrate, files);
        assert_eq!(names(&sel), ["000002_a.up.sql", "000010_b.up.sql"]);
        assert_eq!(names(&skipped), ["000002_a.down.sql"]);
    }

    #[test]
    fn prisma_and_diesel_directories() {
        let prisma = paths(&[
            "20240102_b/migration.sql",
            "20231231_a/migration.sql",
            "migration_lock.toml.sql",
        ]);
        assert_eq!(detect(&prisma, |_| None), Layout::Prisma);
        assert_eq!(
            names(&select(Layout::Prisma, prisma).0),
            ["20231231_a/migration.sql", "20240102_b/migration.sql"]
        );
        let diesel = paths(&[
            "2019-10-10-083032_x/up.sql",
            "2019-10-10-083032_x/down.sql",
            "2019-09-12-100000_init/up.sql",
        ]);
        assert_eq!(detect(&diesel, |_| None), Layout::Diesel);
        let (sel, skipped) = select(Layout::Diesel, diesel);
        assert_eq!(
            names(&sel),
            [
                "2019-09-12-100000_init/up.sql",
                "2019-10-10-083032_x/up.sql"
            ]
        );
        assert_eq!(skipped.len(), 1);
    }

    #[test]
    fn dbmate_applies_the_up_section_and_keeps_line_numbers() {
        let files = paths(&["20200101_a.sql"]);
        let text = "-- migrate:up\nCREATE TABLE a (id int);\n\n-- migrate:down\nDROP TABLE a;\n";
        assert_eq!(detect(&files, |_| Some(text.to_string())), Layout::Dbmate);
        let up = applied_text(Layout::Dbmate, text.to_string());
        assert_eq!(up, "-- migrate:up\nCREATE TABLE a (id int);\n\n\n\n");
    }

    #[test]
    fn names_parse() {
        assert_eq!(
            "golang-migrate".parse::<Layout>(),
            Ok(Layout::GolangMigrate)
        );
        assert!("liquibase"
            .parse::<Layout>()
            .unwrap_err()
            .contains("flyway"));
    }
}
