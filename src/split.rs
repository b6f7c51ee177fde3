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

/// How much [`split_read`] reads at a time.
pub const READ_BLOCK: usize = 1 << 20;

/// [`split_each`] over a reader, holding only the chunk being read (at most
/// [`MAX_CHUNK_BYTES`] of its text and of its prefix) and one block instead of
/// the whole input: the same chunks with the same offsets, lines and columns,
/// handed to `each` in order. Invalid UTF-8 is an `InvalidData` error naming
/// the byte offset.
pub fn split_read(r: impl std::io::Read, each: &mut dyn FnMut(Chunk<'_>)) -> std::io::Result<()> {
    split_read_with(r, READ_BLOCK, Limits::default(), each)
}

/// [`split_read`] with a given block size (tests use tiny blocks).
pub fn split_read_blocks(
    r: impl std::io::Read,
    block: usize,
    each: &mut dyn FnMut(Chunk<'_>),
) -> std::io::Result<()> {
    split_read_with(r, block, Limits::default(), each)
}

/// Parts of the pending chunk kept aside because the buffer moved past them
/// (the chunk, or the open comment that may become one, starts at `start`).
#[derive(Default)]
struct Saved {
    start: Option<usize>,
    prefix: Option<String>,
    head: Option<String>,
}

/// [`split_read`] with a given block size and [`Limits`].
pub fn split_read_with(
    mut r: impl std::io::Read,
    block: usize,
    limits: Limits,
    each: &mut dyn FnMut(Chunk<'_>),
) -> std::io::Result<()> {
    use std::io::Read as _;
    // `buf` holds the (valid UTF-8) input from byte `buf_start` on, as far
    // back as the pending chunk needs; `raw` bytes read but not yet whole
    // characters.
    let (mut buf, mut raw, mut buf_start) = (Vec::<u8>::new(), Vec::<u8>::new(), 0usize);
    let mut lexer: Option<Lexer> = None;
    let mut saved = Saved::default();
    let mut found = Vec::new();
    let block = block.max(1);
    loop {
        let n = (&mut r).take(block as u64).read_to_end(&mut raw)?;
        let eof = n < block;
        let lx = match &mut lexer {
            Some(lx) => lx,
            None => {
                // A leading BOM belongs to no chunk (offsets still count it).
                if raw.len() < 3 && !eof {
                    continue;
                }
                if raw.starts_with(BOM) {
                    raw.drain(..3);
                    buf_start = 3;
                }
                lexer.insert(Lexer::new(buf_start))
            }
        };
        let valid = match std::str::from_utf8(&raw) {
            Ok(_) => raw.len(),
            Err(e) if e.error_len().is_none() && !eof => e.valid_up_to(),
            Err(e) => {
                let off = buf_start + buf.len() + e.valid_up_to();
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("not valid UTF-8 at byte offset {off}"),
                ));
            }
        };
        buf.extend_from_slice(&raw[..valid]);
        raw.drain(..valid);
        lx.run(&buf, buf_start, eof, limits, &mut |f| found.push(f));
        let text = |a: usize, e: usize| -> &str {
            a.checked_sub(buf_start)
                .zip(e.checked_sub(buf_start))
                .and_then(|(a, e)| buf.get(a..e))
                .and_then(|s| std::str::from_utf8(s).ok())
                .unwrap_or("")
        };
        for f in found.drain(..) {
            let mine = saved.start == Some(f.start);
            let prefix = match &saved.prefix {
                Some(p) if mine => p.as_str(),
                _ => text(f.prefix_start, f.start),
            };
            let body = match &saved.head {
                Some(h) if mine => h.as_str(),
                _ => text(f.start, f.text_end),
            };
            each(f.chunk(prefix, body, limits));
            if mine {
                saved = Saved::default();
            }
        }
        if eof {
            return Ok(());
        }
        // What the pending chunk still needs; set aside what would hold the
        // buffer back once it is over the limit.
        let mut keep = lx.keep_from();
        let max = limits.max_chunk;
        let pending = lx.pending();
        if saved.start.is_some() && saved.start != pending.start() {
            saved = Saved::default();
        }
        match pending {
            Pending::Gap { gap_start, comment } => {
                if lx.pos - gap_start <= max {
                    keep = keep.min(gap_start);
                } else if let Some(c) = comment {
                    // The gap is over the limit, but an open comment that turns
                    // out unterminated is a chunk of its own, starting at `c`.
                    if saved.start != Some(c) {
                        saved = Saved {
                            start: Some(c),
                            prefix: (c - gap_start <= max).then(|| text(gap_start, c).to_string()),
                            head: None,
                        };
                    }
                    if lx.pos - c <= max {
                        keep = keep.min(c);
                    } else if saved.head.is_none() {
                        saved.head = Some(head(text(c, lx.pos), limits.head_len()).to_string());
                    }
                }
            }
            Pending::Chunk {
                prefix_start,
                start,
            } => {
                // The text ends at most one byte (a `\r`) before where the lexer is.
                if lx.pos - start <= max.saturating_add(1) {
                    keep = keep.min(if start - prefix_start <= max {
                        prefix_start
                    } else {
                        start
                    });
                } else if saved.start != Some(start) {
                    saved = Saved {
                        start: Some(start),
                        prefix: (start - prefix_start <= max)
                            .then(|| text(prefix_start, start).to_string()),
                        head: Some(head(text(start, lx.pos), limits.head_len()).to_string()),
                    };
                }
            }
        }
        let keep = keep.max(buf_start);
        lx.forget(&buf, buf_start, keep);
        buf.drain(..keep - buf_start);
        buf_start = keep;
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

// ---------------------------------------------------------------------------------------------
// Byte helpers
// ---------------------------------------------------------------------------------------------

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Byte at `i`, or 0 past the end (0 never matches any byte we look for).
#[inline]
fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

/// Slice `s[a..e]`; the splitter only cuts at ASCII bytes / char starts, so this always
/// succeeds. The fallback (empty) exists only to rule out panics; the tiling tests prove it
/// is never taken.
#[inline]
fn sub(s: &str, a: usize, e: usize) -> &str {
    s.get(a..e).unwrap_or("")
}

/// Index of the first `\n` or `\r` at or after `from`.
#[inline]
fn find_newline(b: &[u8], from: usize) -> Option<usize> {
    b.get(from..)?
        .iter()
        .position(|&c| c == b'\n' || c == b'\r')
        .map(|p| p + from)
}

#[inline]
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// psql `ident_start`: `[A-Za-z\x80-\xff_]`.
#[inline]
fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c >= 0x80
}

/// psql `ident_cont`: `[A-Za-z\x80-\xff_0-9$]`.
#[inline]
fn is_ident_cont(c: u8) -> bool {
    is_ident_start(c) || c.is_ascii_digit() || c == b'$'
}

/// psql `dolq_cont`: `[A-Za-z\x80-\xff_0-9]`.
#[inline]
fn is_dolq_cont(c: u8) -> bool {
    is_ident_start(c) || c.is_ascii_digit()
}

#[inline]
fn kw(word: &[u8], k: &str) -> bool {
    word.eq_ignore_ascii_case(k.as_bytes())
}

/// If a dollar-quote delimiter (`$$` or `$tag$`) starts at `i`, its length in bytes.
fn dollar_delim_len(b: &[u8], i: usize) -> Option<usize> {
    match dollar_delim(b, i, true) {
        Delim::Yes(n) => Some(n),
        _ => None,
    }
}

enum Delim {
    /// A delimiter of this many bytes.
    Yes(usize),
    /// Not a delimiter.
    No,
    /// The input ends before it can be told.
    More,
}

/// Whether a dollar-quote delimiter starts at `i` (a `$`); `eof`: no more input follows `b`.
fn dollar_delim(b: &[u8], i: usize, eof: bool) -> Delim {
    let mut j = i + 1;
    let undecided = |j: usize| {
        if j >= b.len() && !eof {
            Delim::More
        } else {
            Delim::No
        }
    };
    match b.get(j) {
        Some(b'$') => return Delim::Yes(2),
        Some(&c) if is_ident_start(c) => {}
        _ => return undecided(j),
    }
    j += 1;
    while j < b.len() && is_dolq_cont(b[j]) {
        j += 1;
    }
    match b.get(j) {
        Some(b'$') => Delim::Yes(j + 1 - i),
        _ => undecided(j),
    }
}

/// Whether a meta-command line is `\copy ... from stdin` (psql then reads the data rows
/// from the script itself, up to `\.`).
fn is_copy_from_stdin_meta(line: &[u8]) -> bool {
    let rest = match line.strip_prefix(b"\\copy") {
        Some(r) => r,
        None => return false,
    };
    if !rest.first().is_none_or(|&c| is_space(c)) {
        return false;
    }
    let mut prev_from = false;
    for w in rest.split(|&c| !is_ident_cont(c)).filter(|w| !w.is_empty()) {
        if prev_from && kw(w, "stdin") {
            return true;
        }
        prev_from = kw(w, "from");
    }
    false
}

// ---------------------------------------------------------------------------------------------
// Line/column tracking (monotonic, linear)
// ---------------------------------------------------------------------------------------------

/// Line and column of input offset `off`; moves forward only.
#[derive(Clone)]
struct LineCol {
    off: usize,
    line: u32,
    col: u32,
}

impl LineCol {
    /// Move to `target` (not before the current offset) over `b`, which holds the input
    /// from offset `base`; returns the line and column there.
    fn at(&mut self, b: &[u8], base: usize, target: usize) -> (u32, u32) {
        if target > self.off {
            let seg = b
                .get(self.off.saturating_sub(base)..target.saturating_sub(base))
                .unwrap_or(&[]);
            for &c in seg {
                if c == b'\n' {
                    self.line = self.line.saturating_add(1);
                    self.col = 1;
                } else if c & 0xC0 != 0x80 {
                    self.col = self.col.saturating_add(1);
                }
            }
            self.off = target;
        }
        (self.line, self.col)
    }
}

// ---------------------------------------------------------------------------------------------
// The lexer: a resumable state machine over the input, fed in one piece or in blocks
// ---------------------------------------------------------------------------------------------

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

/// Header recogniser for `CREATE [OR REPLACE] FUNCTION|PROCEDURE`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Hdr {
    Start,
    Create,
    Or,
    OrReplace,
    Routine,
    Other,
}

/// Per-statement keyword state.
#[derive(Clone)]
struct Stmt {
    words: usize,
    hdr: Hdr,
    paren: usize,
    begin_depth: usize,
    /// Position of the `BEGIN` that opened the outermost `BEGIN ATOMIC`.
    atomic_at: (u32, u32),
    /// The previous significant token was the word `BEGIN` (at this position).
    prev_begin: Option<(u32, u32)>,
    /// The previous significant token was the word `FROM`.
    prev_from: bool,
    is_copy: bool,
    from_stdin: bool,
}

impl Stmt {
    fn new() -> Self {
        Stmt {
            words: 0,
            hdr: Hdr::Start,
            paren: 0,
            begin_depth: 0,
            atomic_at: (0, 0),
            prev_begin: None,
            prev_from: false,
            is_copy: false,
            from_stdin: false,
        }
    }

    /// A word token (identifier or keyword, not starting with a digit) at position `pos`.
    /// `prev_begin` / `prev_from` have already been taken out of `self` by the caller.
    fn word(
        &mut self,
        w: &[u8],
        pos: impl FnOnce() -> (u32, u32),
        prev_begin: Option<(u32, u32)>,
        prev_from: bool,
    ) {
        let idx = self.words;
        self.words = self.words.saturating_add(1);
        if idx == 0 {
            self.is_copy = kw(w, "copy");
        }
        if self.paren == 0 && self.is_copy {
            if prev_from && kw(w, "stdin") {
                self.from_stdin = true;
            }
            self.prev_from = kw(w, "from");
        }
        let routine = |w: &[u8]| kw(w, "function") || kw(w, "procedure");
        self.hdr = match (self.hdr, idx) {
            (Hdr::Start, 0) if kw(w, "create") => Hdr::Create,
            (Hdr::Create, 1) if routine(w) => Hdr::Routine,
            (Hdr::Create, 1) if kw(w, "or") => Hdr::Or,
            (Hdr::Or, 2) if kw(w, "replace") => Hdr::OrReplace,
            (Hdr::OrReplace, 3) if routine(w) => Hdr::Routine,
            (Hdr::Routine, _) => Hdr::Routine,
            _ => Hdr::Other,
        };
        if self.hdr == Hdr::Routine && self.paren == 0 {
            if kw(w, "begin") {
                self.prev_begin = Some(pos());
            } else if kw(w, "atomic") {
                if let Some(b) = prev_begin {
                    if self.begin_depth == 0 {
                        self.atomic_at = b;
                    }
                    self.begin_depth += 1;
                }
            } else if kw(w, "case") {
                if self.begin_depth >= 1 {
                    self.begin_depth += 1;
                }
            } else if kw(w, "end") && self.begin_depth > 0 {
                self.begin_depth -= 1;
            }
        }
    }
}

/// Words longer than this are no keyword the splitter looks for.
const KEYWORD_MAX: usize = 16;

/// Where the lexer is inside a gap or a statement.
#[derive(Clone)]
enum Sub {
    /// Between tokens.
    Top,
    /// In a `--` comment.
    LineComment,
    /// In (nested) block comments; the outermost opened at `open` (line/col `at`).
    Block {
        depth: usize,
        open: usize,
        at: (u32, u32),
    },
    /// In a quoted string (`q` is `'` or `"`; `esc`: backslash escapes, `E'...'`).
    Quoted { q: u8, esc: bool, at: (u32, u32) },
    /// In a dollar-quoted body; `m` bytes of the closing delimiter `tag` matched so far.
    Dollar {
        tag: Vec<u8>,
        m: usize,
        at: (u32, u32),
    },
    /// In a word (identifier, keyword or number) that started at `start`.
    Word {
        start: usize,
        digit: bool,
        prev_begin: Option<(u32, u32)>,
        prev_from: bool,
    },
    /// In a `$1` parameter (or after a stray `$`).
    Param,
}

/// What the lexer is reading.
#[derive(Clone)]
enum Mode {
    /// Whitespace, comments and empty statements between chunks.
    Gap,
    /// An SQL statement.
    Stmt(Stmt),
    /// A meta-command line; `cr`: the last byte read was `\r`.
    Meta { cr: bool },
    /// The rest of a `COPY ... FROM stdin;` line (the data starts on the next one).
    CopyRest,
    /// COPY data; the current line starts at `line`, `probe` tells how much of it is `\.`:
    /// 0 nothing yet, 1 `\`, 2 `\.`, 3 `\.\r`, 4 it is not the end line.
    CopyData { line: usize, probe: u8 },
    /// End of input reached.
    Done,
}

/// What the pending chunk holds (see [`Lexer::pending`]).
enum Pending {
    /// In a gap that started at `gap_start`; `comment`: an open block comment in it
    /// started there (at end of input it would be an unterminated chunk of its own).
    Gap {
        gap_start: usize,
        comment: Option<usize>,
    },
    /// In a chunk whose prefix starts at `prefix_start` and text at `start`.
    Chunk { prefix_start: usize, start: usize },
}

impl Pending {
    /// Where the chunk (or the comment that may become one) starts.
    fn start(&self) -> Option<usize> {
        match self {
            Pending::Gap { comment, .. } => *comment,
            Pending::Chunk { start, .. } => Some(*start),
        }
    }
}

/// The resumable lexer. [`Lexer::run`] reads what it is given (the input from offset
/// `base`), reports the chunks it completes, and stops where it needs more input; it is
/// called again with the input from [`Lexer::keep_from`] on (or earlier) and more.
struct Lexer {
    /// Next byte to read.
    pos: usize,
    mode: Mode,
    sub: Sub,
    /// Start of the gap (the pending chunk's prefix).
    gap_start: usize,
    /// Start of the pending chunk's text and its line/column.
    start: usize,
    start_at: (u32, u32),
    lc: LineCol,
    /// Where the trailer starts, once the input ended in a gap.
    trailer_start: Option<usize>,
}

impl Lexer {
    fn new(base: usize) -> Self {
        Lexer {
            pos: base,
            mode: Mode::Gap,
            sub: Sub::Top,
            gap_start: base,
            start: base,
            start_at: (1, 1),
            lc: LineCol {
                off: base,
                line: 1,
                col: 1,
            },
            trailer_start: None,
        }
    }

    /// The earliest offset the lexer will read again (for a token it must see whole).
    fn keep_from(&self) -> usize {
        match &self.sub {
            Sub::Word { start, .. } if self.pos - start <= KEYWORD_MAX => *start,
            _ => self.pos,
        }
    }

    /// The input before `keep` will not be given again.
    fn forget(&mut self, b: &[u8], base: usize, keep: usize) {
        if keep > self.lc.off {
            self.lc.at(b, base, keep);
        }
    }

    fn pending(&self) -> Pending {
        match (&self.mode, &self.sub) {
            (Mode::Gap, Sub::Block { open, .. }) => Pending::Gap {
                gap_start: self.gap_start,
                comment: Some(*open),
            },
            (Mode::Gap | Mode::CopyRest | Mode::Done, _) => Pending::Gap {
                gap_start: self.gap_start,
                comment: None,
            },
            _ => Pending::Chunk {
                prefix_start: self.gap_start,
                start: self.start,
            },
        }
    }

    /// Read `b` (the input from offset `base`; `eof`: nothing follows it), reporting each
    /// chunk completed to `out`.
    fn run(
        &mut self,
        b: &[u8],
        base: usize,
        eof: bool,
        limits: Limits,
        out: &mut dyn FnMut(Found),
    ) {
        let mut r = Run {
            b,
            base,
            end: base + b.len(),
            eof,
            limits,
            out,
        };
        while match self.mode {
            Mode::Gap => self.gap(&mut r),
            Mode::Stmt(_) => self.statement(&mut r),
            Mode::Meta { .. } => self.meta(&mut r),
            Mode::CopyRest => self.copy_rest(&mut r),
            Mode::CopyData { .. } => self.copy_data(&mut r),
            Mode::Done => false,
        } {}
    }

    fn position(&mut self, r: &Run<'_>, off: usize) -> (u32, u32) {
        self.lc.at(r.b, r.base, off)
    }

    /// Start a chunk of `mode` at the current position.
    fn begin(&mut self, r: &Run<'_>, mode: Mode) {
        self.start = self.pos;
        self.start_at = self.position(r, self.pos);
        self.mode = mode;
        self.sub = Sub::Top;
    }

    /// Report the pending chunk and start a gap at `end` (or go on in `next`).
    fn emit(
        &mut self,
        r: &mut Run<'_>,
        kind: ChunkKind,
        text_end: usize,
        end: usize,
        unterminated: Option<(&'static str, u32, u32)>,
    ) {
        (r.out)(Found {
            kind,
            prefix_start: self.gap_start,
            start: self.start,
            text_end,
            end,
            line: self.start_at.0,
            col: self.start_at.1,
            unterminated,
        });
        self.gap_start = end;
        self.pos = end;
        self.mode = Mode::Gap;
        self.sub = Sub::Top;
    }

    fn finish(&mut self) {
        self.mode = Mode::Done;
    }

    /// Between chunks. Returns true when a chunk starts (or the input ended).
    fn gap(&mut self, r: &mut Run<'_>) -> bool {
        loop {
            match &self.sub {
                Sub::LineComment => match r.find_newline(self.pos) {
                    Some(p) => {
                        self.pos = p;
                        self.sub = Sub::Top;
                    }
                    None => {
                        self.pos = r.end;
                        if !r.eof {
                            return false;
                        }
                        self.sub = Sub::Top;
                    }
                },
                Sub::Block { .. } => match self.block(r) {
                    Step::Done => self.sub = Sub::Top,
                    Step::More => return false,
                    Step::Eof => {
                        // An unterminated comment is made visible as an (erroneous) chunk
                        // instead of hiding it in the trailer.
                        let Sub::Block { open, at, .. } = self.sub else {
                            return false;
                        };
                        self.start = open;
                        self.start_at = at;
                        let open = Some((UNTERMINATED_BLOCK_COMMENT, at.0, at.1));
                        self.emit(r, ChunkKind::Sql, r.end, r.end, open);
                        self.finish();
                        return false;
                    }
                },
                _ => {
                    let Some(c) = r.byte(self.pos) else {
                        if r.eof {
                            self.trailer_start = Some(self.gap_start);
                            self.finish();
                        }
                        return false;
                    };
                    if is_space(c) || c == b';' {
                        self.pos += 1;
                        continue;
                    }
                    let next = r.byte(self.pos + 1);
                    if next.is_none() && !r.eof && (c == b'-' || c == b'/') {
                        return false;
                    }
                    if c == b'-' && next == Some(b'-') {
                        self.pos += 2;
                        self.sub = Sub::LineComment;
                    } else if c == b'/' && next == Some(b'*') {
                        let at = self.position(r, self.pos);
                        self.sub = Sub::Block {
                            depth: 1,
                            open: self.pos,
                            at,
                        };
                        self.pos += 2;
                    } else if c == b'\\' {
                        self.begin(r, Mode::Meta { cr: false });
                        return true;
                    } else {
                        self.begin(r, Mode::Stmt(Stmt::new()));
                        return true;
                    }
                }
            }
        }
    }

    /// In a block comment (`self.sub`): to its end, or as far as the input goes.
    fn block(&mut self, r: &Run<'_>) -> Step {
        let Sub::Block { depth, .. } = &mut self.sub else {
            return Step::Done;
        };
        while let Some(c) = r.byte(self.pos) {
            if c != b'/' && c != b'*' {
                self.pos += 1;
                continue;
            }
            let next = r.byte(self.pos + 1);
            if next.is_none() && !r.eof {
                return Step::More;
            }
            if c == b'/' && next == Some(b'*') {
                *depth += 1;
                self.pos += 2;
            } else if c == b'*' && next == Some(b'/') {
                *depth -= 1;
                self.pos += 2;
                if *depth == 0 {
                    return Step::Done;
                }
            } else {
                self.pos += 1;
            }
        }
        if r.eof {
            Step::Eof
        } else {
            Step::More
        }
    }

    /// In an SQL statement. Returns true when it ended (or the input did).
    fn statement(&mut self, r: &mut Run<'_>) -> bool {
        loop {
            let open = match &mut self.sub {
                Sub::LineComment => match r.find_newline(self.pos) {
                    Some(p) => {
                        self.pos = p;
                        self.sub = Sub::Top;
                        continue;
                    }
                    None => {
                        self.pos = r.end;
                        if !r.eof {
                            return false;
                        }
                        self.sub = Sub::Top;
                        continue;
                    }
                },
                Sub::Block { at, .. } => {
                    let at = *at;
                    match self.block(r) {
                        Step::Done => {
                            self.sub = Sub::Top;
                            continue;
                        }
                        Step::More => return false,
                        Step::Eof => Some((UNTERMINATED_BLOCK_COMMENT, at)),
                    }
                }
                Sub::Quoted { q, esc, at } => {
                    let (q, esc, at) = (*q, *esc, *at);
                    match r.quoted_end(self.pos, q, esc) {
                        Ok(e) => {
                            self.pos = e;
                            self.sub = Sub::Top;
                            continue;
                        }
                        Err(p) => {
                            self.pos = p;
                            if !r.eof {
                                return false;
                            }
                            let name = if q == b'"' {
                                UNTERMINATED_DOUBLE_QUOTE
                            } else {
                                UNTERMINATED_SINGLE_QUOTE
                            };
                            Some((name, at))
                        }
                    }
                }
                Sub::Dollar { tag, m, at } => match r.dollar_end(self.pos, tag, m) {
                    Ok(e) => {
                        self.pos = e;
                        self.sub = Sub::Top;
                        continue;
                    }
                    Err(p) => {
                        self.pos = p;
                        if !r.eof {
                            return false;
                        }
                        Some((UNTERMINATED_DOLLAR_QUOTE, *at))
                    }
                },
                Sub::Param => {
                    while r.byte(self.pos).is_some_and(is_ident_cont) {
                        self.pos += 1;
                    }
                    if self.pos == r.end && !r.eof {
                        return false;
                    }
                    self.sub = Sub::Top;
                    continue;
                }
                Sub::Word {
                    start,
                    digit,
                    prev_begin,
                    prev_from,
                } => {
                    while r.byte(self.pos).is_some_and(is_ident_cont) {
                        self.pos += 1;
                    }
                    if self.pos == r.end && !r.eof {
                        return false;
                    }
                    let (ws, digit, prev_begin, prev_from) =
                        (*start, *digit, *prev_begin, *prev_from);
                    self.sub = Sub::Top;
                    let len = self.pos - ws;
                    let word = if len <= KEYWORD_MAX {
                        r.slice(ws, self.pos)
                    } else {
                        &[]
                    };
                    if (word == b"E" || word == b"e") && r.byte(self.pos) == Some(b'\'') {
                        let at = self.position(r, ws);
                        self.sub = Sub::Quoted {
                            q: b'\'',
                            esc: true,
                            at,
                        };
                        self.pos += 1;
                    } else if !digit {
                        let Mode::Stmt(st) = &mut self.mode else {
                            return false;
                        };
                        let lc = &mut self.lc;
                        st.word(word, || lc.at(r.b, r.base, ws), prev_begin, prev_from);
                    }
                    continue;
                }
                Sub::Top => None,
            };
            let Mode::Stmt(st) = &mut self.mode else {
                return false;
            };
            if let Some((name, at)) = open {
                self.emit(r, ChunkKind::Sql, r.end, r.end, Some((name, at.0, at.1)));
                self.finish();
                return false;
            }
            // Between tokens.
            let Some(c) = r.byte(self.pos) else {
                if !r.eof {
                    return false;
                }
                let open = (st.begin_depth > 0).then(|| {
                    let (l, c) = st.atomic_at;
                    (UNTERMINATED_BEGIN_ATOMIC, l, c)
                });
                self.emit(r, ChunkKind::Sql, r.end, r.end, open);
                self.finish();
                return false;
            };
            // Insignificant: whitespace and comments (they keep BEGIN/FROM adjacency).
            if is_space(c) {
                self.pos += 1;
                continue;
            }
            let next = r.byte(self.pos + 1);
            if next.is_none() && !r.eof && (c == b'-' || c == b'/') {
                return false;
            }
            if c == b'-' && next == Some(b'-') {
                self.pos += 2;
                self.sub = Sub::LineComment;
                continue;
            }
            if c == b'/' && next == Some(b'*') {
                let at = self.position(r, self.pos);
                self.sub = Sub::Block {
                    depth: 1,
                    open: self.pos,
                    at,
                };
                self.pos += 2;
                continue;
            }
            let prev_begin = st.prev_begin.take();
            let prev_from = std::mem::take(&mut st.prev_from);
            match c {
                b';' => {
                    if st.begin_depth == 0 {
                        let copy = st.is_copy && st.from_stdin;
                        self.emit(r, ChunkKind::Sql, self.pos, self.pos + 1, None);
                        if copy {
                            // psql reads the data from the line after the one holding the `;`.
                            self.mode = Mode::CopyRest;
                        }
                        return true;
                    }
                    self.pos += 1;
                }
                b'\'' | b'"' => {
                    let at = self.position(r, self.pos);
                    self.sub = Sub::Quoted {
                        q: c,
                        esc: false,
                        at,
                    };
                    self.pos += 1;
                }
                b'$' => match dollar_delim(r.b, self.pos - r.base, r.eof) {
                    Delim::More => return false,
                    Delim::Yes(dl) => {
                        let at = self.position(r, self.pos);
                        let tag = r.slice(self.pos, self.pos + dl).to_vec();
                        self.pos += dl;
                        self.sub = Sub::Dollar { tag, m: 0, at };
                    }
                    Delim::No => {
                        // `$1` parameter (or a stray `$`).
                        self.pos += 1;
                        self.sub = Sub::Param;
                    }
                },
                b'(' => {
                    st.paren = st.paren.saturating_add(1);
                    self.pos += 1;
                }
                b')' => {
                    st.paren = st.paren.saturating_sub(1);
                    self.pos += 1;
                }
                c if is_ident_start(c) || c.is_ascii_digit() => {
                    self.sub = Sub::Word {
                        start: self.pos,
                        digit: c.is_ascii_digit(),
                        prev_begin,
                        prev_from,
                    };
                    self.pos += 1;
                }
                _ => self.pos += 1,
            }
        }
    }

    /// A meta-command line, to its `\n`.
    fn meta(&mut self, r: &mut Run<'_>) -> bool {
        let Mode::Meta { cr } = &mut self.mode else {
            return false;
        };
        let nl = r.find(self.pos, b'\n');
        let stop = nl.unwrap_or(r.end);
        if stop > self.pos {
            *cr = r.byte(stop - 1) == Some(b'\r');
        }
        let cr = *cr && stop - 1 > self.start;
        self.pos = stop;
        if nl.is_none() && !r.eof {
            return false;
        }
        let text_end = if cr { stop - 1 } else { stop };
        let end = nl.map_or(r.end, |n| n + 1);
        let copy = text_end - self.start <= r.limits.max_chunk
            && is_copy_from_stdin_meta(r.slice(self.start, text_end));
        self.emit(r, ChunkKind::Meta, text_end, end, None);
        if copy {
            self.begin_copy_data(r);
            return true;
        }
        if nl.is_none() {
            self.finish();
            return false;
        }
        true
    }

    /// After `COPY ... FROM stdin;`: the rest of its line.
    fn copy_rest(&mut self, r: &mut Run<'_>) -> bool {
        match r.find(self.pos, b'\n') {
            Some(n) => self.pos = n + 1,
            None if r.eof => self.pos = r.end,
            None => {
                self.pos = r.end;
                return false;
            }
        }
        self.begin_copy_data(r);
        true
    }

    fn begin_copy_data(&mut self, r: &Run<'_>) {
        self.begin(
            r,
            Mode::CopyData {
                line: self.pos,
                probe: 0,
            },
        );
    }

    /// COPY data, to its `\.` line.
    fn copy_data(&mut self, r: &mut Run<'_>) -> bool {
        let Mode::CopyData { line, probe } = &mut self.mode else {
            return false;
        };
        loop {
            let c = r.byte(self.pos);
            match (*probe, c) {
                (_, None) => break,
                (2 | 3, Some(b'\n')) => {
                    let (text_end, end) = (*line + 2, self.pos + 1);
                    self.emit(r, ChunkKind::CopyData, text_end, end, None);
                    return true;
                }
                (_, Some(b'\n')) => {
                    self.pos += 1;
                    *line = self.pos;
                    *probe = 0;
                }
                (0, Some(b'\\')) | (1, Some(b'.')) | (2, Some(b'\r')) => {
                    *probe += 1;
                    self.pos += 1;
                }
                (4, _) => {
                    self.pos = r.find(self.pos, b'\n').unwrap_or(r.end);
                }
                _ => *probe = 4,
            }
        }
        if !r.eof {
            return false;
        }
        let (l, p) = (*line, *probe);
        if p == 2 || p == 3 {
            // `\.` on the last line, without a newline, ends the data too.
            self.emit(r, ChunkKind::CopyData, l + 2, r.end, None);
        } else {
            let (sl, sc) = self.start_at;
            let open = Some((UNTERMINATED_COPY_DATA, sl, sc));
            self.emit(r, ChunkKind::CopyData, r.end, r.end, open);
        }
        self.finish();
        false
    }
}

enum Step {
    /// The construct ended.
    Done,
    /// The input ends before it does; give more.
    More,
    /// The input ended inside it.
    Eof,
}

/// One call of [`Lexer::run`]: the input from `base` to `end`.
struct Run<'b> {
    b: &'b [u8],
    base: usize,
    end: usize,
    eof: bool,
    limits: Limits,
    out: &'b mut dyn FnMut(Found),
}

impl Run<'_> {
    #[inline]
    fn byte(&self, i: usize) -> Option<u8> {
        self.b.get(i.wrapping_sub(self.base)).copied()
    }

    fn slice(&self, a: usize, e: usize) -> &[u8] {
        a.checked_sub(self.base)
            .zip(e.checked_sub(self.base))
            .and_then(|(a, e)| self.b.get(a..e))
            .unwrap_or(&[])
    }

    fn find(&self, from: usize, n: u8) -> Option<usize> {
        self.slice(from, self.end)
            .iter()
            .position(|&c| c == n)
            .map(|p| p + from)
    }

    fn find_newline(&self, from: usize) -> Option<usize> {
        find_newline(self.slice(from, self.end), 0).map(|p| p + from)
    }

    /// End (exclusive) of a quoted token whose opening quote was before `from`; a doubled
    /// quote stays inside; with `esc`, a backslash escapes the next byte. `Err(p)`: the
    /// input ends first; read again from `p`.
    fn quoted_end(&self, from: usize, q: u8, esc: bool) -> Result<usize, usize> {
        let mut j = from;
        loop {
            let Some(c) = self.byte(j) else {
                return Err(j.min(self.end));
            };
            if c == q {
                match self.byte(j + 1) {
                    Some(n) if n == q => j += 2,
                    None if !self.eof => return Err(j),
                    _ => return Ok(j + 1),
                }
                continue;
            }
            if esc && c == b'\\' {
                if self.byte(j + 1).is_none() && !self.eof {
                    return Err(j);
                }
                j += 2;
            } else {
                j += 1;
            }
        }
    }

    /// End (exclusive) of a dollar-quoted body closed by `tag`, `m` bytes of which were
    /// matched just before `from`. Linear: the tag contains no `$` but its first and last
    /// byte, so a failed match resumes at the byte that failed. `Err(p)`: the input ends
    /// first; read again from `p` (with `m` updated).
    fn dollar_end(&self, from: usize, tag: &[u8], m: &mut usize) -> Result<usize, usize> {
        let mut j = from;
        loop {
            if *m == 0 {
                match self.find(j, b'$') {
                    Some(p) => {
                        *m = 1;
                        j = p + 1;
                    }
                    None => return Err(self.end),
                }
            }
            while *m < tag.len() {
                let Some(c) = self.byte(j) else {
                    return Err(j);
                };
                if c != tag[*m] {
                    break;
                }
                *m += 1;
                j += 1;
            }
            if *m == tag.len() {
                return Ok(j);
            }
            // Mismatch at `j`: it may start the next candidate.
            *m = 0;
        }
    }
}
#[cfg(test)]
mod tests {
    use super::{split, split_read_blocks, OwnedChunk};

    fn streamed(text: &[u8], block: usize) -> std::io::Result<Vec<OwnedChunk>> {
        let mut got = Vec::new();
        split_read_blocks(text, block, &mut |c| got.push(c.into()))?;
        Ok(got)
    }

    #[test]
    fn reading_in_blocks_gives_the_chunks_of_the_whole_text() {
        let text = "\u{feff}CREATE TABLE é (a int); -- ü\n\\set x 1\r\nCOPY t (a) FROM stdin;\n1\n2\n\\.\nSELECT $f$ ; $f$;\n/* open";
        let whole: Vec<OwnedChunk> = split(text).chunks.into_iter().map(Into::into).collect();
        assert!(whole.iter().any(|c| c.kind == super::ChunkKind::CopyData));
        for block in 1..40 {
            assert_eq!(
                streamed(text.as_bytes(), block).unwrap(),
                whole,
                "block {block}"
            );
        }
    }

    #[test]
    fn reading_in_blocks_names_the_offset_of_invalid_utf8() {
        let e = streamed(b"SELECT 1;\nSELECT '\xc3\x28';", 4).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidData);
        assert!(e.to_string().contains("offset 18"), "{e}");
        // A character cut by a block boundary is not an error.
        assert_eq!(streamed("SELECT 'ü';".as_bytes(), 9).unwrap().len(), 1);
    }

    use super::*;

    /// Assert the tiling property and the per-chunk invariants; returns the split.
    fn check(input: &str) -> Split<'_> {
        check_with(input, Limits::default())
    }

    /// [`check`] with given limits; also checks that reading in blocks gives the same
    /// chunks.
    fn check_with(input: &str, limits: Limits) -> Split<'_> {
        let mut chunks = Vec::new();
        let trailer = split_each_with(input, limits, &mut |c| chunks.push(c));
        let s = Split { chunks, trailer };
        let base = if input.starts_with('\u{feff}') { 3 } else { 0 };
        let addr = |x: &str| x.as_ptr() as usize - input.as_ptr() as usize;
        let mut cursor = base;
        for c in &s.chunks {
            let p0 = c.offset - c.prefix_len();
            assert_eq!(p0, cursor, "gap before chunk {c:?} in {input:?}");
            if c.prefix_cut() {
                assert!(c.prefix_len() > limits.max_chunk && c.prefix.is_empty());
            } else {
                assert_eq!(addr(c.prefix), p0, "prefix not in place: {c:?}");
            }
            assert_eq!(addr(c.text), c.offset, "text not in place: {c:?}");
            let text_end = c.offset + c.text_len();
            if c.text_cut() {
                assert!(c.text_len() > limits.max_chunk, "{c:?}");
                assert_eq!(c.text, head(&input[c.offset..text_end], limits.head_len()));
            } else {
                assert!(c.text_len() <= limits.max_chunk, "{c:?}");
            }
            assert_eq!(c.cut.is_some(), c.text_cut() || c.prefix_cut(), "{c:?}");
            assert!(text_end <= c.end && c.end <= input.len(), "{c:?}");
            let tail = &input[text_end..c.end];
            let text = &input[c.offset..text_end];
            match c.kind {
                ChunkKind::Sql => {
                    assert!(!text.is_empty(), "empty Sql chunk in {input:?}");
                    if c.terminated {
                        assert_eq!(tail, ";");
                    } else {
                        assert_eq!(tail, "");
                        assert_eq!(c.end, input.len());
                    }
                    let first = text.as_bytes()[0];
                    assert!(!is_space(first) && first != b';', "{c:?}");
                }
                ChunkKind::Meta | ChunkKind::CopyData => {
                    assert!(!c.terminated);
                    assert!(
                        matches!(tail, "" | "\r" | "\n" | "\r\n"),
                        "tail {tail:?} of {c:?}"
                    );
                    if !tail.ends_with('\n') {
                        assert_eq!(c.end, input.len());
                    }
                }
            }
            // line/col recomputed naively
            let (l, col) = naive_line_col(input, base, c.offset);
            assert_eq!((c.line, c.col), (l, col), "position of {c:?} in {input:?}");
            if let Some((_, ul, uc)) = c.unterminated {
                assert!((ul, uc) >= (c.line, c.col), "{c:?}");
                assert_eq!(c.end, input.len());
            }
            cursor = c.end;
        }
        assert_eq!(addr(s.trailer), cursor);
        assert_eq!(
            cursor + s.trailer.len(),
            input.len(),
            "trailer in {input:?}"
        );
        let whole: Vec<OwnedChunk> = s.chunks.iter().cloned().map(Into::into).collect();
        for block in [1, 3, 8, 4096] {
            let mut got: Vec<OwnedChunk> = Vec::new();
            split_read_with(input.as_bytes(), block, limits, &mut |c| got.push(c.into())).unwrap();
            assert_eq!(got, whole, "block {block}, {limits:?}, {input:?}");
        }
        s
    }

    fn naive_line_col(input: &str, base: usize, off: usize) -> (u32, u32) {
        let (mut l, mut c) = (1, 1);
        for ch in input[base..off].chars() {
            if ch == '\n' {
                l += 1;
                c = 1;
            } else {
                c += 1;
            }
        }
        (l, c)
    }

    fn texts<'a>(s: &Split<'a>) -> Vec<&'a str> {
        s.chunks.iter().map(|c| c.text).collect()
    }

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
    fn trailing_whitespace_kept_in_text() {
        let s = check("SELECT 1  \n ;\n");
        assert_eq!(texts(&s), vec!["SELECT 1  \n "]);
        assert_eq!(s.trailer, "\n");
    }

    #[test]
    fn comments_go_to_prefix_including_alembic_marker() {
        let input = "-- Running upgrade  -> abc123\n\n/* block */\n-- pg2tidb: ignore[x]\nCREATE TABLE t (a int);\n-- Running upgrade abc123 -> def456\n\nALTER TABLE t ADD b int;\n-- bye\n";
        let s = check(input);
        assert_eq!(s.chunks.len(), 2);
        assert_eq!(
            s.chunks[0].prefix,
            "-- Running upgrade  -> abc123\n\n/* block */\n-- pg2tidb: ignore[x]\n"
        );
        assert_eq!(s.chunks[0].text, "CREATE TABLE t (a int)");
        assert_eq!(s.chunks[0].line, 5);
        assert_eq!(
            s.chunks[1].prefix,
            "\n-- Running upgrade abc123 -> def456\n\n"
        );
        assert_eq!(s.chunks[1].line, 8);
        assert_eq!(s.trailer, "\n-- bye\n");
    }

    #[test]
    fn comments_inside_statement_stay_in_text() {
        let s = check("SELECT 1 -- one; two\n, 2 /* ; */;SELECT 3;");
        assert_eq!(
            texts(&s),
            vec!["SELECT 1 -- one; two\n, 2 /* ; */", "SELECT 3"]
        );
    }

    #[test]
    fn nested_block_comments() {
        let s = check("/* a /* b; */ c; */ SELECT /* x /* y */ ; */ 1; SELECT 2;");
        assert_eq!(texts(&s), vec!["SELECT /* x /* y */ ; */ 1", "SELECT 2"]);
        assert_eq!(s.chunks[0].prefix, "/* a /* b; */ c; */ ");
    }

    #[test]
    fn strings_with_semicolons_and_dashes() {
        let s = check("INSERT INTO t VALUES ('a;b', '-- no', '/* no');SELECT 'it''s; ok';");
        assert_eq!(
            texts(&s),
            vec![
                "INSERT INTO t VALUES ('a;b', '-- no', '/* no')",
                "SELECT 'it''s; ok'"
            ]
        );
    }

    #[test]
    fn escape_strings() {
        let s = check(r"SELECT E'O\'Brien; x', e'\\', E'a''b;';SELECT 2;");
        assert_eq!(
            texts(&s),
            vec![r"SELECT E'O\'Brien; x', e'\\', E'a''b;'", "SELECT 2"]
        );
        // `somE'...'` is an identifier followed by a plain string.
        let s = check(r"SELECT somE'a\';SELECT 2;");
        assert_eq!(texts(&s), vec![r"SELECT somE'a\'", "SELECT 2"]);
    }

    #[test]
    fn plain_string_ending_with_backslash() {
        let s = check(r"COMMENT ON TABLE t IS 'C:\path\';SELECT 2;");
        assert_eq!(
            texts(&s),
            vec![r"COMMENT ON TABLE t IS 'C:\path\'", "SELECT 2"]
        );
        let s = check(r"SELECT U&'d\0061t;', B'101', X'ff;', N'x;';SELECT 2;");
        assert_eq!(s.chunks.len(), 2);
    }

    #[test]
    fn double_quoted_identifiers() {
        let s = check(r#"CREATE TABLE "we;ird""--" ("a'b" int);SELECT 2;"#);
        assert_eq!(
            texts(&s),
            vec![r#"CREATE TABLE "we;ird""--" ("a'b" int)"#, "SELECT 2"]
        );
    }

    #[test]
    fn dollar_quotes() {
        let input = "CREATE FUNCTION f() RETURNS text AS $$ SELECT ';'; $$ LANGUAGE sql;\n\
                     CREATE FUNCTION g() RETURNS text AS $fn$ BEGIN RETURN $$x;$$ || 'it''s'; END; $fn$ LANGUAGE plpgsql;\n\
                     DO $_a1$ BEGIN NULL; $_a$ ; $_a1 $_a1$;\n\
                     SELECT $a$$b$ ; $a$;";
        let s = check(input);
        assert_eq!(s.chunks.len(), 4, "{:#?}", s.chunks);
        assert!(s.chunks[1].text.ends_with("$fn$ LANGUAGE plpgsql"));
        assert_eq!(s.chunks[2].text, "DO $_a1$ BEGIN NULL; $_a$ ; $_a1 $_a1$");
        assert_eq!(s.chunks[3].text, "SELECT $a$$b$ ; $a$");
    }

    #[test]
    fn parameters_and_identifiers_with_dollar() {
        let s =
            check("PREPARE p AS SELECT $1, $2;SELECT a$b$ ; SELECT x FROM t$1$;SELECT 1$$;$$a$$;");
        assert_eq!(
            texts(&s),
            vec![
                "PREPARE p AS SELECT $1, $2",
                "SELECT a$b$ ",
                "SELECT x FROM t$1$",
                "SELECT 1$$",
                "$$a$$"
            ]
        );
        assert!(s.chunks.iter().all(|c| c.unterminated.is_none()));
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
    fn crlf_and_lone_cr() {
        let input = "SELECT 1;\r\n-- c\r\nSELECT\r2;\rSELECT 3;\n\r\nSELECT 4\r\n";
        let s = check(input);
        assert_eq!(
            texts(&s),
            vec!["SELECT 1", "SELECT\r2", "SELECT 3", "SELECT 4\r\n"]
        );
        assert_eq!(s.chunks[1].prefix, "\r\n-- c\r\n");
        assert_eq!((s.chunks[1].line, s.chunks[1].col), (3, 1));
        assert_eq!((s.chunks[2].line, s.chunks[2].col), (3, 11));
        assert_eq!((s.chunks[3].line, s.chunks[3].col), (5, 1));
    }

    #[test]
    fn a_lone_cr_ends_a_line_comment_as_in_postgresql() {
        // Between statements: what follows the comment's `\r` is the next statement.
        let s = check("SELECT 1; -- one\rSELECT 2;\r-- two\rSELECT 3 -- three\r;\r");
        assert_eq!(
            texts(&s),
            vec!["SELECT 1", "SELECT 2", "SELECT 3 -- three\r"]
        );
        assert_eq!(s.chunks[1].prefix, " -- one\r");
        assert_eq!((s.chunks[1].line, s.chunks[1].col), (1, 18));
        assert_eq!(s.chunks[2].prefix, "\r-- two\r");
        // Inside a statement: the `;` after the comment's `\r` ends it.
        let s = check("CREATE TABLE t (a int -- c\r); CREATE TABLE u (b int);\n");
        assert_eq!(
            texts(&s),
            vec!["CREATE TABLE t (a int -- c\r)", "CREATE TABLE u (b int)"]
        );
        // A meta-command still runs to the end of its line (psql reads lines).
        let s = check("-- x\r\\set a 1\rSELECT 1;\nSELECT 2;");
        assert_eq!(texts(&s), vec!["\\set a 1\rSELECT 1;", "SELECT 2"]);
        // Block comments are not line comments.
        let s = check("/* a\r;*/ SELECT 1;");
        assert_eq!(texts(&s), vec!["SELECT 1"]);
        let comments: Vec<_> = gap_comments("-- a\r-- b\r\n/* -- c */ -- d").collect();
        assert_eq!(comments, vec![(0, "-- a"), (5, "-- b"), (22, "-- d")]);
    }

    /// An endless reader: `head` then `fill` repeated to `len` bytes, then `tail`.
    struct Endless {
        /// (bytes, total length, read so far)
        parts: Vec<(Vec<u8>, usize, usize)>,
    }

    impl std::io::Read for Endless {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            while let Some((bytes, len, done)) = self.parts.first_mut() {
                if done == len {
                    self.parts.remove(0);
                    continue;
                }
                let n = out.len().min(*len - *done);
                for (i, o) in out[..n].iter_mut().enumerate() {
                    *o = bytes[(*done + i) % bytes.len()];
                }
                *done += n;
                return Ok(n);
            }
            Ok(0)
        }
    }

    fn endless(parts: &[(&str, usize)]) -> Endless {
        Endless {
            parts: parts
                .iter()
                .map(|(s, n)| (s.as_bytes().to_vec(), *n, 0))
                .collect(),
        }
    }

    #[test]
    fn chunks_over_the_limit_are_cut_and_scanned_to_their_end() {
        let limits = Limits {
            max_chunk: 1000,
            head: 10,
        };
        let mut got = Vec::new();
        let input = endless(&[
            ("SELECT 1;\n", 10),
            ("(", 5_000_000),
            (";\n", 2),
            (" ", 3_000_000),
            ("COPY t FROM stdin;\n", 19),
            ("1\tx\n", 4_000_000),
            ("\\.\nSELECT 2;", 12),
        ]);
        split_read_with(input, 4096, limits, &mut |c| got.push(OwnedChunk::from(c))).unwrap();
        let texts: Vec<&str> = got.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "SELECT 1",
                "((((((((((",
                "COPY t FROM stdin",
                "1\tx\n1\tx\n1\t",
                "SELECT 2"
            ]
        );
        assert_eq!(
            got[1].cut,
            Some(Cut {
                prefix_len: 1,
                text_len: 5_000_000
            })
        );
        assert_eq!(got[1].end, 10 + 5_000_001);
        assert!(got[1].terminated);
        assert_eq!(
            got[2].cut,
            Some(Cut {
                prefix_len: 3_000_001,
                text_len: 17
            })
        );
        assert_eq!(got[2].prefix, "");
        assert_eq!((got[2].line, got[2].col), (3, 3_000_001));
        assert_eq!(
            got[3].cut,
            Some(Cut {
                prefix_len: 1,
                text_len: 4_000_002
            })
        );
        assert_eq!(got[3].unterminated, None);
        assert_eq!((got[4].line, got[4].col), (1_000_005, 1));
        assert_eq!(got[4].cut, None);
    }

    #[test]
    fn pg_dump_meta_and_copy() {
        let input = "--\n-- PostgreSQL database dump\n--\n\n\\restrict abcDEF123\n\
                     SET statement_timeout = 0;\n\\connect mydb\n\
                     COPY public.people (id, name) FROM stdin;\n\
                     1\tO'Brien; -- x\n2\t$$ /* \\N\n\\.\n\
                     SELECT 1;\n\\unrestrict abcDEF123\n";
        let s = check(input);
        let kinds: Vec<_> = s.chunks.iter().map(|c| c.kind).collect();
        use ChunkKind::*;
        assert_eq!(kinds, vec![Meta, Sql, Meta, Sql, CopyData, Sql, Meta]);
        assert_eq!(s.chunks[0].text, "\\restrict abcDEF123");
        assert_eq!(s.chunks[0].line, 5);
        assert!(!s.chunks[0].terminated);
        assert_eq!(s.chunks[2].text, "\\connect mydb");
        assert_eq!(s.chunks[2].prefix, "\n");
        assert_eq!(s.chunks[3].prefix, "");
        assert_eq!(s.chunks[3].text, "COPY public.people (id, name) FROM stdin");
        assert_eq!(s.chunks[4].prefix, "\n");
        assert_eq!(s.chunks[4].text, "1\tO'Brien; -- x\n2\t$$ /* \\N\n\\.");
        assert_eq!((s.chunks[4].line, s.chunks[4].col), (9, 1));
        assert_eq!(s.chunks[4].unterminated, None);
        assert!(!s.chunks[4].terminated);
        assert_eq!(s.chunks[5].text, "SELECT 1");
        assert_eq!(s.chunks[5].prefix, "");
        assert_eq!(s.chunks[6].text, "\\unrestrict abcDEF123");
        assert_eq!(s.trailer, "");
    }

    #[test]
    fn meta_directly_followed_by_copy_crlf() {
        let input = "\\connect db\r\ncopy t from STDIN with (format text); -- rest\r\na\tb\r\n\\.\r\n\\unrestrict k";
        let s = check(input);
        use ChunkKind::*;
        let kinds: Vec<_> = s.chunks.iter().map(|c| c.kind).collect();
        assert_eq!(kinds, vec![Meta, Sql, CopyData, Meta]);
        assert_eq!(s.chunks[0].text, "\\connect db");
        assert_eq!(s.chunks[0].end, 13);
        assert_eq!(s.chunks[2].prefix, " -- rest\r\n");
        assert_eq!(s.chunks[2].text, "a\tb\r\n\\.");
        assert_eq!(s.chunks[3].text, "\\unrestrict k");
        assert_eq!(s.chunks[3].end, input.len());
    }

    #[test]
    fn meta_after_statement_on_same_line() {
        let s = check("SELECT 1; \\set x 1\nSELECT 2; \\echo a \\\\ b");
        use ChunkKind::*;
        let kinds: Vec<_> = s.chunks.iter().map(|c| c.kind).collect();
        assert_eq!(kinds, vec![Sql, Meta, Sql, Meta]);
        assert_eq!(s.chunks[1].text, "\\set x 1");
        assert_eq!(s.chunks[3].text, "\\echo a \\\\ b");
    }

    #[test]
    fn backslash_inside_statement_is_text() {
        let s = check("SELECT 1\n\\g\n;");
        assert_eq!(texts(&s), vec!["SELECT 1\n\\g\n"]);
    }

    #[test]
    fn copy_without_terminator() {
        let input = "COPY t FROM stdin;\n1\tx\n2\ty\n\\.x\n";
        let s = check(input);
        assert_eq!(s.chunks.len(), 2);
        let d = &s.chunks[1];
        assert_eq!(d.kind, ChunkKind::CopyData);
        assert_eq!(d.text, "1\tx\n2\ty\n\\.x\n");
        assert_eq!(d.unterminated, Some((UNTERMINATED_COPY_DATA, 2, 1)));
        assert_eq!(d.unterminated.unwrap().0, "COPY data (missing \\.)");
        // COPY statement at the very end: empty, unterminated data.
        let s = check("COPY t FROM stdin;");
        assert_eq!(s.chunks.len(), 2);
        assert_eq!(s.chunks[1].text, "");
        assert_eq!(
            s.chunks[1].unterminated,
            Some((UNTERMINATED_COPY_DATA, 1, 19))
        );
        // `\.` on the last line without newline terminates.
        let s = check("COPY t FROM stdin;\n1\n\\.");
        assert_eq!(s.chunks[1].text, "1\n\\.");
        assert_eq!(s.chunks[1].unterminated, None);
        // Unterminated COPY statement (no `;`): no data.
        let s = check("COPY t FROM stdin");
        assert_eq!(s.chunks.len(), 1);
    }

    #[test]
    fn copy_detection_is_precise() {
        use ChunkKind::*;
        // Not FROM stdin.
        let s = check("COPY t TO stdout;\nSELECT 1;\n");
        assert!(s.chunks.iter().all(|c| c.kind == Sql));
        let s = check("COPY (SELECT stdin FROM stdin) TO stdout;\nSELECT 1;\n");
        assert!(s.chunks.iter().all(|c| c.kind == Sql));
        let s = check("SELECT 1 FROM stdin;\nSELECT 1;\n");
        assert!(s.chunks.iter().all(|c| c.kind == Sql));
        // Comment between FROM and STDIN, lower case, options.
        let s = check("copy t (a) from /* c */ STDIN (FORMAT csv);\n'x;\n\\.\nSELECT 1;");
        let kinds: Vec<_> = s.chunks.iter().map(|c| c.kind).collect();
        assert_eq!(kinds, vec![Sql, CopyData, Sql]);
        // \copy meta-command with data from the script.
        let s = check("\\copy t from stdin\n1;'\n\\.\nSELECT 1;\n\\copy t to stdout\nSELECT 2;");
        let kinds: Vec<_> = s.chunks.iter().map(|c| c.kind).collect();
        assert_eq!(kinds, vec![Meta, CopyData, Sql, Meta, Sql]);
        assert_eq!(s.chunks[1].prefix, "");
        assert_eq!(s.chunks[1].text, "1;'\n\\.");
    }

    #[test]
    fn begin_atomic() {
        let input = "CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql\n\
                     BEGIN ATOMIC\n  SELECT CASE WHEN x > 0 THEN 1 ELSE 2 END;\n  SELECT (CASE x WHEN 1 THEN 1 END);\n  SELECT ';';\nEND;\n\
                     CREATE PROCEDURE p() begin /* c */ atomic insert into t values (1); end ;\n\
                     SELECT 1;";
        let s = check(input);
        assert_eq!(s.chunks.len(), 3, "{:#?}", s.chunks);
        assert!(s.chunks[0].text.ends_with("SELECT ';';\nEND"));
        assert!(s.chunks[0].terminated);
        assert_eq!(
            s.chunks[1].text,
            "CREATE PROCEDURE p() begin /* c */ atomic insert into t values (1); end "
        );
        assert_eq!(s.chunks[2].text, "SELECT 1");
    }

    #[test]
    fn begin_without_atomic_or_not_a_routine_splits_normally() {
        let s = check("BEGIN; SELECT 1; END;");
        assert_eq!(texts(&s), vec!["BEGIN", "SELECT 1", "END"]);
        let s = check("CREATE TABLE atomic (begin int); SELECT 1;");
        assert_eq!(s.chunks.len(), 2);
        let s = check("SELECT begin atomic; SELECT 1; END;");
        assert_eq!(s.chunks.len(), 3);
        let s = check("CREATE FUNCTION f() AS 'begin atomic'; SELECT 1;");
        assert_eq!(s.chunks.len(), 2);
        // BEGIN and ATOMIC must be adjacent tokens.
        let s = check("CREATE FUNCTION f() BEGIN x ATOMIC; SELECT 1;");
        assert_eq!(s.chunks.len(), 2);
    }

    #[test]
    fn begin_atomic_missing_end() {
        let s = check(
            "SELECT 0;\nCREATE FUNCTION f() RETURNS int\n  BEGIN ATOMIC SELECT 1; SELECT 2;\n",
        );
        assert_eq!(s.chunks.len(), 2);
        let c = &s.chunks[1];
        assert!(!c.terminated);
        assert_eq!(c.unterminated, Some((UNTERMINATED_BEGIN_ATOMIC, 3, 3)));
        assert_eq!(s.trailer, "");
    }

    #[test]
    fn unterminated_constructs() {
        let s = check("SELECT 1;\nSELECT 'abc;\nSELECT 2;");
        assert_eq!(s.chunks.len(), 2);
        assert_eq!(s.chunks[1].text, "SELECT 'abc;\nSELECT 2;");
        assert_eq!(
            s.chunks[1].unterminated,
            Some((UNTERMINATED_SINGLE_QUOTE, 2, 8))
        );
        assert!(!s.chunks[1].terminated);

        let s = check("SELECT E'x\\';");
        assert_eq!(
            s.chunks[0].unterminated,
            Some((UNTERMINATED_SINGLE_QUOTE, 1, 8))
        );

        let s = check("SELECT \"abc; x");
        assert_eq!(
            s.chunks[0].unterminated,
            Some((UNTERMINATED_DOUBLE_QUOTE, 1, 8))
        );

        let s = check("SELECT 1;\nDO $body$ BEGIN; $$ ; $body ;\n");
        let c = &s.chunks[1];
        assert_eq!(c.unterminated, Some((UNTERMINATED_DOLLAR_QUOTE, 2, 4)));
        assert_eq!(c.unterminated_dollar_tag(), Some("$body$"));
        assert_eq!(s.chunks[0].unterminated_dollar_tag(), None);

        let s = check("SELECT é, $$x");
        assert_eq!(s.chunks[0].unterminated_dollar_tag(), Some("$$"));

        let s = check("SELECT 1 /* a /* b */ ;\n");
        assert_eq!(
            s.chunks[0].unterminated,
            Some((UNTERMINATED_BLOCK_COMMENT, 1, 10))
        );
        assert_eq!(s.trailer, "");
    }

    #[test]
    fn unterminated_comment_in_gap_becomes_chunk() {
        let s = check("SELECT 1;\n  /* open /* nested */ still open;\nSELECT 2;\n");
        assert_eq!(s.chunks.len(), 2);
        let c = &s.chunks[1];
        assert_eq!(c.kind, ChunkKind::Sql);
        assert_eq!(c.prefix, "\n  ");
        assert!(c.text.starts_with("/* open"));
        assert_eq!(c.unterminated, Some((UNTERMINATED_BLOCK_COMMENT, 2, 3)));
        assert_eq!(s.trailer, "");
        let s = check("/*");
        assert_eq!(s.chunks.len(), 1);
        assert_eq!(s.chunks[0].text, "/*");
    }

    #[test]
    fn last_statement_without_semicolon() {
        let s = check("SELECT 1;\nSELECT 2 -- done\n");
        assert_eq!(s.chunks[1].text, "SELECT 2 -- done\n");
        assert!(!s.chunks[1].terminated);
        assert_eq!(s.chunks[1].unterminated, None);
        assert_eq!(s.trailer, "");
    }

    #[test]
    fn empty_statements() {
        let s = check(";; SELECT 1;; ;\n-- c\n;SELECT 2;;");
        assert_eq!(texts(&s), vec!["SELECT 1", "SELECT 2"]);
        assert_eq!(s.chunks[0].prefix, ";; ");
        assert_eq!(s.chunks[1].prefix, "; ;\n-- c\n;");
        assert_eq!(s.trailer, ";");
        let s = check(";");
        assert!(s.chunks.is_empty());
        assert_eq!(s.trailer, ";");
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

    #[test]
    fn dollar_scan_is_linear_on_adversarial_input() {
        // `$aaaa…$` opened, body full of near-miss delimiters.
        let tag = "a".repeat(2000);
        let mut input = format!("SELECT ${tag}$ ");
        for _ in 0..2000 {
            input.push('$');
            input.push_str(&tag[..1999]);
        }
        input.push_str(&format!("${tag}$;SELECT 2;"));
        let s = check(&input);
        assert_eq!(s.chunks.len(), 2);
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
