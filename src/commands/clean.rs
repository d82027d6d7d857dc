//! `loginfix clear-cookies`, `clear-cache` and `clear-site-data`: plan the targets' items
//! in every selected profile, then hand the plan to the executor (which stops before
//! writing on a dry run). The commands differ only in which stores they plan.

use std::path::PathBuf;

use super::Selection;
use crate::backup::{BackupOptions, Session};
use crate::execute::RunOptions;
use crate::lock::LockPolicy;
use crate::platform::Layout;
use crate::report::{BackupRef, CleanReport, Counts, Summary, SCHEMA_VERSION};
use crate::stores::{Category, ScanOptions};
use crate::targets::Targets;
use crate::{execute, plan, Fatal};

/// What a clean removes.
#[derive(Clone, Copy, Debug)]
pub enum What {
    Cookies,
    Cache { whole_cache: bool },
    SiteData,
}

/// How `clear-cookies`, `clear-cache` and `clear-site-data` run.
#[derive(Clone, Debug)]
pub struct Options {
    pub selection: Selection,
    pub what: What,
    /// Target domains; empty means the default targets.
    pub domains: Vec<String>,
    pub dry_run: bool,
    /// Back up each store before changing it (`--no-backup` turns this off).
    pub backup: bool,
    /// Where backup sets go; `None` means the home's data directory.
    pub backup_dir: Option<PathBuf>,
    /// How many backup sets to keep.
    pub keep: usize,
    pub locks: LockPolicy,
    /// `--timeout`: profiles not begun by then are left alone (see `execute::RunOptions`).
    pub deadline: Option<std::time::Instant>,
}

pub fn run(layout: &Layout, options: &Options) -> Result<CleanReport, Fatal> {
    let meta = crate::report::Meta::for_layout(layout);
    let targets = Targets::parse(&options.domains).map_err(|e| Fatal::usage(e.to_string()))?;
    let mut found = super::select(layout, &options.selection)?;
    let command = match options.what {
        What::Cookies => "clear-cookies",
        What::Cache { .. } => "clear-cache",
        What::SiteData => "clear-site-data",
    };
    let mut plans = plan_for(
        layout,
        &found.profiles,
        &targets,
        options.what,
        options.locks,
    );
    // Held until the run ends, by a run that has something to change: another run on
    // this home waits, then stops. What a run waited for has changed the stores: plan again.
    let has_work = plans.iter().any(|p| {
        p.stores.iter().any(|s| {
            !s.items.is_empty() && !matches!(s.removal, crate::stores::Removal::Skip { .. })
        })
    });
    let _lock = if options.dry_run || !has_work {
        None
    } else {
        super::lock_home(layout, &mut found.warnings)?
    };
    if _lock.as_ref().is_some_and(|l| l.waited) {
        plans = plan_for(
            layout,
            &found.profiles,
            &targets,
            options.what,
            options.locks,
        );
    }
    let opts = BackupOptions {
        enabled: options.backup,
        root: super::backups::root(layout, &options.backup_dir),
        keep: options.keep.max(1),
    };
    let backup_root = opts.root.clone();
    let mut session = Session::new(opts, command, &layout.home);
    let run = RunOptions {
        dry_run: options.dry_run,
        locks: options.locks,
        deadline: options.deadline,
    };
    let confined = crate::confine::Confined::new(layout.roots());
    let profiles = execute::run(plans, run, &mut session, &confined);
    let failed = profiles
        .iter()
        .any(|p| p.counts.failed > 0 || p.counts.store_errors > 0);
    let restorable = session.restorable();
    // Old sets are pruned only after a run that went well.
    let backup = if failed {
        session.id().map(str::to_string)
    } else {
        session
            .finish()
            .map_err(|e| Fatal::failure(format!("{e:#}")))?
    };
    let mut counts = Counts::default();
    for p in &profiles {
        counts.merge(&p.counts);
    }
    Ok(CleanReport {
        schema_version: SCHEMA_VERSION,
        command,
        meta,
        dry_run: options.dry_run,
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
        backup: backup.map(|id| BackupRef {
            dir: backup_root.join(&id),
            id,
            restorable,
        }),
        // Filled in by `lib::run`, which knows the command line to repeat.
        undo_command: None,
    })
}

/// Plans the stores of `what` in every selected profile.
fn plan_for(
    layout: &Layout,
    profiles: &[crate::browser::Profile],
    targets: &Targets,
    what: What,
    locks: LockPolicy,
) -> Vec<plan::ProfilePlan> {
    let (category, whole_cache) = match what {
        What::Cookies => (Category::Cookies, false),
        What::Cache { whole_cache } => (Category::Cache, whole_cache),
        What::SiteData => (Category::SiteData, false),
    };
    plan::for_categories(
        profiles,
        targets,
        &[category],
        &ScanOptions {
            whole_cache,
            locks,
            ..Default::default()
        },
        &layout.roots(),
    )
}
