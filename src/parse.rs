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

/// Statements larger than this are refused (an error at their location): the
/// splitter's limit, past which it does not even hold a statement.
pub const MAX_STATEMENT_BYTES: usize = crate::split::MAX_CHUNK_BYTES;
/// Operator chains longer than this are refused: sqlparser builds them as
/// deep trees that other code walks recursively.
pub const MAX_OPERATORS: usize = 20_000;
/// sqlparser's recursion limit for nested expressions.
pub const RECURSION_LIMIT: usize = 64;
/// Nesting of `(`, `[` and `CASE … END` deeper than this is refused before
/// sqlparser sees the statement: each level is at least one level of
/// sqlparser's recursion (only a few levels of a statement, such as a column
/// list, are not), so it would refuse it at [`RECURSION_LIMIT`] anyway, after
/// building the tokens of the whole statement (a megabyte of `(` took 270 MB).
pub const MAX_NESTING: usize = 2 * RECURSION_LIMIT;
/// Statements with more tokens than this (whitespace and comments not
/// counted) are refused before sqlparser sees them. sqlparser's memory grows
/// with the tokens, not the bytes: about 100 bytes per token and up to ~500
/// more for the syntax tree of a dense list (`VALUES (1),(2),…`), so this
/// bounds what parsing one statement can take to about 150 MB. The largest
/// statement of the real-world corpus has 4,434 tokens; a `CHECK (x IN (…))`
/// of 100,000 strings (1 MB) has 200,000.
pub const MAX_TOKENS: usize = 250_000;
/// Statements longer than this are tokenized in pieces of about this size,
/// cut where whitespace starts, so that whitespace tokens (half of most
/// statements' tokens) are never held.
const PIECE_BYTES: usize = 64 * 1024;

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
        let loc = loc_at(text, start, off);
        return Parsed::Failed {
            message: "NUL byte (U+0000) in the SQL text: PostgreSQL does not accept one; is this a binary file?".into(),
            loc,
            words: vec![],
        };
    }
    let shape = Shape::of(text);
    if let Some(at) = shape.too_deep_at {
        return Parsed::Failed {
            message: format!("expression nests deeper than {RECURSION_LIMIT} levels"),
            loc: loc_at(text, start, at),
            words: vec![],
        };
    }
    if shape.significant > MAX_TOKENS {
        return Parsed::Failed {
            message: format!(
                "statement has about {} tokens, over the {MAX_TOKENS} token limit",
                shape.significant
            ),
            loc: start,
            words: vec![],
        };
    }
    let tokens = match tokenize(text, start, &shape) {
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
    let tokens = match tokenize(text, start, &shape) {
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
///
/// A statement longer than [`PIECE_BYTES`] is tokenized piece by piece (cut
/// where [`Shape::of`] found whitespace outside quotes and comments) and
/// each piece's whitespace and comments are dropped: sqlparser's parser skips
/// them anyway (it looks at whitespace only after `:` and `@`, to tell a
/// placeholder `:name`, so whitespace there is kept). Should a piece not
/// tokenize (a quote that sqlparser reads differently), the statement is
/// tokenized whole.
fn tokenize(text: &str, start: Loc, shape: &Shape) -> Result<Vec<TokenWithSpan>, Parsed> {
    if !shape.cuts.is_empty() {
        let mut tokens = Vec::with_capacity(shape.significant + shape.piece_tokens + 1);
        if tokenize_pieces(text, start, &shape.cuts, &mut tokens).is_ok() {
            return Ok(tokens);
        }
    }
    let mut tokens = Vec::with_capacity(shape.tokens + 1);
    tokenize_into(text, start, &mut tokens)?;
    Ok(tokens)
}

fn tokenize_pieces(
    text: &str,
    start: Loc,
    cuts: &[usize],
    tokens: &mut Vec<TokenWithSpan>,
) -> Result<(), Parsed> {
    let mut from = 0;
    let mut at = start;
    for &cut in cuts.iter().chain(std::iter::once(&text.len())) {
        let piece = text.get(from..cut).unwrap_or("");
        let first = tokens.len();
        tokenize_into(piece, at, tokens)?;
        // Drop the piece's whitespace and comments.
        let mut kept = first;
        for i in first..tokens.len() {
            let keep = significant(&tokens[i].token)
                || kept
                    .checked_sub(1)
                    .is_some_and(|p| matches!(tokens[p].token, Token::Colon | Token::AtSign));
            if keep {
                tokens.swap(kept, i);
                kept += 1;
            }
        }
        tokens.truncate(kept);
        at = loc_at(piece, at, piece.len());
        from = cut;
    }
    Ok(())
}

/// Append the tokens of `text` (which starts at `start` in its file) to `tokens`, with
/// file-absolute locations; the tokenizer's error as a failed parse.
fn tokenize_into(text: &str, start: Loc, tokens: &mut Vec<TokenWithSpan>) -> Result<(), Parsed> {
    let dialect = PostgreSqlDialect {};
    let shift = |mut t: TokenWithSpan| {
        t.span.start = shift_loc(t.span.start, start);
        t.span.end = shift_loc(t.span.end, start);
        t
    };
    Tokenizer::new(&dialect, text)
        .tokenize_with_location_into_buf_with_mapper(tokens, shift)
        .map_err(|e| {
            let loc = shift_loc(e.location, start);
            Parsed::Failed {
                message: e.message,
                loc: Loc {
                    line: loc.line as u32,
                    col: loc.column as u32,
                },
                words: vec![],
            }
        })
}

/// Where byte `off` of `text` (which starts at `start`) is: lines counted on `\n`,
/// columns in characters.
fn loc_at(text: &str, start: Loc, off: usize) -> Loc {
    let before = text.get(..off).unwrap_or(text);
    match before.rfind('\n') {
        Some(nl) => Loc {
            line: start.line + before.matches('\n').count() as u32,
            col: before[nl + 1..].chars().count() as u32 + 1,
        },
        None => Loc {
            line: start.line,
            col: start.col + before.chars().count() as u32,
        },
    }
}

/// A statement as a cheap lexical pass sees it before sqlparser does (quotes,
/// `E'…'` escapes, `$tag$` bodies, nested comments and `--` comments as
/// PostgreSQL reads them).
#[derive(Debug, Default)]
struct Shape {
    /// At least as many tokens as sqlparser's tokenizer makes (each
    /// whitespace character is one; an operator character is one, where
    /// sqlparser may join two; a non-ASCII character is one).
    tokens: usize,
    /// The same without whitespace and comments.
    significant: usize,
    /// Where nesting first went deeper than [`MAX_NESTING`].
    too_deep_at: Option<usize>,
    /// Offsets where whitespace starts outside quotes and comments, at least
    /// [`PIECE_BYTES`] apart (none for a short statement).
    cuts: Vec<usize>,
    /// The most tokens between two cuts.
    piece_tokens: usize,
    #[cfg(test)]
    starts: Vec<usize>,
}

impl Shape {
    fn of(text: &str) -> Shape {
        Shape::with_pieces(text, PIECE_BYTES)
    }

    /// [`Shape::of`], cutting pieces of `piece_bytes` (tests use small ones).
    fn with_pieces(text: &str, piece_bytes: usize) -> Shape {
        let b = text.as_bytes();
        let mut s = Shape::default();
        let mut reader = Reader {
            text,
            depth: 0,
            after_operator: false,
        };
        let (mut i, mut last_cut, mut piece) = (0usize, 0usize, 0usize);
        let long = b.len() > piece_bytes;
        while i < b.len() {
            let start = i;
            let t = reader.token(i);
            i = t.end;
            if t.space && long && start - last_cut >= piece_bytes && cut_here(b, start) {
                s.cuts.push(start);
                s.piece_tokens = s.piece_tokens.max(piece);
                (last_cut, piece) = (start, 0);
            }
            #[cfg(test)]
            s.starts.push(start);
            s.tokens += t.n;
            piece += t.n;
            if t.significant {
                s.significant += t.n;
            }
            if reader.depth > MAX_NESTING && s.too_deep_at.is_none() {
                s.too_deep_at = Some(start);
            }
            if t.unsure {
                // Where this pass may no longer read the text as sqlparser
                // does: count every byte left as a token, cut nothing more
                // and judge no more nesting.
                s.tokens += b.len() - i;
                s.significant += b.len() - i;
                piece += b.len() - i;
                break;
            }
        }
        s.piece_tokens = s.piece_tokens.max(piece);
        s
    }
}

/// Whether a piece may be cut at the whitespace at `i`: not inside `\r\n`
/// (one token for sqlparser), nor after an operator character (sqlparser may
/// take the whitespace after `&>` into its span).
fn cut_here(b: &[u8], i: usize) -> bool {
    let prev = if i > 0 { b[i - 1] } else { b' ' };
    prev.is_ascii_alphanumeric() || prev >= 0x80 || b"_$\"')],; \t\n".contains(&prev)
}

/// One token as the shape pass reads it ([`Reader::token`]).
struct Tok {
    /// Where it ends.
    end: usize,
    /// How many of sqlparser's tokens it counts for (at least as many as it makes).
    n: usize,
    /// Not whitespace or a comment.
    significant: bool,
    /// Whitespace (a piece may be cut where it starts).
    space: bool,
    /// From here on the pass may no longer read the text as sqlparser does.
    unsure: bool,
}

impl Tok {
    /// A significant token ending at `end`, one of sqlparser's.
    fn one(end: usize) -> Tok {
        Tok {
            end,
            n: 1,
            significant: true,
            space: false,
            unsure: false,
        }
    }

    /// A comment ending at `end`.
    fn comment(end: usize) -> Tok {
        Tok {
            significant: false,
            ..Tok::one(end)
        }
    }

    /// Whitespace: one character, at `i`.
    fn space(i: usize) -> Tok {
        Tok {
            space: true,
            ..Tok::comment(i + 1)
        }
    }

    /// At `i`, where the pass stops reading as sqlparser does.
    fn unsure(i: usize) -> Tok {
        Tok {
            unsure: true,
            ..Tok::one(i)
        }
    }
}

/// The shape pass between tokens: the text and what the tokens read so far
/// leave for the next one.
struct Reader<'t> {
    text: &'t str,
    /// Nesting of `(`, `[` and `CASE … END`.
    depth: usize,
    /// The previous token was an operator character.
    after_operator: bool,
}

impl Reader<'_> {
    /// The token that starts at `i` (before the end of the text).
    fn token(&mut self, i: usize) -> Tok {
        let b = self.text.as_bytes();
        let at = |i: usize| b.get(i).copied().unwrap_or(0);
        let c = b[i];
        let comment = (c == b'-' && at(i + 1) == b'-') || (c == b'/' && at(i + 1) == b'*');
        let prev_operator = std::mem::take(&mut self.after_operator);
        // sqlparser may read `?--` or `|/*` as an operator and what
        // follows as tokens (PostgreSQL reads a comment).
        if comment && prev_operator {
            return Tok::unsure(i);
        }
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => Tok::space(i),
            b'-' if at(i + 1) == b'-' => Tok::comment(line_comment_end(b, i)),
            b'/' if at(i + 1) == b'*' => Tok::comment(block_comment_end(b, i)),
            b'\'' | b'"' => Tok::one(quoted_end(b, i, c, false)),
            b'$' => Tok::one(match dollar_delim(self.text, i) {
                Some(n) => dollar_end(b, i, n),
                None => placeholder_end(self.text, i),
            }),
            b'(' | b'[' => {
                self.depth += 1;
                Tok::one(i + 1)
            }
            b')' | b']' => {
                self.depth = self.depth.saturating_sub(1);
                Tok::one(i + 1)
            }
            // A word: for sqlparser's PostgreSQL dialect any non-ASCII
            // character is part of one.
            c if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 => self.word(i),
            c if c.is_ascii_digit() => number(b, i),
            // sqlparser's `&>` takes the character after it too,
            // whatever it is (a quote, a bracket).
            // (After another operator character, as in `?&>`, the
            // `&` may belong to that one instead.)
            b'&' if at(i + 1) == b'>' && prev_operator => Tok::unsure(i),
            b'&' if at(i + 1) == b'>' => and_arrow(b, i),
            c => {
                self.after_operator = !c.is_ascii_alphanumeric() && !b" \t\n\r,;()[]".contains(&c);
                Tok::one(i + 1)
            }
        }
    }

    /// The word at `i`: an `E'…'` (or `X'…'`) string's prefix and the string, or
    /// a word (`CASE` and `END` nest).
    fn word(&mut self, start: usize) -> Tok {
        let b = self.text.as_bytes();
        let at = |i: usize| b.get(i).copied().unwrap_or(0);
        let mut i = start;
        while at(i).is_ascii_alphanumeric() || at(i) == b'_' || at(i) == b'$' || at(i) >= 0x80 {
            i += 1;
        }
        let w = &b[start..i];
        // `E'…'`, and for sqlparser `X'…'` too, take backslash escapes.
        if matches!(w, b"E" | b"e" | b"X" | b"x") && at(i) == b'\'' {
            i = quoted_end(b, i, b'\'', true);
        } else if w.eq_ignore_ascii_case(b"case") {
            self.depth += 1;
        } else if w.eq_ignore_ascii_case(b"end") {
            self.depth = self.depth.saturating_sub(1);
        }
        Tok::one(i)
    }
}

/// End of the `--` comment at `i`: its `\n` or `\r` (or the end of the text).
fn line_comment_end(b: &[u8], i: usize) -> usize {
    b[i..]
        .iter()
        .position(|&c| c == b'\n' || c == b'\r')
        .map_or(b.len(), |p| i + p)
}

/// End (exclusive) of the (nested) block comment at `i` (or of the text).
fn block_comment_end(b: &[u8], mut i: usize) -> usize {
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let mut d = 0usize;
    while i < b.len() {
        if b[i] == b'/' && at(i + 1) == b'*' {
            d += 1;
            i += 2;
        } else if b[i] == b'*' && at(i + 1) == b'/' {
            d -= 1;
            i += 2;
            if d == 0 {
                break;
            }
        } else {
            i += 1;
        }
    }
    i
}

/// End of the placeholder at `i` (a `$` that opens no dollar quote): sqlparser
/// takes the alphanumeric characters after `$` (`$E'…'` is `$E`, then a plain
/// string).
fn placeholder_end(text: &str, i: usize) -> usize {
    let rest = text.get(i + 1..).unwrap_or("");
    i + 1
        + rest
            .char_indices()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '_'))
            .map_or(rest.len(), |(k, _)| k)
}

/// The number at `i`. Digits and letters: sqlparser may make a token of each
/// run (`0b02a` is `0b0`, `2`, `a`; `25L5n` is `25L`, `5`, `n`), and never more.
fn number(b: &[u8], start: usize) -> Tok {
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let (mut i, mut n, mut digits) = (start, 1, true);
    while at(i).is_ascii_alphanumeric() || at(i) == b'_' {
        if at(i).is_ascii_digit() != digits {
            digits = !digits;
            n += 1;
        }
        i += 1;
    }
    Tok {
        n,
        // Whether a `$` (or a quote after letters) that follows continues a
        // word or starts a quote depends on how sqlparser splits the run
        // (`6h$_$` is `6`, `h$_$`, but `0x1F$_$` is `0x1F`, then a dollar quote).
        unsure: at(i) == b'$' || (!digits && matches!(at(i), b'\'' | b'"')),
        ..Tok::one(i)
    }
}

/// sqlparser's `&>` at `i`, which takes the character after it too, whatever it is.
fn and_arrow(b: &[u8], mut i: usize) -> Tok {
    i += 2;
    let mut n = 2;
    if i < b.len() {
        i += 1;
        n = 3;
        while b.get(i).copied().unwrap_or(0) & 0xC0 == 0x80 {
            i += 1;
        }
    }
    Tok { n, ..Tok::one(i) }
}

/// End (exclusive) of the quoted token whose quote `q` is at `i` (or of the text);
/// a doubled quote stays inside; with `backslash`, a backslash escapes a byte.
fn quoted_end(b: &[u8], i: usize, q: u8, backslash: bool) -> usize {
    let mut j = i + 1;
    while j < b.len() {
        let c = b[j];
        if c == q {
            if b.get(j + 1) == Some(&q) {
                j += 2;
                continue;
            }
            return j + 1;
        }
        j += if backslash && c == b'\\' { 2 } else { 1 };
    }
    b.len()
}

/// If a dollar-quote delimiter (`$$` or `$tag$`) starts at `i`, its length, as
/// sqlparser reads them: a tag is any run of alphanumeric characters and `_`
/// (PostgreSQL and psql do not let it start with a digit: `$1$` is `$1` then `$`).
fn dollar_delim(text: &str, i: usize) -> Option<usize> {
    let rest = text.get(i + 1..)?;
    let tag = rest
        .char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '_'))
        .map_or(rest.len(), |(k, _)| k);
    (rest[tag..].starts_with('$')).then_some(tag + 2)
}

/// End (exclusive) of the dollar-quoted body opened by the `n`-byte delimiter at `i`
/// (or of the text).
fn dollar_end(b: &[u8], i: usize, n: usize) -> usize {
    let delim = &b[i..i + n];
    let mut k = i + n;
    while let Some(p) = b[k.min(b.len())..].iter().position(|&c| c == b'$') {
        let p = k + p;
        let mut m = 1;
        while m < n && b.get(p + m) == Some(&delim[m]) {
            m += 1;
        }
        if m == n {
            return p + n;
        }
        k = p + m;
    }
    b.len()
}

/// What `fuzz/fuzz_targets/parse.rs` checks on any text, beyond [`parse`] not
/// panicking: the lexical pass ([`Shape`], with pieces of `piece_bytes`) counts
/// at least the tokens sqlparser makes; tokenizing in pieces gives the whole
/// text's tokens without whitespace, or fails (then [`parse`] tokenizes it
/// whole), and fails whenever the whole fails; and what it refuses as nested
/// too deep, sqlparser refuses too.
#[doc(hidden)]
pub fn check_shape(text: &str, piece_bytes: usize) -> Result<(), String> {
    let start = Loc { line: 1, col: 1 };
    let shape = Shape::with_pieces(text, piece_bytes.max(1));
    let mut whole = Vec::new();
    let whole_ok = tokenize_into(text, start, &mut whole).is_ok();
    let mut pieces = Vec::new();
    let pieces_ok = tokenize_pieces(text, start, &shape.cuts, &mut pieces).is_ok();
    if !whole_ok {
        return match pieces_ok {
            true => Err(format!("tokenized in pieces {:?}, not whole", shape.cuts)),
            false => Ok(()),
        };
    }
    if shape.tokens < whole.len() {
        return Err(format!(
            "{} tokens counted, {} made",
            shape.tokens,
            whole.len()
        ));
    }
    let sig = whole.iter().filter(|t| significant(&t.token)).count();
    if shape.significant < sig {
        return Err(format!(
            "{} significant tokens counted, {sig} made",
            shape.significant
        ));
    }
    if pieces_ok {
        let kept: Vec<&TokenWithSpan> = whole
            .iter()
            .enumerate()
            .filter(|(i, t)| {
                significant(&t.token)
                    || (*i > 0 && matches!(whole[i - 1].token, Token::Colon | Token::AtSign))
            })
            .map(|(_, t)| t)
            .collect();
        if kept != pieces.iter().collect::<Vec<_>>() {
            return Err(format!("pieces {:?} tokenize differently", shape.cuts));
        }
    }
    if let Some(at) = shape.too_deep_at {
        if parse_tokens(whole).is_ok() {
            return Err(format!(
                "refused as too deep at {at}, but sqlparser reads it"
            ));
        }
    }
    Ok(())
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

    #[test]
    fn nesting_past_the_limit_is_refused_before_tokenizing() {
        for open in ["(", "[", "f(", "CASE ", "ARRAY[", "(SELECT "] {
            let sql = format!("SELECT 1,\n  {}", open.repeat(1 << 18));
            let shape = Shape::of(&sql);
            let deep = shape.too_deep_at.expect(open);
            // The bracket (or CASE) one level too deep.
            let inner = open.find(['(', '[']).unwrap_or(0);
            assert_eq!(deep, 12 + open.len() * MAX_NESTING + inner, "{open}");
            match parse(&sql, at(3, 1)) {
                Parsed::Failed { message, loc, .. } => {
                    assert_eq!(message, "expression nests deeper than 64 levels");
                    let col = 3 + (open.len() * MAX_NESTING + inner) as u32;
                    assert_eq!((loc.line, loc.col), (4, col), "{open}");
                }
                other => panic!("{other:?}"),
            }
        }
        // Balanced nesting within the limit is sqlparser's to judge.
        let sql = format!("SELECT {}1{}", "(".repeat(60), ")".repeat(60));
        assert!(Shape::of(&sql).too_deep_at.is_none());
        assert!(matches!(parse(&sql, at(1, 1)), Parsed::Ok(..)));
    }

    #[test]
    fn statements_past_the_token_limit_are_refused_before_tokenizing() {
        let sql = format!("SELECT {}1", "1,".repeat(MAX_TOKENS / 2 + 1));
        match parse(&sql, at(1, 1)) {
            Parsed::Failed { message, loc, .. } => {
                assert!(
                    message.ends_with("over the 250000 token limit"),
                    "{message}"
                );
                assert_eq!((loc.line, loc.col), (1, 1));
            }
            other => panic!("{other:?}"),
        }
        // Whitespace and comments do not count.
        let sql = format!("SELECT 1{}", " /* c */ -- c\n".repeat(MAX_TOKENS));
        assert!(matches!(parse(&sql, at(1, 1)), Parsed::Ok(..)));
    }

    /// Every statement of the fixtures, and long ones made of them.
    fn statements() -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
            for c in crate::split::split(&text).chunks {
                if c.kind == crate::split::ChunkKind::Sql && c.unterminated.is_none() {
                    out.push(c.text.to_string());
                }
            }
        }
        out.push(
            "SELECT E'a\\' b', 'it''s a b', U&'d a', $$ a $ b $$, $x$ $$ ; $x$, \"a \"\" b\", \
             :'v', : x, @ y, a::int, 1.5e3, é è, x -- c\r, /* a /* b */ c */ 2"
                .into(),
        );
        out
    }

    fn sig(tokens: Vec<TokenWithSpan>) -> Vec<TokenWithSpan> {
        tokens
            .into_iter()
            .filter(|t| significant(&t.token))
            .collect()
    }

    #[test]
    fn comments_and_dollar_quotes_are_counted_as_sqlparser_reads_them() {
        // Found by fuzzing (parse target): sqlparser reads `?-` as an operator,
        // so the rest of that "comment" is tokens.
        for sql in [
            "SELECT 1;\n?-- CreateIndex\nCREATE INDEX i ON t (a)",
            "SELECT a |/* x y z */ 2",
            // sqlparser reads `$4b$` as a dollar quote (PostgreSQL: `$4` then `b$`).
            "SELECT $4b$ $$ $4b$, 1, 2, 3, 4, 5, 6, 7, $4b$ $$ $4b$",
            // sqlparser reads `25L` as a number, then `5n` as two tokens; `0b0`
            // as a binary number, then `2` and `a`.
            "CREATE TABLE t (a int DEFAULT 25L5n, b int DEFAULT 0b02a)",
            // A number ends before `$`: here a dollar quote starts.
            "CREATE TABLE t (a varchar(36$_$ x $_$ NULL, b int)",
            "ALTER TABLE t ADD c 6h$_$ T",
            // For sqlparser a backslash escapes a quote in `X'…'`.
            "SELECT x'a\\'b' || 'c', 1, 2, 3, 4, 5",
            // sqlparser's `&>` takes the next character (here the quote).
            "SELECT a &>'b, c, d, 'e', f",
            // After `?`, `&` may be part of `?&`.
            "?&>A",
            // `$E` is a placeholder, then a plain string.
            "SELECT $E'it\\', 'a, b', c",
        ] {
            let mut whole = Vec::new();
            tokenize_into(sql, at(1, 1), &mut whole).unwrap();
            assert!(Shape::of(sql).tokens >= whole.len(), "{sql}");
            check_shape(sql, 3).unwrap();
        }
    }

    #[test]
    fn pieces_are_not_cut_inside_crlf_nor_after_an_operator() {
        // Found by fuzzing (parse target): `@` keeps the whitespace after it,
        // and `\r\n` is one token.
        check_shape(";\0B\0\0\0@\r\n", 8).unwrap();
        check_shape("SELECT a @\r\n\r\nb", 3).unwrap();
        // Nor right after an operator (sqlparser's span of `&>` takes the space).
        check_shape("SELECT (a) &> 0, b &> 1", 2).unwrap();
    }

    #[test]
    fn the_lexical_shape_bounds_what_sqlparser_makes() {
        for sql in statements() {
            let mut whole = Vec::new();
            tokenize_into(&sql, at(1, 1), &mut whole).unwrap();
            let shape = Shape::of(&sql);
            assert!(shape.tokens >= whole.len(), "{sql}");
            assert!(shape.significant >= sig(whole).len(), "{sql}");
        }
    }

    #[test]
    fn tokenizing_in_pieces_gives_the_significant_tokens_of_the_whole() {
        let all = statements();
        for piece in [1, 2, 3, 7, 40] {
            for sql in &all {
                let mut whole = Vec::new();
                tokenize_into(sql, at(5, 3), &mut whole).unwrap();
                let shape = Shape::with_pieces(sql, piece);
                let mut pieces = Vec::new();
                tokenize_pieces(sql, at(5, 3), &shape.cuts, &mut pieces).unwrap();
                // Whitespace is kept only after `:` and `@`.
                let whole: Vec<TokenWithSpan> = whole
                    .iter()
                    .enumerate()
                    .filter(|(i, t)| {
                        significant(&t.token)
                            || (*i > 0
                                && matches!(whole[i - 1].token, Token::Colon | Token::AtSign))
                    })
                    .map(|(_, t)| t.clone())
                    .collect();
                assert_eq!(pieces, whole, "pieces of {piece} bytes: {sql}");
            }
        }
        // A long statement is parsed from pieces: the same statement.
        let long = format!(
            "CREATE TABLE t (a int CHECK (a IN ({})), b text DEFAULT 'x  y')",
            (0..20_000)
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(",\n  ")
        );
        assert!(!Shape::of(&long).cuts.is_empty());
        let Parsed::Ok(s, _) = parse(&long, at(1, 1)) else {
            panic!()
        };
        let mut whole = Vec::new();
        tokenize_into(&long, at(1, 1), &mut whole).unwrap();
        assert_eq!(parse_tokens(whole).unwrap(), *s);
    }
}
