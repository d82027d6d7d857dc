//! Firefox's cache2: `cache2/entries/<40 hex>`, each `[data chunks][metadata][u32 BE
//! offset of the metadata]`. The metadata starts with a u32 hash, one u16 hash per
//! 256 KiB data chunk, then a header of big-endian u32s (version, fetch count, last
//! fetched, last modified, frecency, expiration, key size, and flags from version 2;
//! versions 2 to 4 share this layout),
//! then the key. Firefox rebuilds `cache2/index` by scanning `entries/` when the index
//! is missing, so it and its journal `index.log` are removed after entries are.

use std::path::{Path, PathBuf};

use super::cache_files::{existing, list_entries, read_at, scan_entries, Unreadable};
use crate::targets::{firefox_cache_key, CacheKey, Targets};

const CHUNK: u64 = 256 * 1024;
/// Firefox limits keys far below this; longer means damage.
const MAX_KEY: u32 = 1024 * 1024;

#[derive(Clone, Debug)]
pub struct Entry {
    pub key: CacheKey,
    pub file: PathBuf,
    pub size: u64,
}

pub struct Scan {
    pub entries: Vec<Entry>,
    pub unreadable: Vec<Unreadable>,
    pub index_files: Vec<PathBuf>,
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

/// Appends the key stored in the cache2 entry file `path` to `out`.
pub fn read_key_into(path: &Path, out: &mut Vec<u8>) -> Result<(), String> {
    let file = crate::fsutil::open_file(path).map_err(|e| e.to_string())?;
    let len = file.metadata().map_err(|e| e.to_string())?.len();
    if len < 4 {
        return Err(format!("truncated: {len} bytes"));
    }
    let mut tail = [0u8; 4];
    read_at(&file, len - 4, &mut tail, 4).map_err(|e| e.to_string())?;
    let meta = u64::from(be32(&tail));
    if meta >= len - 4 {
        return Err(format!(
            "metadata offset {meta} is past the end ({len} bytes)"
        ));
    }
    let chunks = meta.div_ceil(CHUNK);
    let header_at = meta + 4 + 2 * chunks;
    let mut head = [0u8; 32 + 1024];
    let want = ((len - 4).saturating_sub(header_at)).min(head.len() as u64) as usize;
    let n = read_at(&file, header_at, &mut head[..want], want).map_err(|e| e.to_string())?;
    if n < 28 {
        return Err("truncated metadata header".to_string());
    }
    let version = be32(&head[0..4]);
    let header_len = match version {
        1 => 28,
        // Firefox ESR 153 writes version 4 with the same 32-byte layout as 2 and 3
        // (checked on entries it wrote, see profiles/).
        2..=4 => 32,
        v => return Err(format!("unknown metadata version {v}")),
    };
    let key_len = be32(&head[24..28]);
    if key_len > MAX_KEY || header_at + header_len as u64 + u64::from(key_len) > len - 4 {
        return Err(format!("absurd key length {key_len}"));
    }
    let key_len = key_len as usize;
    if header_len + key_len <= n {
        out.extend_from_slice(&head[header_len..header_len + key_len]);
    } else {
        out.resize(key_len, 0);
        let got = read_at(&file, header_at + header_len as u64, out, key_len)
            .map_err(|e| e.to_string())?;
        if got < key_len {
            return Err("truncated key".to_string());
        }
    }
    Ok(())
}

/// Reads every entry under `cache2/entries` and keeps the targets'.
pub fn scan(cache2: &Path, targets: &Targets) -> std::io::Result<Scan> {
    let entries_dir = cache2.join("entries");
    let is_entry = |n: &[u8]| n.len() == 40 && n.iter().all(u8::is_ascii_hexdigit);
    let paths = match list_entries(&entries_dir, is_entry) {
        Ok(paths) => paths,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e),
    };
    let (found, unreadable) = scan_entries(&paths, targets, read_key_into, firefox_cache_key)?;
    let entries = found
        .into_iter()
        .map(|(i, key)| {
            let (_, size) = existing([paths[i].clone()]);
            Entry {
                size,
                file: paths[i].clone(),
                key,
            }
        })
        .collect();
    Ok(Scan {
        entries,
        unreadable,
        index_files: vec![cache2.join("index"), cache2.join("index.log")],
    })
}

/// Builds an entry file in the documented layout (tests and the benchmark use it).
pub fn encode_entry(key: &str, body: &[u8]) -> Vec<u8> {
    let mut out = body.to_vec();
    let meta = out.len() as u32;
    out.extend_from_slice(&0u32.to_be_bytes());
    for _ in 0..u64::from(meta).div_ceil(CHUNK) {
        out.extend_from_slice(&0u16.to_be_bytes());
    }
    for v in [3u32, 1, 0, 0, 0, 0, key.len() as u32, 0] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    out.extend_from_slice(key.as_bytes());
    out.push(0);
    out.extend_from_slice(b"request-method\0GET\0");
    out.extend_from_slice(&meta.to_be_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(n: u32) -> String {
        format!("{n:040X}")
    }

    #[test]
    fn reads_keys_and_reports_damaged_entries() {
        let dir = tempfile::tempdir().unwrap();
        let e = dir.path().join("entries");
        std::fs::create_dir_all(&e).unwrap();
        let part = "O^partitionKey=%28https%2Cchatgpt.com%29,a,:https://cdn.oaistatic.com/logo.png";
        std::fs::write(e.join(name(1)), encode_entry(part, &vec![7u8; 300_000])).unwrap();
        std::fs::write(e.join(name(2)), encode_entry(":https://example.org/", b"x")).unwrap();
        let long = format!(":https://chatgpt.com/{}", "q".repeat(3000));
        std::fs::write(e.join(name(3)), encode_entry(&long, b"")).unwrap();
        let mut past = encode_entry(":https://chatgpt.com/", b"abc");
        let n = past.len();
        past[n - 4..].copy_from_slice(&u32::MAX.to_be_bytes());
        std::fs::write(e.join(name(4)), past).unwrap();
        let mut ver = encode_entry(":https://chatgpt.com/", b"abc");
        ver[3 + 4 + 2 + 3] = 9; // the version field of the metadata header
        std::fs::write(e.join(name(5)), ver).unwrap();
        std::fs::write(e.join(name(6)), b"ab").unwrap();
        std::fs::write(e.join("garbage"), b"x").unwrap();

        let scan = scan(dir.path(), &Targets::default()).unwrap();
        let urls: Vec<_> = scan.entries.iter().map(|x| x.key.url.clone()).collect();
        assert_eq!(
            urls,
            [
                "https://cdn.oaistatic.com/logo.png".to_string(),
                format!("https://chatgpt.com/{}", "q".repeat(3000))
            ]
        );
        assert_eq!(
            scan.entries[0].key.top_site.as_deref(),
            Some("https://chatgpt.com")
        );
        let bad: Vec<_> = scan
            .unreadable
            .iter()
            .map(|u| u.file.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(bad, [name(4), name(5), name(6)]);
    }
}
