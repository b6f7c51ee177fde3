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
    /// The text; empty when the file is [`Source::streamed`].
    pub text: String,
    /// A large file (at least [`STREAM_MIN`] bytes) whose text is not held:
    /// it was checked to be UTF-8 and is read statement by statement when it
    /// is converted ([`Source::input`]), or whole by [`Source::load`].
    pub streamed: bool,
}

/// Files this large are converted as they are read instead of being held.
pub const STREAM_MIN: u64 = 8 << 20;

impl Source {
    /// What the converter reads: the text, or the file for a streamed source.
    pub fn input(&self) -> crate::convert::Input<'_> {
        match (&self.path, self.streamed) {
            (Some(p), true) => crate::convert::Input::File(p),
            _ => crate::convert::Input::Text(&self.text),
        }
    }

    /// The whole text (read from disk for a streamed source).
    pub fn load(&self) -> Result<std::borrow::Cow<'_, str>, InputError> {
        match (&self.path, self.streamed) {
            (Some(p), true) => read_file(p, &self.display).map(std::borrow::Cow::Owned),
            _ => Ok(std::borrow::Cow::Borrowed(&self.text)),
        }
    }
}

/// Check that a file is UTF-8 without holding it (the error as [`decode`] words it).
fn check_utf8(path: &Path, display: &str) -> Result<(), InputError> {
    let cannot = |e: std::io::Error| InputError(format!("{display}: cannot read: {e}"));
    let mut f = fs::File::open(path).map_err(cannot)?;
    let mut block = vec![0u8; 1 << 20];
    // `carry`: the bytes of a character cut by the block boundary.
    let (mut carry, mut offset, mut line) = (Vec::new(), 0usize, 1usize);
    loop {
        let n = f.read(&mut block).map_err(cannot)?;
        carry.extend_from_slice(&block[..n]);
        let valid = match std::str::from_utf8(&carry) {
            Ok(_) => carry.len(),
            Err(e) if e.error_len().is_none() && n > 0 => e.valid_up_to(),
            Err(e) => {
                let at = e.valid_up_to();
                line += carry[..at].iter().filter(|b| **b == b'\n').count();
                return Err(not_utf8(display, line, carry[at], offset + at));
            }
        };
        line += carry[..valid].iter().filter(|b| **b == b'\n').count();
        offset += valid;
        carry.drain(..valid);
        if n == 0 {
            return Ok(());
        }
    }
}

/// A file argument or a file found in a directory: held, or streamed when it is large
/// (and its layout does not rewrite the text).
fn file_source(
    path: PathBuf,
    display: String,
    rel: PathBuf,
    layout: Option<Layout>,
) -> Result<Source, InputError> {
    let large = fs::metadata(&path).is_ok_and(|m| m.len() >= STREAM_MIN);
    if large && layout != Some(Layout::Dbmate) {
        check_utf8(&path, &display)?;
        return Ok(Source {
            display,
            rel,
            path: Some(path),
            text: String::new(),
            streamed: true,
        });
    }
    let mut text = read_file(&path, &display)?;
    if let Some(l) = layout {
        text = layout::applied_text(l, text);
    }
    Ok(Source {
        display,
        rel,
        path: Some(path),
        text,
        streamed: false,
    })
}

#[derive(Debug)]
pub struct InputError(pub String);

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InputError {}

fn not_utf8(display: &str, line: usize, byte: u8, offset: usize) -> InputError {
    InputError(format!(
        "{display}:{line}: not valid UTF-8 (byte 0x{byte:02x} at offset {offset}); convert the file to UTF-8"
    ))
}

/// Decode bytes as UTF-8, naming the first bad byte's offset and line.
pub fn decode(display: &str, bytes: Vec<u8>) -> Result<String, InputError> {
    String::from_utf8(bytes).map_err(|e| {
        let off = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = bytes[..off].iter().filter(|b| **b == b'\n').count() + 1;
        not_utf8(display, line, bytes[off], off)
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
                streamed: false,
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
                out.push(file_source(full, display, rel, Some(chosen))?);
            }
        } else {
            let rel = PathBuf::from(path.file_name().unwrap_or_default());
            out.push(file_source(path, arg.clone(), rel, layout)?);
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
    fn large_files_are_checked_for_utf8_in_blocks_with_the_same_message() {
        let dir = std::env::temp_dir().join(format!("pg2tidb-utf8-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("big.sql");
        // A two-byte character across the first block boundary, then a bad byte.
        let mut bytes = vec![b'-'; (1 << 20) - 1];
        bytes[500] = b'\n';
        bytes.extend_from_slice("é\n".as_bytes());
        bytes.extend_from_slice(b"SELECT 1;\n\xff");
        fs::write(&path, &bytes).unwrap();
        let streamed = check_utf8(&path, "big.sql").unwrap_err().0;
        let whole = decode("big.sql", bytes.clone()).unwrap_err().0;
        assert_eq!(streamed, whole);
        assert!(streamed.contains("big.sql:4:"), "{streamed}");
        bytes.pop();
        fs::write(&path, &bytes).unwrap();
        assert!(check_utf8(&path, "big.sql").is_ok());
        fs::remove_dir_all(&dir).unwrap();
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
