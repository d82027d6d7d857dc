//! Reading a Windows registry hive file (`regf`: a user's `NTUSER.DAT`, a mounted disk's
//! `Windows/System32/config/SOFTWARE`) without Windows: the keys doctor asks for, as the
//! same JSON tree the live registry gives. Read-only and bounded: cells are read where
//! they lie, every offset is checked against the hive's size, and depth and counts are
//! capped, so a damaged or hostile hive is an error, never a panic or a long walk.
//!
//! The format, as documented by Microsoft's "Windows registry file format" notes in
//! libyal's `libregf` (documentation/Windows NT Registry File (REGF) format.asciidoc)
//! and Joachim Metz's and Maxim Suhanov's specifications, which agree on the fields
//! used here: a 4096-byte base block (`regf`, sequence numbers at 4 and 8, the root
//! cell's offset at 36, the hive bins' size at 40), then hive bins (`hbin`) of cells;
//! a cell is an `i32` size (negative when allocated) and its record; offsets are
//! relative to the first hive bin. Records: `nk` (a key), `vk` (a value), `lf`/`lh`/
//! `li`/`ri` (subkey lists), `db` (data over 16344 bytes in segments).
//! (No well-kept crate fits: `nt-hive` is GPL-2.0, `notatin` pulls in a terminal UI,
//! chrono, nom and hashing crates with open-ended versions.)

use std::fs::File;
use std::sync::atomic::Ordering;

use serde_json::{Map, Value};

/// Where the hive bins start: offsets in cells are relative to here.
const BINS: u64 = 4096;
/// Subkeys and values read per key, and the depth below the key asked for: policy keys
/// hold tens of values and nest a few levels.
const MAX_ITEMS: usize = 10_000;
const MAX_DEPTH: usize = 6;
/// The longest value data read (a policy's JSON string is kilobytes).
const MAX_DATA: usize = 1 << 20;
/// A cell's record is at most this long (a hive bin holds cells; bins are at most a few
/// megabytes).
const MAX_CELL: usize = 1 << 24;
/// Cells read for one key asked for: a hostile hive whose lists point back at their own
/// keys stops here rather than walking ten thousand to the sixth.
const MAX_READS: usize = 200_000;

/// Where a hive's bytes come from: an open file, or bytes in memory (tests).
pub enum Bytes {
    File(File),
    #[cfg(test)]
    Memory(Vec<u8>),
}

impl Bytes {
    fn read(&self, offset: u64, len: usize) -> Result<Vec<u8>, String> {
        let mut buf = vec![0u8; len];
        match self {
            Bytes::File(f) => {
                let n = crate::stores::entry_scan::read_at(f, offset, &mut buf, len)
                    .map_err(|e| e.to_string())?;
                if n < len {
                    return Err(format!("ends before offset {}", offset + len as u64));
                }
            }
            #[cfg(test)]
            Bytes::Memory(m) => {
                let start = usize::try_from(offset).map_err(|_| "offset out of range")?;
                let end = start.checked_add(len).ok_or("offset out of range")?;
                let src = m
                    .get(start..end)
                    .ok_or_else(|| format!("ends before offset {end}"))?;
                buf.copy_from_slice(src);
            }
        }
        Ok(buf)
    }
}

/// An open hive.
pub struct Hive {
    bytes: Bytes,
    root: u32,
    /// The end of the hive bins, relative to the first bin.
    size: u64,
    /// The sequence numbers differ: the last write did not finish, and changes sit in the
    /// `.LOG1`/`.LOG2` files beside it, which are not applied here.
    pub dirty: bool,
    reads: std::sync::atomic::AtomicUsize,
}

fn u16_at(b: &[u8], at: usize) -> Result<u16, String> {
    b.get(at..at + 2)
        .map(|s| u16::from_le_bytes([s[0], s[1]]))
        .ok_or_else(|| "record too short".to_string())
}

fn u32_at(b: &[u8], at: usize) -> Result<u32, String> {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
        .ok_or_else(|| "record too short".to_string())
}

impl Hive {
    pub fn open(bytes: Bytes) -> Result<Hive, String> {
        let base = bytes.read(0, 512).map_err(|e| format!("not a hive: {e}"))?;
        if &base[..4] != b"regf" {
            return Err("not a registry hive (no regf signature)".into());
        }
        let dirty = u32_at(&base, 4)? != u32_at(&base, 8)?;
        let root = u32_at(&base, 36)?;
        let size = u64::from(u32_at(&base, 40)?);
        Ok(Hive {
            bytes,
            root,
            size,
            dirty,
            reads: std::sync::atomic::AtomicUsize::new(0),
        })
    }

    /// The record of the cell at `offset` (relative to the first hive bin).
    fn cell(&self, offset: u32) -> Result<Vec<u8>, String> {
        let at = u64::from(offset);
        if self.reads.fetch_add(1, Ordering::Relaxed) >= MAX_READS {
            return Err("too many records under one key: a damaged or looping hive".into());
        }
        if at + 4 > self.size {
            return Err(format!("a cell offset ({offset:#x}) lies outside the hive"));
        }
        let head = self.bytes.read(BINS + at, 4)?;
        let size = i32::from_le_bytes([head[0], head[1], head[2], head[3]]);
        // Allocated cells have a negative size; a free cell is never referenced.
        let len = (size.unsigned_abs() as usize).saturating_sub(4);
        if size >= 0 || len > MAX_CELL || at + 4 + len as u64 > self.size {
            return Err(format!("a damaged cell at offset {offset:#x}"));
        }
        self.bytes.read(BINS + at + 4, len)
    }

    /// The key at `path` (`Software\Policies\Google\Chrome`, case-insensitive as
    /// Windows compares names) as a JSON tree, or `None` when a part is missing.
    pub fn tree(&self, path: &str) -> Result<Option<Value>, String> {
        self.reads.store(0, Ordering::Relaxed);
        let mut key = self.root;
        for part in path.split('\\').filter(|p| !p.is_empty()) {
            match self.subkeys(key)?.into_iter().find(|(name, _)| {
                name.eq_ignore_ascii_case(part) || name.to_lowercase() == part.to_lowercase()
            }) {
                Some((_, sub)) => key = sub,
                None => return Ok(None),
            }
        }
        self.key_json(key, MAX_DEPTH).map(Some)
    }

    fn key_json(&self, key: u32, depth: usize) -> Result<Value, String> {
        let mut map = Map::new();
        for (name, value) in self.values(key)? {
            map.insert(name, value);
        }
        if depth > 0 {
            for (name, sub) in self.subkeys(key)? {
                map.insert(name, self.key_json(sub, depth - 1)?);
            }
        }
        Ok(crate::platform::registry_value(map))
    }

    fn nk(&self, key: u32) -> Result<Vec<u8>, String> {
        let nk = self.cell(key)?;
        if nk.get(..2) != Some(b"nk") {
            return Err(format!("a key record at {key:#x} is damaged"));
        }
        Ok(nk)
    }

    /// The subkeys of `key`: name and cell offset.
    fn subkeys(&self, key: u32) -> Result<Vec<(String, u32)>, String> {
        let nk = self.nk(key)?;
        let count = u32_at(&nk, 20)? as usize;
        if count == 0 {
            return Ok(Vec::new());
        }
        let mut offsets = Vec::new();
        self.list(u32_at(&nk, 28)?, &mut offsets, 0)?;
        offsets
            .into_iter()
            .take(MAX_ITEMS)
            .map(|o| {
                let sub = self.nk(o)?;
                Ok((
                    name(&sub, 76, u16_at(&sub, 72)?, u16_at(&sub, 2)? & 0x20 != 0)?,
                    o,
                ))
            })
            .collect()
    }

    /// The key offsets of a subkey list, following an `ri` index one level down.
    fn list(&self, offset: u32, out: &mut Vec<u32>, depth: usize) -> Result<(), String> {
        let cell = self.cell(offset)?;
        let count = u16_at(&cell, 2)? as usize;
        let (step, nested) = match cell.get(..2) {
            Some(b"lf") | Some(b"lh") => (8, false),
            Some(b"li") => (4, false),
            Some(b"ri") if depth == 0 => (4, true),
            _ => return Err(format!("a subkey list at {offset:#x} is damaged")),
        };
        for i in 0..count.min(MAX_ITEMS) {
            let o = u32_at(&cell, 4 + i * step)?;
            if nested {
                self.list(o, out, depth + 1)?;
            } else {
                out.push(o);
            }
            if out.len() > MAX_ITEMS {
                break;
            }
        }
        Ok(())
    }

    /// The values of `key` that a policy can be: strings, numbers, string lists.
    fn values(&self, key: u32) -> Result<Vec<(String, Value)>, String> {
        let nk = self.nk(key)?;
        let count = (u32_at(&nk, 36)? as usize).min(MAX_ITEMS);
        if count == 0 {
            return Ok(Vec::new());
        }
        let list = self.cell(u32_at(&nk, 40)?)?;
        let mut out = Vec::new();
        for i in 0..count {
            let vk = self.cell(u32_at(&list, i * 4)?)?;
            if vk.get(..2) != Some(b"vk") {
                return Err("a value record is damaged".into());
            }
            let value_name = name(&vk, 20, u16_at(&vk, 2)?, u16_at(&vk, 16)? & 1 != 0)?;
            let data = self.data(&vk)?;
            if let Some(v) = decode(u32_at(&vk, 12)?, &data) {
                out.push((value_name, v));
            }
        }
        Ok(out)
    }

    fn data(&self, vk: &[u8]) -> Result<Vec<u8>, String> {
        let raw = u32_at(vk, 4)?;
        let offset = u32_at(vk, 8)?;
        if raw & 0x8000_0000 != 0 {
            // Up to four bytes live in the offset field itself.
            let len = (raw & 0x7fff_ffff).min(4) as usize;
            return Ok(offset.to_le_bytes()[..len].to_vec());
        }
        let len = raw as usize;
        if len > MAX_DATA {
            return Err(format!("a value of {len} bytes is larger than a policy"));
        }
        if len == 0 {
            return Ok(Vec::new());
        }
        let cell = self.cell(offset)?;
        if len > 16344 && cell.get(..2) == Some(b"db") {
            let segments = u16_at(&cell, 2)? as usize;
            let list = self.cell(u32_at(&cell, 4)?)?;
            let mut out = Vec::with_capacity(len);
            for i in 0..segments {
                let seg = self.cell(u32_at(&list, i * 4)?)?;
                let take = (len - out.len()).min(seg.len()).min(16344);
                out.extend_from_slice(&seg[..take]);
                if out.len() == len {
                    break;
                }
            }
            return Ok(out);
        }
        cell.get(..len)
            .map(<[u8]>::to_vec)
            .ok_or_else(|| "a value's data is cut short".to_string())
    }
}

/// A key's or value's name: Latin-1 when the record says so, else UTF-16LE.
fn name(rec: &[u8], at: usize, len: u16, latin1: bool) -> Result<String, String> {
    let bytes = rec
        .get(at..at + len as usize)
        .ok_or("a name runs past its record")?;
    Ok(if latin1 {
        bytes.iter().map(|&b| char::from(b)).collect()
    } else {
        utf16(bytes)
    })
}

fn utf16(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16_lossy(&units)
}

/// REG_SZ, REG_EXPAND_SZ, REG_DWORD (both byte orders), REG_MULTI_SZ and REG_QWORD, as
/// the live registry reader gives them; other types are not policies.
fn decode(kind: u32, data: &[u8]) -> Option<Value> {
    let text = |d: &[u8]| utf16(d).trim_end_matches('\0').to_string();
    match kind {
        1 | 2 => Some(Value::String(text(data))),
        4 => Some(Value::from(u32::from_le_bytes(
            data.get(..4)?.try_into().ok()?,
        ))),
        5 => Some(Value::from(u32::from_be_bytes(
            data.get(..4)?.try_into().ok()?,
        ))),
        7 => Some(Value::Array(
            utf16(data)
                .split('\0')
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_string()))
                .collect(),
        )),
        11 => Some(Value::from(u64::from_le_bytes(
            data.get(..8)?.try_into().ok()?,
        ))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::regf::{write, Data, Key};

    fn sample() -> Vec<u8> {
        let chrome = Key::new("Chrome")
            .value("DefaultCookiesSetting", Data::Dword(2))
            .value("ProxyServer", Data::Sz("proxy.example:8080".into()))
            .value("Huge", Data::Sz("x".repeat(20_000)))
            .subkey(
                Key::new("URLBlocklist")
                    .value("1", Data::Sz("chatgpt.com".into()))
                    .value("2", Data::Sz("example.org".into())),
            );
        let root = Key::new("ROOT").subkey(
            Key::new("Software")
                .subkey(Key::new("Policies").subkey(Key::new("Google").subkey(chrome))),
        );
        write(&root)
    }

    #[test]
    fn a_key_reads_as_the_live_registry_gives_it() {
        let hive = Hive::open(Bytes::Memory(sample())).unwrap();
        assert!(!hive.dirty);
        let tree = hive
            .tree("SOFTWARE\\policies\\Google\\Chrome")
            .unwrap()
            .unwrap();
        assert_eq!(tree["DefaultCookiesSetting"], 2);
        assert_eq!(tree["ProxyServer"], "proxy.example:8080");
        assert_eq!(tree["Huge"].as_str().unwrap().len(), 20_000);
        assert_eq!(
            tree["URLBlocklist"],
            serde_json::json!(["chatgpt.com", "example.org"])
        );
        assert_eq!(hive.tree("Software\\Policies\\Mozilla").unwrap(), None);
    }

    #[test]
    fn damaged_hives_are_errors_not_panics() {
        let good = sample();
        assert!(Hive::open(Bytes::Memory(b"nope".to_vec())).is_err());
        // Every truncation and a flipped byte at every 97th offset: an error or a
        // result, never a panic.
        for cut in (0..good.len()).step_by(511) {
            if let Ok(h) = Hive::open(Bytes::Memory(good[..cut].to_vec())) {
                let _ = h.tree("Software\\Policies\\Google\\Chrome");
            }
        }
        for at in (0..good.len()).step_by(97) {
            let mut bad = good.clone();
            bad[at] ^= 0xff;
            if let Ok(h) = Hive::open(Bytes::Memory(bad)) {
                let _ = h.tree("Software\\Policies\\Google\\Chrome");
            }
        }
    }
}
