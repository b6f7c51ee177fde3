//! One statement chunk → one sqlparser `Statement`, with file-absolute spans.
//!
//! Each chunk from the splitter is tokenized on its own with a mapper that
//! shifts every location by the chunk's start, so AST spans and parser errors
//! point into the original file. A few statements sqlparser 0.64 cannot read
//! but that matter (pg_dump's identity columns, `CREATE INDEX … ON ONLY`,
//! `CREATE DOMAIN … NOT NULL`) are repaired at the token level and parsed
//! again; the rest are returned with their leading words so rules can
//! classify them.

use crate::model::Loc;
use sqlparser::ast::Statement;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Location, Token, TokenWithSpan, Tokenizer};

/// Statements larger than this are refused (an error at their location).
pub const MAX_STATEMENT_BYTES: usize = 8 * 1024 * 1024;
/// Operator chains longer than this are refused: sqlparser builds them as
/// deep trees that other code walks recursively.
pub const MAX_OPERATORS: usize = 20_000;
/// sqlparser's recursion limit for nested expressions.
pub const RECURSION_LIMIT: usize = 64;

/// A token-level repair that was needed to parse the statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repair {
    None,
    /// `CREATE DOMAIN … NOT NULL`: the NOT NULL was removed to parse it.
    DomainNotNull,
}

#[derive(Debug)]
pub enum Parsed {
    Ok(Box<Statement>, Repair),
    /// sqlparser could not read it. `words` are the leading upper-case keywords.
    Failed {
        message: String,
        loc: Loc,
        words: Vec<String>,
    },
}

/// Parse one statement's text, which starts at `start` in its file.
pub fn parse(text: &str, start: Loc) -> Parsed {
    if text.len() > MAX_STATEMENT_BYTES {
        return Parsed::Failed {
            message: format!(
                "statement is {} bytes, over the {} byte limit",
                text.len(),
                MAX_STATEMENT_BYTES
            ),
            loc: start,
            words: vec![],
        };
    }
    if let Some(off) = text.find('\0') {
        let before = &text[..off];
        let loc = match before.rfind('\n') {
            Some(nl) => Loc {
                line: start.line + before.matches('\n').count() as u32,
                col: before[nl + 1..].chars().count() as u32 + 1,
            },
            None => Loc {
                line: start.line,
                col: start.col + before.chars().count() as u32,
            },
        };
        return Parsed::Failed {
            message: "NUL byte (U+0000) in the SQL text: PostgreSQL does not accept one; is this a binary file?".into(),
            loc,
            words: vec![],
        };
    }
    let tokens = match tokenize(text, start) {
        Ok(t) => t,
        Err(failed) => return failed,
    };
    let operators = tokens.iter().filter(|t| is_operator(&t.token)).count();
    if operators > MAX_OPERATORS {
        return Parsed::Failed {
            message: format!("statement has {operators} operators, over the {MAX_OPERATORS} limit"),
            loc: start,
            words: leading_words(&tokens),
        };
    }
    // The tokens go to the parser (no copy kept: most statements parse); a
    // statement that fails is tokenized again for its words and repairs.
    let err = match parse_tokens(tokens) {
        Ok(s) => return Parsed::Ok(Box::new(s), Repair::None),
        Err(err) => err,
    };
    let tokens = match tokenize(text, start) {
        Ok(t) => t,
        Err(failed) => return failed,
    };
    let words = leading_words(&tokens);
    if let Some((fixed, repair)) = repair(&tokens, &words) {
        if let Ok(s) = parse_tokens(fixed) {
            return Parsed::Ok(Box::new(s), repair);
        }
    }
    let (message, loc) = error_location(&err, start);
    Parsed::Failed {
        message,
        loc,
        words,
    }
}

/// Tokens with file-absolute locations, or the tokenizer's error as a failed parse.
fn tokenize(text: &str, start: Loc) -> Result<Vec<TokenWithSpan>, Parsed> {
    let dialect = PostgreSqlDialect {};
    let mut tokens = Vec::new();
    let shift = |mut t: TokenWithSpan| {
        t.span.start = shift_loc(t.span.start, start);
        t.span.end = shift_loc(t.span.end, start);
        t
    };
    match Tokenizer::new(&dialect, text)
        .tokenize_with_location_into_buf_with_mapper(&mut tokens, shift)
    {
        Ok(()) => Ok(tokens),
        Err(e) => {
            let loc = shift_loc(e.location, start);
            Err(Parsed::Failed {
                message: e.message,
                loc: Loc {
                    line: loc.line as u32,
                    col: loc.column as u32,
                },
                words: vec![],
            })
        }
    }
}

fn parse_tokens(tokens: Vec<TokenWithSpan>) -> Result<Statement, ParserError> {
    let mut stmts = Parser::new(&PostgreSqlDialect {})
        .with_recursion_limit(RECURSION_LIMIT)
        .with_tokens_with_locations(tokens)
        .parse_statements()?;
    match stmts.len() {
        1 => Ok(stmts.remove(0)),
        n => Err(ParserError::ParserError(format!(
            "expected one statement, found {n}"
        ))),
    }
}

fn shift_loc(l: Location, start: Loc) -> Location {
    if l.line == 0 {
        return l;
    }
    let column = if l.line == 1 {
        l.column + start.col as u64 - 1
    } else {
        l.column
    };
    Location {
        line: l.line + start.line as u64 - 1,
        column,
    }
}

fn is_operator(t: &Token) -> bool {
    matches!(
        t,
        Token::Plus
            | Token::Minus
            | Token::Mul
            | Token::Div
            | Token::Eq
            | Token::Neq
            | Token::Lt
            | Token::Gt
            | Token::LtEq
            | Token::GtEq
            | Token::StringConcat
    ) || matches!(t, Token::Word(w) if w.keyword == Keyword::AND || w.keyword == Keyword::OR)
}

fn significant(t: &Token) -> bool {
    !matches!(t, Token::Whitespace(_))
}

/// The first few words of the statement, upper case (for classification).
pub fn leading_words(tokens: &[TokenWithSpan]) -> Vec<String> {
    tokens
        .iter()
        .filter(|t| significant(&t.token))
        .take(8)
        .map(|t| match &t.token {
            Token::Word(w) => w.value.to_ascii_uppercase(),
            other => other.to_string(),
        })
        .collect()
}

fn word_is(t: &Token, kw: &str) -> bool {
    matches!(t, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(kw))
}

/// Token-level repairs for statements sqlparser 0.64 rejects (sqlparser-probe §1b, §7).
fn repair(tokens: &[TokenWithSpan], words: &[String]) -> Option<(Vec<TokenWithSpan>, Repair)> {
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    let sig: Vec<usize> = (0..tokens.len())
        .filter(|&i| significant(&tokens[i].token))
        .collect();
    let drop = |remove: &[usize]| -> Vec<TokenWithSpan> {
        tokens
            .iter()
            .enumerate()
            .filter(|(i, _)| !remove.contains(i))
            .map(|(_, t)| t.clone())
            .collect()
    };
    match w.as_slice() {
        // CREATE [UNIQUE] INDEX … ON ONLY parent …
        ["CREATE", "INDEX", ..] | ["CREATE", "UNIQUE", "INDEX", ..] => {
            let pos = sig.windows(2).find(|p| {
                word_is(&tokens[p[0]].token, "ON") && word_is(&tokens[p[1]].token, "ONLY")
            })?;
            Some((drop(&[pos[1]]), Repair::None))
        }
        // ALTER TABLE … ADD GENERATED … AS IDENTITY (SEQUENCE NAME s …)
        ["ALTER", "TABLE", ..] => {
            let at = sig.windows(2).position(|p| {
                word_is(&tokens[p[0]].token, "SEQUENCE") && word_is(&tokens[p[1]].token, "NAME")
            })?;
            // Remove SEQUENCE NAME and the (possibly qualified) name after it.
            let mut remove = vec![sig[at], sig[at + 1]];
            let mut k = at + 2;
            while k < sig.len() {
                remove.push(sig[k]);
                if sig
                    .get(k + 1)
                    .is_some_and(|&n| tokens[n].token == Token::Period)
                {
                    remove.push(sig[k + 1]);
                    k += 2;
                } else {
                    break;
                }
            }
            Some((drop(&remove), Repair::None))
        }
        ["CREATE", "DOMAIN", ..] => {
            let pos = sig.windows(2).find(|p| {
                word_is(&tokens[p[0]].token, "NOT") && word_is(&tokens[p[1]].token, "NULL")
            })?;
            Some((drop(&[pos[0], pos[1]]), Repair::DomainNotNull))
        }
        _ => None,
    }
}

/// sqlparser's errors are strings ending in `at Line: L, Column: C`.
fn error_location(err: &ParserError, start: Loc) -> (String, Loc) {
    let msg = match err {
        ParserError::ParserError(s) | ParserError::TokenizerError(s) => s.clone(),
        ParserError::RecursionLimitExceeded => {
            return (
                format!("expression nests deeper than {RECURSION_LIMIT} levels"),
                start,
            )
        }
    };
    if let Some(at) = msg.rfind(" at Line: ") {
        let tail = &msg[at + 10..];
        let mut parts = tail.split(", Column: ");
        let line = parts.next().and_then(|l| l.trim().parse().ok());
        let col = parts.next().and_then(|c| c.trim().parse().ok());
        if let (Some(line), Some(col)) = (line, col) {
            return (msg[..at].to_string(), Loc { line, col });
        }
    }
    (msg, start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32, col: u32) -> Loc {
        Loc { line, col }
    }

    #[test]
    fn errors_point_into_the_file() {
        match parse(
            "CREATE TABLE t (\n  a int,\n  b int NOT NUL,\n  c int)",
            at(10, 5),
        ) {
            Parsed::Failed { loc, message, .. } => {
                assert_eq!((loc.line, loc.col), (12, 9), "{message}");
                assert!(!message.contains("Line:"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn spans_are_file_absolute() {
        let Parsed::Ok(s, _) = parse("CREATE TABLE t (a int)", at(7, 3)) else {
            panic!()
        };
        let Statement::CreateTable(ct) = *s else {
            panic!()
        };
        let span = ct.columns[0].name.span.start;
        assert_eq!((span.line, span.column), (7, 3 + 16));
    }

    #[test]
    fn pg_dump_identity_and_only_are_repaired() {
        for sql in [
            "ALTER TABLE public.t ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (SEQUENCE NAME public.t_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1)",
            "CREATE INDEX i ON ONLY public.events USING btree (occurred_at)",
        ] {
            assert!(matches!(parse(sql, at(1, 1)), Parsed::Ok(..)), "{sql}");
        }
        assert!(matches!(
            parse(
                "CREATE DOMAIN d AS integer NOT NULL DEFAULT 1 CHECK (VALUE > 0)",
                at(1, 1)
            ),
            Parsed::Ok(_, Repair::DomainNotNull)
        ));
    }

    #[test]
    fn unparsable_statements_keep_their_words() {
        match parse("DO $$ BEGIN END $$", at(1, 1)) {
            Parsed::Failed { words, .. } => assert_eq!(words[0], "DO"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let sql = format!("SELECT {}1{}", "(".repeat(500), ")".repeat(500));
        assert!(matches!(parse(&sql, at(1, 1)), Parsed::Failed { .. }));
    }
}
