//! Writers of Chromium's cache formats, for tests and the benchmark only (built with the
//! `test-support` feature): simple-cache entries and a small blockfile cache.

use std::path::Path;

use crate::stores::chromium::blockfile::{BLOCK_HEADER, ENTRY_KEY_AT, INDEX_HEADER, INDEX_MAGIC};
use crate::stores::chromium::simple_cache::{HEADER, INITIAL_MAGIC};

/// Builds an entry file in the documented layout (tests and the benchmark use it).
pub fn encode_entry(key: &str, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER + key.len() + body.len() + 24);
    out.extend_from_slice(&INITIAL_MAGIC.to_le_bytes());
    out.extend_from_slice(&5u32.to_le_bytes());
    out.extend_from_slice(&(key.len() as u32).to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(body);
    // SimpleFileEOF: final magic, flags, crc, stream size, padding.
    out.extend_from_slice(&0xf4fa_6f45_970d_41d8u64.to_le_bytes());
    out.extend_from_slice(&[0u8; 16]);
    out
}

/// The entry file name Chromium gives a key: the first 8 bytes of its SHA-1, read as a
/// little-endian u64, in hex. Only tests and the benchmark need exact names; any
/// `<16 hex>_0` name is read.
pub fn entry_stem(n: u64) -> String {
    format!("{n:016x}")
}

/// Writes a small blockfile cache holding `keys`, in the documented layout: tests use
/// it, since no blockfile cache can be produced on Linux.
pub fn write_sample(dir: &Path, keys: &[&str]) -> std::io::Result<()> {
    let table_len: u32 = 8;
    let mut data1 = vec![0u8; BLOCK_HEADER as usize];
    data1[0..4].copy_from_slice(&0xC104_CAC3u32.to_le_bytes());
    let mut table = vec![0u32; table_len as usize];
    let mut next_block = 0u32;
    let mut external = 0u32;
    let mut slots: Vec<Vec<(u32, Vec<u8>)>> = vec![Vec::new(); table_len as usize];
    for (i, key) in keys.iter().enumerate() {
        let inline = ENTRY_KEY_AT + key.len() < 4 * 256;
        let blocks = if inline {
            (ENTRY_KEY_AT + key.len()).div_ceil(256) as u32
        } else {
            1
        };
        let addr = 0x8000_0000 | (2 << 28) | ((blocks - 1) << 24) | (1 << 16) | next_block;
        next_block += blocks;
        let mut entry = vec![0u8; blocks as usize * 256];
        entry[32..36].copy_from_slice(&(key.len() as u32).to_le_bytes());
        if inline {
            entry[ENTRY_KEY_AT..ENTRY_KEY_AT + key.len()].copy_from_slice(key.as_bytes());
        } else {
            external += 1;
            entry[36..40].copy_from_slice(&(0x8000_0000 | external).to_le_bytes());
            std::fs::write(dir.join(format!("f_{external:06x}")), key.as_bytes())?;
        }
        slots[i % table_len as usize].push((addr, entry));
    }
    for (slot, chain) in slots.iter_mut().enumerate() {
        for j in 0..chain.len() {
            let next = chain.get(j + 1).map_or(0, |c| c.0);
            chain[j].1[4..8].copy_from_slice(&next.to_le_bytes());
        }
        if let Some(first) = chain.first() {
            table[slot] = first.0;
        }
        for (addr, entry) in chain.iter() {
            let offset = BLOCK_HEADER as usize + 256 * (addr & 0xffff) as usize;
            if data1.len() < offset + entry.len() {
                data1.resize(offset + entry.len(), 0);
            }
            data1[offset..offset + entry.len()].copy_from_slice(entry);
        }
    }
    let mut index = vec![0u8; INDEX_HEADER as usize];
    index[0..4].copy_from_slice(&INDEX_MAGIC.to_le_bytes());
    index[4..8].copy_from_slice(&0x30000u32.to_le_bytes());
    index[8..12].copy_from_slice(&(keys.len() as u32).to_le_bytes());
    index[28..32].copy_from_slice(&table_len.to_le_bytes());
    for a in table {
        index.extend_from_slice(&a.to_le_bytes());
    }
    std::fs::write(dir.join("index"), index)?;
    std::fs::write(dir.join("data_1"), data1)?;
    for n in [0, 2, 3] {
        let mut h = vec![0u8; BLOCK_HEADER as usize];
        h[0..4].copy_from_slice(&0xC104_CAC3u32.to_le_bytes());
        std::fs::write(dir.join(format!("data_{n}")), h)?;
    }
    Ok(())
}

/// Chromium's `Cookies` schema (version 24), for generated cookie databases.
pub const COOKIES_SCHEMA: &str = "
CREATE TABLE meta(key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR);
INSERT INTO meta VALUES('version','24'),('last_compatible_version','24');
CREATE TABLE cookies(creation_utc INTEGER NOT NULL, host_key TEXT NOT NULL,
  top_frame_site_key TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
  encrypted_value BLOB NOT NULL, path TEXT NOT NULL, expires_utc INTEGER NOT NULL,
  is_secure INTEGER NOT NULL, is_httponly INTEGER NOT NULL, last_access_utc INTEGER NOT NULL,
  has_expires INTEGER NOT NULL, is_persistent INTEGER NOT NULL, priority INTEGER NOT NULL,
  samesite INTEGER NOT NULL, source_scheme INTEGER NOT NULL, source_port INTEGER NOT NULL,
  last_update_utc INTEGER NOT NULL, source_type INTEGER NOT NULL,
  has_cross_site_ancestor INTEGER NOT NULL);
CREATE UNIQUE INDEX cookies_unique_index ON cookies(host_key, top_frame_site_key,
  has_cross_site_ancestor, name, path, source_scheme, source_port);";
