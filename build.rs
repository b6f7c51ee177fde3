//! Extracts each rule's documentation (the `//!` comment at the top of
//! `src/rules/<name>.rs`) into `$OUT_DIR/rule_docs.rs`, so the rule file is
//! the only place a rule is described, with the hooks its `impl Rule`
//! block implements, so the registry calls a hook only on the rules that
//! have it (and adding a hook to a rule needs no second place to say so).

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

fn main() {
    let dir = Path::new("src/rules");
    println!("cargo:rerun-if-changed=src/rules");
    let mut entries: Vec<_> = fs::read_dir(dir)
        .expect("src/rules exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs") && !p.ends_with("mod.rs"))
        .collect();
    entries.sort();
    let mut out = String::new();
    for path in entries {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = fs::read_to_string(&path).expect("rule file is readable");
        let doc: Vec<&str> = text
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .map(|l| {
                l.strip_prefix("//! ")
                    .unwrap_or(l.trim_start_matches("//!"))
            })
            .collect();
        let stem = path.file_stem().unwrap().to_string_lossy().to_uppercase();
        let hooks = hooks(&text);
        writeln!(
            out,
            "pub const {stem}: (&str, &[&str]) = ({:?}, &{hooks:?});",
            doc.join("\n") + "\n"
        )
        .unwrap();
    }
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("rule_docs.rs");
    fs::write(dest, out).unwrap();
}

/// The methods of the file's `impl Rule for …` block (from that line to the
/// first line that is `}`), `meta` aside.
fn hooks(text: &str) -> Vec<String> {
    let mut lines = text
        .lines()
        .skip_while(|l| !l.starts_with("impl Rule for "))
        .skip(1)
        .take_while(|l| *l != "}");
    let mut out = Vec::new();
    for l in lines.by_ref() {
        let Some(rest) = l.trim_start().strip_prefix("fn ") else {
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name != "meta" && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}
