//! A `DO` block that only guards DDL (`IF NOT EXISTS (…) THEN … END IF`, or `EXCEPTION WHEN duplicate_object THEN null`) is unwrapped: its statements are converted and the guard is dropped.
//!
//! ## What it does
//! Migrations written to be re-runnable wrap DDL in a DO block:
//! ```sql
//! DO $$ BEGIN
//!     CREATE TYPE auth.factor_type AS ENUM ('totp', 'webauthn');
//! EXCEPTION WHEN duplicate_object THEN null;
//! END $$;
//! ```
//! When the body is only DDL (CREATE TYPE/TABLE/INDEX/SEQUENCE, ALTER
//! TABLE/TYPE, COMMENT ON), optionally behind `IF NOT EXISTS (…) THEN` and/or
//! an exception handler for `duplicate_*` errors, the statements inside are
//! converted as if written at top level, at their own line and column, and
//! the block is reported once. Any other DO block is an error
//! (`unsupported-statement`).
//!
//! ## What is lost
//! The guard: in a history converted in order the guarded object does not
//! exist yet, so the statements run, as they did on PostgreSQL the first
//! time. Re-running the TiDB migration is not idempotent.
use crate::model::Loc;
use crate::rules::{Cx, Rule, RuleMeta};

crate::declare_rule!(DoBlock, "do-block", Warning, DO_BLOCK);

impl Rule for DoBlock {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn pre_parse(&self, text: &str, at: Loc) -> Option<crate::rules::Unwrapped> {
        extract(text, at)
    }

    fn unwrapped(&self, cx: &mut Cx, n: usize) {
        cx.report_here(&META, format!("DO block unwrapped: {n} statement(s) inside are converted; its guard (IF NOT EXISTS / EXCEPTION WHEN duplicate_…) is dropped"));
    }
}

/// Find `word` (case-insensitive, whole word) at nesting depth 0, outside quotes.
fn find_word(s: &str, word: &str, from: usize) -> Option<usize> {
    let b = s.as_bytes();
    let w = word.as_bytes();
    let (mut depth, mut i, mut quote) = (0i32, from, false);
    while i < b.len() {
        let c = b[i];
        if quote {
            if c == b'\'' {
                quote = false;
            }
        } else if c == b'\'' {
            quote = true;
        } else if c == b'(' {
            depth += 1;
        } else if c == b')' {
            depth -= 1;
        } else if depth == 0
            && b.len() - i >= w.len()
            && b[i..i + w.len()].eq_ignore_ascii_case(w)
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
            && b.get(i + w.len())
                .is_none_or(|n| !(n.is_ascii_alphanumeric() || *n == b'_'))
        {
            return Some(i);
        }
        i += 1;
    }
    None
}

fn strip_word<'a>(s: &'a str, word: &str) -> Option<&'a str> {
    let t = s.trim_start();
    // `get`: the text may have a multi-byte character where the word would end.
    (t.get(..word.len())
        .is_some_and(|w| w.eq_ignore_ascii_case(word))
        && t[word.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric() && c != '_'))
    .then(|| &t[word.len()..])
}

fn loc_at(text: &str, start: Loc, offset: usize) -> Loc {
    let before = &text[..offset];
    match before.rfind('\n') {
        None => Loc {
            line: start.line,
            col: start.col + before.chars().count() as u32,
        },
        Some(nl) => Loc {
            line: start.line + before.matches('\n').count() as u32,
            col: before[nl + 1..].chars().count() as u32 + 1,
        },
    }
}

/// The DDL statements inside a guarding DO block, with their positions, or
/// `None` when the block is anything else.
fn extract(text: &str, start: Loc) -> Option<Vec<(String, Loc)>> {
    let rest = strip_word(text, "DO")?;
    let open = rest.find('$')?;
    let tag_end = rest[open + 1..].find('$')? + open + 2;
    let tag = &rest[open..tag_end];
    let body_start = text.len() - rest.len() + tag_end;
    let body_len = text[body_start..].find(tag)?;
    let body = &text[body_start..body_start + body_len];
    // BEGIN … END
    let inner = strip_word(body, "BEGIN")?;
    let mut inner_off = body_start + (body.len() - inner.len());
    let trimmed = inner.trim_end().trim_end_matches(';').trim_end();
    let end = trimmed.len().checked_sub(3)?;
    if !trimmed[end..].eq_ignore_ascii_case("END") {
        return None;
    }
    let mut inner = &trimmed[..end];
    // EXCEPTION WHEN duplicate_… THEN null;
    if let Some(ex) = find_word(inner, "EXCEPTION", 0) {
        let handler: String = inner[ex + 9..]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_lowercase();
        let handler = handler.trim_end_matches(';').trim();
        let conds = handler.strip_prefix("when ")?.strip_suffix(" then null")?;
        if !conds
            .split(" or ")
            .all(|c| c.trim().starts_with("duplicate_"))
        {
            return None;
        }
        inner = &inner[..ex];
    }
    // IF NOT EXISTS (…) THEN … END IF;
    let t = inner.trim_start();
    if let Some(after_if) = strip_word(t, "IF") {
        strip_word(after_if, "NOT").and_then(|x| strip_word(x, "EXISTS"))?;
        let then = find_word(inner, "THEN", inner.len() - t.len())?;
        let tail = inner.trim_end().trim_end_matches(';').trim_end();
        let endif = find_word(tail, "END", then)?;
        if !tail[endif..]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .eq_ignore_ascii_case("END IF")
            || find_word(tail, "ELSE", then).is_some()
            || find_word(tail, "ELSIF", then).is_some()
        {
            return None;
        }
        inner_off += then + 4;
        inner = &tail[then + 4..endif];
    }
    let base = loc_at(text, start, inner_off);
    let parts = crate::split::split(inner);
    if parts.chunks.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    for c in &parts.chunks {
        if c.kind != crate::split::ChunkKind::Sql || c.unterminated.is_some() {
            return None;
        }
        let words: Vec<String> = c
            .text
            .split_whitespace()
            .take(3)
            .map(|w| w.to_ascii_uppercase())
            .collect();
        let w: Vec<&str> = words.iter().map(String::as_str).collect();
        let ddl = matches!(
            w.as_slice(),
            [
                "CREATE",
                "TYPE" | "TABLE" | "INDEX" | "UNIQUE" | "SEQUENCE",
                ..
            ] | ["ALTER", "TABLE" | "TYPE", ..]
                | ["COMMENT", "ON", ..]
        );
        if !ddl {
            return None;
        }
        let loc = if c.line == 1 {
            Loc {
                line: base.line,
                col: base.col + c.col - 1,
            }
        } else {
            Loc {
                line: base.line + c.line - 1,
                col: c.col,
            }
        };
        out.push((c.text.to_string(), loc));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> Loc {
        Loc { line: 10, col: 1 }
    }

    #[test]
    fn exception_guard() {
        let sql = "DO $$ BEGIN\n    CREATE TYPE auth.factor_type AS ENUM('totp', 'webauthn');\nEXCEPTION\n    WHEN duplicate_object THEN null;\nEND $$";
        let v = extract(sql, at()).unwrap();
        assert_eq!(v.len(), 1);
        assert!(v[0].0.starts_with("CREATE TYPE auth.factor_type"));
        assert_eq!(v[0].1, Loc { line: 11, col: 5 });
    }

    #[test]
    fn if_not_exists_guard() {
        let sql = "DO $$\nBEGIN\n  IF NOT EXISTS(SELECT * FROM information_schema.columns WHERE column_name='x')\n  THEN\n      ALTER TABLE \"auth\".\"users\" RENAME COLUMN \"a\" TO \"x\";\n  END IF;\nEND $$";
        let v = extract(sql, at()).unwrap();
        assert_eq!(v.len(), 1);
        assert!(v[0].0.starts_with("ALTER TABLE \"auth\""));
        assert_eq!(v[0].1, Loc { line: 14, col: 7 });
    }

    #[test]
    fn anything_else_is_not_unwrapped() {
        for sql in [
            "DO $$ BEGIN RAISE NOTICE 'x'; END $$",
            "DO $$ BEGIN IF EXISTS (SELECT 1) THEN DROP TABLE t; END IF; END $$",
            "DO $$ BEGIN CREATE TYPE t AS ENUM ('a'); EXCEPTION WHEN others THEN null; END $$",
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1) THEN CREATE TABLE t (id int); ELSE CREATE TABLE u (id int); END IF; END $$",
            "DO $$ BEGIN UPDATE t SET a = 1; END $$",
        ] {
            assert!(extract(sql, at()).is_none(), "{sql}");
        }
    }
}
