//! `loginfix clear-cookies` and `loginfix clear-cache`: plan the targets' items in every
//! selected profile, then hand the plan to the executor (which stops before writing on a
//! dry run). The two commands differ only in which stores they plan.

use crate::cli::ClearArgs;
use crate::platform::Layout;
use crate::report::{CleanReport, Counts, Summary, SCHEMA_VERSION};
use crate::stores::ScanOptions;
use crate::targets::Targets;
use crate::{execute, plan, Fatal};

/// What a clean removes.
#[derive(Clone, Copy, Debug)]
pub enum What {
    Cookies,
    Cache { whole_cache: bool },
}

pub fn run(layout: &Layout, args: &ClearArgs, what: What) -> Result<CleanReport, Fatal> {
    let targets = Targets::parse(&args.domains).map_err(|e| Fatal::usage(e.to_string()))?;
    let found = super::select(layout, &args.selection)?;
    let (command, plans) = match what {
        What::Cookies => ("clear-cookies", plan::cookies(&found.profiles, &targets)),
        What::Cache { whole_cache } => (
            "clear-cache",
            plan::cache(&found.profiles, &targets, ScanOptions { whole_cache }),
        ),
    };
    let profiles = execute::run(plans, args.dry_run);
    let mut counts = Counts::default();
    for p in &profiles {
        counts.merge(&p.counts);
    }
    Ok(CleanReport {
        schema_version: SCHEMA_VERSION,
        command,
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
