//! The parallel entry scanner shared by the file-per-entry caches (Chromium simple
//! cache, Firefox cache2, WebKit's network cache): list the entry files, read only the
//! bytes each format needs, on every core, and collect matches and unreadable files. The
//! formats supply a key reader; the matches become [`Found`] items here.

use std::fs::File;
use std::path::{Path, PathBuf};

use super::model::{Found, Item, ItemKey, Removal, Unreadable};
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

/// Matches (index into the entry list, key) and unreadable files of one chunk.
type ChunkResult = (Vec<(usize, CacheKey)>, Vec<Unreadable>);

/// Runs `read_key` (which fills a reused buffer with an entry's key) over `entries` on
/// all cores; returns matches (sorted by path) and unreadable files (likewise). Keys that
/// cannot name a target are dropped before they are parsed, without allocating.
pub fn scan_entries(
    entries: &[PathBuf],
    targets: &Targets,
    read_key: impl Fn(&Path, &mut Vec<u8>) -> Result<(), String> + Sync,
    parse: impl Fn(&str) -> Option<CacheKey> + Sync,
) -> std::io::Result<ChunkResult> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 16);
    let chunk = entries.len().div_ceil(threads).max(1);
    let results: Vec<std::thread::Result<ChunkResult>> = std::thread::scope(|s| {
        let handles: Vec<_> = entries
            .chunks(chunk)
            .enumerate()
            .map(|(n, part)| {
                let read_key = &read_key;
                let parse = &parse;
                s.spawn(move || {
                    let mut found = Vec::new();
                    let mut bad = Vec::new();
                    let mut buf = Vec::with_capacity(1024);
                    for (i, path) in part.iter().enumerate() {
                        buf.clear();
                        match read_key(path, &mut buf) {
                            Ok(()) => {
                                if !targets.may_name_a_target(&buf) {
                                    continue;
                                }
                                if let Some(k) = parse(&String::from_utf8_lossy(&buf)) {
                                    if targets.matches_cache_key(&k) {
                                        found.push((n * chunk + i, k));
                                    }
                                }
                            }
                            Err(reason) => bad.push(Unreadable {
                                file: path.clone(),
                                reason,
                            }),
                        }
                    }
                    (found, bad)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join()).collect()
    });
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
    // Reports list entries in path order, whatever order the directory gave.
    found.sort_by(|a, b| entries[a.0].cmp(&entries[b.0]));
    bad.sort_by(|a, b| a.file.cmp(&b.file));
    Ok((found, bad))
}

/// An entry's key as text, read with a format's `read_key_into`.
pub fn key_text(
    path: &Path,
    read_key_into: impl Fn(&Path, &mut Vec<u8>) -> Result<(), String>,
) -> Result<String, String> {
    let mut buf = Vec::new();
    read_key_into(path, &mut buf)?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// The entry files in `dir` (those whose name `is_entry` accepts), in directory order:
/// nothing needs all of them sorted, only the matches are.
pub fn list_entries(dir: &Path, is_entry: impl Fn(&[u8]) -> bool) -> std::io::Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if is_entry(entry.file_name().as_encoded_bytes()) {
            paths.push(entry.path());
        }
    }
    Ok(paths)
}

/// The candidates that exist (not following symlinks) and their total size, with one
/// `lstat` each.
pub fn existing(candidates: impl IntoIterator<Item = PathBuf>) -> (Vec<PathBuf>, u64) {
    let mut files = Vec::new();
    let mut size = 0;
    for path in candidates {
        if let Ok(meta) = std::fs::symlink_metadata(&path) {
            size += meta.len();
            files.push(path);
        }
    }
    (files, size)
}
