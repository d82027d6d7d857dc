//! `loginfix extensions`: per profile, the installed extensions that are known or likely
//! to break logging in (or, with `--all`, every extension, matches marked).

use super::Selection;
use crate::extensions;
use crate::platform::Layout;
use crate::report::{ExtensionsProfile, ExtensionsReport, SCHEMA_VERSION};
use crate::targets::Targets;
use crate::Fatal;

/// How `loginfix extensions` runs.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Options {
    pub selection: Selection,
    /// Every installed extension, not only the known or likely troublemakers.
    pub all: bool,
}

pub fn run(layout: &Layout, options: &Options) -> Result<ExtensionsReport, Fatal> {
    let found = super::select(layout, &options.selection)?;
    let targets = Targets::default();
    let fs = crate::confine::Confined::with(layout.confinement());
    let profiles = found
        .profiles
        .iter()
        .map(|p| {
            let (list, error) = match extensions::list(&fs, p, &targets, options.all) {
                Ok(list) => (list, None),
                Err(e) => (Vec::new(), Some(crate::stores::error_text(&e))),
            };
            ExtensionsProfile {
                browser: p.browser,
                channel: p.channel,
                profile: p.dir_name.clone(),
                name: p.display_name.clone(),
                path: p.path.clone(),
                extensions: list,
                error,
            }
        })
        .collect();
    Ok(ExtensionsReport {
        schema_version: SCHEMA_VERSION,
        command: "extensions",
        meta: crate::report::Meta::for_layout(layout),
        all: options.all,
        os: layout.os,
        home: layout.home.clone(),
        profiles,
        browsers: found.browsers,
        warnings: found.warnings,
    })
}
