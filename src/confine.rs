//! File-system access confined to the home acted on, through directory handles. loginfix
//! runs as root over homes their users control: a directory swapped for a symlink between
//! plan and execute must not redirect a deletion or a rewrite outside. So every directory
//! the executor changes is reached from one of the home's roots (see
//! `Layout::confinement`: for its owner the home and their XDG / known folders; for anyone
//! else, root over a user's home, the home alone, a symlink inside it followed only while
//! it stays inside) by opening one component at a time, on the root's own file system,
//! and every change is made relative to the handle that walk ends on (`unlinkat`,
//! `renameat`, `openat` through `cap-std`). A symlink not followed, a mount point or a
//! path outside every root stops the operation with an error naming it. Handles are
//! opened once and reused, so a swap after the first use changes nothing either.
//!
//! The readers go the same way (`ScanOptions::fs`): each file a store is read from is
//! opened relative to its directory's handle, never by a re-resolved path, so what the
//! plan saw is what the executor changes.

use std::collections::HashMap;
use std::ffi::OsString;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use anyhow::Context;
use cap_fs_ext::DirExt;
use cap_std::fs::Dir;

/// How deep below a root a directory may be: browsers nest a few levels, a deeper path
/// is damage or a trap.
const MAX_DEPTH: usize = 64;

/// How many symlinks one walk follows (Linux's own limit) before it calls it a loop.
const MAX_LINKS: usize = 40;

/// An opened directory, the file system of the root it was reached from, and where it
/// really is below that root (every symlink on the way resolved), for a relative link
/// met further down.
type Opened = (Arc<Dir>, Option<u64>, PathBuf);

/// Where handles may be reached from, and whether a symlink on the way may be followed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    /// Absolute directories; a path belongs to the longest root it lies under.
    pub roots: Vec<PathBuf>,
    /// Follow a symlink met on the way when it resolves inside the same root (read
    /// from the link's text, then walked again from the root's handle, never by the
    /// kernel); any other symlink is refused. Off: every symlink below a root is refused.
    /// On for a home acted on by someone other than its owner (root over a user's home),
    /// whose only root is then the home itself.
    pub links_inside: bool,
}

impl Policy {
    /// Roots each opened as given (following a link to them), symlinks below refused.
    pub fn roots(roots: impl IntoIterator<Item = PathBuf>) -> Policy {
        Policy {
            roots: roots.into_iter().collect(),
            links_inside: false,
        }
    }

    /// The home as the only root, symlinks inside it followed while they stay inside.
    pub fn home_only(home: PathBuf) -> Policy {
        Policy {
            roots: vec![home],
            links_inside: true,
        }
    }
}

/// Directory handles under a home's roots, opened on first use.
pub struct Confined {
    roots: Vec<PathBuf>,
    links_inside: bool,
    /// Opened directories by path, each with the device of the root it was reached from.
    dirs: Mutex<HashMap<PathBuf, Opened>>,
}

impl std::fmt::Debug for Confined {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Confined")
            .field("roots", &self.roots)
            .finish_non_exhaustive()
    }
}

impl Default for Confined {
    /// No roots: every path is reached from its file system's root (see [`Confined::new`]).
    fn default() -> Confined {
        Confined::new([])
    }
}

impl Confined {
    /// Handles under `roots` (absolute directories; a path belongs to the longest root
    /// it lies under). With no roots, a path is reached from the root of its file system
    /// (still without following a symlink): for readers used outside a home, in tests.
    pub fn new(roots: impl IntoIterator<Item = PathBuf>) -> Confined {
        Confined::with(Policy::roots(roots))
    }

    /// Handles as `policy` says.
    pub fn with(policy: Policy) -> Confined {
        let mut roots = policy.roots;
        // Longest first, so the most specific root wins.
        roots.sort_by_key(|r| std::cmp::Reverse(r.components().count()));
        roots.dedup();
        Confined {
            roots,
            links_inside: policy.links_inside,
            dirs: Mutex::new(HashMap::new()),
        }
    }

    /// The root `path` lies under, and the path relative to it.
    fn anchor<'a>(&'a self, path: &'a Path) -> anyhow::Result<(&'a Path, &'a Path)> {
        if self.roots.is_empty() {
            let top = path
                .ancestors()
                .last()
                .filter(|t| !t.as_os_str().is_empty() && path.is_absolute());
            if let Some(top) = top {
                let rel = path.strip_prefix(top).unwrap_or(path);
                if rel.components().all(|c| matches!(c, Component::Normal(_))) {
                    return Ok((top, rel));
                }
            }
            anyhow::bail!(
                "{}",
                crate::i18n::ta(
                    "err-absolute-plain-path",
                    &[("file", &path.display().to_string())]
                )
            );
        }
        for root in &self.roots {
            if let Ok(rel) = path.strip_prefix(root) {
                if rel.components().all(|c| matches!(c, Component::Normal(_))) {
                    return Ok((root, rel));
                }
            }
        }
        anyhow::bail!(
            "{}",
            crate::i18n::ta(
                "err-inside-home-acted-on-changed",
                &[
                    ("file", &path.display().to_string()),
                    (
                        "home",
                        &self
                            .roots
                            .last()
                            .map(|r| r.display().to_string())
                            .unwrap_or_default()
                            .to_string()
                    )
                ]
            )
        )
    }

    /// Whether `path` lies under one of the roots (always, with no roots).
    pub fn covers(&self, path: &Path) -> bool {
        self.anchor(path).is_ok()
    }

    /// A handle of the directory `dir`, reached from its root without following a
    /// symlink (or, under [`Policy::links_inside`], following only one that stays inside
    /// the root) or crossing onto another file system.
    pub fn dir(&self, dir: &Path) -> anyhow::Result<Arc<Dir>> {
        if let Some((handle, ..)) = self.opened().get(dir) {
            return Ok(handle.clone());
        }
        let (root, rel) = self.anchor(dir)?;
        anyhow::ensure!(
            rel.components().count() <= MAX_DEPTH,
            "{}",
            crate::i18n::ta(
                "err-nested-too-deeply-changed",
                &[("file", &dir.display().to_string())]
            )
        );
        let known = self.opened().get(root).cloned();
        let (root_handle, device) = match known {
            Some((h, d, _)) => (h, d),
            None => {
                let h = Dir::open_ambient_dir(root, cap_std::ambient_authority()).with_context(
                    || {
                        crate::i18n::ta(
                            "error-could-not-open",
                            &[("file", &root.display().to_string())],
                        )
                    },
                )?;
                // From the file system's root (no roots given), every mount is on the way.
                let device = if self.roots.is_empty() {
                    None
                } else {
                    device_of(&h)
                };
                let h = Arc::new(h);
                self.opened()
                    .insert(root.to_path_buf(), (h.clone(), device, PathBuf::new()));
                (h, device)
            }
        };
        // Start from the deepest directory already open on the way.
        let mut at = root.to_path_buf();
        let mut handle = root_handle.clone();
        let mut real = PathBuf::new();
        let mut links = 0;
        for part in rel.components() {
            at.push(part);
            let known = self.opened().get(&at).cloned();
            if let Some((h, _, r)) = known {
                (handle, real) = (h, r);
                continue;
            }
            let walk = Walk {
                root,
                root_handle: &root_handle,
                device,
                links_inside: self.links_inside,
                shown: &at,
            };
            (handle, real) = walk.step(&handle, real, part.as_os_str(), &mut links)?;
            self.opened()
                .insert(at.clone(), (handle.clone(), device, real.clone()));
        }
        Ok(handle)
    }

    /// The handle of `path`'s directory and its file name.
    pub fn split(&self, path: &Path) -> anyhow::Result<(Arc<Dir>, OsString)> {
        let (parent, name) = match (path.parent(), path.file_name()) {
            (Some(p), Some(n)) => (p, n.to_os_string()),
            _ => anyhow::bail!(
                "{}",
                crate::i18n::ta(
                    "err-names-no-file",
                    &[("file", &path.display().to_string())]
                )
            ),
        };
        Ok((self.dir(parent)?, name))
    }

    /// Forgets the handle of `dir` and of everything below it (after it was removed).
    pub fn forget(&self, dir: &Path) {
        self.opened().retain(|p, _| !p.starts_with(dir));
    }

    /// The handles opened so far. A panic while the lock was held left nothing half
    /// done in a map of handles, so a poisoned lock is taken as it is.
    fn opened(&self) -> MutexGuard<'_, HashMap<PathBuf, Opened>> {
        self.dirs.lock().unwrap_or_else(|p| p.into_inner())
    }

    // -----------------------------------------------------------------------------------
    // Reading, for the store readers.

    /// The handle of `path`'s directory and its name, as an I/O error for readers.
    fn split_io(&self, path: &Path) -> io::Result<(Arc<Dir>, OsString)> {
        self.split(path).map_err(to_io)
    }

    /// Opens the regular file `path` for reading through its directory's handle: never
    /// through a symlink, never blocking on a FIFO (anything but a regular file is
    /// refused by the `fstat` of what was opened).
    pub fn open_file(&self, path: &Path) -> io::Result<std::fs::File> {
        let (dir, name) = self.split_io(path)?;
        open_in(&dir, &name)
    }

    /// Reads a whole file, refusing one larger than `limit` bytes.
    pub fn read_bounded(&self, path: &Path, limit: u64) -> io::Result<Vec<u8>> {
        use std::io::Read;
        let file = self.open_file(path)?;
        let mut buf = Vec::new();
        file.take(limit + 1).read_to_end(&mut buf)?;
        if buf.len() as u64 > limit {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                crate::i18n::ta("err-larger-than-bytes", &[("n", &limit.to_string())]),
            ));
        }
        Ok(buf)
    }

    /// Reads a small text file, tolerating a UTF-8 BOM and invalid UTF-8.
    pub fn read_text(&self, path: &Path) -> io::Result<String> {
        let bytes = self.read_bounded(path, crate::fsutil::MAX_CONFIG_BYTES)?;
        let text = String::from_utf8_lossy(&bytes);
        Ok(text.strip_prefix('\u{feff}').unwrap_or(&text).to_string())
    }

    /// What `path` is, without following it if it is a symlink.
    pub fn metadata(&self, path: &Path) -> io::Result<cap_std::fs::Metadata> {
        let (dir, name) = self.split_io(path)?;
        dir.symlink_metadata(&name)
    }

    /// The entries of the directory `dir`: name, type (a symlink is a symlink, never
    /// what it names) and inode number, in directory order.
    pub fn list(&self, dir: &Path) -> io::Result<Vec<Listed>> {
        let handle = self.dir(dir).map_err(to_io)?;
        list_dir(&handle)
    }

    /// A path SQLite can open that names `path` through its directory's handle (see
    /// `platform::path_through`), and the handle, which must outlive the open.
    pub fn sqlite_path(&self, path: &Path) -> io::Result<(Arc<Dir>, PathBuf)> {
        let (dir, name) = self.split_io(path)?;
        let through = crate::platform::path_through(&dir, &name, path);
        Ok((dir, through))
    }
}

/// What a look at someone else's home found before the run (see [`check_home`]).
#[derive(Debug, Default)]
pub struct HomeCheck {
    /// Base folders that are symlinks leading out of the home: not followed.
    pub warnings: Vec<String>,
    /// Why the home is not acted on at all: a base folder owned by a third user.
    pub refused: Option<String>,
    /// The base folders not followed (nothing under them is looked at).
    pub not_followed: Vec<PathBuf>,
}

/// Before a run on a home loginfix does not run as the owner of (root over a user's
/// home): each base folder (`.config`, `AppData/Local`, ...) is reached from the home's
/// handle. One that is a symlink leading out of the home is not followed (a warning
/// names it; nothing under it is read or changed); one owned by a third user (neither
/// the home's owner nor root) refuses the whole home, as that user's data may be there.
/// Nothing is checked for the home's own owner, who may link their folders anywhere.
pub fn check_home(layout: &crate::platform::Layout) -> HomeCheck {
    let mut out = HomeCheck::default();
    if layout.acts_as_owner() {
        return out;
    }
    let home = &layout.home;
    let confined = Confined::with(layout.confinement());
    let home_owner = std::fs::metadata(home)
        .ok()
        .and_then(|m| crate::platform::owner_uid(&m));
    for rel in layout.base_folders() {
        let path = crate::platform::join_rel(home, rel);
        let Ok(meta) = confined.metadata(&path) else {
            // Absent, or under a base folder already told about.
            continue;
        };
        let handle = match confined.dir(&path) {
            Ok(handle) => handle,
            // The walk's own words name the link and where it leads.
            Err(err) if meta.file_type().is_symlink() => {
                out.warnings.push(crate::i18n::ta(
                    "err-no-browser-data-under-read",
                    &[("detail", &format!("{err:#}"))],
                ));
                out.not_followed.push(path);
                continue;
            }
            // Not a directory: no browser keeps data there.
            Err(_) => continue,
        };
        let owner = crate::platform::dir_owner(&handle).map(|(uid, _)| uid);
        if let (Some(owner), Some(home_owner)) = (owner, home_owner) {
            if owner != home_owner && owner != 0 {
                out.refused = Some(crate::i18n::ta(
                    "err-belongs-uid-owner-home-uid",
                    &[
                        ("file", &path.display().to_string()),
                        ("owner", &owner.to_string()),
                        ("path", &home.display().to_string()),
                        ("uid", &home_owner.to_string()),
                    ],
                ));
                return out;
            }
        }
    }
    out
}

/// One walk down from a root, for [`Confined::dir`].
struct Walk<'a> {
    root: &'a Path,
    root_handle: &'a Arc<Dir>,
    device: Option<u64>,
    /// See [`Policy::links_inside`].
    links_inside: bool,
    /// The path asked for, as far as the walk has come (for messages).
    shown: &'a Path,
}

impl Walk<'_> {
    /// Goes from the directory `from` (really at `real` below the root) into `part`;
    /// returns the handle and where it really is. A symlink is refused, or under
    /// `links_inside` read and its target walked from the root again, one component at a
    /// time, as long as it stays inside the root.
    fn step(
        &self,
        from: &Arc<Dir>,
        real: PathBuf,
        part: &std::ffi::OsStr,
        links: &mut usize,
    ) -> anyhow::Result<(Arc<Dir>, PathBuf)> {
        let mut pending: std::collections::VecDeque<OsString> = [part.to_os_string()].into();
        let mut handle = from.clone();
        let mut real = real;
        while let Some(part) = pending.pop_front() {
            if part == ".." {
                anyhow::ensure!(
                    real.pop(),
                    "{}",
                    crate::i18n::ta(
                        "err-leads-out-through-symlink-followed",
                        &[
                            ("file", &self.shown.display().to_string()),
                            ("path", &self.root.display().to_string())
                        ]
                    )
                );
                handle = self.reopen(&real)?;
                continue;
            }
            if part == "." || part.is_empty() {
                continue;
            }
            let meta = handle.symlink_metadata(&part).with_context(|| {
                crate::i18n::ta(
                    "error-could-not-read",
                    &[(
                        "file",
                        &self.root.join(&real).join(&part).display().to_string(),
                    )],
                )
            })?;
            if meta.file_type().is_symlink() {
                let link = self.root.join(&real).join(&part);
                let target = std::fs::read_link(&link).unwrap_or_default();
                if !self.links_inside {
                    anyhow::bail!(
                        "{}",
                        crate::i18n::ta(
                            "err-symlink-followed-run-as-root",
                            &[
                                ("file", &link.display().to_string()),
                                ("path", &target.display().to_string())
                            ]
                        )
                    );
                }
                *links += 1;
                anyhow::ensure!(
                    *links <= MAX_LINKS,
                    "{}",
                    crate::i18n::ta(
                        "err-too-many-symlinks-on-way",
                        &[("file", &self.shown.display().to_string())]
                    )
                );
                let inside = if target.is_absolute() {
                    self.inside_root(&target)
                } else {
                    Some(target.clone())
                };
                let Some(rest) = inside else {
                    anyhow::bail!(
                        "{}",
                        crate::i18n::ta(
                            "err-symlink-outside-home-followed",
                            &[
                                ("file", &link.display().to_string()),
                                ("path", &target.display().to_string()),
                                ("dir", &self.root.display().to_string())
                            ]
                        )
                    );
                };
                if target.is_absolute() {
                    real = PathBuf::new();
                    handle = self.root_handle.clone();
                }
                let mut i = 0;
                for c in rest.components() {
                    let name = match c {
                        Component::Normal(n) => n.to_os_string(),
                        Component::ParentDir => OsString::from(".."),
                        Component::CurDir => continue,
                        // A drive or root inside a relative text: refused as outside.
                        _ => anyhow::bail!(
                            "{}",
                            crate::i18n::ta(
                                "err-symlink-outside-home-followed",
                                &[
                                    ("file", &link.display().to_string()),
                                    ("path", &target.display().to_string()),
                                    ("dir", &self.root.display().to_string())
                                ]
                            )
                        ),
                    };
                    pending.insert(i, name);
                    i += 1;
                }
                continue;
            }
            real.push(&part);
            let at = self.root.join(&real);
            anyhow::ensure!(
                meta.is_dir(),
                "{}",
                crate::i18n::ta("err-directory", &[("file", &at.display().to_string())])
            );
            handle = self.open_below(&handle, &part, &at)?;
        }
        Ok((handle, real))
    }

    /// The part of the absolute `target` below the root (as given, or canonical).
    fn inside_root(&self, target: &Path) -> Option<PathBuf> {
        let lexical = |t: &Path, root: &Path| -> Option<PathBuf> {
            let rel = t.strip_prefix(root).ok()?;
            // `..` is resolved by the walk, which refuses to climb above the root.
            Some(rel.to_path_buf())
        };
        lexical(target, self.root).or_else(|| {
            let canonical = std::fs::canonicalize(self.root).ok()?;
            lexical(target, &canonical)
        })
    }

    /// The directory really at `real` below the root, walked again from the root's
    /// handle (each component a real directory: no link is followed here).
    fn reopen(&self, real: &Path) -> anyhow::Result<Arc<Dir>> {
        let mut handle = self.root_handle.clone();
        for part in real.components() {
            handle = self.open_below(&handle, part.as_os_str(), &self.root.join(real))?;
        }
        Ok(handle)
    }

    /// Opens the directory `part` of `dir` without following a link, on the root's own
    /// file system (`at` names it in messages).
    fn open_below(&self, dir: &Dir, part: &std::ffi::OsStr, at: &Path) -> anyhow::Result<Arc<Dir>> {
        let next = dir.open_dir_nofollow(part).with_context(|| {
            crate::i18n::ta(
                "error-could-not-open",
                &[("file", &at.display().to_string())],
            )
        })?;
        if self.device.is_some() && device_of(&next) != self.device {
            anyhow::bail!(
                "{}",
                crate::i18n::ta(
                    "err-mount-point-another-file-system",
                    &[("file", &at.display().to_string())]
                )
            );
        }
        Ok(Arc::new(next))
    }
}

/// One entry of a listed directory.
#[derive(Clone, Debug)]
pub struct Listed {
    pub name: OsString,
    pub is_dir: bool,
    pub is_file: bool,
    pub is_symlink: bool,
    /// The inode number where the OS has one (0 elsewhere): reading a cold cache in
    /// inode order keeps the disk's head moving one way.
    pub ino: u64,
}

/// The entries of an opened directory.
pub fn list_dir(dir: &Dir) -> io::Result<Vec<Listed>> {
    let mut out = Vec::new();
    for entry in dir.entries()? {
        let entry = entry?;
        let kind = entry.file_type()?;
        out.push(Listed {
            ino: crate::platform::dir_entry_inode(&entry),
            name: entry.file_name(),
            is_dir: kind.is_dir(),
            is_file: kind.is_file(),
            is_symlink: kind.is_symlink(),
        });
    }
    Ok(out)
}

/// Opens the regular file `name` in `dir` for reading (see [`Confined::open_file`]).
pub fn open_in(dir: &Dir, name: &std::ffi::OsStr) -> io::Result<std::fs::File> {
    let file = open_nofollow(dir, name)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            crate::i18n::t("err-regular-file"),
        ));
    }
    Ok(file)
}

/// Opens `name`, which the listing of `dir` just gave as a regular file, for reading:
/// [`open_in`] without its `fstat`, for readers that go through 100,000 cache entries and
/// need no size. A name swapped since the listing is still harmless: a symlink is not
/// followed (`O_NOFOLLOW`), a FIFO neither blocks the open (`O_NONBLOCK`) nor can be read
/// at an offset (`pread` fails), and a directory fails its read.
pub fn open_listed(dir: &Dir, name: &std::ffi::OsStr) -> io::Result<std::fs::File> {
    // One name of the directory itself, never a path: then a plain `openat` on the
    // handle cannot leave it, without cap-std's checks for paths (their copies and
    // allocations were a fifth of a cache scan's own time).
    #[cfg(unix)]
    {
        use rustix::fs::{Mode, OFlags};
        use std::os::unix::ffi::OsStrExt;
        let bytes = name.as_bytes();
        if bytes.is_empty() || bytes.contains(&b'/') || bytes == b"." || bytes == b".." {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a name of the directory",
            ));
        }
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        rustix::fs::openat(dir, name, flags, Mode::empty())
            .map(std::fs::File::from)
            .map_err(|e| crate::platform::explain_nofollow(io::Error::from(e)))
    }
    #[cfg(not(unix))]
    open_nofollow(dir, name)
}

/// Opens `name` in `dir` for reading with cap-std, following no symlink.
fn open_nofollow(dir: &Dir, name: &std::ffi::OsStr) -> io::Result<std::fs::File> {
    use cap_fs_ext::{FollowSymlinks, OpenOptionsFollowExt};
    let mut opts = cap_std::fs::OpenOptions::new();
    opts.read(true).follow(FollowSymlinks::No);
    crate::platform::nonblocking(&mut opts);
    dir.open_with(name, &opts)
        .map(cap_std::fs::File::into_std)
        .map_err(crate::platform::explain_nofollow)
}

/// A confinement error as an I/O error, its message whole and the kind of the I/O error
/// under it kept (a missing directory is still "not found" to the reader).
pub fn to_io(err: anyhow::Error) -> io::Error {
    let kind = err
        .chain()
        .find_map(|c| c.downcast_ref::<io::Error>())
        .map_or(io::ErrorKind::Other, io::Error::kind);
    io::Error::new(kind, format!("{err:#}"))
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

    #[cfg(unix)]
    #[test]
    fn a_listed_name_opens_without_following_or_leaving_the_directory() {
        let dir = tempfile::tempdir().unwrap();
        write(&dir.path().join("entry_0"), "x");
        write(&dir.path().join("sub/inner"), "y");
        std::os::unix::fs::symlink(dir.path().join("entry_0"), dir.path().join("link_0")).unwrap();
        let fifo = dir.path().join("fifo_0");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        let handle = Dir::open_ambient_dir(dir.path(), cap_std::ambient_authority()).unwrap();
        let mut text = String::new();
        use std::io::Read;
        open_listed(&handle, "entry_0".as_ref())
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "x");
        let err = open_listed(&handle, "link_0".as_ref()).unwrap_err();
        assert!(err.to_string().contains("symlink"), "{err}");
        for name in ["sub/inner", "..", ".", ""] {
            assert!(open_listed(&handle, name.as_ref()).is_err(), "{name}");
        }
        // A FIFO neither blocks the open nor gives anything to a read at an offset.
        let opened = open_listed(&handle, "fifo_0".as_ref()).unwrap();
        let mut buf = [0u8; 16];
        assert!(crate::platform::pread(&opened, &mut buf, 0).is_err());
    }

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
