//! psql's own lines: a meta-command (`\connect db`, `\restrict KEY`, ...) runs to the end of
//! its line, and the data of `COPY ... FROM stdin` (or of `\copy ... from stdin`) follows the
//! statement up to a line holding exactly `\.`.

use super::lexer::{Lexer, Mode};
use super::scan::{is_ident_cont, is_space, kw, Run};
use super::{ChunkKind, UNTERMINATED_COPY_DATA};

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

impl Lexer {
    /// A meta-command line, to its `\n`.
    pub(super) fn meta(&mut self, r: &mut Run<'_>) -> bool {
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
    pub(super) fn copy_rest(&mut self, r: &mut Run<'_>) -> bool {
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
    pub(super) fn copy_data(&mut self, r: &mut Run<'_>) -> bool {
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

#[cfg(test)]
mod tests {
    use crate::split::testing::check;
    use crate::split::*;

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
}
