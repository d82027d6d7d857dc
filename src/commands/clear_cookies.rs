//! `loginfix clear-cookies`: plan the targets' cookies in every selected profile, then
//! hand the plan to the executor (which stops before writing on a dry run).

use crate::cli::ClearArgs;
use crate::platform::Layout;
use crate::report::{CleanReport, Counts, Summary, SCHEMA_VERSION};
use crate::targets::Targets;
use crate::{execute, plan, Fatal};

pub fn run(layout: &Layout, args: &ClearArgs) -> Result<CleanReport, Fatal> {
    let targets = Targets::parse(&args.domains).map_err(|e| Fatal::usage(e.to_string()))?;
    let found = super::select(layout, &args.selection)?;
    let plans = plan::cookies(&found.profiles, &targets);
    let profiles = execute::run(plans, args.dry_run);
    let mut counts = Counts::default();
    for p in &profiles {
        counts.merge(&p.counts);
    }
    Ok(CleanReport {
        schema_version: SCHEMA_VERSION,
        command: "clear-cookies",
        dry_run: args.dry_run,
        targets: targets.domains().to_vec(),
        os: layout.os,
        home: layout.home.clone(),
        summary: Summary {
            profiles: profiles.len(),
            counts,
        },
        profiles,
        browsers: found.browsers,
        warnings: found.warnings,
    })
}
