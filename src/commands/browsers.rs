//! `loginfix browsers`: what discovery found, per browser and profile.

use super::Selection;
use crate::lock::LockPolicy;
use crate::platform::Layout;
use crate::report::{BrowserEntry, BrowsersReport, ProfileInfo, SCHEMA_VERSION};
use crate::Fatal;

/// How `loginfix browsers` runs.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Options {
    pub selection: Selection,
    /// How locks are judged for the `running` column.
    pub locks: LockPolicy,
}

pub fn run(layout: &Layout, options: &Options) -> Result<BrowsersReport, Fatal> {
    let found = super::select(layout, &options.selection)?;
    let browsers = found
        .browsers
        .iter()
        .map(|status| BrowserEntry {
            status: status.clone(),
            profiles: found
                .profiles
                .iter()
                .filter(|p| p.browser == status.browser)
                .map(|p| {
                    let lock = options.locks.check(&p.lock);
                    ProfileInfo {
                        profile: p.dir_name.clone(),
                        name: p.display_name.clone(),
                        channel: p.channel,
                        path: p.path.clone(),
                        version: p.version.clone(),
                        stores: p.stores.clone(),
                        running: lock.is_running(),
                        lock,
                    }
                })
                .collect(),
        })
        .collect();
    Ok(BrowsersReport {
        schema_version: SCHEMA_VERSION,
        command: "browsers",
        meta: crate::report::Meta::for_layout(layout),
        os: layout.os,
        home: layout.home.clone(),
        browsers,
        warnings: found.warnings,
    })
}
