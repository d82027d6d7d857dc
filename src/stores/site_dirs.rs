//! What the per-site storage readers share (Chromium's IndexedDB and Cache Storage
//! directories, Firefox's `storage/default`): a store that is a directory of per-site
//! directories, each removed whole ([`Removal::Trees`]). The readers name the site of
//! each directory; this file lists the directories, sizes them and builds the items.
//! Read-only, and never follows a symlink.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use cap_fs_ext::DirExt;
use cap_std::fs::Dir;

use super::model::{Found, Item, ItemKey, Removal, Unreadable};
use crate::confine::Confined;
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

/// The entries of `dir` (reached through `fs`), sorted by name; a missing `dir` has none.
pub fn children(fs: &Confined, dir: &Path) -> std::io::Result<Vec<Child>> {
    if fs
        .metadata(dir)
        .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
    {
        return Ok(Vec::new());
    }
    let mut out: Vec<Child> = fs
        .list(dir)?
        .into_iter()
        .map(|e| Child {
            path: dir.join(&e.name),
            name: e.name,
            is_dir: e.is_dir,
            is_symlink: e.is_symlink,
        })
        .collect();
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

/// The bytes of the regular files under `dir` (reached through `fs`), walking directory
/// handles without following symlinks; what cannot be read counts as nothing.
pub fn tree_size(fs: &Confined, dir: &Path) -> u64 {
    let Ok(top) = fs.dir(dir) else {
        return 0;
    };
    let mut total = 0;
    let mut stack: Vec<(Arc<Dir>, usize)> = vec![(top, 0)];
    while let Some((at, depth)) = stack.pop() {
        let Ok(entries) = at.entries() else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() && depth < MAX_DEPTH {
                if let Ok(sub) = at.open_dir_nofollow(entry.file_name()) {
                    stack.push((Arc::new(sub), depth + 1));
                }
            } else if kind.is_file() {
                total += entry.metadata().map(|m| m.len()).unwrap_or(0);
            }
        }
    }
    total
}

/// The item of one site's entry: `origin` (`https://chatgpt.com`), the top-level site it
/// was stored under, and its directories (removed whole, in this order).
pub fn site_item(
    fs: &Confined,
    origin: &str,
    partition: Option<String>,
    dirs: Vec<PathBuf>,
) -> Item {
    let size = dirs.iter().map(|d| tree_size(fs, d)).sum();
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
        assert_eq!(tree_size(&Confined::default(), &dir.path().join("a")), 120);
        let item = site_item(
            &Confined::default(),
            "https://chatgpt.com",
            None,
            vec![dir.path().join("a"), dir.path().join("missing")],
        );
        assert_eq!((item.host.as_str(), item.size), ("chatgpt.com", Some(120)));
    }
}
