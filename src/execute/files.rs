//! The executor's file writes: remove a cache entry's files and then the index, remove a
//! whole cache directory or any directory tree inside a profile, and replace a file
//! atomically with new contents. Every change is made relative to a directory handle
//! reached without following a symlink (see `confine`), never through a path resolved
//! again.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use cap_fs_ext::{DirExt, FollowSymlinks, OpenOptionsFollowExt};
use cap_std::fs::{Dir, OpenOptions};

use super::Outcome;
use crate::confine::{device_of, is_not_found, Confined};
use crate::report::Action;
use crate::stores::{self, ItemKey, RewriteFormat, StoreScan};

/// Removes files; one that is already gone is fine.
#[expect(clippy::disallowed_methods, reason = "the executor's file removal")]
pub(super) fn remove_files(confined: &Confined, files: &[PathBuf]) -> Result<(), String> {
    for file in files {
        let removed = confined
            .split(file)
            .map_err(|e| format!("{e:#}"))
            .and_then(|(dir, name)| match dir.remove_file(&name) {
                Ok(()) => Ok(()),
                Err(e) if is_not_found(&e) => Ok(()),
                Err(e) => Err(crate::i18n::ta(
                    "err-could-remove",
                    &[
                        ("file", &file.display().to_string()),
                        ("detail", &e.to_string()),
                    ],
                )),
            });
        removed?;
    }
    Ok(())
}

/// Removes the file `name` of `dir` if it is there (a copy that failed half-way).
#[expect(clippy::disallowed_methods, reason = "the executor's file removal")]
pub(super) fn remove_in(dir: &Dir, name: &std::ffi::OsStr) {
    let _ = dir.remove_file(name);
}

/// Opens a regular file for reading through its directory's handle, never following a
/// symlink and never blocking on a FIFO.
pub(super) fn open_regular(
    dir: &Dir,
    name: &std::ffi::OsStr,
    path: &Path,
) -> anyhow::Result<std::fs::File> {
    let mut opts = OpenOptions::new();
    opts.read(true).follow(FollowSymlinks::No);
    crate::platform::nonblocking(&mut opts);
    let file = dir
        .open_with(name, &opts)
        .with_context(|| {
            crate::i18n::ta(
                "error-could-not-open",
                &[("file", &path.display().to_string())],
            )
        })?
        .into_std();
    let meta = file.metadata().with_context(|| {
        crate::i18n::ta(
            "error-could-not-read",
            &[("file", &path.display().to_string())],
        )
    })?;
    anyhow::ensure!(
        meta.is_file(),
        "{}",
        crate::i18n::ta(
            "err-regular-file-2",
            &[("file", &path.display().to_string())]
        )
    );
    Ok(file)
}

/// The files this run rewrote, each with the fingerprint (length, hash) it had when
/// planned and the one written: a second store of the same file (Firefox's session file
/// holds both cookies and sessionStorage) finds it changed, but only by this run.
#[derive(Debug, Default)]
pub(super) struct Rewrites(
    std::collections::HashMap<std::path::PathBuf, (Fingerprint, Fingerprint)>,
);

/// A file's length and content hash (`stores::fingerprint`).
type Fingerprint = (u64, u64);

impl Rewrites {
    /// Whether this run already rewrote `path`.
    pub(super) fn rewrote(&self, path: &Path) -> bool {
        self.0.contains_key(path)
    }
}

/// Rewrites `path` without the scan's elements. The file must be as the plan read it
/// (`planned`), or as this run last wrote it from that same content: the formats that
/// share a file drop elements of different kinds (cookies, storage objects), so one's
/// element numbers still hold after the other's removal.
pub(super) fn rewrite_file(
    confined: &Confined,
    path: &Path,
    format: RewriteFormat,
    planned: Fingerprint,
    scan: &StoreScan,
    rewrites: &mut Rewrites,
) -> anyhow::Result<Vec<Outcome>> {
    let (dir, name) = confined.split(path)?;
    let mut bytes = Vec::new();
    let ours = rewrites.0.get(path).copied();
    let limit = ours.map_or(planned.0, |(_, written)| written.0.max(planned.0));
    open_regular(&dir, &name, path)?
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .with_context(|| {
            crate::i18n::ta(
                "error-could-not-read",
                &[("file", &path.display().to_string())],
            )
        })?;
    let now = stores::fingerprint(&bytes);
    let by_us = ours.is_some_and(|(from, written)| from == planned && written == now);
    if now != planned && !by_us {
        anyhow::bail!(
            "{}",
            crate::i18n::ta(
                "err-changed-after-read-run-loginfix",
                &[("file", &path.display().to_string())]
            )
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
    let new = format.rewrite(&bytes, &remove).with_context(|| {
        crate::i18n::ta(
            "err-could-rewrite",
            &[("file", &path.display().to_string())],
        )
    })?;
    replace_file(confined, path, &new, 0o600)?;
    rewrites
        .0
        .insert(path.to_path_buf(), (planned, stores::fingerprint(&new)));
    Ok(vec![(Action::Removed, None); scan.items.len()])
}

/// Removes each entry's files, then the index files (only if an entry went), so the
/// browser rebuilds its index from the entries that remain. Stopped by `watch` between
/// entries, it still removes the index when an entry went: the cache stays consistent.
pub(super) fn remove_cache_entries(
    confined: &Confined,
    scan: &StoreScan,
    index_files: &[std::path::PathBuf],
    watch: &dyn super::Watch,
) -> Vec<Outcome> {
    let mut any_removed = false;
    let outcomes = super::item_by_item(scan, watch, |item| {
        let ItemKey::Files(files) = &item.key else {
            return (
                Action::Failed,
                Some("internal error: no files planned".to_string()),
            );
        };
        match remove_files(confined, files) {
            Ok(()) => {
                any_removed = true;
                (Action::Removed, None)
            }
            Err(e) => (Action::Failed, Some(e)),
        }
    });
    if any_removed {
        if let Err(e) = remove_files(confined, index_files) {
            // The browser would trust a stale index: report every entry done as failed.
            let msg = crate::i18n::ta(
                "err-entries-removed-but-index",
                &[("detail", &e.to_string())],
            );
            return vec![(Action::Failed, Some(msg)); outcomes.len()];
        }
    }
    outcomes
}

/// Removes a whole cache directory; the browser recreates it empty. A symlink is
/// refused, never followed.
pub(super) fn remove_whole_cache(
    confined: &Confined,
    dir: &Path,
    scan: &StoreScan,
) -> anyhow::Result<Vec<Outcome>> {
    remove_tree_in(confined, dir)?;
    Ok(vec![(Action::Removed, None); scan.items.len()])
}

/// How deep a tree [`remove_tree`] walks: browsers nest a few levels; a deeper tree is
/// damage or a trap.
const MAX_DEPTH: usize = 64;

/// Removes the directory tree `dir`, which must lie inside `within` (a profile, a backup
/// root). The way from `within` to `dir` may not pass a symlink; inside the tree a
/// symlink is removed itself, never followed; a tree holding a mount point is refused
/// before anything is removed. A `dir` that does not exist is fine.
pub fn remove_tree(dir: &Path, within: &Path) -> anyhow::Result<()> {
    let rel = dir.strip_prefix(within).map_err(|_| {
        anyhow::anyhow!(
            "{}",
            crate::i18n::ta(
                "err-inside-removed",
                &[
                    ("file", &dir.display().to_string()),
                    ("path", &within.display().to_string())
                ]
            )
        )
    })?;
    if rel.as_os_str().is_empty()
        || rel
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        anyhow::bail!(
            "{}",
            crate::i18n::ta(
                "err-directory-below-removed",
                &[
                    ("file", &dir.display().to_string()),
                    ("path", &within.display().to_string())
                ]
            )
        );
    }
    remove_tree_in(&Confined::new([within.to_path_buf()]), dir)
}

/// [`remove_tree`] with handles under `confined`'s roots.
#[expect(clippy::disallowed_methods, reason = "the executor's tree removal")]
pub(crate) fn remove_tree_in(confined: &Confined, dir: &Path) -> anyhow::Result<()> {
    let (parent, name) = confined.split(dir)?;
    let meta = match parent.symlink_metadata(&name) {
        Ok(m) => m,
        Err(e) if is_not_found(&e) => return Ok(()),
        Err(e) => {
            return Err(e).with_context(|| {
                crate::i18n::ta(
                    "error-could-not-read",
                    &[("file", &dir.display().to_string())],
                )
            })
        }
    };
    if meta.file_type().is_symlink() {
        anyhow::bail!(
            "{}",
            crate::i18n::ta(
                "err-symlink-removing-what-points",
                &[("file", &dir.display().to_string())]
            )
        );
    }
    if !meta.is_dir() {
        anyhow::bail!(
            "{}",
            crate::i18n::ta(
                "err-directory-removed",
                &[("file", &dir.display().to_string())]
            )
        );
    }
    let top = confined.dir(dir)?;
    let device = device_of(&top);
    // First the whole tree is opened and checked, then removed: a mount point found
    // half-way must not leave half a cache. Each directory's own handle is closed before
    // the directory is removed (Windows refuses to remove an open directory).
    let tree = open_tree(top, dir, device, 0)?;
    confined.forget(dir);
    remove_opened(tree, dir)?;
    match parent.remove_dir(&name) {
        Ok(()) => {}
        Err(e) if is_not_found(&e) => {}
        Err(e) => {
            return Err(e).with_context(|| {
                crate::i18n::ta(
                    "err-could-remove-2",
                    &[("file", &dir.display().to_string())],
                )
            })
        }
    }
    Ok(())
}

/// A directory opened for removal: its handle, its files and its opened subdirectories.
struct OpenTree {
    dir: std::sync::Arc<Dir>,
    files: Vec<std::ffi::OsString>,
    subdirs: Vec<(std::ffi::OsString, OpenTree)>,
}

fn open_tree(
    dir: std::sync::Arc<Dir>,
    path: &Path,
    device: Option<u64>,
    depth: usize,
) -> anyhow::Result<OpenTree> {
    if depth > MAX_DEPTH {
        anyhow::bail!(
            "{}",
            crate::i18n::ta(
                "err-nested-too-deeply-removed",
                &[("file", &path.display().to_string())]
            )
        );
    }
    let mut files = Vec::new();
    let mut subdirs = Vec::new();
    let entries = dir.entries().with_context(|| {
        crate::i18n::ta("err-could-list", &[("file", &path.display().to_string())])
    })?;
    for entry in entries {
        let entry = entry.with_context(|| {
            crate::i18n::ta("err-could-list", &[("file", &path.display().to_string())])
        })?;
        let name = entry.file_name();
        let child = path.join(&name);
        let kind = entry.file_type().with_context(|| {
            crate::i18n::ta(
                "error-could-not-read",
                &[("file", &child.display().to_string())],
            )
        })?;
        if kind.is_dir() {
            let sub = dir.open_dir_nofollow(&name).with_context(|| {
                crate::i18n::ta(
                    "error-could-not-open",
                    &[("file", &child.display().to_string())],
                )
            })?;
            if device.is_some() && device_of(&sub) != device {
                anyhow::bail!(
                    "{}",
                    crate::i18n::ta(
                        "err-mount-point-nothing-under-removed",
                        &[
                            ("file", &child.display().to_string()),
                            ("path", &path.display().to_string())
                        ]
                    )
                );
            }
            let tree = open_tree(std::sync::Arc::new(sub), &child, device, depth + 1)?;
            subdirs.push((name, tree));
        } else {
            // Files, and symlinks themselves (never what they point to).
            files.push(name);
        }
    }
    Ok(OpenTree {
        dir,
        files,
        subdirs,
    })
}

#[expect(clippy::disallowed_methods, reason = "the executor's tree removal")]
fn remove_opened(tree: OpenTree, path: &Path) -> anyhow::Result<()> {
    let OpenTree {
        dir,
        files,
        subdirs,
    } = tree;
    for (name, sub) in subdirs {
        let child = path.join(&name);
        remove_opened(sub, &child)?;
        match dir.remove_dir(&name) {
            Ok(()) => {}
            Err(e) if is_not_found(&e) => {}
            Err(e) => {
                return Err(e).with_context(|| {
                    crate::i18n::ta(
                        "err-could-remove-2",
                        &[("file", &child.display().to_string())],
                    )
                })
            }
        }
    }
    for name in &files {
        match dir.remove_file(name) {
            Ok(()) => {}
            Err(e) if is_not_found(&e) => {}
            Err(e) => {
                return Err(e).with_context(|| {
                    crate::i18n::ta(
                        "err-could-remove-2",
                        &[("file", &path.join(name).display().to_string())],
                    )
                })
            }
        }
    }
    Ok(())
}

/// Replaces `path` atomically: a temporary file in the same directory (through its
/// handle), flushed to disk, given the original's permissions and owner, then renamed
/// over it. A `path` that no longer exists (a file of a removed tree, put back) is
/// created with `mode` and the owner of its directory.
pub(super) fn replace_file(
    confined: &Confined,
    path: &Path,
    contents: &[u8],
    mode: u32,
) -> anyhow::Result<()> {
    replace_file_as(confined, path, contents, mode, None)
}

/// [`replace_file`]; given `owner` (restore: the home's owner), the new file gets that
/// owner and exactly `mode`, whatever the file it replaces had.
#[expect(
    clippy::disallowed_methods,
    reason = "the executor's atomic replacement"
)]
pub(super) fn replace_file_as(
    confined: &Confined,
    path: &Path,
    contents: &[u8],
    mode: u32,
    owner: Option<&std::fs::Metadata>,
) -> anyhow::Result<()> {
    let (dir, name) = confined.split(path)?;
    let parent = path.parent().unwrap_or(path);
    let original = match open_regular(&dir, &name, path) {
        Ok(_) if owner.is_some() => None,
        Ok(file) => Some(file.metadata()?),
        Err(e)
            if e.chain()
                .any(|c| c.downcast_ref::<std::io::Error>().is_some_and(is_not_found)) =>
        {
            None
        }
        Err(e) => return Err(e),
    };
    let dir_meta = dir.try_clone()?.into_std_file().metadata()?;
    let mut n = 0u32;
    let (tmp_name, tmp) = loop {
        let tmp_name = format!(".loginfix-{}-{n}.tmp", std::process::id());
        let mut opts = OpenOptions::new();
        opts.write(true).create_new(true).follow(FollowSymlinks::No);
        match dir.open_with(&tmp_name, &opts) {
            Ok(f) => break (tmp_name, f.into_std()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 100 => n += 1,
            Err(e) => {
                return Err(e).with_context(|| {
                    crate::i18n::ta(
                        "err-could-create-temporary-file",
                        &[("file", &parent.display().to_string())],
                    )
                })
            }
        }
    };
    let written = (|| -> anyhow::Result<()> {
        let mut tmp = tmp;
        tmp.write_all(contents)
            .and_then(|_| tmp.sync_all())
            .with_context(|| {
                crate::i18n::ta(
                    "err-could-write-temporary-file",
                    &[("file", &parent.display().to_string())],
                )
            })?;
        // The owner first, then the permission bits alone: a set-id bit of the file
        // replaced never survives, and a chown after the mode cannot reopen it.
        let mode = original
            .as_ref()
            .and_then(crate::platform::mode_of_meta)
            .unwrap_or(mode);
        let like = owner.or(original.as_ref()).unwrap_or(&dir_meta);
        crate::platform::own_and_mode(&tmp, crate::platform::owner_of(like), mode & 0o777)
            .with_context(|| {
                crate::i18n::ta(
                    "err-could-give-owner-back",
                    &[("file", &path.display().to_string())],
                )
            })?;
        dir.rename(&tmp_name, &dir, &name).with_context(|| {
            crate::i18n::ta(
                "err-could-replace",
                &[("file", &path.display().to_string())],
            )
        })?;
        Ok(())
    })();
    if let Err(e) = written {
        let _ = dir.remove_file(&tmp_name);
        return Err(e);
    }
    // The rename is durable once the directory is flushed.
    let _ = crate::platform::sync_dir_handle(&dir);
    Ok(())
}

/// Creates the directory `path` (a directory of a removed tree, put back) with `mode`
/// and `owner` (the home's owner; by default the owner of its parent); one that exists
/// already is left as it is.
pub(super) fn create_dir(
    confined: &Confined,
    path: &Path,
    mode: u32,
    owner: Option<&std::fs::Metadata>,
) -> anyhow::Result<()> {
    let (parent, name) = confined.split(path)?;
    match parent.symlink_metadata(&name) {
        Ok(meta) if meta.is_dir() => return Ok(()),
        Ok(_) => anyhow::bail!(
            "{}",
            crate::i18n::ta(
                "err-exists-directory",
                &[("file", &path.display().to_string())]
            )
        ),
        Err(e) if is_not_found(&e) => {}
        Err(e) => {
            return Err(e).with_context(|| {
                crate::i18n::ta(
                    "error-could-not-read",
                    &[("file", &path.display().to_string())],
                )
            })
        }
    }
    let parent_meta = parent.try_clone()?.into_std_file().metadata()?;
    let owner = crate::platform::owner_of(owner.unwrap_or(&parent_meta));
    make_dir_in(&parent, &name, path, owner, mode)?.with_context(|| {
        crate::i18n::ta(
            "err-made-by-someone-else-meanwhile",
            &[("file", &path.display().to_string())],
        )
    })?;
    Ok(())
}

/// Makes the directory `name` in `parent` through its handle (`mkdirat`), opens it
/// without following a link, checks it is the one just made (not one swapped in), and
/// gives it `owner` and exactly `mode` on its descriptor: never by path, never left to
/// the umask. `None` when the name was taken already (the caller decides).
pub(crate) fn make_dir_in(
    parent: &Dir,
    name: &std::ffi::OsStr,
    shown: &Path,
    owner: crate::platform::Owner,
    mode: u32,
) -> anyhow::Result<Option<Dir>> {
    let made = crate::platform::create_dir_at(parent, name).with_context(|| {
        crate::i18n::ta(
            "err-could-create",
            &[("file", &shown.display().to_string())],
        )
    })?;
    if !made {
        return Ok(None);
    }
    let dir = parent.open_dir_nofollow(name).with_context(|| {
        crate::i18n::ta(
            "err-could-open-just-made",
            &[("file", &shown.display().to_string())],
        )
    })?;
    anyhow::ensure!(
        crate::platform::made_by_me(&dir),
        "{}",
        crate::i18n::ta(
            "err-replaced-while-made-nothing-written",
            &[("file", &shown.display().to_string())]
        )
    );
    crate::platform::own_and_mode(&dir, owner, mode).with_context(|| {
        crate::i18n::ta(
            "err-could-restrict",
            &[("file", &shown.display().to_string())],
        )
    })?;
    Ok(Some(dir))
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
                let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
                rel.replace('\\', "/")
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

    /// Mounting needs root; CI runs as root, so there the test must run. The tmpfs mount
    /// is Linux's (`mount -t tmpfs`): elsewhere the test has nothing to mount with.
    #[cfg(unix)]
    #[test]
    fn remove_tree_refuses_a_tree_holding_a_mount_point() {
        if crate::platform::Os::host() != crate::platform::Os::Linux {
            return;
        }
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
