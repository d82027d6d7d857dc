//! Safari's HTTP cache, WebKit's "NetworkCache" (`WebKitCache/Version 17/`): finds its
//! record files and reads the key (partition, type, URL) stored in each one. Format from
//! WebKit's `Source/WebKit/NetworkProcess/cache/NetworkCacheStorage.{h,cpp}`
//! (`RecordMetaData`, `encodeRecordMetaData`, `decodeRecordMetaData`,
//! `recordDirectoryPathForKey`, `blobSuffix`), `NetworkCacheKey.cpp` and
//! `NetworkCacheCoders.cpp` (`Coder<Key>`), `NetworkCacheData.cpp` (`computeSHA1`, salt),
//! and `Source/WTF/wtf/persistence/Persistent{Encoder,Decoder,Coders}.{h,cpp}`.
//!
//! Layout of a cache directory:
//!
//! ```text
//! WebKitCache/Version 17/salt                          8 random bytes
//! WebKitCache/Version 17/Records/<P>/<type>/<H>        a record (this module reads these)
//! WebKitCache/Version 17/Records/<P>/<type>/<H>-blob   hard link to the body in Blobs/
//! WebKitCache/Version 17/Blobs/<sha1>                  bodies over 16 KiB, shared
//! ```
//!
//! `<P>` is the upper-case hex SHA-1 of (salt, partition), `<H>` the one of (salt,
//! partition, type, URL, range), `<type>` is `Resource` for HTTP responses (also
//! `SubResources` for the speculative loader's lists, `CompressionDictionary`).
//! WebKit deletes a `Blobs/` file on its next synchronisation once no `-blob` link to it
//! is left (`BlobStorage::synchronize`: link count 1), so removing a record's
//! [`record_parts`] is enough.
//!
//! A record is the encoded metadata, then the response header, then (when inline) the
//! body. The metadata is written with `WTF::Persistence::Encoder`: integers, doubles and
//! bools are stored raw in native byte order (little-endian on every Apple platform),
//! no padding, in this order:
//!
//! | field | encoding |
//! |---|---|
//! | cacheStorageVersion | u32 (16 or 17, see below) |
//! | key.partition | String |
//! | key.type | String |
//! | key.identifier | String (the URL) |
//! | key.range | String (null unless the request had a `Range` header) |
//! | key.hash | 20 bytes, SHA-1 |
//! | key.partitionHash | 20 bytes, SHA-1 |
//! | timeStamp | f64 seconds since the Unix epoch (`WallTime`) |
//! | headerHash | 20 bytes, SHA-1 of (salt, header) |
//! | headerSize | u64 |
//! | bodyHash | 20 bytes, SHA-1 of (salt, body) |
//! | bodySize | u64 |
//! | isBodyInline | bool, one byte |
//! | checksum | 20 bytes, see below |
//!
//! A `String` is a u32 length in characters (`0xFFFF_FFFF` for the null string, then
//! nothing more), a bool `is8Bit`, then the characters: one Latin-1 byte each, or two
//! bytes (UTF-16LE) each when not 8-bit. The checksum is the SHA-1 of, for every value
//! encoded before it, a u32 "type salt" followed by the value's bytes (salts: bool 3,
//! u32 11, u64 13, f64 29, raw bytes such as string characters and digests 101, even
//! when empty); it does not involve the cache's salt, so it can be verified here. The
//! header and body hashes and both key hashes are salted with `Version N/salt` and are
//! not verified here.
//!
//! Sources (repository, path, revision):
//! - layout and version 17: `WebKit/WebKit` `NetworkCacheStorage.h` @ 06dcb620a8a9
//!   (2024, `version = 17`) and `szewai/WebKit` (a 2025 mirror) `NetworkCacheStorage.h`
//!   / `.cpp` @ 8821409d12da (`version = 17`, same `RecordMetaData` as below);
//! - the same `RecordMetaData` encode/decode in `WebKit/WebKit`
//!   `NetworkCacheStorage.cpp` @ 3cea9ff347de (2019) and in the `Span` era (~2022);
//!   `NetworkCacheStorage.h` with `version = 16` (~2020) has the same `Record` (with
//!   `WallTime`) and `encodeRecord`, so 16 and 17 are accepted;
//! - `Coder<Key>` (partition, type, identifier, range, hash, partitionHash):
//!   `WebKit/WebKit` `NetworkCacheCoders.cpp` @ 0c765655518c;
//! - `Coder<String>`, `Coder<SHA1::Digest>`, `Coder<WallTime>`: `WebKit/WebKit`
//!   `Source/WTF/wtf/persistence/PersistentCoders.cpp` @ d71fbc389666 and a later
//!   `std::span` revision (same format);
//! - checksum and type salts: `PersistentEncoder.cpp` @ 73d6d8ce024c,
//!   `PersistentEncoder.h` @ 71795ccc4c0e, `PersistentDecoder.cpp` @ 73d6d8ce024c;
//! - salted SHA-1 and the 8-byte salt: `NetworkCacheData.cpp` @ 664d31d137e0.
//!
//! Safari (macOS 10.14+, sandboxed) keeps this directory at
//! `~/Library/Containers/com.apple.Safari/Data/Library/Caches/com.apple.Safari/WebKitCache/`;
//! older, unsandboxed Safari used `~/Library/Caches/com.apple.Safari/WebKitCache/`.

use std::ffi::OsString;

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::confine::Confined;
use crate::stores::entry_scan::cache_item;
use crate::stores::{Category, Found, ItemKey, Removal, ScanOptions, Shape, StoreKind, Unreadable};
use crate::targets::{CacheKey, Targets};

/// Safari's WebKit network cache directory (`WebKitCache`).
pub static KIND: StoreKind = StoreKind {
    id: "safari_web_kit_cache",
    label: "cache",
    category: Category::Cache,
    shape: Shape::Dir,
    read: scan,
};

/// The reader of a `WebKitCache` directory: the records whose URL or partition is a
/// target's, removed file by file.
pub fn scan(dir: &Path, targets: &Targets, opts: &ScanOptions) -> anyhow::Result<Found> {
    let fs = &opts.fs;
    let files = record_files_in(fs, dir).with_context(|| {
        crate::i18n::ta("err-could-list", &[("file", &dir.display().to_string())])
    })?;
    let mut items = Vec::new();
    let mut unreadable = Vec::new();
    for file in files {
        let key = fs
            .open_file(&file)
            .map_err(|e| e.to_string())
            .and_then(record_key_of);
        match key {
            Ok(key) => {
                // The partition is the top-level site's registrable domain.
                let top = (!key.partition.is_empty()).then_some(key.partition);
                let cache_key = CacheKey {
                    url: key.identifier,
                    top_site: top,
                    other_sites: Vec::new(),
                };
                if targets.matches_cache_key(&cache_key) {
                    let (parts, size) = existing_in(fs, vec![file.clone(), blob_of(&file)]);
                    items.push(cache_item(cache_key, Some(size), ItemKey::Files(parts)));
                }
            }
            Err(reason) => unreadable.push(Unreadable { file, reason }),
        }
    }
    // WebKit re-reads `Records/` when it starts; there is no index to remove.
    Ok(Found {
        items,
        removal: Removal::CacheFiles {
            index_files: Vec::new(),
        },
        unreadable,
    })
}

/// `Storage::version` in current WebKit: the `Version N` directory it writes.
pub const VERSION: u32 = 17;
/// Versions whose record metadata has the layout read here.
const KNOWN_VERSIONS: [u32; 2] = [16, 17];
/// At most this much of a record is read: its metadata (the key) comes first and URLs
/// are far shorter. The rest is only checked against the file's length.
const METADATA_READ_LIMIT: u64 = 1 << 20;
/// Encoded length of the null `String`.
pub(crate) const NULL_STRING: u32 = u32::MAX;
pub(crate) const DIGEST: usize = 20;
pub(crate) const BLOB_SUFFIX: &str = "-blob";

// `WTF::Persistence::Encoder::Salt<T>::value`, mixed into the metadata checksum.
pub(crate) const SALT_BOOL: u32 = 3;
pub(crate) const SALT_U32: u32 = 11;
pub(crate) const SALT_U64: u32 = 13;
pub(crate) const SALT_F64: u32 = 29;
pub(crate) const SALT_BYTES: u32 = 101;

/// The key of one cache record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordKey {
    /// The cache partition: the registrable domain (eTLD+1, lower-case host, no scheme
    /// or port) of the top-level page the resource was loaded for, e.g. `chatgpt.com`
    /// for anything loaded by a page on `chatgpt.com` or `auth.chatgpt.com`
    /// (`ResourceRequestBase::partitionName` = `topPrivatelyControlledDomain` of
    /// `topOrigin().domainForCachePartition()`). Empty when the load was not partitioned
    /// (a null partition in the file is also read as empty).
    pub partition: String,
    /// The record type, the directory under the partition hash: `Resource` for HTTP
    /// responses, `SubResources` for the speculative loader's lists of a page's
    /// subresources, `CompressionDictionary`, ...
    pub kind: String,
    /// The resource URL as WebKit serialises it (`URL::string()`, without the fragment
    /// in current WebKit), e.g. `https://chatgpt.com/backend-api/me`. For `SubResources`
    /// records it is the URL of the page.
    pub identifier: String,
}

/// Reads the key stored in one record file; Err(reason) for anything truncated, of an
/// unknown version, or inconsistent (never panics, never allocates more than the file
/// size). Checks the metadata checksum and that the header (and inline body) sizes
/// account for the file's length; the salted hashes are not checked.
pub fn read_record_key(path: &Path) -> Result<RecordKey, String> {
    record_key_of(
        crate::fsutil::open_file(&crate::confine::Confined::default(), path)
            .map_err(|e| e.to_string())?,
    )
}

/// The key of the opened record `file` (see [`read_record_key`]).
fn record_key_of(file: std::fs::File) -> Result<RecordKey, String> {
    let meta = file.metadata().map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file".to_string());
    }
    let len = meta.len();
    let want = len.min(METADATA_READ_LIMIT);
    // `want` is at most 1 MiB, so the conversion is lossless.
    let mut buf = Vec::with_capacity(want as usize);
    file.take(want)
        .read_to_end(&mut buf)
        .map_err(|e| e.to_string())?;
    let meta = decode_metadata(&buf)?;
    let header_end = meta
        .header_offset
        .checked_add(meta.header_size)
        .ok_or_else(|| format!("header size {} overflows", meta.header_size))?;
    if meta.body_inline {
        let end = header_end
            .checked_add(meta.body_size)
            .ok_or_else(|| format!("body size {} overflows", meta.body_size))?;
        if end != len {
            return Err(format!(
                "metadata, header ({} bytes) and inline body ({} bytes) make {end} bytes, the file has {len}",
                meta.header_size, meta.body_size
            ));
        }
    } else if header_end > len {
        return Err(format!(
            "header of {} bytes at {} runs past the end ({len} bytes)",
            meta.header_size, meta.header_offset
        ));
    }
    Ok(meta.key)
}

/// Every record file under a `WebKitCache` dir (all `Version N/Records/*/*/*` files that
/// are not `-blob` files), sorted. Only real directories and regular files count
/// (symbolic links are skipped, as WebKit's traversal does); a `Version N` directory
/// without `Records` is skipped.
pub fn record_files(webkit_cache: &Path) -> std::io::Result<Vec<PathBuf>> {
    record_files_in(&Confined::default(), webkit_cache)
}

/// [`record_files`], every directory reached through `fs`.
fn record_files_in(fs: &Confined, webkit_cache: &Path) -> std::io::Result<Vec<PathBuf>> {
    let subdirs = |dir: &Path| -> std::io::Result<Vec<PathBuf>> {
        Ok(fs
            .list(dir)?
            .into_iter()
            .filter(|e| e.is_dir)
            .map(|e| dir.join(e.name))
            .collect())
    };
    let mut out = Vec::new();
    for version in subdirs(webkit_cache)? {
        if !is_version_dir_name(&version) {
            continue;
        }
        let records = version.join("Records");
        let partitions = match subdirs(&records) {
            Ok(dirs) => dirs,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        for partition in partitions {
            for kind in subdirs(&partition)? {
                for entry in fs.list(&kind)? {
                    if !entry.is_file || entry.name.to_string_lossy().ends_with(BLOB_SUFFIX) {
                        continue;
                    }
                    out.push(kind.join(entry.name));
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The files that make up a record: the record itself and its `-blob` sibling if
/// present. (The shared `Blobs/<sha1>` file the sibling is linked to is left to WebKit,
/// which deletes it once no record links to it.)
pub fn record_parts(record: &Path) -> Vec<PathBuf> {
    let mut parts = vec![record.to_path_buf()];
    let blob = blob_of(record);
    if std::fs::symlink_metadata(&blob).is_ok() {
        parts.push(blob);
    }
    parts
}

/// The `-blob` sibling a record may have.
fn blob_of(record: &Path) -> PathBuf {
    let mut blob: OsString = record.as_os_str().to_owned();
    blob.push(BLOB_SUFFIX);
    PathBuf::from(blob)
}

fn is_version_dir_name(dir: &Path) -> bool {
    dir.file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_prefix("Version "))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The candidates that exist (not following symlinks, reached through `fs`) and their
/// total size.
fn existing_in(fs: &Confined, candidates: Vec<PathBuf>) -> (Vec<PathBuf>, u64) {
    let mut files = Vec::new();
    let mut size = 0;
    for path in candidates {
        if let Ok(meta) = fs.metadata(&path) {
            size += meta.len();
            files.push(path);
        }
    }
    (files, size)
}

struct Metadata {
    key: RecordKey,
    header_offset: u64,
    header_size: u64,
    body_size: u64,
    body_inline: bool,
}

fn decode_metadata(buf: &[u8]) -> Result<Metadata, String> {
    let mut dec = Decoder::new(buf);
    let version = dec.u32("version")?;
    if !KNOWN_VERSIONS.contains(&version) {
        return Err(format!("unknown cache storage version {version}"));
    }
    let partition = dec.string("partition")?.unwrap_or_default();
    let kind = dec.string("type")?.unwrap_or_default();
    let identifier = dec
        .string("identifier")?
        .ok_or_else(|| "null identifier".to_string())?;
    dec.string("range")?;
    dec.digest("key hash")?;
    dec.digest("partition hash")?;
    dec.f64("timestamp")?;
    dec.digest("header hash")?;
    let header_size = dec.u64("header size")?;
    dec.digest("body hash")?;
    let body_size = dec.u64("body size")?;
    let body_inline = dec.bool("isBodyInline")?;
    dec.verify_checksum()?;
    Ok(Metadata {
        key: RecordKey {
            partition,
            kind,
            identifier,
        },
        header_offset: dec.pos as u64,
        header_size,
        body_size,
        body_inline,
    })
}

/// `WTF::Persistence::Decoder` over a byte slice; every read is bounds-checked first.
struct Decoder<'a> {
    buf: &'a [u8],
    pos: usize,
    sha: Sha1,
}

impl<'a> Decoder<'a> {
    fn new(buf: &'a [u8]) -> Self {
        Decoder {
            buf,
            pos: 0,
            sha: Sha1::new(),
        }
    }

    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], String> {
        let left = self.buf.len() - self.pos;
        if n > left {
            return Err(format!(
                "truncated: {what} needs {n} bytes at offset {}, {left} left",
                self.pos
            ));
        }
        let bytes = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(bytes)
    }

    fn number<const N: usize>(&mut self, salt: u32, what: &str) -> Result<[u8; N], String> {
        let bytes = self.take(N, what)?;
        self.sha.update(&salt.to_le_bytes());
        self.sha.update(bytes);
        let mut out = [0u8; N];
        out.copy_from_slice(bytes);
        Ok(out)
    }

    fn u32(&mut self, what: &str) -> Result<u32, String> {
        self.number(SALT_U32, what).map(u32::from_le_bytes)
    }

    fn u64(&mut self, what: &str) -> Result<u64, String> {
        self.number(SALT_U64, what).map(u64::from_le_bytes)
    }

    fn f64(&mut self, what: &str) -> Result<f64, String> {
        self.number(SALT_F64, what).map(f64::from_le_bytes)
    }

    fn bool(&mut self, what: &str) -> Result<bool, String> {
        match self.number::<1>(SALT_BOOL, what)? {
            [0] => Ok(false),
            [1] => Ok(true),
            [b] => Err(format!("{what}: {b} is not a bool")),
        }
    }

    fn fixed(&mut self, n: usize, what: &str) -> Result<&'a [u8], String> {
        let bytes = self.take(n, what)?;
        self.sha.update(&SALT_BYTES.to_le_bytes());
        self.sha.update(bytes);
        Ok(bytes)
    }

    fn digest(&mut self, what: &str) -> Result<(), String> {
        self.fixed(DIGEST, what).map(drop)
    }

    /// `Coder<String>::decode`; `None` for the null string. The length is checked
    /// against the bytes left before anything is allocated.
    fn string(&mut self, what: &str) -> Result<Option<String>, String> {
        let len = self.u32(what)?;
        if len == NULL_STRING {
            return Ok(None);
        }
        let is_8bit = self.bool(what)?;
        let size = if is_8bit {
            u64::from(len)
        } else {
            u64::from(len) * 2
        };
        let left = (self.buf.len() - self.pos) as u64;
        if size > left {
            return Err(format!(
                "{what}: string of {len} characters needs {size} bytes at offset {}, {left} left",
                self.pos
            ));
        }
        // `size <= left`, so it fits in usize.
        let bytes = self.fixed(size as usize, what)?;
        Ok(Some(if is_8bit {
            bytes.iter().map(|&b| char::from(b)).collect()
        } else {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|p| u16::from_le_bytes([p[0], p[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }))
    }

    /// `verifyChecksum`: the SHA-1 of everything decoded so far must follow.
    fn verify_checksum(&mut self) -> Result<(), String> {
        let computed = std::mem::take(&mut self.sha).finish();
        let saved = self.take(DIGEST, "checksum")?;
        if saved != computed {
            return Err("metadata checksum mismatch".to_string());
        }
        Ok(())
    }
}

/// SHA-1, as WebKit uses it for checksums, hashes and file names (the `sha1` crate).
#[derive(Clone, Default)]
pub(crate) struct Sha1(sha1::Sha1);

impl Sha1 {
    pub(crate) fn new() -> Self {
        Sha1::default()
    }

    pub(crate) fn update(&mut self, data: &[u8]) {
        sha1::Digest::update(&mut self.0, data);
    }

    pub(crate) fn finish(self) -> [u8; DIGEST] {
        sha1::Digest::finalize(self.0).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::webkit_cache::*;

    fn sha1_hex(data: &[u8]) -> String {
        let mut sha = Sha1::new();
        sha.update(data);
        hex_upper(&sha.finish())
    }

    fn write(path: &Path, bytes: &[u8]) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    #[test]
    fn sha1_known_answers() {
        assert_eq!(sha1_hex(b""), "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709");
        assert_eq!(sha1_hex(b"abc"), "A9993E364706816ABA3E25717850C26C9CD0D89D");
        assert_eq!(
            sha1_hex(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "84983E441C3BD26EBAAE4AA1F95129E5E54670F1"
        );
        assert_eq!(
            sha1_hex(&vec![b'a'; 1_000_000]),
            "34AA973CD4C4DAA4F61EEB2BDBAD27316534016F"
        );
    }

    #[test]
    fn round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let cases = [
            (
                "chatgpt.com",
                "Resource",
                "https://chatgpt.com/backend-api/me",
            ),
            ("openai.com", "SubResources", "https://openai.com/"),
            ("", "Resource", "https://cdn.example/x.js"),
            ("example.com", "Resource", "https://example.com/caf\u{e9}"),
            (
                "example.com",
                "Resource",
                "https://example.com/\u{65e5}\u{672c}",
            ),
        ];
        for (i, (partition, kind, url)) in cases.into_iter().enumerate() {
            let bytes = encode_record(partition, kind, url, b"header bytes", b"<html>body</html>");
            let path = dir.path().join(format!("r{i}"));
            write(&path, &bytes);
            let key = read_record_key(&path).unwrap();
            assert_eq!(
                key,
                RecordKey {
                    partition: partition.to_string(),
                    kind: kind.to_string(),
                    identifier: url.to_string(),
                }
            );
        }
    }

    /// Spells the metadata out field by field, as the table in the module doc (and
    /// iLEAPP's reader of real iOS records) lays it out, and compares.
    #[test]
    fn layout_matches_documented_fields() {
        let salt = [1, 2, 3, 4, 5, 6, 7, 8];
        let bytes = encode_record_with(
            &salt,
            1.7e9,
            "chatgpt.com",
            "Resource",
            "https://chatgpt.com/",
            b"HDR",
            b"BODY",
        );
        let mut want = Vec::new();
        let mut sums = Vec::new(); // what the checksum covers
        let mut put = |salt_value: u32, data: &[u8], want: &mut Vec<u8>| {
            sums.extend_from_slice(&salt_value.to_le_bytes());
            sums.extend_from_slice(data);
            want.extend_from_slice(data);
        };
        put(11, &17u32.to_le_bytes(), &mut want);
        for s in ["chatgpt.com", "Resource", "https://chatgpt.com/"] {
            put(11, &(s.len() as u32).to_le_bytes(), &mut want);
            put(3, &[1], &mut want);
            put(101, s.as_bytes(), &mut want);
        }
        put(11, &[0xFF; 4], &mut want); // null range
        let mut key = b"\x01\x02\x03\x04\x05\x06\x07\x08".to_vec();
        key.extend_from_slice(b"chatgpt.comResourcehttps://chatgpt.com/");
        put(101, &hex_to_bytes(&sha1_hex(&key)), &mut want);
        let mut part = salt.to_vec();
        part.extend_from_slice(b"chatgpt.com");
        put(101, &hex_to_bytes(&sha1_hex(&part)), &mut want);
        put(29, &1.7e9f64.to_le_bytes(), &mut want);
        put(
            101,
            &hex_to_bytes(&sha1_hex(&[&salt[..], b"HDR"].concat())),
            &mut want,
        );
        put(13, &3u64.to_le_bytes(), &mut want);
        put(
            101,
            &hex_to_bytes(&sha1_hex(&[&salt[..], b"BODY"].concat())),
            &mut want,
        );
        put(13, &4u64.to_le_bytes(), &mut want);
        put(3, &[1], &mut want);
        want.extend_from_slice(&hex_to_bytes(&sha1_hex(&sums)));
        want.extend_from_slice(b"HDRBODY");
        assert_eq!(bytes, want);
    }

    fn hex_to_bytes(hex: &str) -> Vec<u8> {
        (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn damaged_records_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let good = encode_record(
            "chatgpt.com",
            "Resource",
            "https://chatgpt.com/",
            b"head",
            b"body",
        );
        let check = |name: &str, bytes: &[u8]| -> String {
            let path = dir.path().join(name);
            write(&path, bytes);
            read_record_key(&path).expect_err(name)
        };

        // Truncated anywhere: inside the metadata, or losing body bytes.
        for cut in [0, 3, 4, 10, 40, good.len() - 10, good.len() - 1] {
            check(&format!("cut{cut}"), &good[..cut]);
        }
        // Bytes appended after an inline body.
        check("longer", &[&good[..], b"x"].concat());

        // Wrong version (checked before anything else, so the stale checksum is moot).
        let mut wrong = good.clone();
        wrong[..4].copy_from_slice(&15u32.to_le_bytes());
        assert!(check("version", &wrong).contains("version 15"));

        // Absurd string length: the partition claims 2^31 characters.
        let mut absurd = good.clone();
        absurd[4..8].copy_from_slice(&0x8000_0000u32.to_le_bytes());
        assert!(check("absurd", &absurd).contains("2147483648 characters"));
        // ... and 2^32 - 2 UTF-16 characters.
        let mut absurd16 = good.clone();
        absurd16[4..8].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
        absurd16[8] = 0;
        check("absurd16", &absurd16);

        // One flipped bit in the URL: the checksum no longer matches.
        let mut flipped = good.clone();
        let at = 4 + 4 + 1 + "chatgpt.com".len() + 4 + 1 + "Resource".len() + 4 + 1 + 3;
        flipped[at] ^= 1;
        assert!(check("flipped", &flipped).contains("checksum"));

        // A bool that is neither 0 nor 1.
        let mut bad_bool = good.clone();
        bad_bool[8] = 7;
        check("bool", &bad_bool);

        // Random garbage, and an empty file.
        let mut seed = 0x1234_5678_9ABC_DEF0u64;
        for i in 0..200 {
            let len = (i * 37) % 700;
            let garbage: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    seed as u8
                })
                .collect();
            check(&format!("garbage{i}"), &garbage);
        }
        // Garbage that starts like a record.
        for i in 0..200 {
            let mut g = good.clone();
            let at = (i * 7919) % g.len();
            g[at] = g[at].wrapping_add(1 + (i as u8 % 250));
            let path = dir.path().join(format!("mutated{i}"));
            write(&path, &g);
            let _ = read_record_key(&path); // must not panic
        }
        // A directory is not a record.
        assert!(read_record_key(dir.path()).is_err());
        assert!(read_record_key(&dir.path().join("missing")).is_err());
    }

    #[test]
    fn blob_records_read_without_their_body() {
        // A record whose body went to Blobs/: metadata + header only, isBodyInline false.
        let salt = [0u8; 8];
        let mut enc = Encoder::default();
        enc.u32(16);
        enc.string(Some("openai.com"));
        enc.string(Some("Resource"));
        enc.string(Some("https://cdn.openai.com/big.js"));
        enc.string(Some("bytes=0-10"));
        enc.bytes(&[0; 20]);
        enc.bytes(&partition_hash(&salt, "openai.com"));
        enc.f64(1.6e9);
        enc.bytes(&salted_sha1(&salt, b"hdr"));
        enc.u64(3);
        enc.bytes(&[9; 20]);
        enc.u64(1 << 20);
        enc.bool(false);
        let mut bytes = enc.finish();
        bytes.extend_from_slice(b"hdr");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rec");
        write(&path, &bytes);
        let key = read_record_key(&path).unwrap();
        assert_eq!(key.partition, "openai.com");
        assert_eq!(key.identifier, "https://cdn.openai.com/big.js");
        // The header must still be there.
        write(&path, &bytes[..bytes.len() - 1]);
        assert!(read_record_key(&path).is_err());
    }

    #[test]
    fn finds_records_and_their_parts() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("WebKitCache");
        let version = cache.join("Version 17");
        write(&version.join("salt"), &[0; 8]);
        let rec = |p: &str, k: &str, url: &str| {
            let path = cache
                .join(record_dir(p, k))
                .join(record_file_name(p, k, url));
            write(&path, &encode_record(p, k, url, b"h", b"b"));
            path
        };
        let a = rec("chatgpt.com", "Resource", "https://chatgpt.com/");
        let b = rec(
            "chatgpt.com",
            "Resource",
            "https://cdn.oaistatic.com/app.js",
        );
        let c = rec("example.com", "SubResources", "https://example.com/");
        let blob = PathBuf::from(format!("{}-blob", b.display()));
        write(&blob, b"big body");
        write(&version.join("Blobs").join("0".repeat(40)), b"big body");
        // An old version directory is listed too; stray files and dirs are not.
        let old = cache.join("Version 16/Records/AB/Resource/CD");
        write(&old, b"old");
        write(&cache.join("Version 16/Records/stray-file"), b"x");
        write(&cache.join("Other/Records/AB/Resource/EF"), b"x");
        std::fs::create_dir_all(cache.join("Version 15")).unwrap(); // no Records

        let mut want = vec![a.clone(), b.clone(), c, old];
        want.sort();
        assert_eq!(record_files(&cache).unwrap(), want);
        assert_eq!(record_parts(&a), vec![a.clone()]);
        assert_eq!(record_parts(&b), vec![b.clone(), blob]);

        assert!(record_dir("chatgpt.com", "Resource").starts_with("Version 17/Records/"));
        assert!(record_dir("chatgpt.com", "Resource").ends_with("/Resource"));
        assert_ne!(
            record_dir("chatgpt.com", "Resource"),
            record_dir("openai.com", "Resource")
        );
        assert_eq!(
            record_dir("chatgpt.com", "Resource").len(),
            "Version 17/Records/".len() + 40 + "/Resource".len()
        );
        assert!(record_files(&dir.path().join("missing")).is_err());
    }
}
