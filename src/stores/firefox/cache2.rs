//! Firefox's cache2: `cache2/entries/<40 hex>`, each `[data chunks][metadata][u32 BE
//! offset of the metadata]`. The metadata starts with a u32 hash, one u16 hash per
//! 256 KiB data chunk, then a header of big-endian u32s (version, fetch count, last
//! fetched, last modified, frecency, expiration, key size, and flags from version 2;
//! versions 2 to 4 share this layout),
//! then the key. Firefox rebuilds `cache2/index` by scanning `entries/` when the index
//! is missing, so it and its journal `index.log` are removed after entries are.

use std::fs::File;
use std::path::Path;

use super::origin_attributes::top_level_site_of_origin_attributes;
use crate::stores::entry_scan::{
    existing_in, list_entries_if_any, read_at, scan_entries, Entry, Scan,
};
use crate::stores::{Category, Found, ScanOptions, Shape, StoreKind};
use crate::targets::{CacheKey, Targets};

/// Firefox's HTTP cache directory (`cache2`).
pub static KIND: StoreKind = StoreKind {
    id: "firefox_cache",
    label: "cache",
    category: Category::Cache,
    shape: Shape::Dir,
    read: scan,
};

pub(crate) const CHUNK: u64 = 256 * 1024;
/// Firefox limits keys far below this; longer means damage.
const MAX_KEY: u32 = 1024 * 1024;

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

/// Appends the key stored in the cache2 entry file `path` to `out`.
pub fn read_key_into(path: &Path, out: &mut Vec<u8>) -> Result<(), String> {
    let file = crate::fsutil::open_file(&crate::confine::Confined::default(), path)
        .map_err(|e| e.to_string())?;
    read_key(&file, out)
}

/// Appends the key stored in the opened cache2 entry `file` to `out`.
pub fn read_key(file: &File, out: &mut Vec<u8>) -> Result<(), String> {
    let len = file.metadata().map_err(|e| e.to_string())?.len();
    if len < 4 {
        return Err(format!("truncated: {len} bytes"));
    }
    let mut tail = [0u8; 4];
    read_at(file, len - 4, &mut tail, 4).map_err(|e| e.to_string())?;
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
    let n = read_at(file, header_at, &mut head[..want], want).map_err(|e| e.to_string())?;
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
        let got = read_at(file, header_at + header_len as u64, out, key_len)
            .map_err(|e| e.to_string())?;
        if got < key_len {
            return Err("truncated key".to_string());
        }
    }
    Ok(())
}

/// The reader of a `cache2` directory: its target entries, removed file by file, then
/// the index and its journal.
pub fn scan(cache2: &Path, targets: &Targets, opts: &ScanOptions) -> anyhow::Result<Found> {
    use anyhow::Context;
    let scan = scan_dir(&opts.fs, &opts.count, cache2, targets).with_context(|| {
        crate::i18n::ta("err-could-list", &[("file", &cache2.display().to_string())])
    })?;
    Ok(scan.into_found())
}

/// Reads every entry under `cache2/entries` (reached through `fs`) and keeps the
/// targets'.
pub fn scan_dir(
    fs: &crate::confine::Confined,
    count: &crate::stores::ScanCount,
    cache2: &Path,
    targets: &Targets,
) -> std::io::Result<Scan> {
    let entries_dir = cache2.join("entries");
    let is_entry = |n: &[u8]| n.len() == 40 && n.iter().all(u8::is_ascii_hexdigit);
    let mut entries = Vec::new();
    let mut unreadable = Vec::new();
    if let Some(listing) = list_entries_if_any(fs, &entries_dir, is_entry)? {
        let found;
        (found, unreadable) = scan_entries(&listing, count, targets, read_key, parse_key)?;
        entries = found
            .into_iter()
            .map(|(i, key)| {
                let (files, size) = existing_in(&listing, &[listing.name(i).to_os_string()]);
                Entry { size, files, key }
            })
            .collect();
    }
    Ok(Scan {
        entries,
        unreadable,
        index_files: vec![cache2.join("index"), cache2.join("index.log")],
    })
}

/// Parses a Firefox cache2 key: comma-terminated tags (`O<origin attributes>,`, `a,`,
/// `p,`, `~<id>,`; a comma inside a value is doubled) then `:` and the URL.
pub fn parse_key(key: &str) -> Option<CacheKey> {
    let b = key.as_bytes();
    let mut i = 0;
    let mut top_site = None;
    while i < b.len() {
        if b[i] == b':' {
            let url = &key[i + 1..];
            return (!url.is_empty()).then(|| CacheKey {
                url: url.to_string(),
                top_site,
                other_sites: Vec::new(),
            });
        }
        let tag = b[i];
        let mut j = i + 1;
        let mut value = Vec::new();
        loop {
            match b.get(j) {
                None => return None,
                Some(b',') if b.get(j + 1) == Some(&b',') => {
                    value.push(b',');
                    j += 2;
                }
                Some(b',') => break,
                Some(&c) => {
                    value.push(c);
                    j += 1;
                }
            }
        }
        if tag == b'O' {
            top_site = top_level_site_of_origin_attributes(&String::from_utf8_lossy(&value));
        }
        i = j + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::firefox::encode_entry;

    fn name(n: u32) -> String {
        format!("{n:040X}")
    }

    #[test]
    fn firefox_cache_keys() {
        let k = parse_key(
            "O^partitionKey=%28https%2Cchatgpt.com%29,a,:https://cdn.oaistatic.com/logo.png",
        )
        .unwrap();
        assert_eq!(k.url, "https://cdn.oaistatic.com/logo.png");
        assert_eq!(k.top_site.as_deref(), Some("https://chatgpt.com"));
        let k = parse_key("a,~1579012345,:https://chatgpt.com/c/1").unwrap();
        assert_eq!(
            (k.url.as_str(), k.top_site),
            ("https://chatgpt.com/c/1", None)
        );
        let k = parse_key(":http://example.org/").unwrap();
        assert_eq!(k.url, "http://example.org/");
        let k = parse_key("O^firstPartyDomain=a,,b,p,:https://x.org/").unwrap();
        assert_eq!(k.top_site.as_deref(), Some("a,b"));
        assert_eq!(parse_key("a,"), None);
        assert_eq!(parse_key("Ounterminated"), None);
        let t = Targets::default();
        let m = |key: &str| t.matches_cache_key(&parse_key(key).unwrap());
        assert!(m(
            "O^partitionKey=%28https%2Cchatgpt.com%29,:https://cdn.oaistatic.com/logo.png"
        ));
        assert!(m(":https://auth.openai.com/"));
        assert!(!m(
            "O^partitionKey=%28https%2Cexample.org%29,:https://cdn.oaistatic.com/logo.png"
        ));
        assert!(!m(":https://notchatgpt.com/?https://chatgpt.com"));
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

        let scan = scan_dir(
            &Default::default(),
            &Default::default(),
            dir.path(),
            &Targets::default(),
        )
        .unwrap();
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
