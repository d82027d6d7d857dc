//! What the per-site storage readers share (Chromium's IndexedDB and Cache Storage
//! directories, Firefox's `storage/default`): a store that is a directory of per-site
//! directories, each removed whole ([`Removal::Trees`]). The readers name the site of
//! each directory; this file lists the directories, sizes them and builds the items.
//! Read-only, and never follows a symlink.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::model::{Found, Item, ItemKey, Removal, Unreadable};
use crate::targets::url_host;

/// How deep [`tree_size`] walks (browsers nest a few levels).
const MAX_DEPTH: usize = 64;

/// One entry of a per-site store directory, as listed (not followed).
pub struct Child {
    pub name: OsString,
    pub path: PathBuf,
    pub is_dir: bool,
    pub is_symlink: bool,
}

/// The entries of `dir`, sorted by name; a missing `dir` has none.
pub fn children(dir: &Path) -> std::io::Result<Vec<Child>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry?;
        let kind = entry.file_type()?;
        out.push(Child {
            name: entry.file_name(),
            path: entry.path(),
            is_dir: kind.is_dir(),
            is_symlink: kind.is_symlink(),
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Why a target's entry that is not a plain directory is left alone, or `None` when it
/// is one.
pub fn refuse(child: &Child) -> Option<Unreadable> {
    let reason = if child.is_symlink {
        "a symlink; not followed (left alone)"
    } else if !child.is_dir {
        "not a directory (left alone)"
    } else {
        return None;
    };
    Some(Unreadable {
        file: child.path.clone(),
        reason: reason.to_string(),
    })
}

/// The bytes of the regular files under `dir`, without following symlinks; what cannot
/// be read counts as nothing.
pub fn tree_size(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![(dir.to_path_buf(), 0usize)];
    while let Some((at, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&at) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() && depth < MAX_DEPTH {
                stack.push((entry.path(), depth + 1));
            } else if kind.is_file() {
                total += entry.metadata().map(|m| m.len()).unwrap_or(0);
            }
        }
    }
    total
}

/// The item of one site's entry: `origin` (`https://chatgpt.com`), the top-level site it
/// was stored under, and its directories (removed whole, in this order).
pub fn site_item(origin: &str, partition: Option<String>, dirs: Vec<PathBuf>) -> Item {
    let size = dirs.iter().map(|d| tree_size(d)).sum();
    Item {
        host: url_host(origin).unwrap_or_default().to_string(),
        name: None,
        path: None,
        url: Some(origin.to_string()),
        partition,
        size: Some(size),
        key: ItemKey::Trees(dirs),
    }
}

/// A per-site store's items, removed directory by directory.
pub fn found(items: Vec<Item>, unreadable: Vec<Unreadable>) -> Found {
    Found {
        items,
        removal: Removal::Trees,
        unreadable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testutil::write;

    #[test]
    fn sizes_count_files_and_not_what_links_point_to() {
        let dir = tempfile::tempdir().unwrap();
        write(&dir.path().join("a/b/c"), vec![0u8; 100]);
        write(&dir.path().join("a/d"), vec![0u8; 20]);
        let outside = tempfile::tempdir().unwrap();
        write(&outside.path().join("big"), vec![0u8; 5000]);
        #[cfg(unix)]
        std::os::unix::fs::symlink(outside.path(), dir.path().join("a/link")).unwrap();
        assert_eq!(tree_size(&dir.path().join("a")), 120);
        let item = site_item(
            "https://chatgpt.com",
            None,
            vec![dir.path().join("a"), dir.path().join("missing")],
        );
        assert_eq!((item.host.as_str(), item.size), ("chatgpt.com", Some(120)));
    }
}
