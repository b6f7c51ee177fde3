//! The lexer: a resumable state machine over the input, fed in one piece or in blocks.
//!
//! [`Lexer::run`] dispatches on what it is reading ([`Mode`]): the gap between chunks
//! (whitespace, comments, empty statements; here), an SQL statement (`statement.rs`), a psql
//! meta-command line or COPY data (`meta.rs`). Each reader stops where the input given ends
//! and goes on when more comes ([`Lexer::keep_from`] tells what must be given again).

use super::keywords::Stmt;
use super::scan::{is_space, LineCol, Run};
use super::{ChunkKind, Found, Limits, UNTERMINATED_BLOCK_COMMENT};

/// Words longer than this are no keyword the splitter looks for.
pub(super) const KEYWORD_MAX: usize = 16;

/// Where the lexer is inside a gap or a statement.
#[derive(Clone)]
pub(super) enum Sub {
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

/// What a byte outside tokens starts ([`Lexer::open_comment`]).
pub(super) enum Comment {
    /// A `--` or `/*` comment: the lexer is now in it.
    Opened,
    /// No comment.
    No,
    /// The input ends after a `-` or `/`: give more to tell.
    Undecided,
}

/// What the lexer is reading.
#[derive(Clone)]
pub(super) enum Mode {
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
pub(super) enum Pending {
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
    pub(super) fn start(&self) -> Option<usize> {
        match self {
            Pending::Gap { comment, .. } => *comment,
            Pending::Chunk { start, .. } => Some(*start),
        }
    }
}

/// The resumable lexer. [`Lexer::run`] reads what it is given (the input from offset
/// `base`), reports the chunks it completes, and stops where it needs more input; it is
/// called again with the input from [`Lexer::keep_from`] on (or earlier) and more.
pub(super) struct Lexer {
    /// Next byte to read.
    pub(super) pos: usize,
    pub(super) mode: Mode,
    pub(super) sub: Sub,
    /// Start of the gap (the pending chunk's prefix).
    gap_start: usize,
    /// Start of the pending chunk's text and its line/column.
    pub(super) start: usize,
    pub(super) start_at: (u32, u32),
    pub(super) lc: LineCol,
    /// Where the trailer starts, once the input ended in a gap.
    pub(super) trailer_start: Option<usize>,
}

impl Lexer {
    pub(super) fn new(base: usize) -> Self {
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
    pub(super) fn keep_from(&self) -> usize {
        match &self.sub {
            Sub::Word { start, .. } if self.pos - start <= KEYWORD_MAX => *start,
            _ => self.pos,
        }
    }

    /// The input before `keep` will not be given again.
    pub(super) fn forget(&mut self, b: &[u8], base: usize, keep: usize) {
        if keep > self.lc.off {
            self.lc.at(b, base, keep);
        }
    }

    pub(super) fn pending(&self) -> Pending {
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
    pub(super) fn run(
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

    pub(super) fn position(&mut self, r: &Run<'_>, off: usize) -> (u32, u32) {
        self.lc.at(r.b, r.base, off)
    }

    /// Start a chunk of `mode` at the current position.
    pub(super) fn begin(&mut self, r: &Run<'_>, mode: Mode) {
        self.start = self.pos;
        self.start_at = self.position(r, self.pos);
        self.mode = mode;
        self.sub = Sub::Top;
    }

    /// Report the pending chunk and start a gap at `end` (or go on in `next`).
    pub(super) fn emit(
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

    pub(super) fn finish(&mut self) {
        self.mode = Mode::Done;
    }

    /// Between chunks. Returns true when a chunk starts (or the input ended).
    fn gap(&mut self, r: &mut Run<'_>) -> bool {
        loop {
            match &self.sub {
                Sub::LineComment => {
                    if matches!(self.line_comment(r), Step::More) {
                        return false;
                    }
                }
                Sub::Block { .. } => match self.block(r) {
                    Step::Done => {}
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
                    match self.open_comment(r, c) {
                        Comment::Opened => {}
                        Comment::Undecided => return false,
                        Comment::No if c == b'\\' => {
                            self.begin(r, Mode::Meta { cr: false });
                            return true;
                        }
                        Comment::No => {
                            self.begin(r, Mode::Stmt(Stmt::new()));
                            return true;
                        }
                    }
                }
            }
        }
    }

    /// At byte `c` outside tokens (in a gap or a statement): open the `--` or `/*`
    /// comment that starts there, if one does.
    // Read at the first byte of every token: inlined (the `stages/split` benchmark).
    #[inline(always)]
    pub(super) fn open_comment(&mut self, r: &Run<'_>, c: u8) -> Comment {
        if c != b'-' && c != b'/' {
            return Comment::No;
        }
        let next = r.byte(self.pos + 1);
        if next.is_none() && !r.eof {
            return Comment::Undecided;
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
        } else {
            return Comment::No;
        }
        Comment::Opened
    }

    /// In a `--` comment (`self.sub`): to the `\n` or `\r` that ends it, as PostgreSQL
    /// ends them, or to the end of the input.
    pub(super) fn line_comment(&mut self, r: &Run<'_>) -> Step {
        match r.find_newline(self.pos) {
            Some(p) => self.pos = p,
            None => {
                self.pos = r.end;
                if !r.eof {
                    return Step::More;
                }
            }
        }
        self.sub = Sub::Top;
        Step::Done
    }

    /// In a block comment (`self.sub`): to its end (then between tokens again), or as far
    /// as the input goes.
    pub(super) fn block(&mut self, r: &Run<'_>) -> Step {
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
                    self.sub = Sub::Top;
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
}

/// How far a step of the lexer got inside a construct (comment, quoted string, token).
pub(super) enum Step {
    /// The construct ended.
    Done,
    /// The input ends before it does; give more.
    More,
    /// The input ended inside it.
    Eof,
}

#[cfg(test)]
mod tests {
    use crate::split::testing::{check, texts};
    use crate::split::*;

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
    fn nested_block_comments() {
        let s = check("/* a /* b; */ c; */ SELECT /* x /* y */ ; */ 1; SELECT 2;");
        assert_eq!(texts(&s), vec!["SELECT /* x /* y */ ; */ 1", "SELECT 2"]);
        assert_eq!(s.chunks[0].prefix, "/* a /* b; */ c; */ ");
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
}
