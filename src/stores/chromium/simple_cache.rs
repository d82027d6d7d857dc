//! Chromium's simple cache (the HTTP cache on Linux and macOS, and `Code Cache` on every
//! OS). Each entry is `<16 hex>_0` (header, key, stream data), with `_1` and `_s`
//! siblings. The header is u64 magic `0xfcfb6d1ba7725c30`, u32 version, u32 key length,
//! u32 key hash, u32 padding (all little-endian); the key follows at byte 24.
//! The index (`index-dir/the-real-index`) is rebuilt by Chromium from the entry files
//! when it is missing, so removing it after removing entries keeps the cache consistent.

use std::ffi::OsString;
use std::fs::File;
use std::path::Path;

use super::cache_key;
use crate::stores::entry_scan::{
    existing_in, list_entries_noting, read_at, scan_entries, Entry, Scan,
};
use crate::stores::{Found, ScanOptions, Unreadable};
use crate::targets::Targets;

pub const INITIAL_MAGIC: u64 = 0xfcfb_6d1b_a772_5c30;
pub(crate) const HEADER: usize = 24;
/// Chromium refuses URLs over 2 MiB; a longer key means a damaged file.
const MAX_KEY: u32 = 2 * 1024 * 1024 + 1024;
/// Most keys fit in the first read.
const FIRST_READ: usize = 2048;

/// True for `<16 lowercase hex>_0`, the first file of an entry.
fn is_entry_name(name: &[u8]) -> bool {
    name.len() == 18
        && name.ends_with(b"_0")
        && name[..16]
            .iter()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
}

/// The other names of a simple cache: its index, the sibling files of an entry, an entry
/// being deleted (`todelete_<hash>`), and what tools and file systems leave (dot files).
fn is_known_name(name: &[u8]) -> bool {
    let hex = |b: &[u8]| !b.is_empty() && b.iter().all(u8::is_ascii_hexdigit);
    matches!(name, b"index" | b"index-dir")
        || name.starts_with(b".")
        || name.strip_prefix(b"todelete_").is_some_and(hex)
        || (name.len() == 18 && hex(&name[..16]) && matches!(&name[16..], b"_0" | b"_1" | b"_s"))
}

/// Appends the key of the entry whose `_0` file is `path` to `out`.
pub fn read_key_into(path: &Path, out: &mut Vec<u8>) -> Result<(), String> {
    let file = crate::fsutil::open_file(&crate::confine::Confined::default(), path)
        .map_err(|e| e.to_string())?;
    read_key(&file, out)
}

/// Appends the key of the entry whose opened `_0` file is `file` to `out`.
pub fn read_key(file: &File, out: &mut Vec<u8>) -> Result<(), String> {
    let mut buf = [0u8; FIRST_READ];
    let n = read_at(file, 0, &mut buf, HEADER).map_err(|e| e.to_string())?;
    if n < HEADER {
        return Err(format!(
            "truncated: {n} bytes, shorter than the 24-byte header"
        ));
    }
    let magic = u64::from_le_bytes(buf[0..8].try_into().unwrap_or_default());
    if magic != INITIAL_MAGIC {
        return Err(format!("not a simple-cache entry (magic {magic:#018x})"));
    }
    let key_len = u32::from_le_bytes(buf[12..16].try_into().unwrap_or_default());
    if key_len == 0 || key_len > MAX_KEY {
        return Err(format!("absurd key length {key_len}"));
    }
    let key_len = key_len as usize;
    if HEADER + key_len <= n {
        out.extend_from_slice(&buf[HEADER..HEADER + key_len]);
    } else {
        let have = n - HEADER;
        out.extend_from_slice(&buf[HEADER..n]);
        out.resize(key_len, 0);
        let got =
            read_at(file, n as u64, &mut out[have..], key_len - have).map_err(|e| e.to_string())?;
        if have + got < key_len {
            return Err(format!("truncated: the {key_len}-byte key does not fit"));
        }
    }
    Ok(())
}

/// The reader of a simple-cache directory: its target entries, removed file by file,
/// then the index.
pub fn scan(dir: &Path, targets: &Targets, opts: &ScanOptions) -> anyhow::Result<Found> {
    use anyhow::Context;
    let scan = scan_dir(&opts.fs, &opts.count, dir, targets).with_context(|| {
        crate::i18n::ta("err-could-list", &[("file", &dir.display().to_string())])
    })?;
    Ok(scan.into_found())
}

/// Reads every entry of the simple cache in `dir` (reached through `fs`) and keeps the
/// targets'.
pub fn scan_dir(
    fs: &crate::confine::Confined,
    count: &crate::stores::ScanCount,
    dir: &Path,
    targets: &Targets,
) -> std::io::Result<Scan> {
    let listing = list_entries_noting(fs, dir, is_entry_name, is_known_name)?;
    let (found, mut unreadable) =
        scan_entries(&listing, count, targets, read_key, cache_key::parse)?;
    if !listing.foreign.is_empty() {
        let names: Vec<String> = listing
            .foreign
            .iter()
            .map(|n| n.to_string_lossy().into_owned())
            .collect();
        unreadable.push(Unreadable {
            file: dir.to_path_buf(),
            reason: crate::i18n::ta(
                "reason-cache-layout-unknown",
                &[("names", &names.join(", "))],
            ),
        });
    }
    let entries = found
        .into_iter()
        .map(|(i, key)| {
            // `<stem>_0` → its siblings `<stem>_1` and `<stem>_s` (names are ASCII).
            let first = listing.name_bytes(i);
            let stem = String::from_utf8_lossy(&first[..first.len() - 2]);
            let names = ["_0", "_1", "_s"].map(|s| OsString::from(format!("{stem}{s}")));
            let (files, size) = existing_in(&listing, &names);
            Entry { size, key, files }
        })
        .collect();
    Ok(Scan {
        entries,
        unreadable,
        index_files: vec![dir.join("index-dir").join("the-real-index")],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::chromium::encode_entry;

    #[test]
    fn reads_keys_and_reports_damaged_entries() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let ok = "1/0/_dk_https://chatgpt.com https://chatgpt.com https://cdn.oaistatic.com/x.js";
        std::fs::write(d.join("0000000000000001_0"), encode_entry(ok, b"body")).unwrap();
        std::fs::write(d.join("0000000000000001_1"), b"stream2").unwrap();
        let long = format!(
            "1/0/_dk_https://example.org https://example.org https://auth.openai.com/{}",
            "a".repeat(5000)
        );
        std::fs::write(d.join("0000000000000002_0"), encode_entry(&long, b"")).unwrap();
        let other = "1/0/_dk_https://example.org https://example.org https://example.org/a.js";
        std::fs::write(d.join("0000000000000003_0"), encode_entry(other, b"")).unwrap();
        std::fs::write(d.join("0000000000000004_0"), &encode_entry(ok, b"")[..30]).unwrap();
        let mut bad_magic = encode_entry(ok, b"");
        bad_magic[0] ^= 1;
        std::fs::write(d.join("0000000000000005_0"), bad_magic).unwrap();
        let mut absurd = encode_entry(ok, b"");
        absurd[12..16].copy_from_slice(&u32::MAX.to_le_bytes());
        std::fs::write(d.join("0000000000000006_0"), absurd).unwrap();
        std::fs::write(d.join("0000000000000007_0"), b"short").unwrap();
        std::fs::write(d.join("index"), b"fake index").unwrap();
        std::fs::write(d.join("not-an-entry_0"), b"x").unwrap();

        let scan = scan_dir(
            &Default::default(),
            &Default::default(),
            d,
            &Targets::default(),
        )
        .unwrap();
        let urls: Vec<_> = scan.entries.iter().map(|e| e.key.url.clone()).collect();
        assert_eq!(
            urls,
            [
                "https://cdn.oaistatic.com/x.js".to_string(),
                format!("https://auth.openai.com/{}", "a".repeat(5000))
            ]
        );
        assert_eq!(
            scan.entries[0].files,
            [d.join("0000000000000001_0"), d.join("0000000000000001_1")]
        );
        assert_eq!(
            scan.entries[0].size,
            (encode_entry(ok, b"body").len() + 7) as u64
        );
        let bad: Vec<_> = scan
            .unreadable
            .iter()
            .map(|u| {
                (
                    u.file.file_name().unwrap().to_str().unwrap().to_string(),
                    u.reason.split(' ').next().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            bad,
            [
                ("0000000000000004_0".to_string(), "truncated:".to_string()),
                ("0000000000000005_0".to_string(), "not".to_string()),
                ("0000000000000006_0".to_string(), "absurd".to_string()),
                ("0000000000000007_0".to_string(), "truncated:".to_string()),
                (
                    d.file_name().unwrap().to_str().unwrap().to_string(),
                    "files".to_string()
                ),
            ]
        );
        // The one name a simple cache does not hold is named, so the user sees why.
        assert!(scan.unreadable[4].reason.contains("not-an-entry_0"));
    }
}
