//! Writers of Firefox's cache2 entries, for tests and the benchmark only (built with the
//! `test-support` feature).

use crate::stores::firefox::cache2::CHUNK;

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
