//! Alembic revisions from `alembic upgrade --sql` output (`--emit alembic`).
//!
//! Each `-- Running upgrade A -> B` section becomes revision `B` with
//! `down_revision = A`, so a database's `alembic_version` row stays valid
//! after the move. `upgrade()` runs the converted TiDB statements, one
//! `op.execute` per statement (TiDB commits each DDL statement on its own);
//! statements that were not carried over appear as comments with their
//! findings. Alembic's own bookkeeping (`alembic_version`, BEGIN/COMMIT) is
//! left to Alembic. `downgrade()` runs the converted `-- Running downgrade
//! B -> A` section when `alembic downgrade --sql` output is given, and
//! otherwise raises.

use crate::result::{StatementResult, Status};
use crate::FileResult;
use std::fmt::Write as _;

/// One upgrade (or downgrade) section of an offline Alembic script.
#[derive(Debug, Clone)]
pub struct Section {
    pub from: Option<String>,
    pub to: String,
    pub statements: Vec<StatementResult>,
}

/// `-- Running upgrade a -> b` (or downgrade) in a statement's comments.
fn marker(comments: &[String], verb: &str) -> Option<(Option<String>, String)> {
    comments.iter().rev().find_map(|c| {
        let rest = c
            .trim_start_matches('-')
            .trim()
            .strip_prefix(&format!("Running {verb}"))?;
        let (a, b) = rest.split_once("->")?;
        let a = a.trim();
        let b = b.trim().trim_end_matches(',').to_string();
        Some(((!a.is_empty()).then(|| a.to_string()), b))
    })
}

/// Alembic's own bookkeeping, which it does itself.
pub fn is_bookkeeping(s: &StatementResult) -> bool {
    let src = s.source.to_ascii_lowercase();
    let words: Vec<&str> = src.split_whitespace().take(3).collect();
    matches!(
        words.as_slice(),
        ["begin", ..] | ["commit", ..] | ["start", "transaction", ..]
    ) || src.contains("alembic_version")
}

/// Split a converted offline script into its sections.
pub fn sections(file: &FileResult, verb: &str) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    for s in &file.statements {
        if let Some((from, to)) = marker(&s.comments, verb) {
            out.push(Section {
                from,
                to,
                statements: vec![],
            });
        }
        if is_bookkeeping(s) {
            continue;
        }
        if let Some(cur) = out.last_mut() {
            cur.statements.push(s.clone());
        }
    }
    out
}

/// A Python string literal for `s` (JSON string syntax is valid Python), with
/// SQLAlchemy bind-parameter colons escaped (`:name` → `\:name`) because
/// `op.execute` wraps the text in `text()`.
fn py_str(s: &str) -> String {
    let mut escaped = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1);
        if *c == ':'
            && !prev.is_some_and(|p| p == ':' || p.is_alphanumeric() || p == '_' || p == '\\')
            && next.is_some_and(|n| n.is_alphanumeric() || *n == '_')
        {
            escaped.push('\\');
        }
        escaped.push(*c);
    }
    serde_json::to_string(&escaped).expect("strings serialise")
}

fn body(statements: &[StatementResult], indent: &str) -> String {
    let mut out = String::new();
    for s in statements {
        for f in &s.findings {
            if f.severity >= crate::rules::Severity::Warning || s.status != Status::Converted {
                let _ = writeln!(
                    out,
                    "{indent}# pg2tidb {}[{}] {}:{}: {}",
                    f.severity,
                    f.rule,
                    f.loc.line,
                    f.loc.col,
                    f.message.replace('\n', " ")
                );
            }
        }
        if s.output.is_empty() {
            let what = if s.status == Status::Error {
                "not carried over"
            } else {
                "dropped"
            };
            let _ = writeln!(out, "{indent}# {what}:");
            for line in s.source.lines() {
                let _ = writeln!(out, "{indent}#   {line}");
            }
        }
        for o in &s.output {
            let _ = writeln!(out, "{indent}op.execute({})", py_str(o));
        }
    }
    if out.trim().is_empty() {
        let _ = writeln!(out, "{indent}pass");
    }
    out
}

/// Alembic revision files `(file name, Python source)` for the upgrade
/// sections of `upgrade`, with `downgrade` sections (if given) as their
/// `downgrade()`.
pub fn revisions(
    upgrade: &FileResult,
    downgrade: Option<&FileResult>,
) -> Result<Vec<(String, String)>, String> {
    let ups = sections(upgrade, "upgrade");
    if ups.is_empty() {
        return Err(format!(
            "{}: no `-- Running upgrade a -> b` sections (is this `alembic upgrade --sql` output?)",
            upgrade.path
        ));
    }
    let downs = downgrade
        .map(|d| sections(d, "downgrade"))
        .unwrap_or_default();
    let mut files = Vec::new();
    for sec in &ups {
        let rev = &sec.to;
        if !rev.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("revision id '{rev}' is not a plain identifier"));
        }
        // A merge revision revises several: `-- Running upgrade a, b -> c`.
        let down = match &sec.from {
            Some(f) if f.contains(',') => {
                let parents: Vec<String> = f.split(',').map(|p| py_str(p.trim())).collect();
                format!("({})", parents.join(", "))
            }
            Some(f) => py_str(f),
            None => "None".into(),
        };
        let downgrade_body = match downs
            .iter()
            .find(|d| d.from.as_deref().is_some_and(|f| f.split(',').any(|f| f.trim() == rev)))
        {
            Some(d) => body(&d.statements, "    "),
            None => "    raise NotImplementedError(\"pg2tidb: no downgrade SQL was given for this revision (convert `alembic downgrade --sql` output with --downgrade-sql)\")\n".into(),
        };
        let mut src = String::new();
        let _ = writeln!(src, "\"\"\"Revision {rev}, converted for TiDB by pg2tidb from the PostgreSQL offline SQL.\n\nRevision ID: {rev}\nRevises: {}\n\"\"\"", sec.from.clone().unwrap_or_default());
        src.push_str("from alembic import op\n\n# revision identifiers, used by Alembic.\n");
        let _ = writeln!(
            src,
            "revision = {}\ndown_revision = {down}\nbranch_labels = None\ndepends_on = None\n\n",
            py_str(rev)
        );
        src.push_str("def upgrade():\n");
        src.push_str(&body(&sec.statements, "    "));
        src.push_str("\n\ndef downgrade():\n");
        src.push_str(&downgrade_body);
        files.push((format!("{rev}.py"), src));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::{py_str, revisions};
    use crate::{Converter, FileResult, Options};

    #[test]
    fn merge_revisions_revise_a_tuple() {
        let sql = "-- Running upgrade  -> a1\n\nCREATE TABLE t (id int);\n\n-- Running upgrade a1 -> b1\n\nCREATE TABLE u (id int);\n\n-- Running upgrade a1 -> b2\n\nCREATE TABLE v (id int);\n\n-- Running upgrade b1, b2 -> c1\n\nCREATE TABLE w (id int);\n";
        let file = FileResult {
            path: "up.sql".into(),
            statements: Converter::new(Options::default()).convert_text(sql),
        };
        let files = revisions(&file, None).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(names, ["a1.py", "b1.py", "b2.py", "c1.py"]);
        assert!(
            files[3].1.contains("down_revision = (\"b1\", \"b2\")"),
            "{}",
            files[3].1
        );
        assert!(files[1].1.contains("down_revision = \"a1\""));
        assert!(files[3].1.contains("CREATE TABLE `w`"));
    }

    #[test]
    fn python_literals_escape_quotes_and_bind_colons() {
        assert_eq!(py_str("a \"b\" 'c'"), "\"a \\\"b\\\" 'c'\"");
        assert_eq!(
            py_str("DEFAULT ':x' AND '12:30'"),
            "\"DEFAULT '\\\\:x' AND '12:30'\""
        );
        assert_eq!(py_str("a::b"), "\"a::b\"");
    }
}
