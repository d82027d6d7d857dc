//! `loginfix browsers`: what discovery found, per browser and profile.

use crate::cli::Selection;
use crate::lock::LockPolicy;
use crate::platform::Layout;
use crate::report::{BrowserEntry, BrowsersReport, ProfileInfo, SCHEMA_VERSION};
use crate::Fatal;

pub fn run(
    layout: &Layout,
    selection: &Selection,
    locks: LockPolicy,
) -> Result<BrowsersReport, Fatal> {
    let found = super::select(layout, selection)?;
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
                    let lock = locks.check(&p.lock);
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
        os: layout.os,
        home: layout.home.clone(),
        browsers,
        warnings: found.warnings,
    })
}
