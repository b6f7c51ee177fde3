//! psql-aware lexical statement splitter.
//!
//! [`split`] cuts a PostgreSQL script (as produced by `pg_dump`, Alembic's offline mode, or
//! written by hand) into [`Chunk`]s the way `psql` would feed it to the server:
//!
//! * SQL statements end at a top-level `;` (outside quotes, dollar quotes and comments).
//!   Parentheses do not matter, except for psql's `BEGIN ATOMIC ... END` rule for
//!   `CREATE [OR REPLACE] FUNCTION|PROCEDURE` (see [`ChunkKind::Sql`]).
//! * A `--` comment ends at a line feed or at a carriage return, as in PostgreSQL's and
//!   psql's scanners (`newline [\n\r]`): text after a lone `\r` is SQL again.
//! * A backslash where a statement would start is a psql meta-command running to end of line
//!   ([`ChunkKind::Meta`]); psql reads its input in lines ended by `\n`, so a lone `\r` does
//!   not end a meta-command.
//! * After `COPY ... FROM stdin;` (or a `\copy ... from stdin` meta-command) the following
//!   lines up to a line consisting of exactly `\.` are raw data ([`ChunkKind::CopyData`]).
//!
//! Positions: lines are counted on `\n` only, as psql and PostgreSQL count them (and as
//! sqlparser does), so a lone `\r` is an ordinary character of its line; columns count
//! Unicode characters.
//!
//! The splitter is purely lexical, single pass, linear time, never panics and never loses
//! text: for every chunk the byte range `[offset - prefix_len(), end)` is consumed, and these
//! ranges followed by [`Split::trailer`] tile the input exactly (after a leading BOM).
//!
//! Memory is bounded: the lexer is resumable, so [`split_read`] holds only the chunk being
//! read (and one block). A chunk whose text, or the prefix before it, is longer than
//! [`MAX_CHUNK_BYTES`] is not held: it is still scanned to its real end (so the chunks after
//! it are found), but only the first [`CUT_HEAD_BYTES`] of its text are kept and
//! [`ChunkOf::cut`] gives the real lengths. [`split`] over text in memory cuts the same way,
//! so both give the same chunks.
//!
//! The stage's steps, one file each: `lexer.rs` (the resumable state machine and the gaps
//! between chunks), `statement.rs` (an SQL statement to its `;`), `meta.rs` (psql
//! meta-command lines and COPY data), `scan.rs` (character classes, quoted and dollar-quoted
//! tokens, line/column tracking) and `read.rs` ([`split_read`]: reading in blocks).

mod keywords;
mod lexer;
mod meta;
mod read;
mod scan;
mod statement;
#[cfg(test)]
mod testing;

use lexer::Lexer;
pub use read::{split_read, split_read_blocks, split_read_with, READ_BLOCK};
use scan::{at, dollar_delim_len, find_newline, sub, BOM};

/// `unterminated` name for a `'...'` (or `E'...'`, `U&'...'`, ...) string that never closes.
pub const UNTERMINATED_SINGLE_QUOTE: &str = "single-quoted string";
/// `unterminated` name for a `"..."` identifier that never closes.
pub const UNTERMINATED_DOUBLE_QUOTE: &str = "double-quoted identifier";
/// `unterminated` name for a `$tag$ ...` string that never closes; use
/// [`Chunk::unterminated_dollar_tag`] to get the exact opening delimiter.
pub const UNTERMINATED_DOLLAR_QUOTE: &str = "dollar-quoted string";
/// `unterminated` name for a `/* ...` comment that never closes (comments nest).
pub const UNTERMINATED_BLOCK_COMMENT: &str = "block comment";
/// `unterminated` name for `COPY ... FROM stdin` data without its closing `\.` line.
pub const UNTERMINATED_COPY_DATA: &str = "COPY data (missing \\.)";
/// `unterminated` name for a `CREATE FUNCTION|PROCEDURE ... BEGIN ATOMIC` body whose
/// matching `END` never comes (the statement swallowed the rest of the input).
pub const UNTERMINATED_BEGIN_ATOMIC: &str = "BEGIN ATOMIC block (missing END)";

/// The longest chunk text (statement, meta-command line, COPY data block), and the longest
/// run of whitespace and comments before one, that the splitter holds: 8 MiB, the size of
/// the largest statement pg2tidb parses ([`crate::parse::MAX_STATEMENT_BYTES`]). Longer
/// ones are scanned to their end but cut (see [`ChunkOf::cut`]), so a statement that never
/// ends (say `/dev/zero`) or a COPY data block of gigabytes costs no more than this.
pub const MAX_CHUNK_BYTES: usize = 8 * 1024 * 1024;

/// How much of a cut chunk's text is kept (for the report): its first 4 KiB (less at most
/// three bytes, so that it ends on a character boundary).
pub const CUT_HEAD_BYTES: usize = 4096;

/// The size limits of a split ([`Limits::default`]: [`MAX_CHUNK_BYTES`] and
/// [`CUT_HEAD_BYTES`]; tests use small ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// A chunk text or prefix longer than this is cut.
    pub max_chunk: usize,
    /// How many bytes of a cut text are kept (at most `max_chunk`).
    pub head: usize,
}

impl Limits {
    /// The head kept of a cut text: [`Limits::head`], but never more than the limit.
    fn head_len(&self) -> usize {
        self.head.min(self.max_chunk)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_chunk: MAX_CHUNK_BYTES,
            head: CUT_HEAD_BYTES,
        }
    }
}

/// The real lengths of a chunk that was cut because its text or prefix was longer than
/// [`Limits::max_chunk`]: a cut prefix is left empty, a cut text keeps its first
/// [`Limits::head`] bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cut {
    /// Length in bytes of the whitespace and comments before the text.
    pub prefix_len: usize,
    /// Length in bytes of the text.
    pub text_len: usize,
}

/// What kind of chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChunkKind {
    /// An SQL statement (text excludes the terminating `;`).
    ///
    /// When a statement starting with `CREATE [OR REPLACE] FUNCTION|PROCEDURE` contains the
    /// keywords `BEGIN ATOMIC` (outside parentheses, quotes and comments), semicolons do not
    /// end it until the matching `END` (`CASE ... END` nests), as in psql.
    Sql,
    /// A psql meta-command line such as `\restrict KEY`, `\connect db`, `\set x 1`, `\i file`
    /// (text = the line without its newline; a trailing `\r` is excluded too).
    Meta,
    /// The data block that follows `COPY ... FROM stdin;` up to and including the `\.` line
    /// (text = the data incl. the `\.` line, but without that line's `\r\n`/`\n`).
    CopyData,
}

/// One piece of the input: a statement, a meta-command line or a COPY data block, together
/// with the whitespace/comments that precede it, borrowed from the input.
pub type Chunk<'a> = ChunkOf<&'a str>;

/// A [`Chunk`] that owns its text (what [`split_read`] hands on: its buffer moves on).
pub type OwnedChunk = ChunkOf<String>;

/// A chunk with its text as `S` (see [`Chunk`] and [`OwnedChunk`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkOf<S> {
    /// What kind of chunk.
    pub kind: ChunkKind,
    /// Whitespace and comments between the previous chunk and this one (may be empty).
    /// `-- pg2tidb: ignore[...]` style comments and Alembic `-- Running upgrade a -> b`
    /// markers are read from here by later stages (see [`gap_comments`]). Empty statements
    /// (a lone `;`) also land here. For [`ChunkKind::CopyData`] it is the rest of the `COPY`
    /// line after its `;`. Empty when it was cut (see [`ChunkOf::cut`]).
    pub prefix: S,
    /// The statement text, from its first significant character up to (not including) the
    /// `;` or end of input. Trailing whitespace before the `;` is kept inside text.
    /// Never empty for [`ChunkKind::Sql`]. Only its head when it was cut.
    pub text: S,
    /// Byte offset of `text` in the original input (including any BOM bytes).
    pub offset: usize,
    /// 1-based line where `text` starts (lines are counted on `\n` only).
    pub line: u32,
    /// 1-based column where `text` starts, counted in Unicode chars (a tab counts 1).
    pub col: u32,
    /// Set when the chunk ran to end of input inside an unterminated construct: the name
    /// (one of the `UNTERMINATED_*` constants) and the 1-based line and column where the
    /// construct started.
    pub unterminated: Option<(&'static str, u32, u32)>,
    /// true when the statement ended with `;` (false for the last statement of a file that
    /// lacks one, and always false for Meta/CopyData).
    pub terminated: bool,
    /// Byte offset just after everything this chunk consumed: after the `;` of a terminated
    /// statement, after the newline ending a Meta line or the `\.` line, else end of text.
    pub end: usize,
    /// Set when the text or the prefix was longer than the limit ([`MAX_CHUNK_BYTES`]) and
    /// was cut: their real lengths. `None` for every chunk of ordinary input.
    pub cut: Option<Cut>,
}

impl<S: AsRef<str>> ChunkOf<S> {
    /// The real length of the text in bytes (longer than `text` when it was cut).
    pub fn text_len(&self) -> usize {
        self.cut.map_or(self.text.as_ref().len(), |c| c.text_len)
    }

    /// The real length of the prefix in bytes.
    pub fn prefix_len(&self) -> usize {
        self.cut
            .map_or(self.prefix.as_ref().len(), |c| c.prefix_len)
    }

    /// True when `text` holds only the head of a text over the limit.
    pub fn text_cut(&self) -> bool {
        self.text_len() > self.text.as_ref().len()
    }

    /// True when the prefix was over the limit (and `prefix` is empty).
    pub fn prefix_cut(&self) -> bool {
        self.prefix_len() > self.prefix.as_ref().len()
    }
}

impl<'a> ChunkOf<&'a str> {
    /// For a chunk whose `unterminated` names a dollar-quoted string, the exact opening
    /// delimiter (such as `$fn$` or `$$`), located from the reported line and column.
    pub fn unterminated_dollar_tag(&self) -> Option<&'a str> {
        let (name, line, col) = self.unterminated?;
        if name != UNTERMINATED_DOLLAR_QUOTE {
            return None;
        }
        let (mut l, mut c) = (self.line, self.col);
        let mut found = None;
        for (i, ch) in self.text.char_indices() {
            if l == line && c == col {
                found = Some(i);
                break;
            }
            if ch == '\n' {
                l = l.saturating_add(1);
                c = 1;
            } else {
                c = c.saturating_add(1);
            }
        }
        let start = found?;
        let len = dollar_delim_len(self.text.as_bytes(), start)?;
        self.text.get(start..start + len)
    }
}

/// The result of [`split`].
/// A chunk as the lexer finds it: byte offsets into the input.
#[derive(Debug, Clone, Copy)]
struct Found {
    kind: ChunkKind,
    prefix_start: usize,
    start: usize,
    text_end: usize,
    end: usize,
    line: u32,
    col: u32,
    unterminated: Option<(&'static str, u32, u32)>,
}

impl Found {
    /// The chunk, given its prefix and text as found (cut to the limits here).
    fn chunk<'s>(&self, prefix: &'s str, text: &'s str, limits: Limits) -> Chunk<'s> {
        let prefix_len = self.start - self.prefix_start;
        let text_len = self.text_end - self.start;
        let cut = (prefix_len > limits.max_chunk || text_len > limits.max_chunk).then_some(Cut {
            prefix_len,
            text_len,
        });
        Chunk {
            kind: self.kind,
            prefix: if prefix_len > limits.max_chunk {
                ""
            } else {
                prefix
            },
            text: if text_len > limits.max_chunk {
                head(text, limits.head_len())
            } else {
                text
            },
            offset: self.start,
            line: self.line,
            col: self.col,
            unterminated: self.unterminated,
            terminated: self.kind == ChunkKind::Sql && self.end > self.text_end,
            end: self.end,
            cut,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The chunks, in input order.
    pub chunks: Vec<Chunk<'a>>,
    /// Whitespace/comments (and empty `;` statements) after the last chunk.
    pub trailer: &'a str,
}

/// Split a psql script into statements, meta-command lines and COPY data blocks.
///
/// A leading UTF-8 BOM is skipped (it belongs to no chunk; offsets still count its bytes).
pub fn split(input: &str) -> Split<'_> {
    let mut chunks = Vec::new();
    let trailer = split_each(input, &mut |c| chunks.push(c));
    Split { chunks, trailer }
}

/// [`split`], handing each chunk to `each` as soon as it is found instead of
/// collecting them (a large input is never held as a list of chunks).
/// Returns the trailer.
pub fn split_each<'a>(input: &'a str, each: &mut dyn FnMut(Chunk<'a>)) -> &'a str {
    split_each_with(input, Limits::default(), each)
}

/// [`split_each`] with given [`Limits`].
pub fn split_each_with<'a>(
    input: &'a str,
    limits: Limits,
    each: &mut dyn FnMut(Chunk<'a>),
) -> &'a str {
    let b = input.as_bytes();
    let base = if b.starts_with(BOM) { 3 } else { 0 };
    let mut lx = Lexer::new(base);
    lx.run(b, 0, true, limits, &mut |f| {
        let prefix = sub(input, f.prefix_start, f.start);
        let text = sub(input, f.start, f.text_end);
        each(f.chunk(prefix, text, limits));
    });
    sub(input, lx.trailer_start.unwrap_or(b.len()), b.len())
}

impl OwnedChunk {
    pub fn chunk(&self) -> Chunk<'_> {
        Chunk {
            kind: self.kind,
            prefix: &self.prefix,
            text: &self.text,
            offset: self.offset,
            line: self.line,
            col: self.col,
            unterminated: self.unterminated,
            terminated: self.terminated,
            end: self.end,
            cut: self.cut,
        }
    }
}

impl From<Chunk<'_>> for OwnedChunk {
    fn from(c: Chunk<'_>) -> Self {
        OwnedChunk {
            kind: c.kind,
            prefix: c.prefix.to_string(),
            text: c.text.to_string(),
            offset: c.offset,
            line: c.line,
            col: c.col,
            unterminated: c.unterminated,
            terminated: c.terminated,
            end: c.end,
            cut: c.cut,
        }
    }
}

/// The first `n` bytes of `s` (fewer, to end on a character boundary).
fn head(s: &str, n: usize) -> &str {
    let mut n = n.min(s.len());
    while !s.is_char_boundary(n) {
        n -= 1;
    }
    &s[..n]
}

/// The `--` comments of a gap (a chunk's prefix, or a trailer): for each, its byte offset
/// in `gap` and its text from `--` up to (not including) the `\n` or `\r` that ends it, as
/// PostgreSQL ends them. Block comments are skipped (they nest), and so is anything else.
pub fn gap_comments(gap: &str) -> impl Iterator<Item = (usize, &str)> {
    let b = gap.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() {
            if b[i] == b'-' && at(b, i + 1) == b'-' {
                let start = i;
                i = find_newline(b, i).unwrap_or(b.len());
                return Some((start, sub(gap, start, i)));
            }
            if b[i] == b'/' && at(b, i + 1) == b'*' {
                let mut depth = 0usize;
                while i < b.len() {
                    if b[i] == b'/' && at(b, i + 1) == b'*' {
                        depth += 1;
                        i += 2;
                    } else if b[i] == b'*' && at(b, i + 1) == b'/' {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                continue;
            }
            i += 1;
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::testing::{check, check_with, texts};
    use super::*;

    #[test]
    fn simple_statements_with_positions() {
        let input = "CREATE TABLE a (id int);\n  CREATE TABLE b (x text);\nSELECT 1";
        let s = check(input);
        assert_eq!(
            texts(&s),
            vec![
                "CREATE TABLE a (id int)",
                "CREATE TABLE b (x text)",
                "SELECT 1"
            ]
        );
        assert_eq!((s.chunks[0].line, s.chunks[0].col), (1, 1));
        assert_eq!((s.chunks[1].line, s.chunks[1].col), (2, 3));
        assert_eq!(s.chunks[1].prefix, "\n  ");
        assert_eq!(s.chunks[1].offset, 27);
        assert_eq!((s.chunks[2].line, s.chunks[2].col), (3, 1));
        assert!(s.chunks[0].terminated && s.chunks[1].terminated);
        assert!(!s.chunks[2].terminated);
        assert_eq!(s.chunks[2].unterminated, None);
        assert_eq!(s.trailer, "");
        assert!(s.chunks.iter().all(|c| c.kind == ChunkKind::Sql));
    }

    #[test]
    fn columns_count_chars_not_bytes() {
        let s = check("SELECT 'é';\té\tSELECT 2;");
        assert_eq!(texts(&s), vec!["SELECT 'é'", "é\tSELECT 2"]);
        assert_eq!((s.chunks[1].line, s.chunks[1].col), (1, 13));
    }

    #[test]
    fn bom_is_skipped() {
        let input = "\u{feff}SELECT 1;\nSELECT 2;";
        let s = check(input);
        assert_eq!(texts(&s), vec!["SELECT 1", "SELECT 2"]);
        assert_eq!(s.chunks[0].offset, 3);
        assert_eq!(s.chunks[0].prefix, "");
        assert_eq!((s.chunks[0].line, s.chunks[0].col), (1, 1));
        assert_eq!((s.chunks[1].line, s.chunks[1].col), (2, 1));
        let s = check("\u{feff}");
        assert!(s.chunks.is_empty());
        assert_eq!(s.trailer, "");
        // A BOM in the middle is an ordinary (identifier) character.
        let s = check("SELECT 1;\u{feff}SELECT 2;");
        assert_eq!(s.chunks[1].text, "\u{feff}SELECT 2");
    }

    #[test]
    fn empty_and_whitespace_input() {
        let s = check("");
        assert!(s.chunks.is_empty());
        assert_eq!(s.trailer, "");
        let s = check(" \n\t\r\n \r ");
        assert!(s.chunks.is_empty());
        assert_eq!(s.trailer, " \n\t\r\n \r ");
        let s = check("-- only a comment");
        assert!(s.chunks.is_empty());
        assert_eq!(s.trailer, "-- only a comment");
    }

    #[test]
    fn reconstruction_of_fixed_inputs() {
        let inputs = [
            "SELECT 1; SELECT 2",
            "\u{feff}-- x\r\nCOPY a FROM stdin;\r\n\\.\r\n",
            "\\i file.sql",
            "\\set x 1\r",
            "COPY a FROM stdin; junk here\nrow\n\\.\n;;",
            "CREATE FUNCTION f() BEGIN ATOMIC CASE END; END; END;",
            "$",
            "$$",
            "$a",
            "E",
            "E'",
            "'",
            "\"",
            "-",
            "/",
            "/*/",
            "*/",
            "\\",
            "\\\n\\\r\n",
            "é;é;",
        ];
        for input in inputs {
            check(input);
        }
    }

    struct XorShift(u64);
    impl XorShift {
        fn next(&mut self) -> u64 {
            let mut x = self.0;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0 = x;
            x
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    const PIECES: &[&str] = &[
        "'",
        "\"",
        "$",
        "$$",
        "$a$",
        "$1",
        ";",
        "--",
        "/*",
        "*/",
        "\n",
        "\r",
        "\r\n",
        "\\",
        "E'",
        "e",
        "é",
        "\u{feff}",
        "COPY x FROM stdin;",
        "\\copy x from stdin\n",
        "\\.",
        "\n\\.\n",
        "BEGIN ATOMIC",
        "CREATE FUNCTION f() ",
        "END",
        "CASE",
        "(",
        ")",
        "a",
        "x",
        "SELECT",
        " ",
        "\t",
        "''",
        "\\restrict k\n",
    ];

    /// Random inputs made of [`PIECES`].
    fn soup(rng: &mut XorShift, max: usize) -> String {
        let mut buf = String::new();
        let n = rng.below(max);
        for _ in 0..n {
            buf.push_str(PIECES[rng.below(PIECES.len())]);
        }
        buf
    }

    #[test]
    fn small_limits_cut_chunks_alike_whole_and_in_blocks() {
        let mut rng = XorShift(0x2545_F491_4F6C_DD1D);
        let mut cut = [0usize; 2];
        for _ in 0..4_000 {
            let input = soup(&mut rng, 30);
            let limits = Limits {
                max_chunk: 1 + rng.below(24),
                head: rng.below(6),
            };
            let s = check_with(&input, limits);
            for c in &s.chunks {
                cut[0] += usize::from(c.text_cut());
                cut[1] += usize::from(c.prefix_cut());
            }
        }
        // Both kinds of cut happen.
        assert!(cut.iter().all(|&n| n > 100), "{cut:?}");
    }

    #[test]
    fn fuzz_tiling_and_no_panic() {
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        let mut buf = String::new();
        let mut kinds = [0usize; 3];
        let mut open = std::collections::BTreeMap::new();
        for _ in 0..20_000 {
            buf.clear();
            let n = rng.below(30);
            for _ in 0..n {
                buf.push_str(PIECES[rng.below(PIECES.len())]);
            }
            let s = check(&buf);
            for c in &s.chunks {
                kinds[c.kind as usize] += 1;
                if let Some((name, _, _)) = c.unterminated {
                    *open.entry(name).or_insert(0usize) += 1;
                    let tag = c.unterminated_dollar_tag();
                    assert_eq!(tag.is_some(), name == UNTERMINATED_DOLLAR_QUOTE, "{c:?}");
                    if let Some(tag) = tag {
                        assert!(tag.len() >= 2 && tag.starts_with('$') && tag.ends_with('$'));
                    }
                }
            }
        }
        // The generator really exercises every path.
        assert!(kinds.iter().all(|&k| k > 100), "{kinds:?}");
        assert_eq!(open.len(), 6, "{open:?}");
        // Arbitrary bytes, made valid UTF-8.
        let mut bytes = Vec::new();
        for _ in 0..5_000 {
            bytes.clear();
            let n = rng.below(64);
            for _ in 0..n {
                let r = rng.next();
                // Bias toward interesting ASCII.
                const ASCII: &[u8] = b"';\"$-/*\\\n\rE(). x";
                let c = if r & 1 == 0 {
                    ASCII[(r >> 8) as usize % ASCII.len()]
                } else {
                    (r >> 16) as u8
                };
                bytes.push(c);
            }
            let s = String::from_utf8_lossy(&bytes);
            check(&s);
        }
    }

    /// `cargo test --release -- --ignored --nocapture perf`
    #[test]
    #[ignore]
    fn perf_20mb() {
        let unit = "CREATE TABLE t (id int, s text DEFAULT 'a;b', \"q\" int); -- c\n\
                    /* block */ CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n\
                    COPY t FROM stdin;\n1\tO'Brien\n2\t$$\n\\.\n";
        let input = unit.repeat(20 * 1024 * 1024 / unit.len());
        let t = std::time::Instant::now();
        let s = split(&input);
        let el = t.elapsed();
        eprintln!(
            "{} bytes, {} chunks in {:?}",
            input.len(),
            s.chunks.len(),
            el
        );
        assert!(el.as_secs_f64() < 0.5);
    }
}
