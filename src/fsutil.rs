//! Small read-only file helpers shared by the adapters: bounded reads, so a huge or
//! hostile file cannot exhaust memory, and the one rule for safe path components.

use std::io::Read;
use std::path::Path;

/// Config-style files (`Local State`, `profiles.ini`) larger than this are refused.
pub const MAX_CONFIG_BYTES: u64 = 16 * 1024 * 1024;

/// The names of the entries of the directory `dir`, each with whether it is a
/// directory. Under `fs`'s roots (the home acted on), the directory is reached as
/// [`open_file`] reaches files, and a symlink in it is never taken for a directory.
pub fn read_dir(
    fs: &crate::confine::Confined,
    dir: &Path,
) -> std::io::Result<Vec<(std::ffi::OsString, bool)>> {
    match fs.covers(dir).then_some(fs) {
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
/// Under `fs`'s roots (the home acted on, see `Layout::confinement`) no directory on the
/// way may be a symlink leading out either: the file is reached from its root one
/// directory at a time, as the store readers and the executor reach theirs. Files
/// elsewhere (the system's, under `--root`) are opened as they are.
pub fn open_file(fs: &crate::confine::Confined, path: &Path) -> std::io::Result<std::fs::File> {
    if fs.covers(path) {
        return fs.open_file(path);
    }
    let file = crate::platform::open_nofollow(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            crate::i18n::t("err-regular-file"),
        ));
    }
    Ok(file)
}

/// Reads a whole file, refusing one larger than `limit` bytes.
pub fn read_bounded(
    fs: &crate::confine::Confined,
    path: &Path,
    limit: u64,
) -> std::io::Result<Vec<u8>> {
    let file = open_file(fs, path)?;
    let mut buf = Vec::new();
    file.take(limit + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > limit {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            crate::i18n::ta("err-larger-than-bytes", &[("n", &limit.to_string())]),
        ));
    }
    Ok(buf)
}

/// Reads a small text file, tolerating a UTF-8 BOM and invalid UTF-8.
pub fn read_text(fs: &crate::confine::Confined, path: &Path) -> std::io::Result<String> {
    let bytes = read_bounded(fs, path, MAX_CONFIG_BYTES)?;
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
        let fs = crate::confine::Confined::default();
        assert_eq!(read_bounded(&fs, &p, 100).unwrap().len(), 100);
        assert!(read_bounded(&fs, &p, 99).is_err());
        std::fs::write(&p, b"\xef\xbb\xbfhi").unwrap();
        assert_eq!(read_text(&fs, &p).unwrap(), "hi");
    }
}
