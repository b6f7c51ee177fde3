//! The byte level of the splitter: psql's character classes, dollar-quote delimiters,
//! line/column tracking, and [`Run`], the input one call of the lexer reads with the scans
//! that find where a quoted string or a dollar-quoted body ends.

use super::{Found, Limits};

pub(super) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Byte at `i`, or 0 past the end (0 never matches any byte we look for).
#[inline]
pub(super) fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

/// Slice `s[a..e]`; the splitter only cuts at ASCII bytes / char starts, so this always
/// succeeds. The fallback (empty) exists only to rule out panics; the tiling tests prove it
/// is never taken.
#[inline]
pub(super) fn sub(s: &str, a: usize, e: usize) -> &str {
    s.get(a..e).unwrap_or("")
}

/// Index of the first `\n` or `\r` at or after `from`.
#[inline]
pub(super) fn find_newline(b: &[u8], from: usize) -> Option<usize> {
    b.get(from..)?
        .iter()
        .position(|&c| c == b'\n' || c == b'\r')
        .map(|p| p + from)
}

#[inline]
pub(super) fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// psql `ident_start`: `[A-Za-z\x80-\xff_]`.
#[inline]
pub(super) fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c >= 0x80
}

/// psql `ident_cont`: `[A-Za-z\x80-\xff_0-9$]`.
#[inline]
pub(super) fn is_ident_cont(c: u8) -> bool {
    is_ident_start(c) || c.is_ascii_digit() || c == b'$'
}

/// psql `dolq_cont`: `[A-Za-z\x80-\xff_0-9]`.
#[inline]
fn is_dolq_cont(c: u8) -> bool {
    is_ident_start(c) || c.is_ascii_digit()
}

#[inline]
pub(super) fn kw(word: &[u8], k: &str) -> bool {
    word.eq_ignore_ascii_case(k.as_bytes())
}

/// If a dollar-quote delimiter (`$$` or `$tag$`) starts at `i`, its length in bytes.
pub(super) fn dollar_delim_len(b: &[u8], i: usize) -> Option<usize> {
    match dollar_delim(b, i, true) {
        Delim::Yes(n) => Some(n),
        _ => None,
    }
}

pub(super) enum Delim {
    /// A delimiter of this many bytes.
    Yes(usize),
    /// Not a delimiter.
    No,
    /// The input ends before it can be told.
    More,
}

/// Whether a dollar-quote delimiter starts at `i` (a `$`); `eof`: no more input follows `b`.
pub(super) fn dollar_delim(b: &[u8], i: usize, eof: bool) -> Delim {
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

/// Line and column of input offset `off` (monotonic, linear): moves forward only.
#[derive(Clone)]
pub(super) struct LineCol {
    pub(super) off: usize,
    pub(super) line: u32,
    pub(super) col: u32,
}

impl LineCol {
    /// Move to `target` (not before the current offset) over `b`, which holds the input
    /// from offset `base`; returns the line and column there.
    pub(super) fn at(&mut self, b: &[u8], base: usize, target: usize) -> (u32, u32) {
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

/// One call of [`Lexer::run`](super::lexer::Lexer::run): the input from `base` to `end`.
pub(super) struct Run<'b> {
    pub(super) b: &'b [u8],
    pub(super) base: usize,
    pub(super) end: usize,
    pub(super) eof: bool,
    pub(super) limits: Limits,
    pub(super) out: &'b mut dyn FnMut(Found),
}

impl Run<'_> {
    #[inline]
    pub(super) fn byte(&self, i: usize) -> Option<u8> {
        self.b.get(i.wrapping_sub(self.base)).copied()
    }

    pub(super) fn slice(&self, a: usize, e: usize) -> &[u8] {
        a.checked_sub(self.base)
            .zip(e.checked_sub(self.base))
            .and_then(|(a, e)| self.b.get(a..e))
            .unwrap_or(&[])
    }

    pub(super) fn find(&self, from: usize, n: u8) -> Option<usize> {
        self.slice(from, self.end)
            .iter()
            .position(|&c| c == n)
            .map(|p| p + from)
    }

    pub(super) fn find_newline(&self, from: usize) -> Option<usize> {
        find_newline(self.slice(from, self.end), 0).map(|p| p + from)
    }

    /// End (exclusive) of a quoted token whose opening quote was before `from`; a doubled
    /// quote stays inside; with `esc`, a backslash escapes the next byte. `Err(p)`: the
    /// input ends first; read again from `p`.
    #[inline]
    pub(super) fn quoted_end(&self, from: usize, q: u8, esc: bool) -> Result<usize, usize> {
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
    #[inline]
    pub(super) fn dollar_end(
        &self,
        from: usize,
        tag: &[u8],
        m: &mut usize,
    ) -> Result<usize, usize> {
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
    use crate::split::testing::check;

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
}
