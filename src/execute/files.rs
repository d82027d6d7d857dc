//! The executor's file writes: remove a cache entry's files and then the index, remove a
//! whole cache directory or any directory tree inside a profile, and replace a file
//! atomically with new contents.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use super::Outcome;
use crate::report::Action;
use crate::stores::{self, ItemKey, RewriteFormat, StoreScan};

/// Removes files; one that is already gone is fine.
#[expect(clippy::disallowed_methods, reason = "the executor's file removal")]
pub(super) fn remove_files(files: &[std::path::PathBuf]) -> Result<(), String> {
    for file in files {
        match std::fs::remove_file(file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("could not remove `{}`: {e}", file.display())),
        }
    }
    Ok(())
}

pub(super) fn rewrite_file(
    path: &Path,
    format: RewriteFormat,
    len: u64,
    hash: u64,
    scan: &StoreScan,
) -> anyhow::Result<Vec<Outcome>> {
    let bytes = crate::fsutil::read_bounded(path, len.saturating_add(1))
        .with_context(|| format!("could not read `{}`", path.display()))?;
    if stores::fingerprint(&bytes) != (len, hash) {
        anyhow::bail!(
            "`{}` changed after it was read; run loginfix again",
            path.display()
        );
    }
    let remove: Vec<usize> = scan
        .items
        .iter()
        .filter_map(|i| match i.key {
            ItemKey::Element(n) => Some(n),
            _ => None,
        })
        .collect();
    let new = format
        .rewrite(&bytes, &remove)
        .with_context(|| format!("could not rewrite `{}`", path.display()))?;
    replace_file(path, &new, 0o600)?;
    Ok(vec![(Action::Removed, None); scan.items.len()])
}

/// Removes each entry's files, then the index files (only if an entry went), so the
/// browser rebuilds its index from the entries that remain.
pub(super) fn remove_cache_entries(
    scan: &StoreScan,
    index_files: &[std::path::PathBuf],
) -> Vec<Outcome> {
    let mut outcomes = Vec::with_capacity(scan.items.len());
    let mut any_removed = false;
    for item in &scan.items {
        let ItemKey::Files(files) = &item.key else {
            outcomes.push((
                Action::Failed,
                Some("internal error: no files planned".to_string()),
            ));
            continue;
        };
        match remove_files(files) {
            Ok(()) => {
                any_removed = true;
                outcomes.push((Action::Removed, None));
            }
            Err(e) => outcomes.push((Action::Failed, Some(e))),
        }
    }
    if any_removed {
        if let Err(e) = remove_files(index_files) {
            // The browser would trust a stale index: report every entry as failed.
            let msg = format!("entries removed, but the index was not: {e}");
            return vec![(Action::Failed, Some(msg)); scan.items.len()];
        }
    }
    outcomes
}

/// Removes a whole cache directory; the browser recreates it empty. A symlink is
/// refused, never followed.
pub(super) fn remove_whole_cache(dir: &Path, scan: &StoreScan) -> anyhow::Result<Vec<Outcome>> {
    let within = dir.parent().unwrap_or(dir);
    remove_tree(dir, within)?;
    Ok(vec![(Action::Removed, None); scan.items.len()])
}

/// How deep a tree [`remove_tree`] walks: browsers nest a few levels; a deeper tree is
/// damage or a trap.
const MAX_DEPTH: usize = 64;

/// Removes the directory tree `dir`, which must lie inside `within` (a profile, a backup
/// root). The way from `within` to `dir` may not pass a symlink; inside the tree a
/// symlink is removed itself, never followed; a tree holding a mount point is refused
/// before anything is removed. A `dir` that does not exist is fine.
#[expect(clippy::disallowed_methods, reason = "the executor's tree removal")]
pub fn remove_tree(dir: &Path, within: &Path) -> anyhow::Result<()> {
    let rel = dir.strip_prefix(within).map_err(|_| {
        anyhow::anyhow!(
            "`{}` is not inside `{}`; not removed",
            dir.display(),
            within.display()
        )
    })?;
    if rel.as_os_str().is_empty()
        || rel
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        anyhow::bail!(
            "`{}` is not a directory below `{}`; not removed",
            dir.display(),
            within.display()
        );
    }
    let mut at = within.to_path_buf();
    for part in rel.components() {
        at.push(part);
        let meta = match std::fs::symlink_metadata(&at) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e).with_context(|| format!("could not read `{}`", at.display())),
        };
        if meta.file_type().is_symlink() {
            anyhow::bail!(
                "`{}` is a symlink; not removing what it points to",
                at.display()
            );
        }
        if !meta.is_dir() {
            anyhow::bail!("`{}` is not a directory; not removed", at.display());
        }
    }
    let device = crate::platform::device_id(&std::fs::symlink_metadata(dir)?);
    let mut order = Vec::new();
    list_tree(dir, device, 0, &mut order)?;
    for (path, is_dir) in order {
        let result = if is_dir {
            std::fs::remove_dir(&path)
        } else {
            std::fs::remove_file(&path)
        };
        match result {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(e).with_context(|| format!("could not remove `{}`", path.display()))
            }
        }
    }
    Ok(())
}

/// Every entry of the tree `dir`, contents before their directory, `dir` last; fails on
/// a directory of another file system (a mount point) or a tree deeper than [`MAX_DEPTH`].
fn list_tree(
    dir: &Path,
    device: Option<u64>,
    depth: usize,
    out: &mut Vec<(std::path::PathBuf, bool)>,
) -> anyhow::Result<()> {
    if depth > MAX_DEPTH {
        anyhow::bail!("`{}` is nested too deeply; not removed", dir.display());
    }
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("could not list `{}`", dir.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("could not list `{}`", dir.display()))?;
        let path = entry.path();
        let meta = std::fs::symlink_metadata(&path)
            .with_context(|| format!("could not read `{}`", path.display()))?;
        if meta.is_dir() {
            if crate::platform::device_id(&meta) != device {
                anyhow::bail!(
                    "`{}` is a mount point; nothing under `{}` was removed",
                    path.display(),
                    dir.display()
                );
            }
            list_tree(&path, device, depth + 1, out)?;
        } else {
            out.push((path, false));
        }
    }
    out.push((dir.to_path_buf(), true));
    Ok(())
}

/// Replaces `path` atomically: a temporary file in the same directory, flushed to disk,
/// given the original's permissions and owner, then renamed over it. A `path` that no
/// longer exists (a file of a removed tree, put back) is created with `mode` and the
/// owner of its directory.
pub(super) fn replace_file(path: &Path, contents: &[u8], mode: u32) -> anyhow::Result<()> {
    replace_file_as(path, contents, mode, None)
}

/// [`replace_file`]; given `owner` (restore: the home's owner), the new file gets that
/// owner and exactly `mode`, whatever the file it replaces had.
#[expect(
    clippy::disallowed_methods,
    reason = "the executor's atomic replacement"
)]
pub(super) fn replace_file_as(
    path: &Path,
    contents: &[u8],
    mode: u32,
    owner: Option<&std::fs::Metadata>,
) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .context("a store file has no parent directory")?;
    let (perms, owner) = match (owner, std::fs::metadata(path)) {
        (Some(owner), _) => (None, Some(owner.clone())),
        (None, Ok(meta)) => (Some(meta.permissions()), Some(meta)),
        (None, Err(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            (None, std::fs::metadata(dir).ok())
        }
        (None, Err(e)) => {
            return Err(e).with_context(|| format!("could not read `{}`", path.display()))
        }
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".loginfix-")
        .tempfile_in(dir)
        .with_context(|| format!("could not create a temporary file in `{}`", dir.display()))?;
    tmp.write_all(contents)
        .and_then(|_| tmp.as_file().sync_all())
        .with_context(|| format!("could not write a temporary file in `{}`", dir.display()))?;
    match perms {
        Some(perms) => std::fs::set_permissions(tmp.path(), perms)?,
        None => crate::platform::set_mode(tmp.path(), mode)?,
    }
    if let Some(owner) = &owner {
        crate::platform::copy_owner(owner, tmp.path())
            .with_context(|| format!("could not give `{}` its owner back", path.display()))?;
    }
    tmp.persist(path)
        .with_context(|| format!("could not replace `{}`", path.display()))?;
    crate::platform::sync_dir(dir);
    Ok(())
}

/// Creates the directory `path` (a directory of a removed tree, put back) with `mode`
/// and `owner` (the home's owner; by default the owner of its parent); one that exists
/// already is left as it is.
pub(super) fn create_dir(
    path: &Path,
    mode: u32,
    owner: Option<&std::fs::Metadata>,
) -> anyhow::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => return Ok(()),
        Ok(_) => anyhow::bail!("`{}` exists and is not a directory", path.display()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("could not read `{}`", path.display())),
    }
    std::fs::create_dir(path).with_context(|| format!("could not create `{}`", path.display()))?;
    crate::platform::set_mode(path, mode)?;
    let parent = path.parent().and_then(|p| std::fs::metadata(p).ok());
    if let Some(owner) = owner.or(parent.as_ref()) {
        crate::platform::copy_owner(owner, path)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::write;

    fn listing(dir: &Path) -> Vec<String> {
        let mut out: Vec<String> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| {
                let e = e.unwrap();
                e.path().strip_prefix(dir).unwrap().display().to_string()
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn remove_tree_removes_only_the_tree_and_never_follows_links() {
        let home = tempfile::tempdir().unwrap();
        let profile = home.path().join("profile");
        let outside = home.path().join("outside");
        write(&outside.join("keep.txt"), "other data");
        let tree = profile.join("IndexedDB/https_chatgpt.com_0.indexeddb.leveldb");
        write(&tree.join("000003.log"), "x");
        write(&tree.join("sub/deeper/f"), "y");
        write(
            &profile.join("IndexedDB/https_example.org_0.indexeddb.leveldb/LOG"),
            "z",
        );
        #[cfg(unix)]
        std::os::unix::fs::symlink(&outside, tree.join("link")).unwrap();
        remove_tree(&tree, &profile).unwrap();
        assert!(!tree.exists());
        assert_eq!(listing(&outside), ["", "keep.txt"]);
        assert!(profile
            .join("IndexedDB/https_example.org_0.indexeddb.leveldb/LOG")
            .is_file());
        // A tree that is already gone is fine.
        remove_tree(&tree, &profile).unwrap();
    }

    #[test]
    fn remove_tree_refuses_what_is_not_inside_or_is_reached_through_a_link() {
        let home = tempfile::tempdir().unwrap();
        let profile = home.path().join("profile");
        let outside = home.path().join("outside");
        write(&outside.join("data/keep.txt"), "other data");
        write(&profile.join("Cookies"), "");
        let err = remove_tree(&outside.join("data"), &profile).unwrap_err();
        assert!(format!("{err:#}").contains("is not inside"), "{err:#}");
        let err = remove_tree(&profile.join("../outside/data"), &profile).unwrap_err();
        assert!(
            format!("{err:#}").contains("not a directory below"),
            "{err:#}"
        );
        let err = remove_tree(&profile, &profile).unwrap_err();
        assert!(
            format!("{err:#}").contains("not a directory below"),
            "{err:#}"
        );
        let err = remove_tree(&profile.join("Cookies"), &profile).unwrap_err();
        assert!(format!("{err:#}").contains("is not a directory"), "{err:#}");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&outside, profile.join("Service Worker")).unwrap();
            let err = remove_tree(&profile.join("Service Worker/data"), &profile).unwrap_err();
            assert!(format!("{err:#}").contains("is a symlink"), "{err:#}");
        }
        assert_eq!(listing(&outside), ["", "data", "data/keep.txt"]);
        assert!(profile.join("Cookies").is_file());
    }

    /// Mounting needs root; CI runs as root, so there the test must run.
    #[cfg(target_os = "linux")]
    #[test]
    fn remove_tree_refuses_a_tree_holding_a_mount_point() {
        // SAFETY: geteuid cannot fail.
        if unsafe { libc::geteuid() } != 0 {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI runs as root: mount a tmpfs"
            );
            // Not root and not CI: nothing to mount with.
            return;
        }
        let home = tempfile::tempdir().unwrap();
        let tree = home.path().join("profile/File System/000");
        let mnt = tree.join("p");
        std::fs::create_dir_all(&mnt).unwrap();
        write(&tree.join("before"), "1");
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "none"])
            .arg(&mnt)
            .status()
            .unwrap();
        assert!(status.success());
        write(&mnt.join("on-another-fs"), "2");
        let result = remove_tree(&tree, &home.path().join("profile"));
        let listed = listing(&tree);
        let _ = std::process::Command::new("umount").arg(&mnt).status();
        let err = result.unwrap_err();
        assert!(format!("{err:#}").contains("is a mount point"), "{err:#}");
        assert_eq!(listed, ["", "before", "p", "p/on-another-fs"]);
    }
}
