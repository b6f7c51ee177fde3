//! Input discovery: files, directories and stdin, read as UTF-8.

use crate::layout::{self, Layout};
use std::fmt;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// One input of [`crate::Converter::convert_inputs_with`].
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// Text in memory.
    Text(&'a str),
    /// A UTF-8 file, read statement by statement ([`crate::split::split_read`]):
    /// only what is being converted is held.
    File(&'a std::path::Path),
}

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
    /// Standard input or a pipe of [`STREAM_MIN`] bytes or more, kept in a
    /// temporary file (`path`) for as long as the source lives.
    pub spool: Option<std::sync::Arc<tempfile::TempPath>>,
}

/// Files this large are converted as they are read instead of being held.
pub const STREAM_MIN: u64 = 8 << 20;

/// The most read from standard input or a pipe (a file can be any size):
/// past it, the input is refused rather than read without end.
pub const PIPE_MAX: u64 = 4 << 30;

impl Source {
    /// What the converter reads: the text, or the file for a streamed source.
    pub fn input(&self) -> Input<'_> {
        match (&self.path, self.streamed) {
            (Some(p), true) => Input::File(p),
            _ => Input::Text(&self.text),
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

/// UTF-8 checking of a text that arrives in blocks (the error as [`decode`] words it).
struct Utf8Check {
    /// The bytes of a character cut by the block boundary.
    carry: Vec<u8>,
    offset: usize,
    line: usize,
}

impl Utf8Check {
    fn new() -> Self {
        Utf8Check {
            carry: Vec::new(),
            offset: 0,
            line: 1,
        }
    }

    /// The next block (empty at the end).
    fn feed(&mut self, display: &str, block: &[u8]) -> Result<(), InputError> {
        self.carry.extend_from_slice(block);
        let valid = match std::str::from_utf8(&self.carry) {
            Ok(_) => self.carry.len(),
            Err(e) if e.error_len().is_none() && !block.is_empty() => e.valid_up_to(),
            Err(e) => {
                let at = e.valid_up_to();
                self.line += self.carry[..at].iter().filter(|b| **b == b'\n').count();
                return Err(not_utf8(
                    display,
                    self.line,
                    self.carry[at],
                    self.offset + at,
                ));
            }
        };
        self.line += self.carry[..valid].iter().filter(|b| **b == b'\n').count();
        self.offset += valid;
        self.carry.drain(..valid);
        Ok(())
    }
}

/// Check that a file is UTF-8 without holding it (the error as [`decode`] words it).
fn check_utf8(path: &Path, display: &str) -> Result<(), InputError> {
    let cannot = |e: std::io::Error| InputError(format!("{display}: cannot read: {e}"));
    let mut f = fs::File::open(path).map_err(cannot)?;
    let mut block = vec![0u8; 1 << 20];
    let mut check = Utf8Check::new();
    loop {
        let n = f.read(&mut block).map_err(cannot)?;
        check.feed(display, &block[..n])?;
        if n == 0 {
            return Ok(());
        }
    }
}

/// Read standard input or a pipe: held when small, else spooled to a
/// temporary file and streamed like a large file; never more than
/// [`PIPE_MAX`] bytes.
fn read_pipe(
    mut r: impl Read,
    display: &str,
    rel: PathBuf,
    path: Option<PathBuf>,
) -> Result<Source, InputError> {
    use std::io::Write;
    let cannot = |e: std::io::Error| InputError(format!("{display}: cannot read: {e}"));
    let mut held = Vec::new();
    let mut block = vec![0u8; 1 << 16];
    let mut check = Utf8Check::new();
    let mut spool: Option<(std::io::BufWriter<fs::File>, tempfile::TempPath)> = None;
    let mut total = 0u64;
    loop {
        let n = match r.read(&mut block) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(cannot(e)),
        };
        total += n as u64;
        if total > PIPE_MAX {
            return Err(InputError(format!(
                "{display}: more than {} GiB read and no end in sight; save the input to a file and name the file instead",
                PIPE_MAX >> 30
            )));
        }
        match &mut spool {
            Some((w, _)) => {
                check.feed(display, &block[..n])?;
                w.write_all(&block[..n]).map_err(cannot)?;
            }
            None => held.extend_from_slice(&block[..n]),
        }
        if n == 0 {
            break;
        }
        if spool.is_none() && held.len() as u64 >= STREAM_MIN {
            let named = tempfile::Builder::new()
                .prefix(".pg2tidb-stdin.")
                .tempfile()
                .map_err(|e| {
                    InputError(format!(
                        "{display}: cannot keep it in a temporary file: {e}"
                    ))
                })?;
            let (file, temp) = named.into_parts();
            let mut w = std::io::BufWriter::new(file);
            check.feed(display, &held)?;
            w.write_all(&held).map_err(cannot)?;
            held = Vec::new();
            spool = Some((w, temp));
        }
    }
    match spool {
        None => Ok(Source {
            display: display.to_string(),
            rel,
            path,
            text: decode(display, held)?,
            streamed: false,
            spool: None,
        }),
        Some((mut w, temp)) => {
            check.feed(display, &[])?;
            w.flush().map_err(cannot)?;
            Ok(Source {
                display: display.to_string(),
                rel,
                path: Some(temp.to_path_buf()),
                text: String::new(),
                streamed: true,
                spool: Some(std::sync::Arc::new(temp)),
            })
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
    let meta = fs::metadata(&path).map_err(|e| InputError(format!("{display}: {e}")))?;
    if !meta.is_file() {
        if is_pipe(&meta) && layout.is_none_or(|l| l != Layout::Dbmate) {
            // Named explicitly (process substitution makes these): read it once.
            let f = fs::File::open(&path)
                .map_err(|e| InputError(format!("{display}: cannot read: {e}")))?;
            return read_pipe(f, &display, rel, None);
        }
        return Err(not_regular(&display, &meta.file_type()));
    }
    let large = meta.len() >= STREAM_MIN;
    if large && layout != Some(Layout::Dbmate) {
        check_utf8(&path, &display)?;
        return Ok(Source {
            display,
            rel,
            path: Some(path),
            text: String::new(),
            streamed: true,
            spool: None,
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
        spool: None,
    })
}

fn is_pipe(meta: &fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        meta.file_type().is_fifo()
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        false
    }
}

fn not_regular(display: &str, ft: &fs::FileType) -> InputError {
    InputError(format!(
        "{display}: not a regular file or pipe (it is {}); pg2tidb reads files, directories, pipes and standard input",
        crate::output::special_kind(ft)
    ))
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
    /// One line per directory: the layout used and the files it skipped;
    /// also every special file, link and skipped directory met on the way.
    pub notes: Vec<String>,
}

/// Expand the command-line inputs into files, in conversion order. A
/// directory's layout is detected unless `layout` forces one.
pub fn discover(args: &[String], layout: Option<Layout>) -> Result<Discovered, InputError> {
    discover_skipping(args, layout, None)
}

/// [`discover`], leaving out the directory `skip` (the output directory, so
/// that a run never reads an earlier run's output as input).
pub fn discover_skipping(
    args: &[String],
    layout: Option<Layout>,
    skip: Option<&Path>,
) -> Result<Discovered, InputError> {
    let mut found = Discovered::default();
    let skip = skip.and_then(|p| fs::canonicalize(p).ok());
    found.sources = discover_into(args, layout, skip.as_deref(), &mut found.notes)?;
    Ok(found)
}

fn discover_into(
    args: &[String],
    layout: Option<Layout>,
    skip: Option<&Path>,
    notes: &mut Vec<String>,
) -> Result<Vec<Source>, InputError> {
    let mut out = Vec::new();
    for arg in args {
        if arg == "-" {
            // Standard input that is a device other than a terminal
            // (`< /dev/zero`) is refused: it would be read without end.
            if let Ok(meta) = fs::metadata("/dev/stdin") {
                let ft = meta.file_type();
                let terminal = std::io::IsTerminal::is_terminal(&std::io::stdin());
                if !(ft.is_file() || is_pipe(&meta) || terminal || is_socket(&ft)) {
                    return Err(not_regular("<stdin>", &ft));
                }
            }
            out.push(read_pipe(
                std::io::stdin().lock(),
                "<stdin>",
                PathBuf::from("stdin.sql"),
                None,
            )?);
            continue;
        }
        let path = PathBuf::from(arg);
        let meta = fs::metadata(&path).map_err(|e| InputError(format!("{arg}: {e}")))?;
        if meta.is_dir() {
            let root = fs::canonicalize(&path).map_err(|e| InputError(format!("{arg}: {e}")))?;
            let mut walk = Walk {
                root: &root,
                given: &path,
                skip,
                files: Vec::new(),
                notes: Vec::new(),
            };
            walk.dir(&root)?;
            let Walk {
                files, notes: seen, ..
            } = walk;
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
            notes.extend(seen);
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

fn is_socket(ft: &fs::FileType) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        ft.is_socket()
    }
    #[cfg(not(unix))]
    {
        let _ = ft;
        false
    }
}

/// Collecting the `.sql` files below an input directory.
struct Walk<'a> {
    /// The directory, canonical.
    root: &'a Path,
    /// The directory as given (for notes).
    given: &'a Path,
    /// A directory never to enter (the output directory), canonical.
    skip: Option<&'a Path>,
    /// Files relative to the root.
    files: Vec<PathBuf>,
    /// What was met on the way and not taken as it is.
    notes: Vec<String>,
}

impl Walk<'_> {
    /// Collect the `.sql` files below `dir`. A `.sql` link to a file is
    /// followed wherever it leads (and named when it leads out of the
    /// directory); a dangling `.sql` link is an error (the history would be
    /// incomplete); a `.sql` name that is not a regular file (a FIFO, a
    /// socket, a device) is never opened and is named. Links to directories
    /// are not followed (they would repeat files or leave the directory) and
    /// are named.
    fn dir(&mut self, dir: &Path) -> Result<(), InputError> {
        let entries =
            fs::read_dir(dir).map_err(|e| InputError(format!("{}: {e}", dir.display())))?;
        let mut entries: Vec<_> = entries
            .collect::<Result<_, _>>()
            .map_err(|e| InputError(format!("{}: {e}", dir.display())))?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let p = entry.path();
            let shown = self.given.join(p.strip_prefix(self.root).unwrap_or(&p));
            let is_sql = p.extension().is_some_and(|e| e == "sql");
            let ft = entry
                .file_type()
                .map_err(|e| InputError(format!("{}: {e}", shown.display())))?;
            if ft.is_dir() {
                if self.skip == Some(p.as_path()) {
                    self.notes.push(format!(
                        "{}: the output directory, not read as input",
                        shown.display()
                    ));
                    continue;
                }
                self.dir(&p)?;
            } else if ft.is_symlink() {
                let real = match fs::canonicalize(&p) {
                    Ok(r) => r,
                    Err(e) if is_sql => {
                        let to = fs::read_link(&p)
                            .map(|t| t.display().to_string())
                            .unwrap_or_default();
                        return Err(InputError(format!(
                            "{}: a symbolic link to {to}, which cannot be read ({e}); the migration history would be incomplete",
                            shown.display()
                        )));
                    }
                    Err(_) => continue, // a dangling link that is no migration
                };
                let meta = fs::metadata(&real)
                    .map_err(|e| InputError(format!("{}: {e}", shown.display())))?;
                if meta.is_dir() {
                    if self.skip != Some(real.as_path()) {
                        self.notes.push(format!(
                            "{}: a symbolic link to the directory {}, not followed",
                            shown.display(),
                            real.display()
                        ));
                    }
                } else if !is_sql {
                } else if !meta.is_file() {
                    self.notes.push(format!(
                        "{}: not a regular file ({}), skipped",
                        shown.display(),
                        crate::output::special_kind(&meta.file_type())
                    ));
                } else {
                    if !real.starts_with(self.root) {
                        self.notes.push(format!(
                            "{}: a symbolic link out of the directory, followed to {}",
                            shown.display(),
                            real.display()
                        ));
                    }
                    self.files
                        .push(p.strip_prefix(self.root).unwrap_or(&p).to_path_buf());
                }
            } else if !is_sql {
            } else if ft.is_file() {
                self.files
                    .push(p.strip_prefix(self.root).unwrap_or(&p).to_path_buf());
            } else {
                self.notes.push(format!(
                    "{}: not a regular file ({}), skipped",
                    shown.display(),
                    crate::output::special_kind(&ft)
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_order_not_string_order() {
        let mut v = vec!["V10__b.sql", "V9__a.sql", "V1.1__c.sql", "V1__d.sql"];
        v.sort_by(|a, b| crate::layout::natural_cmp(a, b));
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
