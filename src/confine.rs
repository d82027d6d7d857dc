//! File-system access confined to the home acted on, through directory handles. loginfix
//! runs as root over homes their users control: a directory swapped for a symlink between
//! plan and execute must not redirect a deletion or a rewrite outside. So every directory
//! the executor changes is reached from one of the home's roots (the home, or the
//! current user's XDG / known folders, see `Layout::roots`) by opening one component at a
//! time without following a symlink, on the root's own file system, and every change is
//! made relative to the handle that walk ends on (`unlinkat`, `renameat`, `openat` through
//! `cap-std`). A component that is a symlink, a mount point or outside every root stops
//! the operation with an error naming it. Handles are opened once and reused, so a swap
//! after the first use changes nothing either.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::OsString;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use anyhow::Context;
use cap_fs_ext::DirExt;
use cap_std::fs::Dir;

/// How deep below a root a directory may be: browsers nest a few levels, a deeper path
/// is damage or a trap.
const MAX_DEPTH: usize = 64;

/// An opened directory and the file system of the root it was reached from.
type Opened = (Rc<Dir>, Option<u64>);

/// Directory handles under a home's roots, opened on first use.
pub struct Confined {
    roots: Vec<PathBuf>,
    /// Opened directories by path, each with the device of the root it was reached from.
    dirs: RefCell<HashMap<PathBuf, Opened>>,
}

impl Confined {
    /// Handles under `roots` (absolute directories; a path belongs to the longest root
    /// it lies under).
    pub fn new(roots: impl IntoIterator<Item = PathBuf>) -> Confined {
        let mut roots: Vec<PathBuf> = roots.into_iter().collect();
        // Longest first, so the most specific root wins.
        roots.sort_by_key(|r| std::cmp::Reverse(r.components().count()));
        roots.dedup();
        Confined {
            roots,
            dirs: RefCell::new(HashMap::new()),
        }
    }

    /// The root `path` lies under, and the path relative to it.
    fn anchor<'a>(&'a self, path: &'a Path) -> anyhow::Result<(&'a Path, &'a Path)> {
        for root in &self.roots {
            if let Ok(rel) = path.strip_prefix(root) {
                if rel.components().all(|c| matches!(c, Component::Normal(_))) {
                    return Ok((root, rel));
                }
            }
        }
        anyhow::bail!(
            "`{}` is not inside the home acted on (`{}`); not changed",
            path.display(),
            self.roots
                .last()
                .map(|r| r.display().to_string())
                .unwrap_or_default()
        )
    }

    /// A handle of the directory `dir`, reached from its root without following a
    /// symlink or crossing onto another file system.
    pub fn dir(&self, dir: &Path) -> anyhow::Result<Rc<Dir>> {
        if let Some((handle, _)) = self.dirs.borrow().get(dir) {
            return Ok(handle.clone());
        }
        let (root, rel) = self.anchor(dir)?;
        anyhow::ensure!(
            rel.components().count() <= MAX_DEPTH,
            "`{}` is nested too deeply; not changed",
            dir.display()
        );
        // Start from the deepest directory already open on the way.
        let mut at = root.to_path_buf();
        let (mut handle, device) = match self.dirs.borrow().get(root) {
            Some((h, d)) => (h.clone(), *d),
            None => {
                let h = Dir::open_ambient_dir(root, cap_std::ambient_authority())
                    .with_context(|| format!("could not open `{}`", root.display()))?;
                let device = device_of(&h);
                (Rc::new(h), device)
            }
        };
        self.dirs
            .borrow_mut()
            .insert(at.clone(), (handle.clone(), device));
        for part in rel.components() {
            at.push(part);
            if let Some((h, _)) = self.dirs.borrow().get(&at) {
                handle = h.clone();
                continue;
            }
            let meta = handle
                .symlink_metadata(part)
                .with_context(|| format!("could not read `{}`", at.display()))?;
            if meta.file_type().is_symlink() {
                anyhow::bail!(
                    "`{}` is a symlink; not followed (run as root over a home, a link could lead anywhere)",
                    at.display()
                );
            }
            anyhow::ensure!(meta.is_dir(), "`{}` is not a directory", at.display());
            let next = handle
                .open_dir_nofollow(part)
                .with_context(|| format!("could not open `{}`", at.display()))?;
            if device.is_some() && device_of(&next) != device {
                anyhow::bail!(
                    "`{}` is a mount point (another file system); not changed",
                    at.display()
                );
            }
            handle = Rc::new(next);
            self.dirs
                .borrow_mut()
                .insert(at.clone(), (handle.clone(), device));
        }
        Ok(handle)
    }

    /// The handle of `path`'s directory and its file name.
    pub fn split(&self, path: &Path) -> anyhow::Result<(Rc<Dir>, OsString)> {
        let (parent, name) = match (path.parent(), path.file_name()) {
            (Some(p), Some(n)) => (p, n.to_os_string()),
            _ => anyhow::bail!("`{}` names no file", path.display()),
        };
        Ok((self.dir(parent)?, name))
    }

    /// Forgets the handle of `dir` and of everything below it (after it was removed).
    pub fn forget(&self, dir: &Path) {
        self.dirs.borrow_mut().retain(|p, _| !p.starts_with(dir));
    }
}

/// The file system a directory handle is on, where the OS tells.
pub fn device_of(dir: &Dir) -> Option<u64> {
    let file = dir.try_clone().ok()?.into_std_file();
    crate::platform::device_id(&file.metadata().ok()?)
}

/// An error's kind is "not found" (a file already gone is fine to remove).
pub fn is_not_found(err: &io::Error) -> bool {
    err.kind() == io::ErrorKind::NotFound
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::write;

    #[test]
    fn handles_refuse_symlinks_and_paths_outside_the_roots() {
        let top = tempfile::tempdir().unwrap();
        let home = top.path().join("home");
        write(
            &home.join(".cache/chromium/Default/Cache/Cache_Data/x_0"),
            "entry",
        );
        write(&top.path().join("elsewhere/x_0"), "not ours");
        let c = Confined::new([home.clone()]);
        let dir = c
            .dir(&home.join(".cache/chromium/Default/Cache/Cache_Data"))
            .unwrap();
        assert!(dir.is_file("x_0"));
        let err = c.dir(&top.path().join("elsewhere")).unwrap_err();
        assert!(
            format!("{err:#}").contains("is not inside the home"),
            "{err:#}"
        );
        let err = c.dir(&home.join("../elsewhere")).unwrap_err();
        assert!(
            format!("{err:#}").contains("is not inside the home"),
            "{err:#}"
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(top.path().join("elsewhere"), home.join(".cache/link"))
                .unwrap();
            let c = Confined::new([home.clone()]);
            let err = c.dir(&home.join(".cache/link")).unwrap_err();
            assert!(format!("{err:#}").contains("is a symlink"), "{err:#}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_handle_once_opened_is_not_redirected_by_a_swap() {
        let top = tempfile::tempdir().unwrap();
        let home = top.path().join("home");
        let cache = home.join("Cache");
        write(&cache.join("a"), "ours");
        write(&top.path().join("victim/a"), "not ours");
        let c = Confined::new([home.clone()]);
        let dir = c.dir(&cache).unwrap();
        // The user swaps the directory for a link to another tree.
        std::fs::rename(&cache, home.join("moved")).unwrap();
        std::os::unix::fs::symlink(top.path().join("victim"), &cache).unwrap();
        let (again, name) = c.split(&cache.join("a")).unwrap();
        again.remove_file(&name).unwrap();
        assert!(top.path().join("victim/a").is_file());
        assert!(!home.join("moved/a").exists());
        drop(dir);
    }
}
