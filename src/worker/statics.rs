//! Reports name their commands, stores, channels and scopes with `&'static str`: read back
//! from a child (see `worker`), each distinct name is kept once for the life of the
//! process. A child may be hostile, so the names kept are bounded: past the bound a
//! report is refused rather than the parent's memory grown.

use std::collections::{BTreeMap, HashSet};
use std::sync::{Mutex, OnceLock};

use serde::{Deserialize, Deserializer};

/// More distinct names than every command, store, channel and scope there are, many
/// times over.
const MAX_NAMES: usize = 512;
/// No such name is longer.
const MAX_LEN: usize = 64;

fn kept() -> &'static Mutex<HashSet<&'static str>> {
    static KEPT: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    KEPT.get_or_init(Mutex::default)
}

/// `name`, kept for the life of the process (once per distinct name).
pub fn keep(name: &str) -> Result<&'static str, String> {
    let mut kept = kept().lock().unwrap_or_else(|e| e.into_inner());
    if let Some(k) = kept.get(name) {
        return Ok(k);
    }
    if name.len() > MAX_LEN || kept.len() >= MAX_NAMES {
        return Err(format!(
            "unexpected name `{}` in a report",
            name.escape_debug()
        ));
    }
    let k: &'static str = Box::leak(name.to_owned().into_boxed_str());
    kept.insert(k);
    Ok(k)
}

/// A `&'static str` field read back (`#[serde(deserialize_with = ...)]`).
pub fn name<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    let s = String::deserialize(d)?;
    keep(&s).map_err(serde::de::Error::custom)
}

/// A map keyed by `&'static str` read back.
pub fn keyed<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<&'static str, String>, D::Error> {
    let map = BTreeMap::<String, String>::deserialize(d)?;
    map.into_iter()
        .map(|(k, v)| Ok((keep(&k).map_err(serde::de::Error::custom)?, v)))
        .collect()
}

/// A `&'static str` field of a report. Named so (a path, not a reference) because serde's
/// derive would otherwise borrow it from the input, which lives shorter than `'static`.
pub type Name = &'static str;
