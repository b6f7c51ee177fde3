//! Suppression comments: `-- pg2tidb: ignore[rule, …]` before a statement,
//! `-- pg2tidb: ignore-file[rule, …]` anywhere in a file.

use crate::convert::StatementResult;
use crate::model::Loc;
use crate::rules::{unused_suppression, Finding};

/// One suppression comment.
#[derive(Debug, Clone)]
struct Suppression {
    loc: Loc,
    rules: Vec<String>,
    used: Vec<bool>,
}

/// Parse `-- pg2tidb: KIND[a, b]` from a comment line.
fn parse(line: &str, kind: &str) -> Option<Vec<String>> {
    // A BOM starts the first line of some files.
    let body = line
        .trim_start_matches('\u{feff}')
        .trim()
        .strip_prefix("--")?
        .trim();
    let rest = body.strip_prefix("pg2tidb:")?.trim();
    let list = rest.strip_prefix(kind)?.trim().strip_prefix('[')?;
    let list = list.split(']').next()?;
    Some(
        list.split(',')
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .collect(),
    )
}

fn comment_col(l: &str) -> u32 {
    let l = l.trim_start_matches('\u{feff}');
    l.find("--")
        .map_or(1, |c| l[..c].chars().count() as u32 + 1)
}

/// An `ignore-file[…]` comment on line `i` (0-based).
fn file_level_at(i: usize, l: &str) -> Option<Suppression> {
    if !l.contains("ignore-file") {
        return None;
    }
    let rules = parse(l, "ignore-file")?;
    Some(Suppression {
        loc: Loc {
            line: i as u32 + 1,
            col: comment_col(l),
        },
        used: vec![false; rules.len()],
        rules,
    })
}

/// The suppressions of one file, applied statement by statement (so results
/// can be streamed): [`Suppressor::apply`] per statement, then
/// [`Suppressor::finish`] for the file-level ones nothing used.
pub struct Suppressor {
    file_level: Vec<Suppression>,
}

impl Suppressor {
    /// Read the file-level suppressions (`ignore-file[…]`, anywhere in `text`).
    pub fn new(text: &str) -> Suppressor {
        let file_level = text
            .lines()
            .enumerate()
            .filter_map(|(i, l)| file_level_at(i, l))
            .collect();
        Suppressor { file_level }
    }

    /// [`Suppressor::new`] for a file read line by line instead of held.
    pub fn read(mut r: impl std::io::BufRead) -> std::io::Result<Suppressor> {
        let (mut line, mut i, mut file_level) = (Vec::new(), 0, Vec::new());
        while r.read_until(b'\n', &mut line)? > 0 {
            let l = String::from_utf8_lossy(&line);
            let l = l.strip_suffix('\n').unwrap_or(&l);
            let l = l.strip_suffix('\r').unwrap_or(l);
            file_level.extend(file_level_at(i, l));
            line.clear();
            i += 1;
        }
        Ok(Suppressor { file_level })
    }

    /// True when the file has `ignore-file[…]` suppressions (so
    /// [`Suppressor::finish`] may report unused ones).
    pub fn has_file_level(&self) -> bool {
        !self.file_level.is_empty()
    }

    /// Apply to one statement result; `prefix` is the comment/whitespace text
    /// before it, ending at `start`. Its unused `ignore[…]` rules are reported
    /// on the statement itself (the one that follows them).
    pub fn apply(&mut self, r: &mut StatementResult, prefix: &str, start: Loc) {
        // Statement-level: the comment lines of the prefix (the last block before the statement).
        let lines: Vec<&str> = prefix.lines().collect();
        let mut local: Vec<Suppression> = Vec::new();
        for (k, l) in lines.iter().enumerate() {
            if let Some(rules) = parse(l, "ignore") {
                let back = (lines.len() - 1 - k) as u32;
                let line = start
                    .line
                    .saturating_sub(back + u32::from(prefix.ends_with('\n')));
                local.push(Suppression {
                    loc: Loc {
                        line: line.max(1),
                        col: comment_col(l),
                    },
                    used: vec![false; rules.len()],
                    rules,
                });
            }
        }
        let before = r.findings.len();
        r.findings.retain(|f| {
            for s in local.iter_mut().chain(self.file_level.iter_mut()) {
                if let Some(i) = s.rules.iter().position(|x| x == f.rule) {
                    s.used[i] = true;
                    return false;
                }
            }
            true
        });
        r.suppressed += before - r.findings.len();
        let mut added = false;
        for s in local {
            for (rule, used) in s.rules.iter().zip(&s.used) {
                if !used {
                    r.findings
                        .push(unused_suppression::finding(s.loc, rule, false));
                    added = true;
                }
            }
        }
        if added {
            r.findings.sort_by_key(|f| f.loc);
        }
        // The status stays: a suppression changes what is reported, not
        // what happened to the statement.
    }

    /// Findings for the file-level suppressions that suppressed nothing; place
    /// them with [`attach`].
    pub fn finish(self) -> Vec<Finding> {
        let mut out = Vec::new();
        for s in &self.file_level {
            for (rule, used) in s.rules.iter().zip(&s.used) {
                if !used {
                    out.push(unused_suppression::finding(s.loc, rule, true));
                }
            }
        }
        out
    }
}

/// Report each finding on the statement that follows its position (or the last one).
pub fn attach(results: &mut [StatementResult], findings: Vec<Finding>) {
    for f in findings {
        let target = results
            .iter()
            .position(|r| r.loc >= f.loc)
            .or(results.len().checked_sub(1));
        if let Some(i) = target {
            // A finding about a suppression does not change what happened
            // to the statement it is placed on.
            results[i].findings.push(f);
            results[i].findings.sort_by_key(|f| f.loc);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn a_file_level_suppression_after_a_bom_counts() {
        let text = "\u{feff}-- pg2tidb: ignore-file[serial]\nCREATE TABLE a (id int);";
        let s = super::Suppressor::new(text);
        assert!(s.has_file_level());
        let tail = s.finish();
        assert_eq!((tail[0].loc.line, tail[0].loc.col), (1, 1), "{tail:?}");
    }

    #[test]
    fn parses_rule_lists() {
        assert_eq!(
            parse("-- pg2tidb: ignore[a, b-c]", "ignore"),
            Some(vec!["a".into(), "b-c".into()])
        );
        assert_eq!(
            parse("  --pg2tidb:ignore-file[x]", "ignore-file"),
            Some(vec!["x".into()])
        );
        assert_eq!(parse("-- pg2tidb: ignore-file[x]", "ignore"), None);
        assert_eq!(parse("-- something else", "ignore"), None);
    }
}
