//! One statement through sqlparser and pg2tidb's parse stage (the lexical
//! pre-pass, tokenizing in pieces, the repairs): no panic, errors located
//! inside the text, and the pre-pass agreeing with sqlparser
//! (`pg2tidb::parse::check_shape`: it counts at least sqlparser's tokens,
//! pieces tokenize like the whole, and what it refuses as too deep sqlparser
//! refuses too).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pg2tidb::model::Loc;
use pg2tidb::parse::{self, Parsed};

fn check(text: &str, piece: usize) {
    if let Err(e) = parse::check_shape(text, piece) {
        panic!("{e}");
    }
    let start = Loc { line: 3, col: 5 };
    match parse::parse(text, start) {
        Parsed::Ok(stmt, _) => {
            // Printing it (as rules do) must not panic either.
            let _ = stmt.to_string();
        }
        Parsed::Failed { loc, .. } => {
            let lines = text.matches('\n').count() as u32;
            assert!(
                loc == start || (loc.line >= start.line && loc.line <= start.line + lines && loc.col >= 1),
                "error at {loc:?} outside the text"
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&piece, bytes)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let text = text.to_string();
    // As in the command line: the pipeline runs on a 256 MiB stack.
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || check(&text, 1 + piece as usize))
        .expect("thread")
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e));
});
