//! Suppression comments: `-- pg2tidb: ignore[rule, …]` before a statement,
//! `-- pg2tidb: ignore-file[rule, …]` anywhere in a file.

use crate::convert::{status_of, StatementResult};
use crate::model::Loc;
use crate::rules::unused_suppression;

/// One suppression comment.
#[derive(Debug, Clone)]
struct Suppression {
    loc: Loc,
    rules: Vec<String>,
    used: Vec<bool>,
}

/// Parse `-- pg2tidb: KIND[a, b]` from a comment line.
fn parse(line: &str, kind: &str) -> Option<Vec<String>> {
    let body = line.trim().strip_prefix("--")?.trim();
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

/// Apply the suppressions of one file's `text` to its statement results.
/// `prefixes[i]` is the comment/whitespace text before statement `i`,
/// ending at `starts[i]`.
pub fn apply(text: &str, results: &mut [StatementResult], prefixes: &[(String, Loc)]) -> usize {
    // File-level suppressions, anywhere.
    let mut file_level: Vec<Suppression> = text
        .lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let rules = parse(l, "ignore-file")?;
            let col = l
                .find("--")
                .map_or(1, |c| l[..c].chars().count() as u32 + 1);
            Some(Suppression {
                loc: Loc {
                    line: i as u32 + 1,
                    col,
                },
                used: vec![false; rules.len()],
                rules,
            })
        })
        .collect();
    let mut suppressed = 0;
    let mut unused = Vec::new();
    for (r, (prefix, start)) in results.iter_mut().zip(prefixes) {
        // Statement-level: the comment lines of the prefix (the last block before the statement).
        let lines: Vec<&str> = prefix.lines().collect();
        let mut local: Vec<Suppression> = Vec::new();
        for (k, l) in lines.iter().enumerate() {
            if let Some(rules) = parse(l, "ignore") {
                let back = (lines.len() - 1 - k) as u32;
                let line = start
                    .line
                    .saturating_sub(back + u32::from(prefix.ends_with('\n')));
                let col = l
                    .find("--")
                    .map_or(1, |c| l[..c].chars().count() as u32 + 1);
                local.push(Suppression {
                    loc: Loc {
                        line: line.max(1),
                        col,
                    },
                    used: vec![false; rules.len()],
                    rules,
                });
            }
        }
        let before = r.findings.len();
        r.findings.retain(|f| {
            for s in local.iter_mut().chain(file_level.iter_mut()) {
                if let Some(i) = s.rules.iter().position(|x| x == f.rule) {
                    s.used[i] = true;
                    return false;
                }
            }
            true
        });
        r.suppressed += before - r.findings.len();
        suppressed += before - r.findings.len();
        for s in local {
            for (rule, used) in s.rules.iter().zip(&s.used) {
                if !used {
                    unused.push((s.loc, rule.clone(), false));
                }
            }
        }
        r.status = status_of(r);
    }
    for s in &file_level {
        for (rule, used) in s.rules.iter().zip(&s.used) {
            if !used {
                unused.push((s.loc, rule.clone(), true));
            }
        }
    }
    // Unused suppressions are reported on the statement that follows them (or the last one).
    for (loc, rule, file) in unused {
        let target = results
            .iter()
            .position(|r| r.loc >= loc)
            .or(results.len().checked_sub(1));
        if let Some(i) = target {
            results[i]
                .findings
                .push(unused_suppression::finding(loc, &rule, file));
            results[i].findings.sort_by_key(|f| f.loc);
        }
    }
    suppressed
}

#[cfg(test)]
mod tests {
    use super::parse;

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
