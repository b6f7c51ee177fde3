//! [`split_read`]: the splitter over a reader, in blocks, holding only the chunk being read
//! (cut to its head when it is over the limit) and one block.

use super::lexer::{Lexer, Pending};
use super::scan::BOM;
use super::{head, Chunk, Limits};

/// How much [`split_read`] reads at a time.
pub const READ_BLOCK: usize = 1 << 20;

/// [`split_each`](super::split_each) over a reader, holding only the chunk being read
/// (at most [`MAX_CHUNK_BYTES`](super::MAX_CHUNK_BYTES) of its text and of its prefix)
/// and one block instead of the whole input: the same chunks with the same offsets, lines
/// and columns, handed to `each` in order. Invalid UTF-8 is an `InvalidData` error naming
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

#[cfg(test)]
mod tests {
    use crate::split::*;

    fn streamed(text: &[u8], block: usize) -> std::io::Result<Vec<OwnedChunk>> {
        let mut got = Vec::new();
        split_read_blocks(text, block, &mut |c| got.push(c.into()))?;
        Ok(got)
    }

    #[test]
    fn reading_in_blocks_gives_the_chunks_of_the_whole_text() {
        let text = "\u{feff}CREATE TABLE é (a int); -- ü\n\\set x 1\r\nCOPY t (a) FROM stdin;\n1\n2\n\\.\nSELECT $f$ ; $f$;\n/* open";
        let whole: Vec<OwnedChunk> = split(text).chunks.into_iter().map(Into::into).collect();
        assert!(whole.iter().any(|c| c.kind == ChunkKind::CopyData));
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
}
