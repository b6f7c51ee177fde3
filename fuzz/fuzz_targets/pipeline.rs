//! The whole pipeline on any input: split, parse, schema model, rules, emit.
//!
//! Invariants checked on every input (as `tests/robustness.rs` does with
//! proptest): no panic, every statement accounted for (converted with
//! output, dropped with a finding, or an error with an error finding), and
//! the same result twice; and splitting from a reader in blocks (how large
//! files are read) gives exactly the chunks of splitting the whole text.
//! Run with `bash scripts/fuzz` (docs/performance.md).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pg2tidb::rules::Severity;
use pg2tidb::{Converter, Options, Status};

fn check(text: &str) {
    let whole = pg2tidb::split::split(text).chunks;
    let block = 1 + text.len() % 13;
    let mut streamed = Vec::new();
    pg2tidb::split::split_read_blocks(text.as_bytes(), block, &mut |c| {
        streamed.push(pg2tidb::split::OwnedChunk::from(c))
    })
    .expect("valid UTF-8 reads");
    let owned: Vec<pg2tidb::split::OwnedChunk> = whole.iter().cloned().map(Into::into).collect();
    assert_eq!(streamed, owned, "block size {block}");
    let a = Converter::new(Options::default()).convert_text(text);
    assert_eq!(a.len(), whole.len());
    for s in &a {
        match s.status {
            Status::Converted => assert!(!s.output.is_empty(), "converted, no output: {s:?}"),
            Status::Dropped => assert!(!s.findings.is_empty(), "dropped silently: {s:?}"),
            Status::Error => assert!(
                s.findings.iter().any(|f| f.severity == Severity::Error),
                "error without an error finding: {s:?}"
            ),
        }
    }
    let b = Converter::new(Options::default()).convert_text(text);
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap(),
        "not deterministic"
    );
}

fuzz_target!(|data: &[u8]| {
    // Invalid UTF-8 is refused by input discovery before the pipeline (tests/cli.rs).
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let text = text.to_string();
    // As in the command line: the pipeline runs on a 256 MiB stack.
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || check(&text))
        .expect("thread")
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e));
});
