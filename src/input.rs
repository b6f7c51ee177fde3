//! Input discovery: files, directories and stdin, read as UTF-8.

use crate::layout::{self, Layout};
use std::fmt;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// One input file.
#[derive(Debug, Clone)]
pub struct Source {
    /// How the file is named in diagnostics (the path as given, or `<stdin>`).
    pub display: String,
    /// The path of its output relative to the output directory.
    pub rel: PathBuf,
    /// The file on disk (None for stdin).
    pub path: Option<PathBuf>,
    pub text: String,
}

#[derive(Debug)]
pub struct InputError(pub String);

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InputError {}

/// Decode bytes as UTF-8, naming the first bad byte's offset and line.
pub fn decode(display: &str, bytes: Vec<u8>) -> Result<String, InputError> {
    String::from_utf8(bytes).map_err(|e| {
        let off = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = bytes[..off].iter().filter(|b| **b == b'\n').count() + 1;
        InputError(format!(
            "{display}:{line}: not valid UTF-8 (byte 0x{:02x} at offset {off}); convert the file to UTF-8",
            bytes[off]
        ))
    })
}

/// Read a single file.
pub fn read_file(path: &Path, display: &str) -> Result<String, InputError> {
    let bytes = fs::read(path).map_err(|e| InputError(format!("{display}: cannot read: {e}")))?;
    decode(display, bytes)
}

/// What [`discover`] found.
#[derive(Debug, Default)]
pub struct Discovered {
    pub sources: Vec<Source>,
    /// One line per directory: the layout used and the files it skipped.
    pub notes: Vec<String>,
}

/// Expand the command-line inputs into files, in conversion order. A
/// directory's layout is detected unless `layout` forces one.
pub fn discover(args: &[String], layout: Option<Layout>) -> Result<Discovered, InputError> {
    let mut found = Discovered::default();
    found.sources = discover_into(args, layout, &mut found.notes)?;
    Ok(found)
}

fn discover_into(
    args: &[String],
    layout: Option<Layout>,
    notes: &mut Vec<String>,
) -> Result<Vec<Source>, InputError> {
    let mut out = Vec::new();
    for arg in args {
        if arg == "-" {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| InputError(format!("<stdin>: cannot read: {e}")))?;
            out.push(Source {
                display: "<stdin>".into(),
                rel: PathBuf::from("stdin.sql"),
                path: None,
                text: decode("<stdin>", bytes)?,
            });
            continue;
        }
        let path = PathBuf::from(arg);
        let meta = fs::metadata(&path).map_err(|e| InputError(format!("{arg}: {e}")))?;
        if meta.is_dir() {
            let root = fs::canonicalize(&path).map_err(|e| InputError(format!("{arg}: {e}")))?;
            let mut files = Vec::new();
            walk(&root, &root, &mut files)?;
            let chosen = layout.unwrap_or_else(|| {
                layout::detect(&files, |rel| fs::read_to_string(path.join(rel)).ok())
            });
            let (files, skipped) = layout::select(chosen, files);
            let mut note = format!("{arg}: {chosen} layout, {} migration file(s)", files.len());
            if !skipped.is_empty() {
                let list: Vec<String> = skipped
                    .iter()
                    .take(3)
                    .map(|p| p.display().to_string())
                    .collect();
                let more = if skipped.len() > 3 {
                    format!(" and {} more", skipped.len() - 3)
                } else {
                    String::new()
                };
                note.push_str(&format!(
                    "; skipped {} file(s): {}{more}",
                    skipped.len(),
                    list.join(", ")
                ));
            }
            notes.push(note);
            for rel in files {
                let full = path.join(&rel);
                let display = full.display().to_string();
                let text = layout::applied_text(chosen, read_file(&full, &display)?);
                out.push(Source {
                    display,
                    rel,
                    path: Some(full),
                    text,
                });
            }
        } else {
            let mut text = read_file(&path, arg)?;
            if let Some(l) = layout {
                text = layout::applied_text(l, text);
            }
            let rel = PathBuf::from(path.file_name().unwrap_or_default());
            out.push(Source {
                display: arg.clone(),
                rel,
                path: Some(path),
                text,
            });
        }
    }
    Ok(out)
}

/// Collect `.sql` files below `dir`; symbolic links that lead outside `root` are not followed.
fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), InputError> {
    let entries = fs::read_dir(dir).map_err(|e| InputError(format!("{}: {e}", dir.display())))?;
    for entry in entries {
        let entry = entry.map_err(|e| InputError(format!("{}: {e}", dir.display())))?;
        let p = entry.path();
        let real = match fs::canonicalize(&p) {
            Ok(r) => r,
            Err(_) => continue, // dangling link
        };
        if !real.starts_with(root) {
            continue; // a link out of the input directory
        }
        if real.is_dir() {
            if real != p && real.starts_with(root) && p.is_symlink() {
                continue; // avoid cycles through links
            }
            walk(root, &p, out)?;
        } else if p.extension().is_some_and(|e| e == "sql") {
            out.push(p.strip_prefix(root).unwrap_or(&p).to_path_buf());
        }
    }
    Ok(())
}

/// Compare names with digit runs as numbers: `V9` < `V10`.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let (mut x, mut y) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (x.peek().copied(), y.peek().copied()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, _) => return std::cmp::Ordering::Less,
            (_, None) => return std::cmp::Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let mut n1 = String::new();
                while let Some(c) = x.peek().copied().filter(char::is_ascii_digit) {
                    n1.push(c);
                    x.next();
                }
                let mut n2 = String::new();
                while let Some(d) = y.peek().copied().filter(char::is_ascii_digit) {
                    n2.push(d);
                    y.next();
                }
                let t1 = n1.trim_start_matches('0');
                let t2 = n2.trim_start_matches('0');
                let o = t1.len().cmp(&t2.len()).then_with(|| t1.cmp(t2));
                if o != std::cmp::Ordering::Equal {
                    return o;
                }
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(&d);
                }
                x.next();
                y.next();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_order_not_string_order() {
        let mut v = vec!["V10__b.sql", "V9__a.sql", "V1.1__c.sql", "V1__d.sql"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, ["V1.1__c.sql", "V1__d.sql", "V9__a.sql", "V10__b.sql"]);
    }

    #[test]
    fn invalid_utf8_names_the_offset() {
        let e = decode("f.sql", b"SELECT 1;\n\xff".to_vec()).unwrap_err();
        assert!(
            e.0.contains("offset 10") && e.0.contains("f.sql:2"),
            "{}",
            e.0
        );
    }
}
