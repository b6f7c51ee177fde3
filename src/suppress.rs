//! Suppression comments: `-- pg2tidb: ignore[rule, …]` before a statement,
//! `-- pg2tidb: ignore-file[rule, …]` anywhere in a file.

use crate::model::Loc;
use crate::result::StatementResult;
use crate::rules::{self, Finding};

/// One suppression comment.
#[derive(Debug, Clone)]
struct Suppression {
    loc: Loc,
    rules: Vec<String>,
    used: Vec<bool>,
}

/// A rule id of a suppression that suppressed nothing (or names no rule).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unused {
    /// The comment.
    pub at: Loc,
    pub rule: String,
    /// `ignore-file[…]` (else `ignore[…]`).
    pub file_level: bool,
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

/// How much of the start of each line piece is read for an `ignore-file[…]` comment: a
/// piece longer than this is read no further (the file may be one endless line).
const PIECE_HEAD: usize = 4096;

/// Reads a file's `ignore-file[…]` comments from its bytes, given in any number of
/// blocks, holding at most [`PIECE_HEAD`] bytes. The file is cut into pieces at line
/// ends (`\n`, `\r\n`, or a lone `\r`: PostgreSQL ends a `--` comment at either); lines
/// are counted on `\n` only and columns in characters, like every position pg2tidb
/// reports.
struct FileScan {
    /// 0-based line and 1-based column of the current piece.
    line: usize,
    col: u32,
    /// Characters of the current piece so far.
    chars: u32,
    /// The head of the current piece.
    head: Vec<u8>,
    /// Still at the very start (a BOM is no column).
    first: bool,
    found: Vec<Suppression>,
    /// How much of `\if` ends the bytes seen so far; whether one was seen.
    if_match: usize,
    has_if: bool,
}

impl FileScan {
    fn new() -> Self {
        FileScan {
            line: 0,
            col: 1,
            chars: 0,
            head: Vec::new(),
            first: true,
            found: Vec::new(),
            if_match: 0,
            has_if: false,
        }
    }

    fn feed(&mut self, mut bytes: &[u8]) {
        if self.first && !bytes.is_empty() {
            if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
                bytes = rest;
            }
            self.first = false;
        }
        if !self.has_if {
            for &c in bytes {
                self.if_match = match (self.if_match, c) {
                    (_, b'\\') => 1,
                    (1, b'i') => 2,
                    (2, b'f') => {
                        self.has_if = true;
                        break;
                    }
                    _ => 0,
                };
            }
        }
        while !bytes.is_empty() {
            let stop = bytes.iter().position(|&c| c == b'\n' || c == b'\r');
            let seg = &bytes[..stop.unwrap_or(bytes.len())];
            let room = PIECE_HEAD.saturating_sub(self.head.len());
            self.head.extend_from_slice(&seg[..seg.len().min(room)]);
            let chars = seg.iter().filter(|&&c| c & 0xC0 != 0x80).count();
            self.chars = self.chars.saturating_add(chars as u32);
            let Some(i) = stop else { break };
            self.end_piece();
            if bytes[i] == b'\n' {
                self.line += 1;
                self.col = 1;
            } else {
                self.col = self.col.saturating_add(1);
            }
            bytes = &bytes[i + 1..];
        }
    }

    fn end_piece(&mut self) {
        if self.head.windows(11).any(|w| w == b"ignore-file") {
            let l = String::from_utf8_lossy(&self.head);
            self.found.extend(file_level_at(self.line, self.col, &l));
        }
        self.head.clear();
        self.col = self.col.saturating_add(self.chars);
        self.chars = 0;
    }

    fn finish(mut self) -> Suppressor {
        self.end_piece();
        Suppressor {
            file_level: self.found,
            has_if: self.has_if,
            psql: crate::psql::Conditionals::new(),
        }
    }
}

/// An `ignore-file[…]` comment in `l`, a piece of line `i` (0-based) starting at column `col`.
fn file_level_at(i: usize, col: u32, l: &str) -> Option<Suppression> {
    if !l.contains("ignore-file") {
        return None;
    }
    let rules = parse(l, "ignore-file")?;
    Some(Suppression {
        loc: Loc {
            line: i as u32 + 1,
            col: col + comment_col(l) - 1,
        },
        used: vec![false; rules.len()],
        rules,
    })
}

/// The suppressions of one file, applied statement by statement (so results
/// can be streamed): [`Suppressor::apply`] per statement, then
/// [`Suppressor::finish`] for the file-level ones nothing used. It also
/// carries the file's psql conditionals ([`crate::psql`]), which are per file
/// too and may have something to report at its end (an `\if` never closed).
pub struct Suppressor {
    file_level: Vec<Suppression>,
    /// The file has a `\if` (so its end may bring findings).
    has_if: bool,
    pub psql: crate::psql::Conditionals,
}

impl Suppressor {
    /// Read the file-level suppressions (`ignore-file[…]`, anywhere in `text`).
    pub fn new(text: &str) -> Suppressor {
        let mut scan = FileScan::new();
        scan.feed(text.as_bytes());
        scan.finish()
    }

    /// [`Suppressor::new`] for a file read in blocks instead of held.
    pub fn read(mut r: impl std::io::BufRead) -> std::io::Result<Suppressor> {
        let mut scan = FileScan::new();
        loop {
            let block = r.fill_buf()?;
            if block.is_empty() {
                break;
            }
            let n = block.len();
            scan.feed(block);
            r.consume(n);
        }
        Ok(scan.finish())
    }

    /// True when [`Suppressor::finish`] may have findings: the file has
    /// `ignore-file[…]` suppressions (unused ones are reported at its end) or
    /// a psql `\if` (one never closed is).
    pub fn has_file_level(&self) -> bool {
        !self.file_level.is_empty() || self.has_if
    }

    /// Apply to one statement result; `prefix` is the comment/whitespace text
    /// before it, ending at `start`. Returns its unused `ignore[…]` rules, to
    /// be reported on the statement itself (the one that follows them).
    pub fn apply(&mut self, r: &mut StatementResult, prefix: &str, start: Loc) -> Vec<Unused> {
        // Statement-level: the `--` comments of the prefix (read as PostgreSQL reads
        // them: a comment ends at `\n` or `\r`).
        let mut local: Vec<Suppression> = Vec::new();
        for (off, l) in crate::split::gap_comments(prefix) {
            if let Some(rules) = parse(l, "ignore") {
                local.push(Suppression {
                    loc: comment_loc(prefix, off, start),
                    used: vec![false; rules.len()],
                    rules,
                });
            }
        }
        let before = r.findings.len();
        r.findings.retain(|f| {
            for s in local.iter_mut().chain(self.file_level.iter_mut()) {
                // Its own id first, else the id its rule was split from.
                let own = s.rules.iter().position(|x| x == f.rule);
                let old = || s.rules.iter().position(|x| rules::answers_to(f.rule, x));
                if let Some(i) = own.or_else(old) {
                    s.used[i] = true;
                    return false;
                }
            }
            true
        });
        r.suppressed += before - r.findings.len();
        // The status stays: a suppression changes what is reported, not
        // what happened to the statement.
        unused(&local, false)
    }

    /// At the end of the file: the psql conditionals never closed, and the
    /// file-level suppressions that suppressed nothing (for the rules to
    /// report; place their findings with [`attach`]).
    pub fn finish(self) -> (Vec<crate::psql::Note>, Vec<Unused>) {
        (self.psql.finish(), unused(&self.file_level, true))
    }
}

/// The rule ids of `suppressions` that suppressed nothing.
fn unused(suppressions: &[Suppression], file_level: bool) -> Vec<Unused> {
    let mut out = Vec::new();
    for s in suppressions {
        for (rule, used) in s.rules.iter().zip(&s.used) {
            if !used {
                out.push(Unused {
                    at: s.loc,
                    rule: rule.clone(),
                    file_level,
                });
            }
        }
    }
    out
}

/// Where the comment at byte `off` of `prefix` is, given that `prefix` ends at `start`.
fn comment_loc(prefix: &str, off: usize, start: Loc) -> Loc {
    let (before, after) = prefix.split_at(off);
    let back = after.matches('\n').count() as u32;
    let line = start.line.saturating_sub(back).max(1);
    let col = if back == 0 {
        // On the statement's own line (a comment ended by a lone `\r`).
        start
            .col
            .saturating_sub(after.chars().count() as u32)
            .max(1)
    } else {
        // Counted from the line's start, or from the prefix's start when the prefix
        // begins on the line (after the previous statement) and so does the comment.
        let line_start = before.rfind('\n').map_or(0, |n| n + 1);
        let l = &before[line_start..];
        l.trim_start_matches('\u{feff}').chars().count() as u32 + 1
    };
    Loc { line, col }
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
        let (_, unused) = s.finish();
        assert_eq!((unused[0].at.line, unused[0].at.col), (1, 1), "{unused:?}");
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
