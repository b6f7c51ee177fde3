//! The splitter alone (fast: run it for millions of inputs).
//!
//! On any input, with the default limits and with small ones (so that chunks
//! and prefixes over the limit are cut): the chunks and the trailer tile the
//! input exactly; each chunk's kind, `terminated`, `end`, cut parts and
//! `unterminated` position are consistent; its line and column are those
//! counted naively (lines on `\n`, columns in characters); the `--` comments
//! of every prefix are whole comments; and reading the input in blocks (size
//! chosen by the input) gives exactly the same chunks. Bytes that are not
//! UTF-8 are an error naming the offset of the first bad byte.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pg2tidb::split::{self, Chunk, ChunkKind, Limits, OwnedChunk};

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

fn head(s: &str, n: usize) -> &str {
    let mut n = n.min(s.len());
    while !s.is_char_boundary(n) {
        n -= 1;
    }
    &s[..n]
}

fn check(input: &str, block: usize, limits: Limits) {
    let mut chunks: Vec<Chunk<'_>> = Vec::new();
    let trailer = split::split_each_with(input, limits, &mut |c| chunks.push(c));
    let base = if input.starts_with('\u{feff}') { 3 } else { 0 };
    let addr = |x: &str| x.as_ptr() as usize - input.as_ptr() as usize;
    let mut cursor = base;
    for c in &chunks {
        let p0 = c.offset - c.prefix_len();
        assert_eq!(p0, cursor, "gap before {c:?}");
        if c.prefix_cut() {
            assert!(c.prefix_len() > limits.max_chunk && c.prefix.is_empty(), "{c:?}");
        } else {
            assert_eq!(addr(c.prefix), p0, "{c:?}");
            for (off, comment) in split::gap_comments(c.prefix) {
                assert!(comment.starts_with("--") && !comment.contains(['\n', '\r']));
                assert_eq!(&c.prefix[off..off + comment.len()], comment);
            }
        }
        assert_eq!(addr(c.text), c.offset, "{c:?}");
        let text_end = c.offset + c.text_len();
        assert!(text_end <= c.end && c.end <= input.len(), "{c:?}");
        let text = &input[c.offset..text_end];
        if c.text_cut() {
            assert!(c.text_len() > limits.max_chunk, "{c:?}");
            assert_eq!(c.text, head(text, limits.head.min(limits.max_chunk)));
        } else {
            assert!(c.text_len() <= limits.max_chunk, "{c:?}");
        }
        assert_eq!(c.cut.is_some(), c.text_cut() || c.prefix_cut(), "{c:?}");
        let tail = &input[text_end..c.end];
        match c.kind {
            ChunkKind::Sql => {
                assert!(!text.is_empty());
                let first = text.as_bytes()[0];
                assert!(!b" \t\n\r\x0b\x0c;".contains(&first), "{c:?}");
                if c.terminated {
                    assert_eq!(tail, ";");
                } else {
                    assert_eq!((tail, c.end), ("", input.len()), "{c:?}");
                }
            }
            ChunkKind::Meta | ChunkKind::CopyData => {
                assert!(!c.terminated);
                assert!(matches!(tail, "" | "\r" | "\n" | "\r\n"), "{c:?}");
                if !tail.ends_with('\n') {
                    assert_eq!(c.end, input.len());
                }
                if c.kind == ChunkKind::Meta {
                    assert!(text.starts_with('\\') && !text.contains('\n'), "{c:?}");
                }
            }
        }
        assert_eq!(
            (c.line, c.col),
            naive_line_col(input, base, c.offset),
            "{c:?}"
        );
        if let Some((name, l, col)) = c.unterminated {
            assert!((l, col) >= (c.line, c.col), "{c:?}");
            assert_eq!(c.end, input.len());
            if name == split::UNTERMINATED_DOLLAR_QUOTE && !c.text_cut() {
                let tag = c.unterminated_dollar_tag().expect("its tag");
                assert!(tag.len() >= 2 && tag.starts_with('$') && tag.ends_with('$'));
            }
        }
        cursor = c.end;
    }
    assert_eq!(addr(trailer), cursor);
    assert_eq!(cursor + trailer.len(), input.len());
    let whole: Vec<OwnedChunk> = chunks.into_iter().map(Into::into).collect();
    let mut streamed: Vec<OwnedChunk> = Vec::new();
    split::split_read_with(input.as_bytes(), block, limits, &mut |c| {
        streamed.push(c.into())
    })
    .expect("valid UTF-8 reads");
    assert_eq!(streamed, whole, "block {block}, {limits:?}");
}

fuzz_target!(|data: &[u8]| {
    let Some((&ctl, bytes)) = data.split_first() else {
        return;
    };
    let block = 1 + (ctl & 0x1f) as usize;
    let small = Limits {
        max_chunk: 1 + (ctl >> 2) as usize % 40,
        head: (ctl >> 5) as usize,
    };
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            check(text, block, Limits::default());
            check(text, block, small);
        }
        Err(e) => {
            let err = split::split_read_with(bytes, block, small, &mut |_| {})
                .expect_err("not UTF-8");
            assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
            let off = format!("offset {}", e.valid_up_to());
            assert!(err.to_string().ends_with(&off), "{err} vs {off}");
        }
    }
});
