//! Reports name their commands, stores, channels and scopes with `&'static str`: read back
//! from a child (see `worker`), each distinct name is kept once for the life of the
//! process. A child may be hostile, so the names kept are bounded twice: each child may
//! bring only a few names not seen before (an honest one brings the same few as every
//! other), and the process keeps a bounded number in all; past either a report is
//! refused rather than the parent's memory grown or a later user's report refused.

use std::collections::{BTreeMap, HashSet};
use std::sync::{Mutex, OnceLock};

use serde::{Deserialize, Deserializer};

/// The most names kept in all (4 MiB at most).
const MAX_NAMES: usize = 65_536;
/// The most new names one child's messages may bring.
pub const NEW_PER_CHILD: usize = 32;

thread_local! {
    /// How many new names the messages read on this thread may still bring (`None`: no
    /// bound but the process's; the in-process code and the tests).
    static NEW_LEFT: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
}

/// Bounds the new names the messages read on this thread (one child's) may bring.
pub fn bound_new_names(n: usize) {
    NEW_LEFT.with(|c| c.set(Some(n)));
}
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
    let left = NEW_LEFT.with(|c| c.get());
    if name.len() > MAX_LEN || kept.len() >= MAX_NAMES || left == Some(0) {
        return Err(format!(
            "unexpected name `{}` in a report",
            name.chars()
                .take(MAX_LEN)
                .collect::<String>()
                .escape_debug()
        ));
    }
    if let Some(n) = left {
        NEW_LEFT.with(|c| c.set(Some(n - 1)));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_child_brings_few_new_names_and_known_ones_freely() {
        std::thread::spawn(|| {
            keep("cookies").unwrap();
            bound_new_names(2);
            for _ in 0..100 {
                assert_eq!(keep("cookies").unwrap(), "cookies");
            }
            keep("statics-test-a").unwrap();
            keep("statics-test-b").unwrap();
            assert!(keep("statics-test-c").is_err());
            assert!(keep("statics-test-a").is_ok());
        })
        .join()
        .unwrap();
        // Another child (thread) has its own bound.
        std::thread::spawn(|| {
            bound_new_names(1);
            keep("statics-test-c").unwrap();
        })
        .join()
        .unwrap();
    }
}
