//! Throughput of the pipeline against its floor, bare sqlparser parsing of
//! the same statements. Run through `scripts/bench` (release build):
//! `bench LABEL=FILE[,FILE...]...` prints one line per input set.

use pg2tidb::Options;

// The command's allocator (src/main.rs), for the floor and the conversion alike.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use std::time::{Duration, Instant};

/// The best of `runs` timings of `f`.
fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best: Option<(Duration, T)> = None;
    for _ in 0..runs {
        let t0 = Instant::now();
        let v = f();
        let d = t0.elapsed();
        if best.as_ref().is_none_or(|(b, _)| d < *b) {
            best = Some((d, v));
        }
    }
    best.expect("runs > 0")
}

fn run(label: &str, texts: &[String]) {
    let bytes: usize = texts.iter().map(String::len).sum();
    // Floor: split (needed for pg_dump and psql input) + sqlparser, no conversion.
    let (parse, parsed) = best(3, || {
        let mut n = 0usize;
        for t in texts {
            for chunk in pg2tidb::split::split(t).chunks {
                if Parser::parse_sql(&PostgreSqlDialect {}, chunk.text).is_ok() {
                    n += 1;
                }
            }
        }
        n
    });
    let (convert, statements) = best(3, || {
        // As the command does: one schema model, files in order, parsing ahead.
        let files = pg2tidb::convert_texts(
            texts.iter().map(|t| ("input", t.as_str())),
            Options::default(),
        );
        let n: usize = files.iter().map(|f| f.statements.len()).sum();
        let out: usize = files
            .iter()
            .flat_map(|f| &f.statements)
            .flat_map(|s| &s.output)
            .map(|o| o.len())
            .sum();
        std::hint::black_box(out);
        n
    });
    let mb = bytes as f64 / (1024.0 * 1024.0);
    println!(
        "{label:<16} {mb:>8.2} MB {statements:>8} stmts | parse only {:>8.3} s ({parsed} parsed) | convert {:>8.3} s = {:>9.0} stmts/s {:>6.2} MB/s | convert/parse {:.2}x",
        parse.as_secs_f64(),
        convert.as_secs_f64(),
        statements as f64 / convert.as_secs_f64(),
        mb / convert.as_secs_f64(),
        convert.as_secs_f64() / parse.as_secs_f64()
    );
}

fn main() {
    let sets: Vec<(String, Vec<String>)> = std::env::args()
        .skip(1)
        .map(|arg| {
            let (label, files) = arg.split_once('=').unwrap_or(("input", &arg));
            let texts = files
                .split(',')
                .map(|f| std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{f}: {e}")))
                .collect();
            (label.to_string(), texts)
        })
        .collect();
    std::thread::Builder::new()
        .stack_size(256 * 1024 * 1024)
        .spawn(move || {
            for (label, texts) in &sets {
                run(label, texts);
            }
        })
        .expect("thread")
        .join()
        .expect("bench thread");
}
