//! One file per command; each builds its typed report from discovery, plan and executor.

pub mod backups;
pub mod browsers;
pub mod clean;
pub mod extensions;

use crate::browser::{self, Discovery};
use crate::cli::Selection;
use crate::platform::Layout;
use crate::Fatal;

/// Discovers the selected browsers and keeps the selected profiles. A `--profile` that
/// matches no profile of any selected browser is an error: a script asked for
/// something that is not there.
pub fn select(layout: &Layout, selection: &Selection) -> Result<Discovery, Fatal> {
    let mut found = browser::discover(layout, &selection.browsers());
    if selection.profiles.is_empty() {
        return Ok(found);
    }
    for wanted in &selection.profiles {
        if !found.profiles.iter().any(|p| p.is_named(wanted)) {
            let known: Vec<String> = found
                .profiles
                .iter()
                .map(|p| format!("{} `{}`", p.browser.name(), p.dir_name))
                .collect();
            let hint = if known.is_empty() {
                "no profile was found at all; check --home and --os, or run `loginfix browsers -v`"
                    .to_string()
            } else {
                format!("profiles found: {}", known.join(", "))
            };
            return Err(
                Fatal::failure(format!("no profile named `{wanted}` was found")).hint(hint),
            );
        }
    }
    found
        .profiles
        .retain(|p| selection.profiles.iter().any(|w| p.is_named(w)));
    Ok(found)
}
