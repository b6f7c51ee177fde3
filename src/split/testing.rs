//! Test helpers of the splitter: [`check`] asserts the tiling property and the invariants
//! of each chunk, over the whole text and read in blocks.

use super::scan::is_space;
use super::*;

/// Assert the tiling property and the per-chunk invariants; returns the split.
pub(super) fn check(input: &str) -> Split<'_> {
    check_with(input, Limits::default())
}

/// [`check`] with given limits; also checks that reading in blocks gives the same
/// chunks.
pub(super) fn check_with(input: &str, limits: Limits) -> Split<'_> {
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

pub(super) fn texts<'a>(s: &Split<'a>) -> Vec<&'a str> {
    s.chunks.iter().map(|c| c.text).collect()
}
