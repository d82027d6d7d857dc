//! Writers of WebKit's network-cache records, for tests and sample homes only (built
//! with the `test-support` feature): faithful records in the format WebKit writes.

use crate::stores::safari::webkit_cache::{
    Sha1, DIGEST, NULL_STRING, SALT_BOOL, SALT_BYTES, SALT_F64, SALT_U32, SALT_U64, VERSION,
};

/// Stands in for the cache's random `salt` file when computing hashes: the real salt is
/// per cache directory, so hashes computed here only match a cache whose salt is this.
pub const PLACEHOLDER_SALT: [u8; 8] = [0; 8];

/// Builds a record file's bytes for a key (tests and sample homes use it): a faithful
/// record in the format WebKit writes (metadata with the key, timestamp, header/body
/// hashes and sizes, checksum as WebKit computes it if it has one), with `header` and an
/// inline `body`. The range is null (no `Range` header) and the timestamp is now. The
/// salted hashes (key hash, partition hash, header and body hashes) use an all-zero
/// placeholder salt, so they match a cache whose `salt` file is 8 zero bytes (see
/// [`record_dir`] and [`record_file_name`]).
pub fn encode_record(
    partition: &str,
    kind: &str,
    identifier: &str,
    header: &[u8],
    body: &[u8],
) -> Vec<u8> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0);
    encode_record_with(
        &PLACEHOLDER_SALT,
        now,
        partition,
        kind,
        identifier,
        header,
        body,
    )
}

/// The directory (relative to `WebKitCache`) WebKit would put a record with this key in,
/// e.g. `Version 17/Records/<partition hash hex>/Resource`. The partition hash is
/// salted with the cache's random 8-byte `Version 17/salt`, which this function does not
/// have: it uses the all-zero placeholder salt, so the directory matches a cache whose
/// salt file is 8 zero bytes (and the records [`encode_record`] writes), not a real
/// Safari cache. Real record files must be found with [`record_files`] instead.
pub fn record_dir(partition: &str, kind: &str) -> String {
    record_dir_salted(&PLACEHOLDER_SALT, partition, kind)
}

/// The file name (upper-case hex key hash) WebKit would give the record for this key,
/// with no `Range` and the same placeholder salt as [`record_dir`].
pub fn record_file_name(partition: &str, kind: &str, identifier: &str) -> String {
    hex_upper(&key_hash(
        &PLACEHOLDER_SALT,
        partition,
        kind,
        identifier,
        None,
    ))
}

/// [`record_dir`] for a given salt (the bytes of `Version N/salt`).
pub fn record_dir_salted(salt: &[u8], partition: &str, kind: &str) -> String {
    format!(
        "Version {VERSION}/Records/{}/{kind}",
        hex_upper(&partition_hash(salt, partition))
    )
}

pub fn encode_record_with(
    salt: &[u8],
    timestamp: f64,
    partition: &str,
    kind: &str,
    identifier: &str,
    header: &[u8],
    body: &[u8],
) -> Vec<u8> {
    let mut enc = Encoder::default();
    enc.u32(VERSION);
    enc.string(Some(partition));
    enc.string(Some(kind));
    enc.string(Some(identifier));
    enc.string(None); // range
    enc.bytes(&key_hash(salt, partition, kind, identifier, None));
    enc.bytes(&partition_hash(salt, partition));
    enc.f64(timestamp);
    enc.bytes(&salted_sha1(salt, header));
    enc.u64(header.len() as u64);
    enc.bytes(&salted_sha1(salt, body));
    enc.u64(body.len() as u64);
    enc.bool(true); // isBodyInline
    let mut out = enc.finish();
    out.extend_from_slice(header);
    out.extend_from_slice(body);
    out
}

/// `Key::computeHash`: SHA-1 of the salt then each non-null string's UTF-8 bytes.
///
/// Current WebKit (`hashString` calling `SHA1::addUTF8Bytes`, seen in a late-2024 WebKit
/// derivative) adds no terminator; older WebKit (`WebKit/WebKit` `NetworkCacheKey.cpp`
/// @ d71fbc389666) added a NUL byte after each string. Only the directory and file
/// names depend on this, never the reading.
pub fn key_hash(
    salt: &[u8],
    partition: &str,
    kind: &str,
    identifier: &str,
    range: Option<&str>,
) -> [u8; DIGEST] {
    let mut sha = Sha1::new();
    sha.update(salt);
    for s in [Some(partition), Some(kind), Some(identifier), range]
        .into_iter()
        .flatten()
    {
        sha.update(s.as_bytes());
    }
    sha.finish()
}

/// `Key::computePartitionHash`: SHA-1 of the salt then the partition's UTF-8 bytes.
pub fn partition_hash(salt: &[u8], partition: &str) -> [u8; DIGEST] {
    let mut sha = Sha1::new();
    sha.update(salt);
    sha.update(partition.as_bytes());
    sha.finish()
}

/// `computeSHA1(data, salt)` in `NetworkCacheData.cpp`.
pub fn salted_sha1(salt: &[u8], data: &[u8]) -> [u8; DIGEST] {
    let mut sha = Sha1::new();
    sha.update(salt);
    sha.update(data);
    sha.finish()
}

pub fn hex_upper(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(HEX[usize::from(b >> 4)] as char);
        s.push(HEX[usize::from(b & 15)] as char);
    }
    s
}

/// `WTF::Persistence::Encoder`: values in little-endian byte order, each also fed with
/// its type salt to a running SHA-1 that `finish` appends.
#[derive(Default)]
pub struct Encoder {
    out: Vec<u8>,
    sha: Sha1,
}

impl Encoder {
    pub fn number(&mut self, salt: u32, bytes: &[u8]) {
        self.sha.update(&salt.to_le_bytes());
        self.sha.update(bytes);
        self.out.extend_from_slice(bytes);
    }
    pub fn u32(&mut self, v: u32) {
        self.number(SALT_U32, &v.to_le_bytes());
    }
    pub fn u64(&mut self, v: u64) {
        self.number(SALT_U64, &v.to_le_bytes());
    }
    pub fn f64(&mut self, v: f64) {
        self.number(SALT_F64, &v.to_le_bytes());
    }
    pub fn bool(&mut self, v: bool) {
        self.number(SALT_BOOL, &[u8::from(v)]);
    }
    /// `encodeFixedLengthData`.
    pub fn bytes(&mut self, data: &[u8]) {
        self.number(SALT_BYTES, data);
    }
    /// `Coder<String>`: 8-bit (Latin-1) when every character fits, else UTF-16LE.
    pub fn string(&mut self, s: Option<&str>) {
        let Some(s) = s else {
            self.u32(NULL_STRING);
            return;
        };
        if s.chars().all(|c| u32::from(c) < 256) {
            let latin1: Vec<u8> = s.chars().map(|c| u32::from(c) as u8).collect();
            self.u32(latin1.len() as u32);
            self.bool(true);
            self.bytes(&latin1);
        } else {
            let units: Vec<u16> = s.encode_utf16().collect();
            let bytes: Vec<u8> = units.iter().flat_map(|u| u.to_le_bytes()).collect();
            self.u32(units.len() as u32);
            self.bool(false);
            self.bytes(&bytes);
        }
    }
    /// `encodeChecksum`: the digest is written as fixed-length data.
    pub fn finish(mut self) -> Vec<u8> {
        let digest = std::mem::take(&mut self.sha).finish();
        self.out.extend_from_slice(&digest);
        self.out
    }
}
