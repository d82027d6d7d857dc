//! Safari discovery (macOS layouts only): the default profile's data directory, the
//! sandbox container's `Library` (Safari 14+) or the home's `Library` (older Safari).
//! Safari's cookie and cache stores are not handled yet; extensions are listed.

use std::path::PathBuf;

use super::{Browser, Discovery, LockSite, Profile};
use crate::platform::Layout;

pub fn discover(layout: &Layout, out: &mut Discovery) -> Vec<PathBuf> {
    let libraries = layout.safari_libraries();
    if let Some(library) = libraries.iter().find(|l| l.join("Safari").is_dir()) {
        out.profiles.push(Profile {
            browser: Browser::Safari,
            channel: "stable",
            dir_name: "Default".to_string(),
            display_name: None,
            path: library.clone(),
            version: None,
            lock: LockSite::Unchecked(
                "Safari leaves no lock file; quit it before cleaning".to_string(),
            ),
            stores: Vec::new(),
        });
    }
    libraries
}
