//! `loginfix clear-cookies`, `clear-cache` and `clear-site-data`: plan the targets' items
//! in every selected profile, then hand the plan to the executor (which stops before
//! writing on a dry run), telling the caller each profile as it is done so text output
//! streams. The commands differ only in which stores they plan.

use std::path::PathBuf;

use super::Selection;
use crate::events::{Event, Sink};
use crate::execute::backup::{BackupOptions, Session};
use crate::execute::RunOptions;
use crate::lock::LockPolicy;
use crate::platform::Layout;
use crate::progress::Progress;
use crate::report::{BackupRef, CleanReport, Counts, Summary, SCHEMA_VERSION};
use crate::stores::{Category, ScanOptions};
use crate::targets::Targets;
use crate::{execute, plan, Fatal};

/// What a clean removes.
#[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
pub enum What {
    Cookies,
    Cache {
        whole_cache: bool,
    },
    SiteData,
    /// Cookies, cache and site data in one plan (`fix`): one backup set, one report.
    Everything {
        whole_cache: bool,
    },
}

impl What {
    /// The command that cleans this.
    pub fn command(self) -> &'static str {
        match self {
            What::Cookies => "clear-cookies",
            What::Cache { .. } => "clear-cache",
            What::SiteData => "clear-site-data",
            What::Everything { .. } => "fix",
        }
    }
}

/// How `clear-cookies`, `clear-cache` and `clear-site-data` run.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
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
    // A child working in a home is given the deadline as its `Context` (see `worker`).
    #[serde(skip)]
    pub deadline: Option<std::time::Instant>,
    /// The `--all-users` run this clean is part of: stamped on its backup set.
    pub fleet_run: Option<String>,
    /// Damaged cookie stores to move into the backup set (`fix` only).
    #[serde(default)]
    pub move_aside: MoveAside,
}

/// Which damaged stores a clean moves aside, so that their browser makes new, empty ones
/// (see `execute::run_profile`): only stores that fail SQLite's checks and hold cookies
/// (`StoreError::movable`), only with a backup set to keep them, never in a dry run.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum MoveAside {
    #[default]
    None,
    /// Each one the plan finds (`fix --move-damaged`).
    Every,
    /// These files, the ones the person was asked about and agreed to.
    These(Vec<PathBuf>),
}

impl MoveAside {
    /// Marks in each plan the damaged stores to move aside.
    fn mark(&self, plans: &mut [plan::ProfilePlan]) {
        for plan in plans {
            plan.move_aside = plan
                .errors
                .iter()
                .filter(|e| e.movable())
                .filter(|e| match self {
                    MoveAside::None => false,
                    MoveAside::Every => true,
                    MoveAside::These(files) => files.contains(&e.file),
                })
                .map(|e| e.file.clone())
                .collect();
        }
    }
}

/// Runs a clean telling nobody as it goes (the benchmark, JSON).
pub fn run(layout: &Layout, options: &Options) -> Result<CleanReport, Fatal> {
    run_live(
        layout,
        options,
        &Progress::hidden(),
        &mut crate::events::Nobody,
    )
}

/// Runs a clean, drawing `progress` and telling `sink` each event as it happens: the
/// browsers looked for, then each profile when it is done. An
/// interrupt (see `interrupt`) stops it at the next boundary: while planning, with
/// nothing changed; while changing, with the store in hand finished and the rest not
/// reached. The report then says `interrupted` and lists what was done.
pub fn run_live(
    layout: &Layout,
    options: &Options,
    progress: &Progress,
    sink: &mut dyn Sink,
) -> Result<CleanReport, Fatal> {
    let meta = crate::report::Meta::for_layout(layout);
    let targets = Targets::parse(&options.domains).map_err(|e| Fatal::usage(e.to_string()))?;
    let mut found = super::select(layout, &options.selection)?;
    let command = options.what.command();
    sink.tell(Event::Browsers(&found.browsers))
        .map_err(Fatal::output)?;
    // From here an interrupt stops the run at a boundary instead of ending the process.
    let cooperative = crate::interrupt::Cooperative::start();
    let (categories, _) = categories_of(options.what);
    let stores_total = |profiles: &[crate::browser::Profile]| {
        profiles
            .iter()
            .map(|p| {
                p.stores
                    .iter()
                    .filter(|s| categories.contains(&s.kind.category))
                    .count()
            })
            .sum()
    };
    let opts = BackupOptions {
        enabled: options.backup,
        root: super::backups::root(layout, &options.backup_dir),
        keep: options.keep.max(1),
        fleet_run: options.fleet_run.clone(),
    };
    let backup_root = opts.root.clone();
    let confined = std::sync::Arc::new(crate::confine::Confined::with(layout.confinement()));
    let mut session = Session::new(opts, command, &layout.home, confined.clone());
    let run = RunOptions {
        dry_run: options.dry_run,
        locks: options.locks,
        deadline: options.deadline,
    };
    let mut profiles = Vec::new();
    let mut _lock = None;
    // Whether the interrupt cut the work short: one that comes after the last store
    // changes nothing, and the run is reported as the complete run it was.
    let mut cut_short = false;
    // A store moved aside needs a backup set to go to.
    let moves = if options.backup {
        options.move_aside.clone()
    } else {
        MoveAside::None
    };
    if options.dry_run {
        // Read and reported profile by profile, so each profile's lines are printed as
        // soon as it is read. A profile whose reading was interrupted is left out.
        progress.plan_total(stores_total(&found.profiles));
        for profile in &found.profiles {
            if crate::interrupt::requested() {
                cut_short = true;
                break;
            }
            let one = std::slice::from_ref(profile);
            let mut plan = plan_for(layout, one, &targets, options.what, options.locks, progress);
            // The dry run shows the moves the real run makes.
            moves.mark(&mut plan);
            if crate::interrupt::requested() {
                cut_short = true;
                break;
            }
            for plan in plan {
                let report =
                    execute::run_profile(plan, run, &mut session, &confined, &execute::Unwatched);
                sink.tell(Event::Profile(&report)).map_err(Fatal::output)?;
                profiles.push(report);
            }
        }
    } else {
        progress.plan_total(stores_total(&found.profiles));
        let mut plans = plan_for(
            layout,
            &found.profiles,
            &targets,
            options.what,
            options.locks,
            progress,
        );
        moves.mark(&mut plans);
        // Held until the run ends, by a run that has something to change: another run on
        // this home waits, then stops. What a run waited for has changed the stores: plan
        // again.
        let has_work = plans.iter().any(|p| {
            !p.move_aside.is_empty()
                || p.stores.iter().any(|s| {
                    !s.items.is_empty() && !matches!(s.removal, crate::stores::Removal::Skip { .. })
                })
        });
        if !crate::interrupt::requested() && has_work {
            _lock = super::lock_home(layout, &mut found.warnings)?;
        }
        if _lock.as_ref().is_some_and(|l| l.waited) && !crate::interrupt::requested() {
            progress.plan_total(stores_total(&found.profiles));
            plans = plan_for(
                layout,
                &found.profiles,
                &targets,
                options.what,
                options.locks,
                progress,
            );
            moves.mark(&mut plans);
        }
        // An interrupt while planning leaves everything as it was: nothing is changed.
        if crate::interrupt::requested() {
            cut_short = true;
        } else {
            cooperative.writing();
            progress.run_total(
                plans
                    .iter()
                    .flat_map(|p| &p.stores)
                    .map(|s| s.items.len())
                    .sum(),
            );
            for plan in plans {
                if crate::interrupt::requested() {
                    cut_short = true;
                    break;
                }
                let report = execute::run_profile(plan, run, &mut session, &confined, progress);
                cut_short |= report.status == crate::report::ProfileStatus::Interrupted;
                sink.tell(Event::Profile(&report)).map_err(Fatal::output)?;
                profiles.push(report);
            }
        }
    }
    let interrupted = cut_short;
    let failed = profiles
        .iter()
        .any(|p| p.counts.failed > 0 || p.counts.store_errors > 0);
    let restorable = session.restorable();
    // Old sets are pruned only after a run that went well (and was not interrupted: the
    // person may well want an older set back).
    let (backup, pruning) = if failed || interrupted {
        (session.id().map(str::to_string), None)
    } else {
        let started = std::time::Instant::now();
        let id = session
            .finish()
            .map_err(|e| Fatal::failure(format!("{e:#}")))?;
        let took = id.is_some().then(|| started.elapsed());
        (id, took)
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
        interrupted,
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
            pruning,
        }),
        // Filled in by `commands::run_one` (or `app`), which knows the command line to repeat.
        undo_command: None,
    })
}

/// The store category `what` plans, and whether a whole cache may go.
fn categories_of(what: What) -> (&'static [Category], bool) {
    match what {
        What::Cookies => (&[Category::Cookies], false),
        What::Cache { whole_cache } => (&[Category::Cache], whole_cache),
        What::SiteData => (&[Category::SiteData], false),
        What::Everything { whole_cache } => (
            &[Category::Cookies, Category::Cache, Category::SiteData],
            whole_cache,
        ),
    }
}

/// Plans the stores of `what` in every selected profile.
fn plan_for(
    layout: &Layout,
    profiles: &[crate::browser::Profile],
    targets: &Targets,
    what: What,
    locks: LockPolicy,
    watch: &dyn plan::Watch,
) -> Vec<plan::ProfilePlan> {
    let (categories, whole_cache) = categories_of(what);
    plan::for_categories(
        profiles,
        targets,
        categories,
        &ScanOptions {
            whole_cache,
            locks,
            ..Default::default()
        },
        &layout.confinement(),
        watch,
    )
}
