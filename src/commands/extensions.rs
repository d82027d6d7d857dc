//! `loginfix extensions`: per profile, the installed extensions that are known or likely
//! to break logging in (or, with `--all`, every extension, matches marked).

use crate::cli::ExtensionsArgs;
use crate::extensions;
use crate::platform::Layout;
use crate::report::{ExtensionsProfile, ExtensionsReport, SCHEMA_VERSION};
use crate::targets::Targets;
use crate::Fatal;

pub fn run(layout: &Layout, args: &ExtensionsArgs) -> Result<ExtensionsReport, Fatal> {
    let found = super::select(layout, &args.selection)?;
    let targets = Targets::default();
    let profiles = found
        .profiles
        .iter()
        .map(|p| {
            let (list, error) = match extensions::list(p, &targets, args.all) {
                Ok(list) => (list, None),
                Err(e) => (Vec::new(), Some(format!("{e:#}"))),
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
        all: args.all,
        os: layout.os,
        home: layout.home.clone(),
        profiles,
        browsers: found.browsers,
        warnings: found.warnings,
    })
}
