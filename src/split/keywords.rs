//! The words of a statement that matter to psql ([`Stmt`]): `COPY ... FROM stdin` (data
//! follows) and `CREATE [OR REPLACE] FUNCTION|PROCEDURE ... BEGIN ATOMIC` (a `;` does not
//! end it before the matching `END`).

use super::scan::kw;

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
pub(super) struct Stmt {
    pub(super) words: usize,
    hdr: Hdr,
    pub(super) paren: usize,
    pub(super) begin_depth: usize,
    /// Position of the `BEGIN` that opened the outermost `BEGIN ATOMIC`.
    pub(super) atomic_at: (u32, u32),
    /// The previous significant token was the word `BEGIN` (at this position).
    pub(super) prev_begin: Option<(u32, u32)>,
    /// The previous significant token was the word `FROM`.
    pub(super) prev_from: bool,
    pub(super) is_copy: bool,
    pub(super) from_stdin: bool,
}

impl Stmt {
    pub(super) fn new() -> Self {
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
    pub(super) fn word(
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
