//! psql-aware lexical statement splitter.
//!
//! [`split`] cuts a PostgreSQL script (as produced by `pg_dump`, Alembic's offline mode, or
//! written by hand) into [`Chunk`]s the way `psql` would feed it to the server:
//!
//! * SQL statements end at a top-level `;` (outside quotes, dollar quotes and comments).
//!   Parentheses do not matter, except for psql's `BEGIN ATOMIC ... END` rule for
//!   `CREATE [OR REPLACE] FUNCTION|PROCEDURE` (see [`ChunkKind::Sql`]).
//! * A backslash where a statement would start is a psql meta-command running to end of line
//!   ([`ChunkKind::Meta`]).
//! * After `COPY ... FROM stdin;` (or a `\copy ... from stdin` meta-command) the following
//!   lines up to a line consisting of exactly `\.` are raw data ([`ChunkKind::CopyData`]).
//!
//! The splitter is purely lexical, single pass, linear time, never panics and never loses
//! text: for every chunk the byte range `[offset - prefix.len(), end)` is consumed, and these
//! ranges followed by [`Split::trailer`] tile the input exactly (after a leading BOM).

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
    /// markers are read from here by later stages. Empty statements (a lone `;`) also land
    /// here. For [`ChunkKind::CopyData`] it is the rest of the `COPY` line after its `;`.
    pub prefix: S,
    /// The statement text, from its first significant character up to (not including) the
    /// `;` or end of input. Trailing whitespace before the `;` is kept inside text.
    /// Never empty for [`ChunkKind::Sql`].
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
    let b = input.as_bytes();
    let base = if b.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    let mut sc = Scanner {
        src: input,
        b,
        lc: LineCol {
            base,
            off: base,
            line: 1,
            col: 1,
        },
        each,
    };
    let trailer_start = sc.run(base);
    sub(input, trailer_start, b.len())
}

/// Chunks found in a buffer that starts at input byte `start`, to `each`.
fn hand_on(chunks: Vec<Chunk<'_>>, start: usize, each: &mut dyn FnMut(Chunk<'_>)) {
    for mut c in chunks {
        c.offset += start;
        c.end += start;
        each(c);
    }
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
        }
    }
}

/// How much [`split_read`] reads at a time (at least; a statement longer
/// than its buffer doubles the read).
pub const READ_BLOCK: usize = 1 << 20;

/// [`split_each`] over a reader, holding only the statement being read (and
/// one block) instead of the whole input: the same chunks with the same
/// offsets, lines and columns, handed to `each` in order. Invalid UTF-8 is
/// an `InvalidData` error naming the byte offset.
pub fn split_read(r: impl std::io::Read, each: &mut dyn FnMut(Chunk<'_>)) -> std::io::Result<()> {
    split_read_blocks(r, READ_BLOCK, each)
}

/// [`split_read`] with a given block size (tests use tiny blocks).
pub fn split_read_blocks(
    mut r: impl std::io::Read,
    block: usize,
    each: &mut dyn FnMut(Chunk<'_>),
) -> std::io::Result<()> {
    use std::io::Read as _;
    // `buf` holds the input from byte `start` on; `raw` bytes read but not
    // yet whole characters; `lc` is the position of `buf[0]`.
    let (mut buf, mut raw, mut start) = (String::new(), Vec::<u8>::new(), 0usize);
    let mut lc = LineCol {
        base: 0,
        off: 0,
        line: 1,
        col: 1,
    };
    let mut first = true;
    loop {
        let want = block.max(buf.len()).max(1);
        let n = (&mut r).take(want as u64).read_to_end(&mut raw)?;
        let eof = n < want;
        if first {
            // A leading BOM belongs to no chunk (offsets still count it).
            if raw.len() < 3 && !eof {
                continue;
            }
            first = false;
            if raw.starts_with(b"\xEF\xBB\xBF") {
                raw.drain(..3);
                start = 3;
            }
        }
        let valid = match std::str::from_utf8(&raw) {
            Ok(_) => raw.len(),
            Err(e) if e.error_len().is_none() && !eof => e.valid_up_to(),
            Err(e) => {
                let off = start + buf.len() + e.valid_up_to();
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("not valid UTF-8 at byte offset {off}"),
                ));
            }
        };
        buf.push_str(std::str::from_utf8(&raw[..valid]).unwrap_or_default());
        raw.drain(..valid);
        let mut chunks = Vec::new();
        let mut sc = Scanner {
            src: &buf,
            b: buf.as_bytes(),
            lc: lc.clone(),
            each: &mut |c| chunks.push(c),
        };
        sc.run(0);
        if eof {
            hand_on(chunks, start, each);
            return Ok(());
        }
        // The last chunk may grow with more input; a COPY statement stays
        // with its data block (the scanner reads the data right after it).
        let mut keep = chunks.len().saturating_sub(1);
        while keep > 0 && chunks[keep].kind == ChunkKind::CopyData {
            keep -= 1;
        }
        if keep == 0 {
            continue;
        }
        let cut = chunks[keep - 1].end;
        chunks.truncate(keep);
        hand_on(chunks, start, each);
        lc.at(buf.as_bytes(), cut);
        lc.off = 0;
        buf.drain(..cut);
        start += cut;
    }
}

// ---------------------------------------------------------------------------------------------
// Byte helpers
// ---------------------------------------------------------------------------------------------

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

/// Index of the first `n` at or after `from`.
#[inline]
fn find_byte(b: &[u8], from: usize, n: u8) -> Option<usize> {
    b.get(from..)?
        .iter()
        .position(|&c| c == n)
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
    if at(b, i) != b'$' {
        return None;
    }
    let mut j = i + 1;
    if at(b, j) == b'$' {
        return Some(2);
    }
    if !is_ident_start(at(b, j)) {
        return None;
    }
    j += 1;
    while is_dolq_cont(at(b, j)) {
        j += 1;
    }
    if at(b, j) == b'$' {
        Some(j + 1 - i)
    } else {
        None
    }
}

/// End (exclusive) of the dollar-quoted string whose `dl`-byte delimiter starts at `i`.
/// Linear: the tag contains no `$`, so after a partial match of `m` bytes the next
/// candidate `$` cannot be before `p + m`.
fn dollar_end(b: &[u8], i: usize, dl: usize) -> Option<usize> {
    let delim = b.get(i..i + dl)?;
    let mut k = i + dl;
    while let Some(p) = find_byte(b, k, b'$') {
        let mut m = 1;
        while m < dl && at(b, p + m) == delim[m] {
            m += 1;
        }
        if m == dl {
            return Some(p + dl);
        }
        k = p + m;
    }
    None
}

/// End (exclusive) of a quoted token whose opening quote `q` is at `i`; a doubled quote
/// stays inside. With `backslash`, a backslash escapes the next byte (E'...' strings).
fn quoted_end(b: &[u8], i: usize, q: u8, backslash: bool) -> Option<usize> {
    let mut j = i + 1;
    loop {
        let c = *b.get(j)?;
        if c == q {
            if at(b, j + 1) == q {
                j += 2;
                continue;
            }
            return Some(j + 1);
        }
        j += if backslash && c == b'\\' { 2 } else { 1 };
    }
}

/// End (exclusive) of the (nesting) block comment whose `/*` is at `i`.
fn block_comment_end(b: &[u8], i: usize) -> Option<usize> {
    let mut depth = 1usize;
    let mut j = i + 2;
    while j < b.len() {
        let c = at(b, j);
        if c == b'/' && at(b, j + 1) == b'*' {
            depth += 1;
            j += 2;
        } else if c == b'*' && at(b, j + 1) == b'/' {
            depth -= 1;
            j += 2;
            if depth == 0 {
                return Some(j);
            }
        } else {
            j += 1;
        }
    }
    None
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
// Line/column tracking (monotonic, amortised linear)
// ---------------------------------------------------------------------------------------------

#[derive(Clone)]
struct LineCol {
    base: usize,
    off: usize,
    line: u32,
    col: u32,
}

impl LineCol {
    fn at(&mut self, b: &[u8], target: usize) -> (u32, u32) {
        let target = target.min(b.len());
        if target < self.off {
            // Never happens (queries are monotonic), but stay correct if it does.
            self.off = self.base;
            self.line = 1;
            self.col = 1;
        }
        if let Some(seg) = b.get(self.off..target) {
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
// Scanner
// ---------------------------------------------------------------------------------------------

enum Gap {
    /// End of input reached.
    End,
    /// First significant byte of the next chunk.
    Token(usize),
    /// An unterminated block comment starts here.
    OpenComment(usize),
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
struct Stmt {
    words: usize,
    hdr: Hdr,
    paren: usize,
    begin_depth: usize,
    /// Offset of the `BEGIN` that opened the outermost `BEGIN ATOMIC`.
    atomic_start: usize,
    /// The previous significant token was the word `BEGIN` (at this offset).
    prev_begin: Option<usize>,
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
            atomic_start: 0,
            prev_begin: None,
            prev_from: false,
            is_copy: false,
            from_stdin: false,
        }
    }

    /// A word token (identifier or keyword, not starting with a digit) at offset `off`.
    /// `prev_begin` / `prev_from` have already been taken out of `self` by the caller.
    fn word(&mut self, w: &[u8], off: usize, prev_begin: Option<usize>, prev_from: bool) {
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
                self.prev_begin = Some(off);
            } else if kw(w, "atomic") {
                if let Some(b) = prev_begin {
                    if self.begin_depth == 0 {
                        self.atomic_start = b;
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

struct Scanner<'a, 'e> {
    src: &'a str,
    b: &'a [u8],
    lc: LineCol,
    each: &'e mut dyn FnMut(Chunk<'a>),
}

impl<'a> Scanner<'a, '_> {
    /// Main loop; returns where the trailer starts.
    fn run(&mut self, mut i: usize) -> usize {
        loop {
            let gap_start = i;
            match self.skip_gap(i) {
                Gap::End => return gap_start,
                Gap::OpenComment(c) => {
                    // Make the open comment visible to the caller as an (erroneous) chunk
                    // instead of hiding it in the trailer.
                    let len = self.b.len();
                    let open = Some((UNTERMINATED_BLOCK_COMMENT, c));
                    self.push(ChunkKind::Sql, gap_start, c, len, len, open);
                    return len;
                }
                Gap::Token(t) => {
                    i = if at(self.b, t) == b'\\' {
                        self.meta(gap_start, t)
                    } else {
                        self.statement(gap_start, t)
                    };
                }
            }
        }
    }

    /// Skip whitespace, comments and empty statements.
    fn skip_gap(&self, mut i: usize) -> Gap {
        let b = self.b;
        loop {
            let c = match b.get(i) {
                None => return Gap::End,
                Some(&c) => c,
            };
            if is_space(c) || c == b';' {
                i += 1;
            } else if c == b'-' && at(b, i + 1) == b'-' {
                i = find_byte(b, i, b'\n').unwrap_or(b.len());
            } else if c == b'/' && at(b, i + 1) == b'*' {
                match block_comment_end(b, i) {
                    Some(e) => i = e,
                    None => return Gap::OpenComment(i),
                }
            } else {
                return Gap::Token(i);
            }
        }
    }

    /// Record a chunk: prefix `[prefix_start, start)`, text `[start, text_end)`, consumed up
    /// to `end`. An Sql chunk is terminated exactly when its `;` was consumed.
    fn push(
        &mut self,
        kind: ChunkKind,
        prefix_start: usize,
        start: usize,
        text_end: usize,
        end: usize,
        unterminated: Option<(&'static str, usize)>,
    ) {
        let terminated = kind == ChunkKind::Sql && end > text_end;
        let (line, col) = self.lc.at(self.b, start);
        let unterminated = unterminated.map(|(name, off)| {
            let (l, c) = self.lc.at(self.b, off);
            (name, l, c)
        });
        (self.each)(Chunk {
            kind,
            prefix: sub(self.src, prefix_start, start),
            text: sub(self.src, start, text_end),
            offset: start,
            line,
            col,
            unterminated,
            terminated,
            end,
        });
    }

    /// A meta-command line starting (with its backslash) at `start`.
    fn meta(&mut self, gap_start: usize, start: usize) -> usize {
        let b = self.b;
        let nl = find_byte(b, start, b'\n');
        let mut text_end = nl.unwrap_or(b.len());
        if text_end > start + 1 && at(b, text_end - 1) == b'\r' {
            text_end -= 1;
        }
        let end = nl.map_or(b.len(), |n| n + 1);
        self.push(ChunkKind::Meta, gap_start, start, text_end, end, None);
        let line = b.get(start..text_end).unwrap_or(&[]);
        if is_copy_from_stdin_meta(line) {
            self.copy_data(end, end)
        } else {
            end
        }
    }

    /// COPY data starting at `data_start` (beginning of a line); prefix from `prefix_start`.
    fn copy_data(&mut self, prefix_start: usize, data_start: usize) -> usize {
        let b = self.b;
        let len = b.len();
        let mut ls = data_start;
        while ls < len {
            let nl = find_byte(b, ls, b'\n');
            let le = nl.unwrap_or(len);
            let line = b.get(ls..le).unwrap_or(&[]);
            if line == b"\\." || line == b"\\.\r" {
                let end = nl.map_or(len, |n| n + 1);
                self.push(
                    ChunkKind::CopyData,
                    prefix_start,
                    data_start,
                    ls + 2,
                    end,
                    None,
                );
                return end;
            }
            ls = le + 1;
        }
        self.push(
            ChunkKind::CopyData,
            prefix_start,
            data_start,
            len,
            len,
            Some((UNTERMINATED_COPY_DATA, data_start)),
        );
        len
    }

    /// An SQL statement whose first significant byte is at `start`; returns where the next
    /// gap starts.
    fn statement(&mut self, gap_start: usize, start: usize) -> usize {
        let b = self.b;
        let len = b.len();
        let mut st = Stmt::new();
        let mut i = start;
        let mut open: Option<(&'static str, usize)> = None;
        let mut terminated = false;
        let mut text_end = len;
        while let Some(&c) = b.get(i) {
            // Insignificant: whitespace and comments (they keep BEGIN/FROM adjacency).
            if is_space(c) {
                i += 1;
                continue;
            }
            if c == b'-' && at(b, i + 1) == b'-' {
                i = find_byte(b, i, b'\n').unwrap_or(len);
                continue;
            }
            if c == b'/' && at(b, i + 1) == b'*' {
                match block_comment_end(b, i) {
                    Some(e) => {
                        i = e;
                        continue;
                    }
                    None => {
                        open = Some((UNTERMINATED_BLOCK_COMMENT, i));
                        break;
                    }
                }
            }
            let prev_begin = st.prev_begin.take();
            let prev_from = std::mem::take(&mut st.prev_from);
            match c {
                b';' => {
                    i += 1;
                    if st.begin_depth == 0 {
                        text_end = i - 1;
                        terminated = true;
                        break;
                    }
                }
                b'\'' => match quoted_end(b, i, b'\'', false) {
                    Some(e) => i = e,
                    None => {
                        open = Some((UNTERMINATED_SINGLE_QUOTE, i));
                        break;
                    }
                },
                b'"' => match quoted_end(b, i, b'"', false) {
                    Some(e) => i = e,
                    None => {
                        open = Some((UNTERMINATED_DOUBLE_QUOTE, i));
                        break;
                    }
                },
                b'$' => match dollar_delim_len(b, i) {
                    Some(dl) => match dollar_end(b, i, dl) {
                        Some(e) => i = e,
                        None => {
                            open = Some((UNTERMINATED_DOLLAR_QUOTE, i));
                            break;
                        }
                    },
                    None => {
                        // `$1` parameter (or a stray `$`).
                        i += 1;
                        while is_ident_cont(at(b, i)) {
                            i += 1;
                        }
                    }
                },
                b'(' => {
                    st.paren = st.paren.saturating_add(1);
                    i += 1;
                }
                b')' => {
                    st.paren = st.paren.saturating_sub(1);
                    i += 1;
                }
                c if is_ident_start(c) || c.is_ascii_digit() => {
                    let ws = i;
                    i += 1;
                    while is_ident_cont(at(b, i)) {
                        i += 1;
                    }
                    let word = b.get(ws..i).unwrap_or(&[]);
                    if (word == b"E" || word == b"e") && at(b, i) == b'\'' {
                        match quoted_end(b, i, b'\'', true) {
                            Some(e) => i = e,
                            None => {
                                open = Some((UNTERMINATED_SINGLE_QUOTE, ws));
                                break;
                            }
                        }
                    } else if !c.is_ascii_digit() {
                        st.word(word, ws, prev_begin, prev_from);
                    }
                }
                _ => i += 1,
            }
        }
        if !terminated && open.is_none() && st.begin_depth > 0 {
            open = Some((UNTERMINATED_BEGIN_ATOMIC, st.atomic_start));
        }
        let end = if terminated { text_end + 1 } else { len };
        self.push(ChunkKind::Sql, gap_start, start, text_end, end, open);
        if terminated && st.is_copy && st.from_stdin {
            // psql reads the data from the line after the one holding the `;`.
            let data_start = find_byte(b, end, b'\n').map_or(len, |n| n + 1);
            self.copy_data(end, data_start)
        } else {
            end
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
        let s = split(input);
        let base = if input.starts_with('\u{feff}') { 3 } else { 0 };
        let addr = |x: &str| x.as_ptr() as usize - input.as_ptr() as usize;
        let mut cursor = base;
        for c in &s.chunks {
            let p0 = c.offset - c.prefix.len();
            assert_eq!(p0, cursor, "gap before chunk {c:?} in {input:?}");
            assert_eq!(addr(c.prefix), p0, "prefix not in place: {c:?}");
            assert_eq!(addr(c.text), c.offset, "text not in place: {c:?}");
            let text_end = c.offset + c.text.len();
            assert!(text_end <= c.end && c.end <= input.len(), "{c:?}");
            let tail = &input[text_end..c.end];
            match c.kind {
                ChunkKind::Sql => {
                    assert!(!c.text.is_empty(), "empty Sql chunk in {input:?}");
                    if c.terminated {
                        assert_eq!(tail, ";");
                    } else {
                        assert_eq!(tail, "");
                        assert_eq!(c.end, input.len());
                    }
                    let first = c.text.as_bytes()[0];
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

    #[test]
    fn fuzz_tiling_and_no_panic() {
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
