//! The parallel entry scanner shared by the file-per-entry caches (Chromium simple
//! cache, Firefox cache2, WebKit's network cache): list the entry files, read only the
//! bytes each format needs, on every core, and collect matches and unreadable files. The
//! formats supply a key reader; the matches become [`Found`] items here.

use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use cap_std::fs::Dir;

use super::model::{Found, Item, ItemKey, Removal, Unreadable};
use super::ScanCount;
use crate::confine::{self, Confined};
use crate::targets::{url_host, CacheKey, Targets};

/// A matching cache entry: its key, the files that make it up, and their size.
#[derive(Clone, Debug)]
pub struct Entry {
    pub key: CacheKey,
    pub files: Vec<PathBuf>,
    pub size: u64,
}

/// What a scan of a file-per-entry cache found.
pub struct Scan {
    pub entries: Vec<Entry>,
    pub unreadable: Vec<Unreadable>,
    /// Files to remove after entries so the browser rebuilds its index.
    pub index_files: Vec<PathBuf>,
}

impl Scan {
    /// The entries as items, removed file by file, then the index.
    pub fn into_found(self) -> Found {
        Found {
            items: self
                .entries
                .into_iter()
                .map(|e| cache_item(e.key, Some(e.size), ItemKey::Files(e.files)))
                .collect(),
            removal: Removal::CacheFiles {
                index_files: self.index_files,
            },
            unreadable: self.unreadable,
        }
    }
}

/// The report item of a cache entry.
pub fn cache_item(key: CacheKey, size: Option<u64>, item_key: ItemKey) -> Item {
    Item {
        host: url_host(&key.url).unwrap_or_default().to_string(),
        name: None,
        path: None,
        url: Some(key.url),
        partition: key.top_site,
        size,
        key: item_key,
    }
}

/// Reads into `buf` at `offset` until at least `min` bytes (at most `buf.len()`) are in,
/// or the file ends; returns how many. Asking for less than the buffer lets one system
/// call read a whole small entry without a second call to find the end of the file.
pub fn read_at(file: &File, offset: u64, buf: &mut [u8], min: usize) -> std::io::Result<usize> {
    let min = min.min(buf.len());
    let mut filled = 0;
    while filled < min || filled == 0 {
        match crate::platform::pread(file, &mut buf[filled..], offset + filled as u64) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
        if filled == buf.len() {
            break;
        }
    }
    Ok(filled)
}

/// The entry files of one cache directory: its handle, and the names that looked like
/// entries, packed into one buffer (a million entries cost their names' bytes and 16
/// more each, not a path apiece), in inode order so a cold cache is read in disk order.
pub struct Listing {
    pub path: PathBuf,
    pub dir: Arc<Dir>,
    bytes: Vec<u8>,
    /// (inode, offset, length) of each name in `bytes`, sorted by inode.
    names: Vec<(u64, u32, u32)>,
    /// The first few names that belong to no layout the reader knows (see
    /// [`list_entries_noting`]).
    pub foreign: Vec<std::ffi::OsString>,
}

impl Listing {
    /// A listing with no entries (the directory does not exist).
    fn empty(path: &Path, dir: Arc<Dir>) -> Listing {
        Listing {
            path: path.to_path_buf(),
            dir,
            bytes: Vec::new(),
            names: Vec::new(),
            foreign: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The `i`-th name's bytes, as the OS gave them.
    pub fn name_bytes(&self, i: usize) -> &[u8] {
        let (_, at, len) = self.names[i];
        &self.bytes[at as usize..at as usize + len as usize]
    }

    /// The `i`-th name.
    pub fn name(&self, i: usize) -> &OsStr {
        // SAFETY: the bytes are exactly what `OsStr::as_encoded_bytes` gave for a name
        // the listing returned, unsplit.
        unsafe { OsStr::from_encoded_bytes_unchecked(self.name_bytes(i)) }
    }

    /// The `i`-th entry's full path, for reports and the executor.
    pub fn path_of(&self, i: usize) -> PathBuf {
        self.path.join(self.name(i))
    }
}

/// Lists the entry files of `dir` (those whose name `is_entry` accepts), reached through
/// `fs` without following a symlink.
pub fn list_entries(
    fs: &Confined,
    dir: &Path,
    is_entry: impl Fn(&[u8]) -> bool,
) -> std::io::Result<Listing> {
    list_entries_noting(fs, dir, is_entry, |_| true)
}

/// As [`list_entries`], noting in `foreign` the first names neither `is_entry` nor
/// `is_known` accepts: files of a layout the reader does not know, which it must say it
/// left alone rather than report a clean store.
pub fn list_entries_noting(
    fs: &Confined,
    dir: &Path,
    is_entry: impl Fn(&[u8]) -> bool,
    is_known: impl Fn(&[u8]) -> bool,
) -> std::io::Result<Listing> {
    let handle = fs.dir(dir).map_err(confine::to_io)?;
    let mut listing = Listing::empty(dir, handle.clone());
    for entry in handle.entries()? {
        let entry = entry?;
        let name = entry.file_name();
        let bytes = name.as_encoded_bytes();
        if !is_entry(bytes) {
            if listing.foreign.len() < 3 && !is_known(bytes) {
                listing.foreign.push(name.clone());
            }
            continue;
        }
        let (Ok(at), Ok(len)) = (
            u32::try_from(listing.bytes.len()),
            u32::try_from(bytes.len()),
        ) else {
            return Err(std::io::Error::other(crate::i18n::ta(
                "err-lists-more-entry-names-than",
                &[("file", &dir.display().to_string())],
            )));
        };
        listing.bytes.extend_from_slice(bytes);
        listing
            .names
            .push((crate::platform::dir_entry_inode(&entry), at, len));
    }
    if knobs().inode_order {
        listing.names.sort_unstable_by_key(|&(ino, _, _)| ino);
    }
    Ok(listing)
}

/// As [`list_entries`], listing nothing when `dir` does not exist.
pub fn list_entries_if_any(
    fs: &Confined,
    dir: &Path,
    is_entry: impl Fn(&[u8]) -> bool,
) -> std::io::Result<Option<Listing>> {
    match fs.metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        _ => list_entries(fs, dir, is_entry).map(Some),
    }
}

/// How many entries each reader thread takes at a time: small enough to keep the
/// threads busy to the end, large enough that handing them out costs nothing.
const BATCH: usize = 256;

/// Reader threads. Reading a cache is waiting for the disk, not computing: a cold cache
/// was read in 0.65 of the time with 8 threads instead of 2 on a 2-core machine, and
/// warm it costs nothing measurable (see docs/performance.md).
pub const IO_THREADS: usize = 8;

/// How the scanners read: [`IO_THREADS`] threads in inode order, unless the benchmark
/// asks otherwise to measure what each choice gains (`LOGINFIX_SCAN_THREADS=N`,
/// `LOGINFIX_SCAN_ORDER=directory`; see docs/performance.md).
struct Knobs {
    threads: usize,
    inode_order: bool,
}

fn knobs() -> &'static Knobs {
    static KNOBS: std::sync::OnceLock<Knobs> = std::sync::OnceLock::new();
    KNOBS.get_or_init(|| Knobs {
        threads: std::env::var("LOGINFIX_SCAN_THREADS")
            .ok()
            .and_then(|v| v.parse().ok())
            .filter(|n| (1..=64).contains(n))
            .unwrap_or(IO_THREADS),
        inode_order: std::env::var("LOGINFIX_SCAN_ORDER").map_or(true, |v| v != "directory"),
    })
}

/// Matches (index into the listing, key) and unreadable files.
type ScanResult = (Vec<(usize, CacheKey)>, Vec<Unreadable>);

/// Opens each entry of `listing` relative to its directory's handle (never following a
/// symlink, never blocking on a FIFO), runs `read_key` (which fills a reused buffer with
/// the entry's key) on it, in batches handed out in inode order to [`IO_THREADS`]
/// threads; returns matches and unreadable files, both in name order. Keys that cannot
/// name a target are dropped before they are parsed, without allocating.
pub fn scan_entries(
    listing: &Listing,
    count: &ScanCount,
    targets: &Targets,
    read_key: impl Fn(&File, &mut Vec<u8>) -> Result<(), String> + Sync,
    parse: impl Fn(&str) -> Option<CacheKey> + Sync,
) -> std::io::Result<ScanResult> {
    let threads = knobs().threads.min(listing.len().div_ceil(BATCH)).max(1);
    count.total.fetch_add(listing.len(), Ordering::Relaxed);
    let next = AtomicUsize::new(0);
    let work = || {
        let mut found = Vec::new();
        let mut bad = Vec::new();
        let mut buf = Vec::with_capacity(1024);
        loop {
            let from = next.fetch_add(BATCH, Ordering::Relaxed);
            if from >= listing.len() {
                break;
            }
            let to = (from + BATCH).min(listing.len());
            count.done.fetch_add(to - from, Ordering::Relaxed);
            for i in from..to {
                buf.clear();
                let read = confine::open_listed(&listing.dir, listing.name(i))
                    .map_err(|e| e.to_string())
                    .and_then(|file| read_key(&file, &mut buf));
                match read {
                    Ok(()) => {
                        if !targets.may_name_a_target(&buf) {
                            continue;
                        }
                        if let Some(k) = parse(&String::from_utf8_lossy(&buf)) {
                            if targets.matches_cache_key(&k) {
                                found.push((i, k));
                            }
                        }
                    }
                    Err(reason) => bad.push((i, reason)),
                }
            }
        }
        let bad: Vec<Unreadable> = bad
            .into_iter()
            .map(|(i, reason)| Unreadable {
                file: listing.path_of(i),
                reason,
            })
            .collect();
        (found, bad)
    };
    // One batch or less (a small profile's cache): read it here. A thread per cache
    // was most of a run over 10,000 small profiles.
    let results: Vec<std::thread::Result<ScanResult>> = if threads == 1 {
        vec![std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))]
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads).map(|_| s.spawn(work)).collect();
            handles.into_iter().map(|h| h.join()).collect()
        })
    };
    let mut found = Vec::new();
    let mut bad = Vec::new();
    for result in results {
        // A bug in a reader must not silently drop a share of the entries.
        let (f, b) = result.map_err(|panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            std::io::Error::other(format!(
                "internal error while reading cache entries: {what}"
            ))
        })?;
        found.extend(f);
        bad.extend(b);
    }
    // Reports list entries in name order, whatever order the directory gave.
    found.sort_by(|a, b| listing.name_bytes(a.0).cmp(listing.name_bytes(b.0)));
    bad.sort_by(|a, b| a.file.cmp(&b.file));
    Ok((found, bad))
}

/// An entry's key as text, read from the file at `path` with a format's key reader.
pub fn key_text(
    path: &Path,
    read_key_into: impl Fn(&File, &mut Vec<u8>) -> Result<(), String>,
) -> Result<String, String> {
    let file = crate::fsutil::open_file(&crate::confine::Confined::default(), path)
        .map_err(|e| e.to_string())?;
    let mut buf = Vec::new();
    read_key_into(&file, &mut buf)?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// The files among `names` that exist in the listed directory (not following
/// symlinks), as full paths, and their total size: one `fstatat` each.
pub fn existing_in(listing: &Listing, names: &[OsString]) -> (Vec<PathBuf>, u64) {
    let mut files = Vec::new();
    let mut size = 0;
    for name in names {
        if let Ok(meta) = listing.dir.symlink_metadata(name) {
            size += meta.len();
            files.push(listing.path.join(name));
        }
    }
    (files, size)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scans a cache of `n` entries with a reader that panics on the last entry it reads.
    fn scan_with_a_panicking_reader(n: usize) -> std::io::Result<ScanResult> {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..n {
            std::fs::write(dir.path().join(format!("{i:016x}_0")), b"entry").unwrap();
        }
        let fs = Confined::new([dir.path().to_path_buf()]);
        let listing = list_entries(&fs, dir.path(), |_| true).unwrap();
        let read = AtomicUsize::new(0);
        scan_entries(
            &listing,
            &ScanCount::default(),
            &Targets::default(),
            |_, _| {
                if read.fetch_add(1, Ordering::Relaxed) == n - 1 {
                    panic!("a reader bug");
                }
                Ok(())
            },
            |_| None,
        )
    }

    #[test]
    fn a_reader_that_panics_is_an_error_not_a_share_of_entries_dropped() {
        // One batch is read on the calling thread, more by reader threads: both report.
        for n in [3, 3 * BATCH] {
            let err = scan_with_a_panicking_reader(n).unwrap_err();
            assert!(
                err.to_string()
                    .starts_with("internal error while reading cache entries: a reader bug"),
                "{n} entries: {err}"
            );
        }
    }
}
