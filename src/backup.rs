//! Backups of the stores the executor changes (cookie databases, session-restore files,
//! binarycookies, Cache.db) and the list of cache files it removed, so a run can be
//! undone with `loginfix restore`. A backup set is a directory (mode 0700) holding a copy
//! of each store (0600: they hold live session cookies) and `manifest.json` with each
//! original path, size and SHA-256. SQLite stores are copied with SQLite's online backup
//! API, so the copy is consistent whatever is in their WAL or journal. These are
//! loginfix's own files; only the executor calls into this module.

#![allow(clippy::disallowed_methods)]

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::browser::{Browser, LockSite};

pub const MANIFEST: &str = "manifest.json";
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
                original,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                    | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .with_context(|| format!("could not open `{}` to back it up", original.display()))?;
            src.busy_timeout(std::time::Duration::from_secs(2))?;
            src.backup(rusqlite::MAIN_DB, &copy, rusqlite::backup::NO_PROGRESS)
                .with_context(|| format!("could not back up `{}`", original.display()))?;
        } else {
            std::fs::copy(original, &copy)
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
        });
        self.write_manifest()?;
        Ok(n)
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
            std::fs::remove_dir_all(dir)
                .with_context(|| format!("could not prune the old backup `{}`", dir.display()))?;
        }
    }
    Ok(())
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
