//! Backups of the stores the executor changes (cookie databases, session-restore files,
//! binarycookies, Cache.db) and the list of cache files it removed, so a run can be
//! undone with `loginfix restore`. A backup set is a directory (mode 0700) holding a copy
//! of each store (0600: they hold live session cookies) and `manifest.json` with each
//! original path, size and SHA-256. SQLite stores are copied with SQLite's online backup
//! API, so the copy is consistent whatever is in their WAL or journal. A directory tree
//! (site data, which is not re-downloadable) is copied file by file, each with its own
//! manifest entry. These are loginfix's own files; only the executor calls into this
//! module, and pruning old sets goes through the executor's tree removal.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::browser::{Browser, LockSite};

pub const MANIFEST: &str = "manifest.json";
/// How deep a tree [`Session::backup_tree`] copies: browsers nest a few levels.
const TREE_DEPTH: usize = 64;
/// Backup sets kept by default; older ones are pruned after a successful run.
pub const DEFAULT_KEEP: usize = 10;

/// How a command backs up what it changes.
#[derive(Clone, Debug)]
pub struct BackupOptions {
    pub enabled: bool,
    /// The directory holding the backup sets.
    pub root: PathBuf,
    pub keep: usize,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    pub id: String,
    /// UTC, RFC 3339.
    pub created: String,
    pub command: String,
    pub home: PathBuf,
    pub entries: Vec<Entry>,
    /// Cache files removed by the run; they are re-downloadable and not kept.
    pub removed: Vec<Removed>,
}

/// One backed-up store.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Entry {
    pub original: PathBuf,
    /// The copy's file name inside the set.
    pub file: String,
    pub size: u64,
    pub sha256: String,
    /// Whether the store is a SQLite database (its WAL/journal sidecars go on restore).
    pub sqlite: bool,
    pub browser: Browser,
    pub profile: String,
    /// Where the running-browser check looks before a restore.
    pub lock: LockSite,
    /// A directory of a backed-up tree: restore creates it (`file` is empty).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dir: bool,
    /// The original's permission bits, for a file or directory restore creates anew.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<u32>,
}

/// A cache entry the run removed: its files (or the whole cache directory), URL, size.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Removed {
    pub files: Vec<PathBuf>,
    pub url: Option<String>,
    pub size: Option<u64>,
}

/// The backup set of one run, created when the first store is about to change.
pub struct Session {
    opts: BackupOptions,
    command: String,
    home: PathBuf,
    set: Option<(PathBuf, Manifest)>,
}

/// Lowercase hex SHA-256 of a file.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut file = crate::fsutil::open_file(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Session {
    pub fn new(opts: BackupOptions, command: &str, home: &Path) -> Session {
        Session {
            opts,
            command: command.to_string(),
            home: home.to_path_buf(),
            set: None,
        }
    }

    pub fn enabled(&self) -> bool {
        self.opts.enabled
    }

    /// The set's directory, created on first use with mode 0700.
    fn set_dir(&mut self) -> anyhow::Result<&mut (PathBuf, Manifest)> {
        if self.set.is_none() {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default();
            let created = crate::extensions::rfc3339(now.as_secs() as i64);
            // Sortable by time (to the nanosecond, so runs in one second keep their
            // order); the pid and a counter keep two processes apart.
            let stamp = created.replace([':', '-'], "");
            let mut n = 0;
            let (id, dir) = loop {
                let id = format!(
                    "{stamp}-{:09}-{}-{n}",
                    now.subsec_nanos(),
                    std::process::id()
                );
                let dir = self.opts.root.join(&id);
                if !dir.exists() {
                    break (id, dir);
                }
                n += 1;
            };
            let owner = std::fs::metadata(&self.home).ok();
            create_dirs_owned(&self.opts.root, owner.as_ref())?;
            create_private_dir(&dir)?;
            self.set = Some((
                dir,
                Manifest {
                    version: 1,
                    id,
                    created,
                    command: self.command.clone(),
                    home: self.home.clone(),
                    entries: Vec::new(),
                    removed: Vec::new(),
                },
            ));
            self.write_manifest()?;
        }
        Ok(self.set.as_mut().expect("set created above"))
    }

    /// Copies a store into the set before it is changed; returns the entry's index.
    pub fn backup(
        &mut self,
        original: &Path,
        sqlite: bool,
        browser: Browser,
        profile: &str,
        lock: &LockSite,
    ) -> anyhow::Result<usize> {
        self.backup_from(original, original, sqlite, browser, profile, lock)
    }

    /// [`Session::backup`], reading the store from `source`: the executor passes a path
    /// that resolves through a directory handle, so a swap cannot make it copy another
    /// file into the user's home.
    pub fn backup_from(
        &mut self,
        source: &Path,
        original: &Path,
        sqlite: bool,
        browser: Browser,
        profile: &str,
        lock: &LockSite,
    ) -> anyhow::Result<usize> {
        let (dir, manifest) = self.set_dir()?;
        let n = manifest.entries.len();
        let base = original
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_else(|| "store".to_string());
        let file = format!("{n:03}-{base}");
        let copy = dir.join(&file);
        if sqlite {
            let src = rusqlite::Connection::open_with_flags(
                source,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                    | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .with_context(|| format!("could not open `{}` to back it up", original.display()))?;
            src.busy_timeout(std::time::Duration::from_secs(2))?;
            src.backup(rusqlite::MAIN_DB, &copy, rusqlite::backup::NO_PROGRESS)
                .with_context(|| format!("could not back up `{}`", original.display()))?;
        } else {
            copy_regular_file(source, &copy)
                .with_context(|| format!("could not back up `{}`", original.display()))?;
        }
        make_private_file(&copy)?;
        let size = std::fs::metadata(&copy)?.len();
        let sha256 = sha256_file(&copy)?;
        manifest.entries.push(Entry {
            original: original.to_path_buf(),
            file,
            size,
            sha256,
            sqlite,
            browser,
            profile: profile.to_string(),
            lock: lock.clone(),
            dir: false,
            mode: crate::platform::mode_of(original),
        });
        self.write_manifest()?;
        Ok(n)
    }

    /// Copies the directory tree `root` into the set before it is removed: one entry per
    /// directory (first) and per file, so `restore` can build the tree again. Symlinks,
    /// FIFOs and other special files are refused, never followed or opened.
    pub fn backup_tree(
        &mut self,
        root: &Path,
        browser: Browser,
        profile: &str,
        lock: &LockSite,
    ) -> anyhow::Result<()> {
        let mut dirs = vec![(root.to_path_buf(), 0usize)];
        while let Some((dir, depth)) = dirs.pop() {
            anyhow::ensure!(
                depth <= TREE_DEPTH,
                "`{}` is nested too deeply to back up",
                dir.display()
            );
            let meta = std::fs::symlink_metadata(&dir)
                .with_context(|| format!("could not read `{}`", dir.display()))?;
            anyhow::ensure!(
                meta.is_dir(),
                "`{}` is not a directory; not backed up",
                dir.display()
            );
            let (_, manifest) = self.set_dir()?;
            manifest.entries.push(Entry {
                original: dir.clone(),
                file: String::new(),
                size: 0,
                sha256: String::new(),
                sqlite: false,
                browser,
                profile: profile.to_string(),
                lock: lock.clone(),
                dir: true,
                mode: crate::platform::mode_of(&dir),
            });
            let mut children: Vec<_> = std::fs::read_dir(&dir)
                .with_context(|| format!("could not list `{}`", dir.display()))?
                .collect::<Result<_, _>>()
                .with_context(|| format!("could not list `{}`", dir.display()))?;
            children.sort_by_key(|e| e.file_name());
            let mut subdirs = Vec::new();
            for child in children {
                let path = child.path();
                let kind = child
                    .file_type()
                    .with_context(|| format!("could not read `{}`", path.display()))?;
                if kind.is_dir() {
                    subdirs.push((path, depth + 1));
                } else if kind.is_file() {
                    self.backup(&path, false, browser, profile, lock)?;
                } else {
                    anyhow::bail!(
                        "`{}` is not a regular file or directory; the tree was not backed up",
                        path.display()
                    );
                }
            }
            // Depth first, in name order: parents are always restored before children.
            dirs.extend(subdirs.into_iter().rev());
        }
        self.write_manifest()
    }

    /// Records cache files the run removed (not backed up: they are re-downloadable).
    pub fn record_removed(&mut self, removed: Vec<Removed>) -> anyhow::Result<()> {
        if removed.is_empty() {
            return Ok(());
        }
        let (_, manifest) = self.set_dir()?;
        manifest.removed.extend(removed);
        self.write_manifest()
    }

    /// The backed-up copy of entry `n` and the entry.
    pub fn entry(&self, n: usize) -> Option<(PathBuf, &Entry)> {
        let (dir, manifest) = self.set.as_ref()?;
        let entry = manifest.entries.get(n)?;
        Some((dir.join(&entry.file), entry))
    }

    pub fn id(&self) -> Option<&str> {
        self.set.as_ref().map(|(_, m)| m.id.as_str())
    }

    #[expect(
        clippy::disallowed_methods,
        reason = "the manifest is loginfix's own file, replaced atomically"
    )]
    fn write_manifest(&self) -> anyhow::Result<()> {
        let Some((dir, manifest)) = &self.set else {
            return Ok(());
        };
        let path = dir.join(MANIFEST);
        let tmp = dir.join(".manifest.json.tmp");
        let mut f = std::fs::File::create(&tmp)
            .with_context(|| format!("could not write `{}`", tmp.display()))?;
        serde_json::to_writer_pretty(&mut f, manifest)?;
        f.write_all(b"\n")?;
        f.sync_all()?;
        make_private_file(&tmp)?;
        std::fs::rename(&tmp, &path)
            .with_context(|| format!("could not write `{}`", path.display()))?;
        Ok(())
    }

    /// Prunes old sets after a successful run, keeping the newest `keep`.
    pub fn finish(self) -> anyhow::Result<Option<String>> {
        let id = self.id().map(str::to_string);
        if id.is_some() {
            prune(&self.opts.root, self.opts.keep)?;
        }
        Ok(id)
    }
}

/// Creates `dir` and its missing parents; each directory created is given the owner of
/// the home (run as root on another user's home, the backups stay that user's).
fn create_dirs_owned(dir: &Path, owner: Option<&std::fs::Metadata>) -> anyhow::Result<()> {
    let mut missing = Vec::new();
    let mut at = dir;
    while !at.exists() {
        missing.push(at.to_path_buf());
        match at.parent() {
            Some(parent) => at = parent,
            None => break,
        }
    }
    for d in missing.iter().rev() {
        std::fs::create_dir(d)
            .with_context(|| format!("could not create the backup directory `{}`", d.display()))?;
        if let Some(owner) = owner {
            crate::platform::copy_owner(owner, d)?;
        }
    }
    Ok(())
}

fn create_private_dir(dir: &Path) -> anyhow::Result<()> {
    let owner = dir.parent().and_then(|p| std::fs::metadata(p).ok());
    create_dirs_owned(dir, owner.as_ref())?;
    crate::platform::set_mode(dir, 0o700)
        .with_context(|| format!("could not restrict `{}`", dir.display()))
}

/// 0600, and the owner of the directory it is in.
fn make_private_file(path: &Path) -> anyhow::Result<()> {
    if let Some(owner) = path.parent().and_then(|p| std::fs::metadata(p).ok()) {
        crate::platform::copy_owner(&owner, path)?;
    }
    crate::platform::set_mode(path, 0o600)
        .with_context(|| format!("could not restrict `{}`", path.display()))
}

/// Every backup set under `root`, oldest first.
pub fn list(root: &Path) -> anyhow::Result<Vec<(PathBuf, Manifest)>> {
    let entries = match std::fs::read_dir(root) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("could not list `{}`", root.display())),
    };
    let mut sets = Vec::new();
    for entry in entries.flatten() {
        let dir = entry.path();
        let Ok(text) = crate::fsutil::read_text(&dir.join(MANIFEST)) else {
            continue;
        };
        if let Ok(manifest) = serde_json::from_str::<Manifest>(&text) {
            sets.push((dir, manifest));
        }
    }
    sets.sort_by(|a, b| a.1.id.cmp(&b.1.id));
    Ok(sets)
}

fn prune(root: &Path, keep: usize) -> anyhow::Result<()> {
    let sets = list(root)?;
    if sets.len() > keep {
        for (dir, _) in &sets[..sets.len() - keep] {
            crate::execute::remove_tree(dir, root)
                .with_context(|| format!("could not prune the old backup `{}`", dir.display()))?;
        }
    }
    Ok(())
}

/// Copies a regular file (one that is not, through a link, a FIFO or device); the copy
/// is new and private.
#[expect(
    clippy::disallowed_methods,
    reason = "a backup copy is loginfix's own new file"
)]
fn copy_regular_file(from: &Path, to: &Path) -> std::io::Result<()> {
    let mut src = crate::fsutil::open_file(from)?;
    let mut dst = std::fs::File::create(to)?;
    std::io::copy(&mut src, &mut dst)?;
    dst.sync_all()
}

/// Total size of a set's files.
pub fn set_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::write;

    fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>, Option<u32>)> {
        let mut out: Vec<_> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| {
                let e = e.unwrap();
                let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
                let bytes = if e.file_type().is_file() {
                    std::fs::read(e.path()).unwrap()
                } else {
                    Vec::new()
                };
                (rel, bytes, crate::platform::mode_of(e.path()))
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn a_tree_backed_up_removed_and_restored_comes_back_byte_for_byte() {
        let home = tempfile::tempdir().unwrap();
        let profile = home.path().join("profile");
        let tree = profile.join("IndexedDB/https_chatgpt.com_0.indexeddb.leveldb");
        write(&tree.join("000003.log"), "log bytes");
        write(&tree.join("MANIFEST-000001"), "manifest");
        write(&tree.join("blobs/1/00/1"), "a blob");
        std::fs::create_dir_all(tree.join("empty")).unwrap();
        crate::platform::set_mode(&tree.join("000003.log"), 0o640).unwrap();
        let before = snapshot(&tree);

        let root = home.path().join("backups");
        let opts = BackupOptions {
            enabled: true,
            root: root.clone(),
            keep: 10,
        };
        let mut session = Session::new(opts, "clear-site-data", home.path());
        let chrome = Browser::named("chrome").unwrap();
        let lock = LockSite::ChromiumUserData(profile.clone());
        session
            .backup_tree(&tree, chrome, "Default", &lock)
            .unwrap();
        crate::execute::remove_tree(&tree, &profile).unwrap();
        assert!(!tree.exists());
        session.finish().unwrap();

        let sets = list(&root).unwrap();
        assert_eq!(sets.len(), 1);
        let (set_dir, manifest) = &sets[0];
        let dirs = manifest.entries.iter().filter(|e| e.dir).count();
        let files = manifest.entries.iter().filter(|e| !e.dir).count();
        assert_eq!((dirs, files), (5, 3), "{:#?}", manifest.entries);
        for e in manifest.entries.iter().filter(|e| !e.dir) {
            assert!(fsutil_plain(&e.file), "{}", e.file);
            let copy = set_dir.join(&e.file);
            assert_eq!(sha256_file(&copy).unwrap(), e.sha256);
            if cfg!(unix) {
                assert_eq!(crate::platform::mode_of(&copy), Some(0o600));
            }
        }
        if cfg!(unix) {
            assert_eq!(crate::platform::mode_of(set_dir), Some(0o700));
        }

        let run = crate::execute::RunOptions::default();
        let confined = crate::confine::Confined::new([home.path().to_path_buf()]);
        let restored = crate::execute::restore(set_dir, manifest, run, &confined);
        assert!(
            restored.iter().all(|r| r.action == "restored"),
            "{restored:#?}"
        );
        assert_eq!(snapshot(&tree), before);
    }

    fn fsutil_plain(name: &str) -> bool {
        crate::fsutil::is_plain_component(name)
    }

    #[cfg(unix)]
    #[test]
    fn a_tree_holding_a_symlink_is_not_backed_up() {
        let home = tempfile::tempdir().unwrap();
        let tree = home.path().join("profile/Service Worker/CacheStorage/abc");
        write(&tree.join("index"), "i");
        std::os::unix::fs::symlink("/etc/passwd", tree.join("link")).unwrap();
        let opts = BackupOptions {
            enabled: true,
            root: home.path().join("backups"),
            keep: 10,
        };
        let mut session = Session::new(opts, "clear-site-data", home.path());
        let chrome = Browser::named("chrome").unwrap();
        let lock = LockSite::ChromiumUserData(home.path().join("profile"));
        let err = session
            .backup_tree(&tree, chrome, "Default", &lock)
            .unwrap_err();
        assert!(
            format!("{err:#}").contains("not a regular file or directory"),
            "{err:#}"
        );
    }
}
