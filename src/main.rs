//! The `pg2tidb` command line.

mod cli;

use std::process::ExitCode;

// Statements allocate and free many small strings and AST nodes, some
// across the parsing and converting threads: mimalloc is markedly faster
// at that than the system allocator (docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    cli::main()
}
