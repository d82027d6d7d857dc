//! Chromium's blockfile cache (the HTTP cache of Chrome and Edge on Windows): `index`
//! (magic `0xC103CAC3`, a 368-byte header, then a hash table of cache addresses) and
//! block files `data_0`..`data_3` (8 KiB header, then fixed-size blocks) plus `f_XXXXXX`
//! external files. Entries (`EntryStore`, 256-byte blocks in a block file) carry their
//! key inline from byte 96, or point to it with `long_key`. Its index, rankings and
//! allocation bitmaps cannot be edited safely per entry, so this module only reads keys;
//! a real run removes the whole cache directory (see the executor).

use std::collections::HashSet;
use std::fs::File;
use std::path::{Path, PathBuf};

use super::cache_key;
use crate::confine::Confined;
use crate::stores::entry_scan::{cache_item, read_at};
use crate::stores::{Found, ItemKey, Removal, ScanOptions};
use crate::targets::Targets;

pub const INDEX_MAGIC: u32 = 0xC103_CAC3;
pub(crate) const INDEX_HEADER: u64 = 368;
pub(crate) const BLOCK_HEADER: u64 = 8192;
pub(crate) const ENTRY_KEY_AT: usize = 96;
/// Bounds on what a damaged or hostile cache can make us read.
const MAX_TABLE: u32 = 1 << 22;
const MAX_KEY: i32 = 2 * 1024 * 1024 + 1024;
const MAX_ENTRIES: usize = 4_000_000;

/// The reader of a blockfile cache: its target entries, which go only with the whole
/// cache (unless `--no-whole-cache` keeps it).
pub fn scan(dir: &Path, targets: &Targets, opts: &ScanOptions) -> anyhow::Result<Found> {
    let keys = read_keys(&opts.fs, dir).map_err(|e| anyhow::anyhow!(e))?;
    let items = keys
        .iter()
        .filter_map(|k| cache_key::parse(k))
        .filter(|k| targets.matches_cache_key(k))
        .map(|k| cache_item(k, None, ItemKey::InWholeCache))
        .collect();
    let removal = if opts.whole_cache {
        Removal::WholeCache {
            dir: dir.to_path_buf(),
            reason: "a blockfile cache (Chrome and Edge on Windows) cannot be edited per entry; \
                     it holds target entries, so the whole HTTP cache is cleared (this costs only re-downloads)"
                .to_string(),
        }
    } else {
        Removal::Skip {
            reason: "a blockfile cache can only be cleared whole, and --no-whole-cache was given"
                .to_string(),
        }
    };
    Ok(Found::new(items, removal))
}

/// True when `dir` holds a blockfile cache: an `index` with the blockfile magic.
pub fn is_blockfile(fs: &Confined, dir: &Path) -> bool {
    let Ok(f) = fs.open_file(&dir.join("index")) else {
        return false;
    };
    let mut magic = [0u8; 4];
    matches!(read_at(&f, 0, &mut magic, 4), Ok(4)) && u32::from_le_bytes(magic) == INDEX_MAGIC
}

fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// A decoded cache address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Addr(u32);

impl Addr {
    fn initialized(self) -> bool {
        self.0 & 0x8000_0000 != 0
    }
    fn file_type(self) -> u32 {
        (self.0 & 0x7000_0000) >> 28
    }
    fn block_size(self) -> Option<u64> {
        match self.file_type() {
            1 => Some(36),
            2 => Some(256),
            3 => Some(1024),
            4 => Some(4096),
            _ => None,
        }
    }
    fn blocks(self) -> u64 {
        u64::from((self.0 & 0x0300_0000) >> 24) + 1
    }
    fn file_number(self) -> u32 {
        (self.0 & 0x00ff_0000) >> 16
    }
    fn start_block(self) -> u64 {
        u64::from(self.0 & 0xffff)
    }
    /// The file and offset the address points to.
    fn locate(self, dir: &Path) -> Result<(PathBuf, u64), String> {
        if !self.initialized() {
            return Err(format!("uninitialized address {:#010x}", self.0));
        }
        if self.file_type() == 0 {
            return Ok((dir.join(format!("f_{:06x}", self.0 & 0x0fff_ffff)), 0));
        }
        let size = self
            .block_size()
            .ok_or_else(|| format!("unknown block type in address {:#010x}", self.0))?;
        Ok((
            dir.join(format!("data_{}", self.file_number())),
            BLOCK_HEADER + size * self.start_block(),
        ))
    }
}

/// Reads the key of every entry in the blockfile cache in `dir`.
pub fn read_keys(fs: &Confined, dir: &Path) -> Result<Vec<String>, String> {
    let index_path = dir.join("index");
    let index = fs.open_file(&index_path).map_err(|e| {
        crate::i18n::ta(
            "err-file-detail",
            &[
                ("file", &index_path.display().to_string()),
                ("detail", &e.to_string()),
            ],
        )
    })?;
    let mut header = [0u8; INDEX_HEADER as usize];
    let n = read_at(&index, 0, &mut header, INDEX_HEADER as usize).map_err(|e| e.to_string())?;
    if n < header.len() || le32(&header, 0) != INDEX_MAGIC {
        return Err(crate::i18n::ta(
            "err-blockfile-index",
            &[("file", &index_path.display().to_string())],
        ));
    }
    let mut table_len = le32(&header, 28);
    if table_len == 0 {
        table_len = 0x10000;
    }
    if table_len > MAX_TABLE {
        return Err(crate::i18n::ta(
            "err-declares-absurd-table-size",
            &[
                ("file", &index_path.display().to_string()),
                ("size", &table_len.to_string()),
            ],
        ));
    }
    let mut table = vec![0u8; table_len as usize * 4];
    let want = table.len();
    let got = read_at(&index, INDEX_HEADER, &mut table, want).map_err(|e| e.to_string())?;
    if got < table.len() {
        return Err(crate::i18n::ta(
            "err-truncated",
            &[("file", &index_path.display().to_string())],
        ));
    }
    let mut files: std::collections::HashMap<PathBuf, File> = std::collections::HashMap::new();
    let mut read = |addr: Addr, len: usize| -> Result<Vec<u8>, String> {
        let (path, offset) = addr.locate(dir)?;
        let file = match files.entry(path.clone()) {
            std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(fs.open_file(&path).map_err(|e| {
                    crate::i18n::ta(
                        "err-file-detail",
                        &[
                            ("file", &path.display().to_string()),
                            ("detail", &e.to_string()),
                        ],
                    )
                })?)
            }
        };
        let mut buf = vec![0u8; len];
        let got = read_at(file, offset, &mut buf, len).map_err(|e| e.to_string())?;
        if got < len {
            return Err(crate::i18n::ta(
                "err-truncated",
                &[("file", &path.display().to_string())],
            ));
        }
        Ok(buf)
    };
    let mut keys = Vec::new();
    let mut seen: HashSet<u32> = HashSet::new();
    for slot in table.chunks_exact(4) {
        let mut addr = Addr(le32(slot, 0));
        while addr.0 != 0 {
            if !seen.insert(addr.0) || seen.len() > MAX_ENTRIES {
                break; // a loop in a damaged chain
            }
            if addr.file_type() != 2 {
                return Err(format!(
                    "entry address {:#010x} is not in a 256-byte block file",
                    addr.0
                ));
            }
            let entry = read(addr, (addr.blocks() * 256) as usize)?;
            let key_len = le32(&entry, 32) as i32;
            let long_key = Addr(le32(&entry, 36));
            if key_len <= 0 || key_len > MAX_KEY {
                return Err(format!(
                    "entry {:#010x} has an absurd key length {key_len}",
                    addr.0
                ));
            }
            let key_len = key_len as usize;
            let key = if long_key.0 != 0 {
                read(long_key, key_len)?
            } else if ENTRY_KEY_AT + key_len <= entry.len() {
                entry[ENTRY_KEY_AT..ENTRY_KEY_AT + key_len].to_vec()
            } else {
                return Err(format!(
                    "entry {:#010x}: key longer than its blocks",
                    addr.0
                ));
            };
            keys.push(String::from_utf8_lossy(&key).into_owned());
            addr = Addr(le32(&entry, 4));
        }
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::chromium::write_sample;

    #[test]
    fn reads_inline_multi_block_external_and_chained_keys() {
        let dir = tempfile::tempdir().unwrap();
        let long = format!(
            "1/0/_dk_https://chatgpt.com https://chatgpt.com https://chatgpt.com/{}",
            "m".repeat(500)
        );
        let huge = format!(
            "1/0/_dk_https://example.org https://example.org https://example.org/{}",
            "h".repeat(2000)
        );
        let keys: Vec<String> = (0..12)
            .map(|i| {
                format!("1/0/_dk_https://example.org https://example.org https://example.org/{i}")
            })
            .chain([long.clone(), huge.clone()])
            .collect();
        let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
        write_sample(dir.path(), &refs).unwrap();
        assert!(is_blockfile(&Confined::default(), dir.path()));
        let mut got = read_keys(&Confined::default(), dir.path()).unwrap();
        got.sort();
        let mut want = keys.clone();
        want.sort();
        assert_eq!(got, want);
    }

    #[test]
    fn damaged_caches_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!is_blockfile(&Confined::default(), dir.path()));
        assert!(read_keys(&Confined::default(), dir.path()).is_err());
        write_sample(dir.path(), &["1/0/https://chatgpt.com/"]).unwrap();
        std::fs::write(dir.path().join("data_1"), vec![0u8; 100]).unwrap();
        let err = read_keys(&Confined::default(), dir.path()).unwrap_err();
        assert!(err.contains("truncated"), "{err}");
        let mut index = std::fs::read(dir.path().join("index")).unwrap();
        index[28..32].copy_from_slice(&u32::MAX.to_le_bytes());
        std::fs::write(dir.path().join("index"), &index).unwrap();
        assert!(read_keys(&Confined::default(), dir.path())
            .unwrap_err()
            .contains("absurd"));
    }
}
