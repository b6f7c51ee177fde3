//! One micro-benchmark per pipeline stage, so a regression shows where it
//! came from: `cargo bench --bench stages` (docs/performance.md).
//!
//! Input: lago's 15,000-line `pg_dump --schema-only` from `../shared/corpus`
//! (2,684 statements), or the fixtures when `../shared` is absent.

use criterion::{Criterion, Throughput};
use pg2tidb::model::Loc;
use pg2tidb::split::{self, ChunkKind};
use pg2tidb::{convert_texts, report, Converter, Options};
use std::hint::black_box;
use std::path::Path;

// The command's allocator (src/main.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn input() -> String {
    let lago = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/lago/pg/0001_db__structure.sql");
    std::fs::read_to_string(&lago).unwrap_or_else(|_| {
        let mut all = String::new();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            all.push_str(&std::fs::read_to_string(f).unwrap());
            all.push('\n');
        }
        all
    })
}

fn stages(c: &mut Criterion) {
    let text = input();
    let mut g = c.benchmark_group("stages");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(20);
    // 1. The psql-aware splitter.
    g.bench_function("split", |b| {
        b.iter(|| black_box(split::split(&text)).chunks.len())
    });
    // 2. sqlparser on every SQL chunk (the floor).
    let parts = split::split(&text);
    let sql: Vec<(&str, Loc)> = parts
        .chunks
        .iter()
        .filter(|c| c.kind == ChunkKind::Sql)
        .map(|c| {
            (
                c.text,
                Loc {
                    line: c.line,
                    col: c.col,
                },
            )
        })
        .collect();
    g.bench_function("parse", |b| {
        b.iter(|| {
            for (t, loc) in &sql {
                black_box(pg2tidb::parse::parse(t, *loc));
            }
        })
    });
    // 3. The whole conversion: split, parse (on a second thread), schema model, rules, emit.
    g.bench_function("convert", |b| {
        b.iter(|| black_box(Converter::new(Options::default()).convert_text(&text)).len())
    });
    // 4. Writing the output SQL and the reports from the results.
    let files = convert_texts([("lago.sql", text.as_str())], Options::default());
    g.bench_function("emit-output", |b| {
        b.iter(|| black_box(files[0].output_sql()).len())
    });
    g.bench_function("report-text", |b| {
        b.iter(|| black_box(report::diagnostics(&files, pg2tidb::rules::Severity::Info)).len())
    });
    g.bench_function("report-json", |b| {
        b.iter(|| black_box(report::json(&files, pg2tidb::Target::default())).len())
    });
    g.finish();
}

fn main() {
    // The pipeline runs on a large stack, as in the command line.
    std::thread::Builder::new()
        .stack_size(pg2tidb::pipeline::PIPELINE_STACK)
        .spawn(|| {
            let mut c = Criterion::default().configure_from_args();
            stages(&mut c);
            c.final_summary();
        })
        .expect("thread")
        .join()
        .expect("benchmarks");
}
