//! Writing outputs without harming anything.
//!
//! An output (`-o`, `--report-file`, the files of an output directory) is
//! only ever a regular file: a path that is a FIFO, a socket, a device or a
//! directory is refused, and a symbolic link is written through (the file it
//! names is replaced; the link stays). Every destination is claimed before
//! anything is converted ([`Plan`]): one that is an input (or a baseline, the
//! settings file, …) or that two outputs would share is refused up front.
//! Files are written to a temporary file beside the destination and renamed
//! into place when complete ([`AtomicFile`]); an interrupt (Ctrl-C,
//! SIGTERM, SIGHUP) removes the temporary files of the run
//! ([`remove_temporaries_on_interrupt`]).

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// How many symbolic links [`destination`] follows before giving up.
const MAX_LINKS: usize = 40;

/// Exit code after an interrupt (128 + SIGINT).
pub const INTERRUPTED_EXIT: i32 = 130;

/// What writing to `path` would replace: `path` itself, or the file its
/// symbolic links lead to (created when missing). Anything that is not a
/// regular file is refused, with a message naming `path`.
pub fn destination(path: &Path) -> Result<PathBuf, String> {
    let mut p = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        let meta = match fs::symlink_metadata(&p) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(p),
            Err(e) => return Err(format!("{}: {e}", path.display())),
        };
        let ft = meta.file_type();
        if ft.is_symlink() {
            let to = fs::read_link(&p).map_err(|e| format!("{}: {e}", path.display()))?;
            p = match p.parent() {
                Some(dir) if to.is_relative() => dir.join(to),
                _ => to,
            };
            continue;
        }
        if ft.is_file() {
            return Ok(p);
        }
        let what = if ft.is_dir() {
            "a directory"
        } else {
            special_kind(&ft)
        };
        let through = if p == path {
            String::new()
        } else {
            format!(" (it leads to {})", p.display())
        };
        return Err(format!(
            "{}: not a regular file{through}: it is {what}, and pg2tidb writes only regular files",
            path.display()
        ));
    }
    Err(format!(
        "{}: too many levels of symbolic links",
        path.display()
    ))
}

/// A name for a file type that is neither a regular file nor a directory.
pub fn special_kind(ft: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if ft.is_socket() {
            return "a socket";
        }
        if ft.is_char_device() {
            return "a character device";
        }
        if ft.is_block_device() {
            return "a block device";
        }
    }
    let _ = ft;
    "not a regular file"
}

/// A path's identity for comparisons: absolute, with `.` and `..` resolved
/// and the symbolic links of its longest existing ancestor resolved, so
/// `out.sql`, `./out.sql` and a link to it compare equal even before the file
/// exists.
pub fn identity(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .unwrap_or_else(|_| PathBuf::from("/"))
            .join(path)
    };
    let mut norm = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                norm.pop();
            }
            other => norm.push(other),
        }
    }
    // The longest ancestor that exists, canonical, then the rest.
    let mut rest = Vec::new();
    let mut base = norm.as_path();
    loop {
        if let Ok(c) = fs::canonicalize(base) {
            let mut out = c;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (base.parent(), base.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                base = parent;
            }
            _ => return norm,
        }
    }
}

/// The destinations of one run, claimed before anything is written.
#[derive(Debug, Default)]
pub struct Plan {
    /// Files that must never be written: identity → how to name it.
    protected: BTreeMap<PathBuf, String>,
    /// Destinations claimed so far: identity → (the output as named, what it is).
    claimed: BTreeMap<PathBuf, (PathBuf, String)>,
}

impl Plan {
    /// A file the run reads (an input, a baseline, the settings file): no
    /// output may replace it.
    pub fn protect(&mut self, path: &Path, what: &str) {
        let id = identity(path);
        self.protected.entry(id).or_insert_with(|| what.to_string());
    }

    /// Claim `path` for an output described as `what` (say, "the report" or
    /// "the output of a/V1.sql"): checks that it is, or leads to, a regular
    /// file or nothing, that it is no input, and that no other output claimed
    /// it. Returns where to write.
    pub fn claim(&mut self, path: &Path, what: &str) -> Result<PathBuf, String> {
        let dest = destination(path)?;
        let id = identity(&dest);
        if let Some(input) = self.protected.get(&id) {
            return Err(format!(
                "{}: output would overwrite an input ({input})",
                path.display()
            ));
        }
        if let Some((other, other_what)) = self.claimed.get(&id) {
            let same = if other == path {
                String::new()
            } else {
                format!(" (as {})", other.display())
            };
            return Err(format!(
                "{}: {other_what} and {what} would both be written there{same}; give them different outputs",
                path.display()
            ));
        }
        self.claimed
            .insert(id, (path.to_path_buf(), what.to_string()));
        Ok(dest)
    }
}

/// Temporary files of this run that are not yet renamed into place: removed
/// by the interrupt handler.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn live() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    LIVE.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// On Ctrl-C, SIGTERM or SIGHUP: remove the temporary files of the run and
/// exit with [`INTERRUPTED_EXIT`]. Call once, before the first file is begun.
pub fn remove_temporaries_on_interrupt() {
    // Another handler (verify's) may be installed already: then that one rules.
    let _ = ctrlc::set_handler(|| {
        let files = live();
        for f in files.iter() {
            let _ = fs::remove_file(f);
        }
        let _ = writeln!(
            std::io::stderr(),
            "pg2tidb: interrupted; nothing was written"
        );
        std::process::exit(INTERRUPTED_EXIT);
    });
}

/// A file written through a temporary file beside its destination and
/// renamed into place by [`AtomicFile::commit`]; dropped uncommitted, the
/// temporary file is removed. [`AtomicFile::close`] keeps the temporary file
/// without holding it open (many outputs are committed together at the end).
pub struct AtomicFile {
    dest: PathBuf,
    file: Option<std::io::BufWriter<fs::File>>,
    temp: Option<tempfile::TempPath>,
}

impl AtomicFile {
    /// Begin the file that will replace `dest` (a path from [`Plan::claim`]);
    /// its directory is created if needed.
    pub fn create(dest: &Path) -> Result<AtomicFile, String> {
        let cannot = |e: std::io::Error| format!("{}: cannot write: {e}", dest.display());
        let dir = dest
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let name = dest
            .file_name()
            .ok_or_else(|| format!("{}: not a file name", dest.display()))?;
        let prefix = format!(".{}.", name.to_string_lossy());
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".pg2tidb.tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // As a new file would be (umask applies); an existing file keeps its mode below.
            builder.permissions(fs::Permissions::from_mode(0o666));
        }
        // Registered before it exists on disk, so an interrupt never misses it.
        let mut guard = live();
        let named = builder.tempfile_in(dir).map_err(cannot)?;
        guard.push(named.path().to_path_buf());
        drop(guard);
        if let Ok(meta) = fs::metadata(dest) {
            let _ = fs::set_permissions(named.path(), meta.permissions());
        }
        let (file, temp) = named.into_parts();
        Ok(AtomicFile {
            dest: dest.to_path_buf(),
            file: Some(std::io::BufWriter::new(file)),
            temp: Some(temp),
        })
    }

    /// Where the file will go.
    pub fn dest(&self) -> &Path {
        &self.dest
    }

    /// Write to the file (an error once closed).
    pub fn write_all(&mut self, bytes: &[u8]) -> Result<(), String> {
        let dest = &self.dest;
        match &mut self.file {
            Some(f) => f
                .write_all(bytes)
                .map_err(|e| format!("{}: cannot write: {e}", dest.display())),
            None => Err(format!("{}: written after it was closed", dest.display())),
        }
    }

    /// Flush the file to disk and close it; the temporary file stays until
    /// [`AtomicFile::commit`].
    pub fn close(&mut self) -> Result<(), String> {
        if let Some(mut f) = self.file.take() {
            f.flush()
                .and_then(|()| f.get_ref().sync_all())
                .map_err(|e| format!("{}: cannot write: {e}", self.dest.display()))?;
        }
        Ok(())
    }

    /// Close the file and rename it into place.
    pub fn commit(mut self) -> Result<(), String> {
        self.close()?;
        let Some(temp) = self.temp.take() else {
            return Ok(());
        };
        let mut guard = live();
        let path = temp.to_path_buf();
        let result = temp.persist(&self.dest);
        guard.retain(|p| *p != path);
        result.map_err(|e| format!("{}: cannot write: {}", self.dest.display(), e.error))
    }
}

/// Writing through [`std::io::Write`] (a report streamed into the file).
impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.file {
            Some(f) => f.write(buf),
            None => Err(std::io::Error::other("written after it was closed")),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        self.file = None;
        if let Some(temp) = self.temp.take() {
            let mut guard = live();
            let path = temp.to_path_buf();
            drop(temp); // removes the file
            guard.retain(|p| *p != path);
        }
    }
}

/// Write `text` to `dest` (from [`Plan::claim`]) atomically.
pub fn write_atomic(dest: &Path, text: &str) -> Result<(), String> {
    let mut f = AtomicFile::create(dest)?;
    f.write_all(text.as_bytes())?;
    f.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("pg2tidb-output-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn identity_resolves_dots_and_links_of_paths_that_do_not_exist_yet() {
        let d = dir("identity");
        fs::create_dir_all(d.join("real")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(d.join("real"), d.join("link")).unwrap();
        assert_eq!(
            identity(&d.join("a/../real/./x.sql")),
            identity(&d.join("real/x.sql"))
        );
        #[cfg(unix)]
        assert_eq!(
            identity(&d.join("link/new/x.sql")),
            fs::canonicalize(d.join("real")).unwrap().join("new/x.sql")
        );
    }

    #[test]
    fn a_plan_refuses_inputs_and_shared_destinations() {
        let d = dir("plan");
        fs::write(d.join("in.sql"), "x").unwrap();
        let mut plan = Plan::default();
        plan.protect(&d.join("in.sql"), "input in.sql");
        let e = plan.claim(&d.join("./in.sql"), "the SQL").unwrap_err();
        assert!(e.contains("would overwrite an input (input in.sql)"), "{e}");
        plan.claim(&d.join("out.sql"), "the SQL").unwrap();
        let e = plan
            .claim(&d.join("sub/../out.sql"), "the report")
            .unwrap_err();
        assert!(e.contains("the SQL and the report"), "{e}");
    }

    #[test]
    fn an_uncommitted_file_leaves_nothing_and_a_committed_one_keeps_the_mode() {
        let d = dir("atomic");
        let dest = d.join("out.sql");
        {
            let mut f = AtomicFile::create(&dest).unwrap();
            f.write_all(b"half").unwrap();
        }
        assert_eq!(fs::read_dir(&d).unwrap().count(), 0);
        fs::write(&dest, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&dest, fs::Permissions::from_mode(0o640)).unwrap();
        }
        write_atomic(&dest, "new").unwrap();
        assert_eq!(fs::read_to_string(&dest).unwrap(), "new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&dest).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o640);
        }
        assert_eq!(fs::read_dir(&d).unwrap().count(), 1);
        assert!(live().is_empty());
    }
}
