//! Small read-only file helpers shared by the adapters: bounded reads, so a huge or
//! hostile file cannot exhaust memory, and the one rule for safe path components.

use std::io::Read;
use std::path::Path;

/// Config-style files (`Local State`, `profiles.ini`) larger than this are refused.
pub const MAX_CONFIG_BYTES: u64 = 16 * 1024 * 1024;

thread_local! {
    /// How the home this thread acts on is reached (see [`confine_reads_to`]).
    static HOME_ROOTS: std::cell::RefCell<crate::confine::Policy> =
        std::cell::RefCell::new(crate::confine::Policy::default());
}

/// From now on, on this thread, every file read through this module that lies under one
/// of the policy's roots (the home acted on, and for its owner its base directories,
/// `Layout::confinement`) is reached from its root one directory at a time without
/// following a symlink that leads out, as the store readers and the executor reach
/// theirs: configuration files (`Local State`,
/// `profiles.ini`, extension manifests, backup manifests) cannot be swapped for links to
/// another user's files either. Files elsewhere (the system's, under `--root`) are
/// opened as before. Each run on a home (one per user of `--all-users`, each on its own
/// thread) sets its own.
pub fn confine_reads_to(policy: crate::confine::Policy) {
    HOME_ROOTS.with(|r| *r.borrow_mut() = policy);
}

/// The confinement of this thread's home, when one was set and covers `path`.
fn confined_for(path: &Path) -> Option<crate::confine::Confined> {
    let policy = HOME_ROOTS.with(|r| r.borrow().clone());
    if policy.roots.is_empty() {
        return None;
    }
    let confined = crate::confine::Confined::with(policy);
    confined.covers(path).then_some(confined)
}

/// The names of the entries of the directory `dir`, each with whether it is a
/// directory. Under the home acted on, the directory is reached as [`open_file`] reaches
/// files, and a symlink in it is never taken for a directory.
pub fn read_dir(dir: &Path) -> std::io::Result<Vec<(std::ffi::OsString, bool)>> {
    match confined_for(dir) {
        Some(confined) => Ok(confined
            .list(dir)?
            .into_iter()
            .map(|e| (e.name, e.is_dir))
            .collect()),
        None => Ok(std::fs::read_dir(dir)?
            .flatten()
            .map(|e| {
                let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
                (e.file_name(), is_dir)
            })
            .collect()),
    }
}

/// Opens a regular file for reading, never through a symlink (run as root over a home,
/// a link could name anyone's file) and never blocking (a FIFO would hang the run):
/// anything but a regular file is refused, by one open and the `fstat` of what it opened.
/// Under the home's roots no directory on the way may be a symlink either (see
/// [`confine_reads_to`]); a fresh walk each time, so a directory replaced during the run
/// is never read through an old handle.
pub fn open_file(path: &Path) -> std::io::Result<std::fs::File> {
    if let Some(confined) = confined_for(path) {
        return confined.open_file(path);
    }
    let file = crate::platform::open_nofollow(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    Ok(file)
}

/// Reads a whole file, refusing one larger than `limit` bytes.
pub fn read_bounded(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let file = open_file(path)?;
    let mut buf = Vec::new();
    file.take(limit + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > limit {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("larger than {limit} bytes"),
        ));
    }
    Ok(buf)
}

/// Reads a small text file, tolerating a UTF-8 BOM and invalid UTF-8.
pub fn read_text(path: &Path) -> std::io::Result<String> {
    let bytes = read_bounded(path, MAX_CONFIG_BYTES)?;
    let text = String::from_utf8_lossy(&bytes);
    Ok(text.strip_prefix('\u{feff}').unwrap_or(&text).to_string())
}

/// `path` made absolute against the working directory, without resolving symlinks (a
/// path that cannot be made absolute, such as an empty one, is returned as given).
pub fn absolute(path: &Path) -> std::path::PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// True for a name that is one ordinary path component: profile directory names come
/// from files on disk and must never lead outside the directory they are joined to.
pub fn is_plain_component(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', '\0'])
        && !(name.len() >= 2 && name.as_bytes()[1] == b':')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_components() {
        assert!(is_plain_component("Default"));
        assert!(is_plain_component("Profile 2"));
        assert!(is_plain_component("Profil\u{e9} \u{1f600}"));
        for bad in ["", ".", "..", "../x", "a/b", "a\\b", "C:evil"] {
            assert!(!is_plain_component(bad), "{bad}");
        }
    }

    #[test]
    fn bounded_reads_refuse_large_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        std::fs::write(&p, vec![b'a'; 100]).unwrap();
        assert_eq!(read_bounded(&p, 100).unwrap().len(), 100);
        assert!(read_bounded(&p, 99).is_err());
        std::fs::write(&p, b"\xef\xbb\xbfhi").unwrap();
        assert_eq!(read_text(&p).unwrap(), "hi");
    }
}
