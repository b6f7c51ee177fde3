//! The whole pipeline on any input: split, parse, schema model, rules, emit.
//!
//! Invariants checked on every input (as `tests/robustness.rs` does with
//! proptest): no panic, every statement accounted for (converted with
//! output, dropped with a finding, or an error with an error finding), and
//! the same result twice. Run with `bash scripts/fuzz` (docs/performance.md).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pg2tidb::rules::Severity;
use pg2tidb::{Converter, Options, Status};

fn check(text: &str) {
    let a = Converter::new(Options::default()).convert_text(text);
    assert_eq!(a.len(), pg2tidb::split::split(text).chunks.len());
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
