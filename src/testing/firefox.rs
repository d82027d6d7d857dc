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

/// One `serviceworker.txt` v12 registration record as Firefox writes it, with `expandos`
/// key/value pairs.
pub fn service_worker_record(suffix: &str, scope: &str, expandos: &[(&str, &str)]) -> String {
    let mut s = format!(
        "{suffix}\n{scope}\n{scope}sw.js\ntrue\n{{6b1c5a36-4f1e-4b8e-9f7e-2a0b8c1d3e4f}}\n0\n1733000000000000\n1733000000000001\n1733000000000002\n0\ntrue\n{:x}\n",
        expandos.len()
    );
    for (k, v) in expandos {
        s.push_str(&format!("{k}\n{v}\n"));
    }
    s.push_str("0\nfalse\n0\n0\n#\n");
    s
}
