//! Reading the machine-wide files of `--root`: bounded, never through a FIFO, and with a
//! symlink's absolute target taken under the root (a mounted disk's `/etc/hosts ->
//! /private/etc/hosts` must not read the running machine's file).

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::platform::Layout;

/// Symlink hops followed before giving up (a loop or a hostile chain).
const MAX_HOPS: usize = 8;

/// What reading a system file gave.
pub enum SysRead {
    /// Absent: nothing configured there, not an error.
    Missing,
    /// The bytes, and whether the file was longer than the limit (then only the first
    /// `limit` bytes are here).
    Bytes { data: Vec<u8>, truncated: bool },
    /// Present but unreadable: the reason.
    Failed(String),
}

/// Reads at most `limit` bytes of `path` (a path under the layout's root). A symlink is
/// followed, its absolute target re-rooted under the root.
pub fn read(layout: &Layout, path: &Path, limit: u64) -> SysRead {
    let path = match resolve(layout, path) {
        Ok(Some(p)) => p,
        Ok(None) => return SysRead::Missing,
        Err(e) => return SysRead::Failed(e),
    };
    let file = match crate::fsutil::open_file(&crate::confine::Confined::default(), &path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return SysRead::Missing,
        Err(e) => return SysRead::Failed(e.to_string()),
    };
    let mut data = Vec::new();
    if let Err(e) = file.take(limit + 1).read_to_end(&mut data) {
        return SysRead::Failed(e.to_string());
    }
    let truncated = data.len() as u64 > limit;
    data.truncate(limit as usize);
    SysRead::Bytes { data, truncated }
}

/// Opens `path` (under the layout's root) for reading where it lies, its symlinks
/// followed as [`read`] follows them; `None` when absent.
pub fn open(layout: &Layout, path: &Path) -> Result<Option<std::fs::File>, String> {
    let Some(path) = resolve(layout, path)? else {
        return Ok(None);
    };
    match crate::fsutil::open_file(&crate::confine::Confined::default(), &path) {
        Ok(f) => Ok(Some(f)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}

/// Reads a whole text file of at most `limit` bytes (invalid UTF-8 replaced, a BOM
/// dropped); a longer file is an error, since a cut JSON or plist means nothing.
pub fn read_text(layout: &Layout, path: &Path, limit: u64) -> Result<Option<String>, String> {
    match read(layout, path, limit) {
        SysRead::Missing => Ok(None),
        SysRead::Failed(e) => Err(e),
        SysRead::Bytes {
            truncated: true, ..
        } => Err(format!(
            "larger than {} MB: not read",
            limit / (1024 * 1024)
        )),
        SysRead::Bytes { data, .. } => {
            let text = String::from_utf8_lossy(&data);
            Ok(Some(
                text.strip_prefix('\u{feff}').unwrap_or(&text).to_string(),
            ))
        }
    }
}

/// Reads a whole binary file of at most `limit` bytes.
pub fn read_bytes(layout: &Layout, path: &Path, limit: u64) -> Result<Option<Vec<u8>>, String> {
    match read(layout, path, limit) {
        SysRead::Missing => Ok(None),
        SysRead::Failed(e) => Err(e),
        SysRead::Bytes {
            truncated: true, ..
        } => Err(format!(
            "larger than {} MB: not read",
            limit / (1024 * 1024)
        )),
        SysRead::Bytes { data, .. } => Ok(Some(data)),
    }
}

/// `path` with symlinks in its last component followed, re-rooted; `None` when absent.
fn resolve(layout: &Layout, path: &Path) -> Result<Option<PathBuf>, String> {
    let mut path = path.to_path_buf();
    for _ in 0..MAX_HOPS {
        let meta = match path.symlink_metadata() {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.to_string()),
        };
        if !meta.file_type().is_symlink() {
            return Ok(Some(path));
        }
        let target = std::fs::read_link(&path).map_err(|e| e.to_string())?;
        path = if target.is_absolute() {
            let rel = target.to_string_lossy().replace('\\', "/");
            layout.system_path(rel.trim_start_matches('/'))
        } else {
            path.parent().unwrap_or(Path::new("")).join(target)
        };
    }
    Err("too many symbolic links".to_string())
}

/// The regular files directly in `dir` whose name ends in `suffix`, sorted; `None` when
/// the directory is absent, `Err` when it cannot be listed.
pub fn list(dir: &Path, suffix: &str) -> Result<Option<Vec<PathBuf>>, String> {
    sorted_entries(dir, |p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.ends_with(suffix) && !n.starts_with('.'))
    })
}

/// Every file in `dir` (a symlink to a file too; no directory), sorted by name, as
/// Chromium's policy loader takes them (dot files included); `None` when there is no such
/// directory.
pub fn list_all(dir: &Path) -> Result<Option<Vec<PathBuf>>, String> {
    sorted_entries(dir, |p| p.is_file())
}

/// The directories in `dir` (symlinks to directories too, as `/sys/class/net` holds
/// them), sorted; `None` when there is no such directory.
pub fn list_all_dirs(dir: &Path) -> Result<Option<Vec<PathBuf>>, String> {
    sorted_entries(dir, |p| p.is_dir())
}

/// The entries of `dir` that `keep` takes, sorted; `None` when there is no such
/// directory.
fn sorted_entries(
    dir: &Path,
    keep: impl Fn(&Path) -> bool,
) -> Result<Option<Vec<PathBuf>>, String> {
    if dir.exists() && !dir.is_dir() {
        return Ok(None);
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| keep(p))
        .collect();
    out.sort();
    // Bounded: a directory of a million files is not a policy directory.
    out.truncate(1000);
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::Os;

    #[test]
    fn reads_are_bounded_and_links_stay_under_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::for_home(Os::Linux, dir.path()).with_root(dir.path());
        let file = dir.path().join("big");
        std::fs::write(&file, vec![b'x'; 100]).unwrap();
        match read(&layout, &file, 10) {
            SysRead::Bytes { data, truncated } => assert!(truncated && data.len() == 10),
            _ => panic!("not read"),
        }
        assert!(read_text(&layout, &file, 10)
            .unwrap_err()
            .contains("larger than"));
        assert_eq!(read_bytes(&layout, &file, 100).unwrap().unwrap().len(), 100);
        assert!(matches!(
            read(&layout, &dir.path().join("absent"), 10),
            SysRead::Missing
        ));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/big", dir.path().join("link")).unwrap();
            assert_eq!(
                read_bytes(&layout, &dir.path().join("link"), 100)
                    .unwrap()
                    .unwrap()
                    .len(),
                100
            );
            std::os::unix::fs::symlink("/loop", dir.path().join("loop")).unwrap();
            assert!(read_bytes(&layout, &dir.path().join("loop"), 100).is_err());
        }
    }
}
