//! Backups of the stores the executor changes (cookie databases, session-restore files,
//! binarycookies, Cache.db) and the list of cache files it removed, so a run can be
//! undone with `loginfix restore`. A backup set is a directory (mode 0700) holding a copy
//! of each store (0600: they hold live session cookies) and its manifest with each
//! original path, size and SHA-256: `manifest.jsonl`, a journal whose first line is the
//! set's header and each further line one entry, appended and flushed to disk as it is
//! made (a torn last line, from a crash, is ignored). Sets of older versions hold
//! `manifest.json` (the whole manifest, one document) and are still read. SQLite stores are copied with SQLite's online backup
//! API, so the copy is consistent whatever is in their WAL or journal. A directory tree
//! (site data, which is not re-downloadable) is copied file by file, each with its own
//! manifest entry. These are loginfix's own files; only the executor calls into this
//! module, and pruning old sets goes through the executor's tree removal.

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use cap_std::fs::Dir;

use anyhow::Context;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::browser::{Browser, LockSite};
use crate::confine::Confined;

/// The manifest of sets made by older versions: one JSON document.
pub const MANIFEST: &str = "manifest.json";
/// The manifest journal: the header line, then one line per entry or removal record.
pub const JOURNAL: &str = "manifest.jsonl";
/// A manifest journal larger than this is refused.
const MAX_JOURNAL_BYTES: u64 = 1 << 30;
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
    /// The `--all-users` run this set belongs to (its `run_id`), so that the whole fleet
    /// run can be restored by one command.
    pub fleet_run: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    pub id: String,
    /// UTC, RFC 3339.
    pub created: String,
    pub command: String,
    pub home: PathBuf,
    /// The `--all-users` run that made the set, if one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fleet_run: Option<String>,
    pub entries: Vec<Entry>,
    /// Cache files removed by the run; they are re-downloadable and not kept.
    pub removed: Vec<Removed>,
}

impl Manifest {
    /// Whether the set holds a store or tree to put back (see [`Session::restorable`]).
    pub fn restorable(&self) -> bool {
        !self.entries.is_empty()
    }
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

/// The first line of a manifest journal.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Header {
    version: u32,
    id: String,
    created: String,
    command: String,
    home: PathBuf,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fleet_run: Option<String>,
}

/// A further line of a manifest journal.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Line {
    Entry(Entry),
    Removed(Vec<Removed>),
}

/// The backup set of one run, created when the first store is about to change. Every
/// directory and file of it is made through directory handles held from the home down
/// (see [`open_root`]): run as root over a user's home, a set or a backups directory
/// swapped for a symlink while the run writes cannot send a write anywhere else.
pub struct Session {
    opts: BackupOptions,
    command: String,
    home: PathBuf,
    /// How the home is reached (the backups directory is usually inside it).
    fs: std::sync::Arc<Confined>,
    set: Option<OpenSet>,
    journal: Option<std::fs::File>,
}

/// A set being written: its path (for reports), handle, owner and manifest so far.
struct OpenSet {
    path: PathBuf,
    dir: Arc<Dir>,
    owner: crate::platform::Owner,
    manifest: Manifest,
}

/// Lowercase hex SHA-256 of a file, reached under `fs`'s roots as a reader reaches it.
pub fn sha256_in(fs: &Confined, path: &Path) -> std::io::Result<String> {
    sha256_of(crate::fsutil::open_file(fs, path)?)
}

/// Lowercase hex SHA-256 of a file outside any home (a test's, a copy's in scratch).
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    sha256_in(&Confined::default(), path)
}

/// Lowercase hex SHA-256 of an opened file, read from where it is.
pub fn sha256_of(mut file: std::fs::File) -> std::io::Result<String> {
    use std::io::Read;
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

/// Lowercase hex SHA-256 of bytes in memory.
pub fn sha256_bytes(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Session {
    /// A session for `home`, reached through `fs` (the handles the executor changes the
    /// home through: what is backed up is what is then changed).
    pub fn new(opts: BackupOptions, command: &str, home: &Path, fs: Arc<Confined>) -> Session {
        Session {
            opts,
            command: command.to_string(),
            home: home.to_path_buf(),
            fs,
            set: None,
            journal: None,
        }
    }

    pub fn enabled(&self) -> bool {
        self.opts.enabled
    }

    /// The set, created on first use: its directory made through the backups
    /// directory's handle, 0700, given the backups directory's owner on its descriptor.
    fn set_dir(&mut self) -> anyhow::Result<&mut OpenSet> {
        if self.set.is_none() {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default();
            let created = crate::extensions::rfc3339(now.as_secs() as i64);
            let root = open_root(&self.fs, &self.opts.root, &self.home, true)?;
            let owner = crate::platform::dir_owner(&root);
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
                let shown = self.opts.root.join(&id);
                if let Some(dir) = make_dir(&root, OsStr::new(&id), &shown, owner, true)? {
                    break (id, dir);
                }
                n += 1;
                anyhow::ensure!(
                    n < 1000,
                    "{}",
                    crate::i18n::ta(
                        "err-could-create-backup-set",
                        &[("file", &self.opts.root.display().to_string())]
                    )
                );
            };
            let header = Header {
                version: 2,
                id: id.clone(),
                created: created.clone(),
                command: self.command.clone(),
                home: self.home.clone(),
                fleet_run: self.opts.fleet_run.clone(),
            };
            let path = self.opts.root.join(&id);
            self.journal = Some(create_journal(&dir, &path, owner, &header)?);
            self.set = Some(OpenSet {
                path,
                dir,
                owner,
                manifest: Manifest {
                    version: 2,
                    id,
                    created,
                    command: self.command.clone(),
                    home: self.home.clone(),
                    fleet_run: self.opts.fleet_run.clone(),
                    entries: Vec::new(),
                    removed: Vec::new(),
                },
            });
        }
        Ok(self.set.as_mut().expect("set created above"))
    }

    /// Copies a store into the set before it is changed; returns the entry's index. The
    /// store is read through the directory handle the home's walk reaches it by.
    pub fn backup(
        &mut self,
        original: &Path,
        sqlite: bool,
        browser: Browser,
        profile: &str,
        lock: &LockSite,
    ) -> anyhow::Result<usize> {
        let (dir, name) = self.fs.split(original)?;
        let through = crate::platform::path_through(&dir, &name, original);
        self.backup_from(&through, original, sqlite, browser, profile, lock)
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
        let how = if sqlite {
            CopyHow::Sqlite
        } else {
            CopyHow::Bytes
        };
        let (n, _) = self.copy_in(how, source, original, sqlite, browser, profile, lock)?;
        Ok(n)
    }

    /// Copies a file byte for byte into the set before it is moved aside (a damaged
    /// store, which SQLite's online backup cannot read, and its sidecars), recorded with
    /// `sqlite` as given so that `restore` treats the store as the database it was;
    /// returns the copy's SHA-256. `source` resolves through a directory handle.
    pub fn backup_as_is(
        &mut self,
        source: &Path,
        original: &Path,
        sqlite: bool,
        browser: Browser,
        profile: &str,
        lock: &LockSite,
    ) -> anyhow::Result<String> {
        let (_, sha256) = self.copy_in(
            CopyHow::Bytes,
            source,
            original,
            sqlite,
            browser,
            profile,
            lock,
        )?;
        Ok(sha256)
    }

    /// Copies `source` into the set as `how` says and records it (`sqlite`: what
    /// `restore` treats it as); returns its entry's index and its copy's SHA-256.
    #[allow(clippy::too_many_arguments)]
    fn copy_in(
        &mut self,
        how: CopyHow,
        source: &Path,
        original: &Path,
        sqlite: bool,
        browser: Browser,
        profile: &str,
        lock: &LockSite,
    ) -> anyhow::Result<(usize, String)> {
        let fs = self.fs.clone();
        let set = self.set_dir()?;
        let n = set.manifest.entries.len();
        let file = copy_name(n, original);
        let (size, sha256) = match how {
            CopyHow::Sqlite => copy_sqlite(&fs, source, original, set, &file)?,
            CopyHow::Bytes => {
                let from = crate::fsutil::open_file(&fs, source).with_context(|| {
                    crate::i18n::ta(
                        "err-could-back-up",
                        &[("file", &original.display().to_string())],
                    )
                })?;
                copy_into(set, &file, from, original)?
            }
        };
        self.append(Line::Entry(Entry {
            original: original.to_path_buf(),
            file,
            size,
            sha256: sha256.clone(),
            sqlite,
            browser,
            profile: profile.to_string(),
            lock: lock.clone(),
            dir: false,
            mode: crate::platform::mode_of(source),
        }))?;
        Ok((n, sha256))
    }

    /// Copies the directory tree `root` into the set before it is removed: one entry per
    /// directory (first) and per file, so `restore` can build the tree again. Symlinks,
    /// FIFOs and other special files are refused, never followed or opened, and so is a
    /// file with more than one hard link (run as root, it could be anyone's file linked
    /// into the tree).
    pub fn backup_tree(
        &mut self,
        fs: &crate::confine::Confined,
        root: &Path,
        browser: Browser,
        profile: &str,
        lock: &LockSite,
    ) -> anyhow::Result<()> {
        use cap_fs_ext::DirExt;
        // Walked through directory handles from the home's roots, never by path: run as
        // root, a directory swapped for a link must not copy anyone's files into the
        // user's backup set.
        let top = fs.dir(root)?;
        let mut dirs = vec![(top, root.to_path_buf(), 0usize)];
        while let Some((dir, path, depth)) = dirs.pop() {
            anyhow::ensure!(
                depth <= TREE_DEPTH,
                "{}",
                crate::i18n::ta(
                    "err-nested-too-deeply-back-up",
                    &[("file", &path.display().to_string())]
                )
            );
            self.set_dir()?;
            let mode = dir
                .dir_metadata()
                .ok()
                .and_then(|m| crate::platform::cap_mode(&m));
            self.append(Line::Entry(Entry {
                original: path.clone(),
                file: String::new(),
                size: 0,
                sha256: String::new(),
                sqlite: false,
                browser,
                profile: profile.to_string(),
                lock: lock.clone(),
                dir: true,
                mode,
            }))?;
            let mut children = crate::confine::list_dir(&dir).with_context(|| {
                crate::i18n::ta("err-could-list", &[("file", &path.display().to_string())])
            })?;
            children.sort_by(|a, b| a.name.cmp(&b.name));
            let mut subdirs = Vec::new();
            for child in children {
                let child_path = path.join(&child.name);
                if child.is_dir {
                    let sub = dir.open_dir_nofollow(&child.name).with_context(|| {
                        crate::i18n::ta(
                            "error-could-not-open",
                            &[("file", &child_path.display().to_string())],
                        )
                    })?;
                    subdirs.push((Arc::new(sub), child_path, depth + 1));
                } else if child.is_file {
                    let file = crate::confine::open_in(&dir, &child.name).with_context(|| {
                        crate::i18n::ta(
                            "error-could-not-read",
                            &[("file", &child_path.display().to_string())],
                        )
                    })?;
                    let mode = file
                        .metadata()
                        .ok()
                        .and_then(|m| crate::platform::mode_of_meta(&m));
                    self.backup_opened(file, &child_path, mode, browser, profile, lock)?;
                } else {
                    anyhow::bail!(
                        "{}",
                        crate::i18n::ta(
                            "err-regular-file-or-directory-tree",
                            &[("file", &child_path.display().to_string())]
                        )
                    );
                }
            }
            // Depth first, in name order: parents are always restored before children.
            dirs.extend(subdirs.into_iter().rev());
        }
        Ok(())
    }

    /// Backs up the opened regular file `from` (a file of a tree), recorded as `original`.
    fn backup_opened(
        &mut self,
        from: std::fs::File,
        original: &Path,
        mode: Option<u32>,
        browser: Browser,
        profile: &str,
        lock: &LockSite,
    ) -> anyhow::Result<usize> {
        let set = self.set_dir()?;
        let n = set.manifest.entries.len();
        let file = copy_name(n, original);
        let (size, sha256) = copy_into(set, &file, from, original)?;
        self.append(Line::Entry(Entry {
            original: original.to_path_buf(),
            file,
            size,
            sha256,
            sqlite: false,
            browser,
            profile: profile.to_string(),
            lock: lock.clone(),
            dir: false,
            mode,
        }))?;
        Ok(n)
    }

    /// Records cache files the run removed (not backed up: they are re-downloadable).
    pub fn record_removed(&mut self, removed: Vec<Removed>) -> anyhow::Result<()> {
        if removed.is_empty() {
            return Ok(());
        }
        self.set_dir()?;
        self.append(Line::Removed(removed))
    }

    /// The backed-up copy of entry `n` and the entry (for the tests: the executor no
    /// longer reads a copy back, a failed edit being rolled back instead).
    #[cfg(test)]
    pub fn entry(&self, n: usize) -> Option<(PathBuf, &Entry)> {
        let set = self.set.as_ref()?;
        let entry = set.manifest.entries.get(n)?;
        Some((set.path.join(&entry.file), entry))
    }

    /// Whether the set holds anything `restore` can put back: a set that only records
    /// removed cache entries (re-downloaded by the browser) does not.
    pub fn restorable(&self) -> bool {
        self.set.as_ref().is_some_and(|s| s.manifest.restorable())
    }

    pub fn id(&self) -> Option<&str> {
        self.set.as_ref().map(|s| s.manifest.id.as_str())
    }

    /// Appends one line to the journal, flushed to disk before the change it records is
    /// made, and to the manifest kept in memory. The journal is never rewritten.
    fn append(&mut self, line: Line) -> anyhow::Result<()> {
        let (Some(set), Some(journal)) = (&mut self.set, &mut self.journal) else {
            anyhow::bail!("internal error: no backup set");
        };
        let mut text = serde_json::to_string(&line)?;
        text.push('\n');
        journal
            .write_all(text.as_bytes())
            .and_then(|_| journal.sync_data())
            .with_context(|| {
                crate::i18n::ta(
                    "err-could-write",
                    &[("file", &set.path.join(JOURNAL).display().to_string())],
                )
            })?;
        match line {
            Line::Entry(entry) => set.manifest.entries.push(entry),
            Line::Removed(removed) => set.manifest.removed.extend(removed),
        }
        Ok(())
    }

    /// Prunes old sets after a successful run, keeping the newest `keep`.
    pub fn finish(self) -> anyhow::Result<Option<String>> {
        let id = self.id().map(str::to_string);
        if id.is_some() {
            prune(&self.fs, &self.opts.root, self.opts.keep, &self.home)?;
        }
        Ok(id)
    }
}

/// The handle of the backups directory `dir`, made with its missing parents when
/// `create` (else `None` when it is not there). Inside the home it is reached from the
/// home's handle as the home's stores are (no symlink leading out is followed); every
/// directory made there is made through its parent's handle (`mkdirat`), checked to be
/// the one just made, and given 0700 and the home's owner on its descriptor. A
/// `--backup-dir` outside the home was chosen by whoever runs loginfix: its missing
/// parents are made by path, 0700, and left to that user.
pub fn open_root(fs: &Confined, dir: &Path, home: &Path, create: bool) -> anyhow::Result<Arc<Dir>> {
    if !fs.covers(dir) || !dir.starts_with(home) {
        if create {
            make_outside(dir)?;
        }
        return Dir::open_ambient_dir(dir, cap_std::ambient_authority())
            .map(Arc::new)
            .with_context(|| {
                crate::i18n::ta(
                    "err-could-open-backup-directory",
                    &[("file", &dir.display().to_string())],
                )
            });
    }
    let owner = std::fs::metadata(home)
        .ok()
        .and_then(|m| crate::platform::owner_of(&m));
    let mut missing = Vec::new();
    let mut at = dir.to_path_buf();
    let mut handle = loop {
        match fs.dir(&at) {
            Ok(handle) => break handle,
            Err(e) if create && is_missing(&e) && at != home => {
                let name = at.file_name().map(OsStr::to_os_string);
                missing.extend(name);
                at.pop();
            }
            Err(e) => {
                return Err(e).with_context(|| {
                    crate::i18n::ta(
                        "err-could-open-backup-directory",
                        &[("file", &dir.display().to_string())],
                    )
                })
            }
        }
    };
    for name in missing.into_iter().rev() {
        at.push(&name);
        handle = match make_dir(&handle, &name, &at, owner, false)? {
            Some(made) => made,
            None => anyhow::bail!(
                "{}",
                crate::i18n::ta(
                    "err-could-create-backup-directory",
                    &[("file", &at.display().to_string())]
                )
            ),
        };
    }
    Ok(handle)
}

/// Whether a confinement error is a directory that is not there.
fn is_missing(err: &anyhow::Error) -> bool {
    err.chain()
        .find_map(|c| c.downcast_ref::<std::io::Error>())
        .is_some_and(|e| e.kind() == std::io::ErrorKind::NotFound)
}

/// Makes the directory `name` in `parent` (see `files::make_dir_in`: 0700 and `owner`)
/// and opens it. `None` when `fresh` and the name is taken; an existing directory of that
/// name is used when not `fresh` (opened without following a link).
fn make_dir(
    parent: &Dir,
    name: &OsStr,
    shown: &Path,
    owner: crate::platform::Owner,
    fresh: bool,
) -> anyhow::Result<Option<Arc<Dir>>> {
    use cap_fs_ext::DirExt;
    match super::files::make_dir_in(parent, name, shown, owner, 0o700)? {
        Some(made) => Ok(Some(Arc::new(made))),
        None if fresh => Ok(None),
        None => parent
            .open_dir_nofollow(name)
            .map(|d| Some(Arc::new(d)))
            .with_context(|| {
                crate::i18n::ta(
                    "err-could-open-symlink-or-directory",
                    &[("file", &shown.display().to_string())],
                )
            }),
    }
}

/// Makes a `--backup-dir` outside the home and its missing parents, 0700.
#[expect(
    clippy::disallowed_methods,
    reason = "the executor makes its own directories"
)]
fn make_outside(dir: &Path) -> anyhow::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir).with_context(|| {
        crate::i18n::ta(
            "err-could-create-backup-directory",
            &[("file", &dir.display().to_string())],
        )
    })
}

/// Creates the set's manifest journal (new, private, the set's owner) holding its
/// header line.
fn create_journal(
    dir: &Dir,
    set: &Path,
    owner: crate::platform::Owner,
    header: &Header,
) -> anyhow::Result<std::fs::File> {
    let path = set.join(JOURNAL);
    let mut file = crate::platform::create_file_at(dir, OsStr::new(JOURNAL))
        .and_then(|f| crate::platform::own_and_mode(&f, owner, 0o600).map(|()| f))
        .with_context(|| {
            crate::i18n::ta("err-could-write", &[("file", &path.display().to_string())])
        })?;
    let mut text = serde_json::to_string(header)?;
    text.push('\n');
    file.write_all(text.as_bytes())
        .and_then(|_| file.sync_all())
        .with_context(|| {
            crate::i18n::ta("err-could-write", &[("file", &path.display().to_string())])
        })?;
    let _ = crate::platform::sync_dir_handle(dir);
    Ok(file)
}

/// Copies the opened regular file `from` (the store `original`) into the set as `name`:
/// created new through the set's handle (0600, the set's owner), holes kept, flushed;
/// returns its size and SHA-256, computed in the same pass. Refused before anything is
/// written: a file with more than one hard link, and one that would not fit in the space
/// left to ordinary users. A copy that fails is removed.
fn copy_into(
    set: &OpenSet,
    name: &str,
    from: std::fs::File,
    original: &Path,
) -> anyhow::Result<(u64, String)> {
    let shown = set.path.join(name);
    let meta = from.metadata().with_context(|| {
        crate::i18n::ta(
            "error-could-not-read",
            &[("file", &original.display().to_string())],
        )
    })?;
    anyhow::ensure!(
        meta.is_file(),
        "{}",
        crate::i18n::ta(
            "err-regular-file-backed-up",
            &[("file", &original.display().to_string())]
        )
    );
    if let Some(links) = crate::platform::hard_links(&meta).filter(|&n| n > 1) {
        anyhow::bail!(
            "{}",
            crate::i18n::ta(
                "err-has-hard-links-could-be",
                &[
                    ("file", &original.display().to_string()),
                    ("n", &links.to_string())
                ]
            )
        );
    }
    let needed = crate::platform::allocated_bytes(&meta);
    if let Some(free) = crate::platform::free_bytes(&set.dir) {
        anyhow::ensure!(
            needed < free,
            "{}",
            crate::i18n::ta(
                "err-enough-free-space-for-backup",
                &[
                    ("file", &original.display().to_string()),
                    ("size", &needed.to_string()),
                    ("free", &free.to_string()),
                    ("dir", &set.path.display().to_string())
                ]
            )
        );
    }
    let to = crate::platform::create_file_at(&set.dir, OsStr::new(name)).with_context(|| {
        crate::i18n::ta(
            "err-could-create",
            &[("file", &shown.display().to_string())],
        )
    })?;
    let copied = crate::platform::own_and_mode(&to, set.owner, 0o600)
        .map_err(anyhow::Error::from)
        .and_then(|()| copy_hashing(from, to).map_err(anyhow::Error::from));
    match copied {
        Ok(done) => Ok(done),
        Err(err) => {
            super::files::remove_in(&set.dir, OsStr::new(name));
            Err(err.context(crate::i18n::ta(
                "err-could-back-up-into",
                &[
                    ("file", &original.display().to_string()),
                    ("path", &shown.display().to_string()),
                ],
            )))
        }
    }
}

/// Copies `src` into `dst` from the start, writing no run of zeros (a hole in a sparse
/// file stays a hole), flushed; returns the size and SHA-256 of what was read.
fn copy_hashing(mut src: std::fs::File, mut dst: std::fs::File) -> std::io::Result<(u64, String)> {
    use std::io::{Read, Seek, SeekFrom};
    const CHUNK: usize = 64 * 1024;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    let mut size = 0u64;
    loop {
        let n = match src.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
        if buf[..n].iter().all(|&b| b == 0) {
            dst.seek(SeekFrom::Current(n as i64))?;
        } else {
            dst.write_all(&buf[..n])?;
        }
        size += n as u64;
    }
    // A file ending in a hole is given its length.
    dst.set_len(size)?;
    dst.sync_all()?;
    Ok((size, hex(&hasher.finalize())))
}

/// Backs up the SQLite database `source` (shown as `original`) into the set as `name`;
/// returns the copy's size and SHA-256. A database in rollback-journal mode with no live
/// journal is copied byte for byte while a read transaction holds its SHARED lock (no
/// writer can commit meanwhile), hashed in the same pass: the copy is the store exactly.
/// Otherwise (a WAL, a hot journal) SQLite's online backup makes a consistent copy into
/// a private scratch directory (SQLite writes by path, never into the home), which is
/// then copied into the set through its handle.
fn copy_sqlite(
    fs: &Confined,
    source: &Path,
    original: &Path,
    set: &OpenSet,
    name: &str,
) -> anyhow::Result<(u64, String)> {
    let src = rusqlite::Connection::open_with_flags(
        source,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| {
        crate::i18n::ta(
            "err-could-open-back-up",
            &[("file", &original.display().to_string())],
        )
    })?;
    src.busy_timeout(std::time::Duration::from_secs(2))?;
    let live = |suffix: &str| {
        std::fs::symlink_metadata(crate::stores::sqlite::sidecar(source, suffix))
            .is_ok_and(|m| m.len() > 0)
    };
    let mode: String = src
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .with_context(|| {
            crate::i18n::ta(
                "err-could-read-back-up",
                &[("file", &original.display().to_string())],
            )
        })?;
    if !mode.eq_ignore_ascii_case("wal") && !live("-wal") && !live("-journal") {
        let read = src.unchecked_transaction()?;
        read.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
        .with_context(|| {
            crate::i18n::ta(
                "err-could-read-back-up",
                &[("file", &original.display().to_string())],
            )
        })?;
        let from = crate::fsutil::open_file(fs, source).with_context(|| {
            crate::i18n::ta(
                "err-could-back-up",
                &[("file", &original.display().to_string())],
            )
        })?;
        let copied = copy_into(set, name, from, original)?;
        read.finish()?;
        return Ok(copied);
    }
    let scratch = crate::scratch::ScratchDir::new().with_context(|| {
        crate::i18n::ta(
            "err-could-back-up",
            &[("file", &original.display().to_string())],
        )
    })?;
    let tmp = scratch.path().join("backup.sqlite");
    src.backup(rusqlite::MAIN_DB, &tmp, rusqlite::backup::NO_PROGRESS)
        .with_context(|| {
            crate::i18n::ta(
                "err-could-back-up",
                &[("file", &original.display().to_string())],
            )
        })?;
    let from = crate::platform::open_nofollow(&tmp).with_context(|| {
        crate::i18n::ta(
            "err-could-back-up",
            &[("file", &original.display().to_string())],
        )
    })?;
    copy_into(set, name, from, original)
}

/// The manifest file of the set in `dir`: the journal, or an older set's `manifest.json`.
pub fn manifest_path(dir: &Path) -> PathBuf {
    let journal = dir.join(JOURNAL);
    if std::fs::symlink_metadata(&journal).is_ok() {
        journal
    } else {
        dir.join(MANIFEST)
    }
}

/// Reads the manifest of the set in `dir`, in either format. In a journal, a last line
/// that does not parse (torn by a crash while it was appended) is ignored. A set
/// directory or manifest that is a symlink is refused: sets live in the user's home.
pub fn read_manifest(fs: &Confined, dir: &Path) -> anyhow::Result<Manifest> {
    let path = manifest_path(dir);
    for p in [dir, path.as_path()] {
        let meta = std::fs::symlink_metadata(p).with_context(|| {
            crate::i18n::ta(
                "error-could-not-read",
                &[("file", &p.display().to_string())],
            )
        })?;
        anyhow::ensure!(
            !meta.file_type().is_symlink(),
            "{}",
            crate::i18n::ta(
                "err-symlink-read-as-backup",
                &[("file", &p.display().to_string())]
            )
        );
    }
    if path.file_name().is_some_and(|n| n == MANIFEST) {
        let text = crate::fsutil::read_text(fs, &path).with_context(|| {
            crate::i18n::ta(
                "error-could-not-read",
                &[("file", &path.display().to_string())],
            )
        })?;
        return serde_json::from_str(&text).with_context(|| {
            crate::i18n::ta(
                "err-backup-manifest",
                &[("file", &path.display().to_string())],
            )
        });
    }
    let bytes = crate::fsutil::read_bounded(fs, &path, MAX_JOURNAL_BYTES).with_context(|| {
        crate::i18n::ta(
            "error-could-not-read",
            &[("file", &path.display().to_string())],
        )
    })?;
    let text = String::from_utf8_lossy(&bytes);
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let header_line = lines.first().copied().unwrap_or_default();
    let header: Header = serde_json::from_str(header_line).with_context(|| {
        crate::i18n::ta(
            "err-has-no-valid-header-line",
            &[("file", &path.display().to_string())],
        )
    })?;
    let mut manifest = Manifest {
        version: header.version,
        id: header.id,
        created: header.created,
        command: header.command,
        home: header.home,
        fleet_run: header.fleet_run,
        entries: Vec::new(),
        removed: Vec::new(),
    };
    for (n, line) in lines.iter().enumerate().skip(1) {
        let last = n + 1 == lines.len();
        match serde_json::from_str::<Line>(line) {
            Ok(_) if last && !line.ends_with('\n') => {}
            Ok(Line::Entry(entry)) => manifest.entries.push(entry),
            Ok(Line::Removed(removed)) => manifest.removed.extend(removed),
            Err(_) if last => {}
            Err(e) => {
                return Err(e).with_context(|| {
                    crate::i18n::ta(
                        "err-line-manifest-entry",
                        &[
                            ("n", &(n + 1).to_string()),
                            ("file", &path.display().to_string()),
                        ],
                    )
                })
            }
        }
    }
    Ok(manifest)
}

/// Every backup set under `root`, oldest first.
pub fn list(fs: &Confined, root: &Path) -> anyhow::Result<Vec<(PathBuf, Manifest)>> {
    // Under the home acted on, reached as its stores are: a backups directory that is a
    // symlink leading out is not listed.
    let entries = match crate::fsutil::read_dir(fs, root) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(e).with_context(|| {
                crate::i18n::ta("err-could-list", &[("file", &root.display().to_string())])
            })
        }
    };
    let mut sets = Vec::new();
    for (name, _) in entries {
        let dir = root.join(name);
        if let Ok(manifest) = read_manifest(fs, &dir) {
            sets.push((dir, manifest));
        }
    }
    sets.sort_by(|a, b| a.1.id.cmp(&b.1.id));
    Ok(sets)
}

/// Whether two paths name the same home: compared canonical (absolute, links resolved)
/// where they exist, as given otherwise.
pub fn same_home(a: &Path, b: &Path) -> bool {
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    canon(a) == canon(b)
}

/// The backup sets under `root` made for `home`, oldest first (a shared --backup-dir
/// holds other homes' sets too).
pub fn list_for_home(
    fs: &Confined,
    root: &Path,
    home: &Path,
) -> anyhow::Result<Vec<(PathBuf, Manifest)>> {
    let mut sets = list(fs, root)?;
    sets.retain(|(_, m)| same_home(&m.home, home));
    Ok(sets)
}

/// Prunes the oldest of `home`'s sets, keeping its newest `keep`; other homes' sets in a
/// shared directory are neither counted nor touched.
fn prune(fs: &Confined, root: &Path, keep: usize, home: &Path) -> anyhow::Result<()> {
    let sets = list_for_home(fs, root, home)?;
    if sets.len() > keep {
        for (dir, _) in &sets[..sets.len() - keep] {
            // Inside the home, through the home's handles as the set was made; a
            // --backup-dir elsewhere from its own root.
            let removed = if fs.covers(dir) && dir.starts_with(home) {
                super::files::remove_tree_in(fs, dir)
            } else {
                super::remove_tree(dir, root)
            };
            removed.with_context(|| {
                crate::i18n::ta(
                    "err-could-prune-old-backup",
                    &[("file", &dir.display().to_string())],
                )
            })?;
        }
    }
    Ok(())
}

/// The name of the `n`th copy of a set: `007-Cookies`.
fn copy_name(n: usize, original: &Path) -> String {
    let base = original
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| "store".to_string());
    format!("{n:03}-{base}")
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

/// How a file goes into a backup set.
#[derive(Clone, Copy)]
enum CopyHow {
    /// Through SQLite's online backup: a consistent database, its journal applied.
    Sqlite,
    /// Byte for byte.
    Bytes,
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
    fn sqlite_stores_are_backed_up_byte_for_byte_or_through_sqlite_with_a_wal() {
        let home = tempfile::tempdir().unwrap();
        let db = home.path().join("profile/Cookies");
        std::fs::create_dir_all(db.parent().unwrap()).unwrap();
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1), (2);")
            .unwrap();
        drop(conn);
        let mut session = session_in(home.path(), home.path().join("backups"), "clear-cookies");
        let chrome = Browser::named("chrome").unwrap();
        let lock = LockSite::ChromiumUserData(home.path().join("profile"));
        let n = session.backup(&db, true, chrome, "Default", &lock).unwrap();
        let (copy, entry) = session.entry(n).unwrap();
        // Journal mode, no live journal: the copy is the store, byte for byte.
        assert_eq!(std::fs::read(&copy).unwrap(), std::fs::read(&db).unwrap());
        assert_eq!(sha256_file(&copy).unwrap(), entry.sha256);
        assert_eq!(entry.size, std::fs::metadata(&db).unwrap().len());

        // A WAL database with rows only in its WAL: SQLite's backup sees them.
        let wal = home.path().join("profile/wal.sqlite");
        let writer = rusqlite::Connection::open(&wal).unwrap();
        writer
            .execute_batch(
                "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; \
                 CREATE TABLE t(x); INSERT INTO t VALUES (7);",
            )
            .unwrap();
        let n = session
            .backup(&wal, true, chrome, "Default", &lock)
            .unwrap();
        let (copy, entry) = session.entry(n).unwrap();
        assert_eq!(sha256_file(&copy).unwrap(), entry.sha256);
        let read = rusqlite::Connection::open(&copy).unwrap();
        let x: i64 = read.query_row("SELECT x FROM t", [], |r| r.get(0)).unwrap();
        assert_eq!(x, 7);
        drop(writer);
        session.finish().unwrap();
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
        let mut session = session_in(home.path(), root.clone(), "clear-site-data");
        let chrome = Browser::named("chrome").unwrap();
        let lock = LockSite::ChromiumUserData(profile.clone());
        session
            .backup_tree(
                &crate::confine::Confined::default(),
                &tree,
                chrome,
                "Default",
                &lock,
            )
            .unwrap();
        crate::execute::remove_tree(&tree, &profile).unwrap();
        assert!(!tree.exists());
        session.finish().unwrap();

        let sets = list(&Confined::default(), &root).unwrap();
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
        let mut undo = session_in(home.path(), root.clone(), "restore");
        let confined = crate::confine::Confined::new([home.path().to_path_buf()]);
        let restored =
            crate::execute::restore(set_dir, manifest, home.path(), run, &mut undo, &confined);
        assert!(
            restored.iter().all(|r| r.action == "restored"),
            "{restored:#?}"
        );
        assert_eq!(snapshot(&tree), before);
    }

    #[test]
    fn a_journal_with_a_torn_last_line_reads_and_a_symlinked_one_does_not() {
        let root = tempfile::tempdir().unwrap();
        let set = root.path().join("set");
        std::fs::create_dir(&set).unwrap();
        let header =
            r#"{"version":2,"id":"x","created":"c","command":"clear-cookies","home":"/h"}"#;
        let removed = r#"{"removed":[{"files":["/h/c"],"url":null,"size":1}]}"#;
        write(
            &set.join(JOURNAL),
            format!("{header}\n{removed}\n{{\"removed\":[{{\"fi"),
        );
        let m = read_manifest(&Confined::default(), &set).unwrap();
        assert_eq!((m.id.as_str(), m.removed.len()), ("x", 1));
        // A complete line in the middle that does not parse is damage, not a torn write.
        write(
            &set.join(JOURNAL),
            format!("{header}\nnot json\n{removed}\n"),
        );
        assert!(read_manifest(&Confined::default(), &set).is_err());
        #[cfg(unix)]
        {
            let link = root.path().join("link");
            std::os::unix::fs::symlink(&set, &link).unwrap();
            write(&set.join(JOURNAL), format!("{header}\n"));
            assert!(read_manifest(&Confined::default(), &set).is_ok());
            let err = read_manifest(&Confined::default(), &link).unwrap_err();
            assert!(format!("{err:#}").contains("is a symlink"), "{err:#}");
            assert_eq!(list(&Confined::default(), root.path()).unwrap().len(), 1);
        }
    }

    /// A session backing up into `root`, keeping 10 sets, with handles under `home`.
    fn session_in(home: &Path, root: PathBuf, command: &str) -> Session {
        let opts = BackupOptions {
            enabled: true,
            root,
            keep: 10,
            fleet_run: None,
        };
        Session::new(
            opts,
            command,
            home,
            Arc::new(Confined::new([home.to_path_buf()])),
        )
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
        let mut session = session_in(home.path(), home.path().join("backups"), "clear-site-data");
        let chrome = Browser::named("chrome").unwrap();
        let lock = LockSite::ChromiumUserData(home.path().join("profile"));
        let err = session
            .backup_tree(
                &crate::confine::Confined::default(),
                &tree,
                chrome,
                "Default",
                &lock,
            )
            .unwrap_err();
        assert!(
            format!("{err:#}").contains("not a regular file or directory"),
            "{err:#}"
        );
    }
}
