//! The executor: the only code that changes a browser's files. Per profile, right before
//! its changes, it checks that the browser is not running; then it applies each store's
//! removal (SQLite rows in one transaction, session files replaced atomically, cache
//! entry files then the cache index, a whole blockfile cache, or a site's storage
//! directories, each backed up as a tree first) and
//! reports every item. A dry run goes through the same steps and stops before writing.
//! Stores edited in place are backed up first (see `backup`), a SQLite edit is checked
//! with `PRAGMA quick_check` before it commits, and `restore` puts backups back.
//!
//! The writes themselves are split by what they write: [`sqlite`] (rows and entries in
//! one transaction), [`files`] (entry files, whole directory trees, atomic replacement)
//! and [`restore`]. Only their primitives may delete, rename or create files (see
//! `clippy.toml`); this file decides, per profile and store, which of them runs.

pub mod backup;
mod files;
mod leveldb;
mod restore;
mod sqlite;

pub use files::remove_tree;
pub use restore::restore;

use crate::browser::Profile;
use crate::confine::Confined;
use crate::lock::{LockPolicy, LockState};
use crate::plan::ProfilePlan;
use crate::report::{
    Action, Counts, ItemReport, MovedAside, ProfileReport, ProfileStatus, StoreReport, StoreTimings,
};
use crate::stores::{Item, ItemKey, Removal, Shape, StoreScan};
use backup::Session;

/// What happened to one item, and why when it failed.
type Outcome = (Action, Option<String>);

/// Told about the changes as they are made (progress on a terminal), and asked between
/// stores and between the entries of a store that goes item by item whether to stop (an
/// interrupt). The store in hand is always left whole: a SQLite edit is one transaction
/// that commits or rolls back, an entry's files are removed or not, and a cache whose
/// entries went loses its index even when the rest of its entries are not reached.
pub trait Watch {
    /// The changes to `scan`, a store of `profile`, start.
    fn store(&self, profile: &Profile, scan: &StoreScan);
    /// `done` of the store's items are done so far, `freed` bytes of them gone.
    fn items(&self, done: usize, freed: u64);
    /// The store in hand is finished: `items` done, `freed` bytes gone.
    fn store_done(&self, items: usize, freed: u64);
    /// Whether to stop at the next boundary.
    fn stop(&self) -> bool;
}

/// Tells nobody and never stops.
pub struct Unwatched;

impl Watch for Unwatched {
    fn store(&self, _: &Profile, _: &StoreScan) {}
    fn items(&self, _: usize, _: u64) {}
    fn store_done(&self, _: usize, _: u64) {}
    fn stop(&self) -> bool {
        false
    }
}

/// Runs `one` on each item of `scan` in order, telling `watch`; stops before an item when
/// `watch` asks, so fewer outcomes than items means the rest were not reached.
fn item_by_item(
    scan: &StoreScan,
    watch: &dyn Watch,
    mut one: impl FnMut(&Item) -> Outcome,
) -> Vec<Outcome> {
    let mut outcomes = Vec::with_capacity(scan.items.len());
    let mut freed = 0;
    for item in &scan.items {
        if watch.stop() {
            break;
        }
        let outcome = one(item);
        if outcome.0 == Action::Removed {
            freed += item.size.unwrap_or(0);
        }
        outcomes.push(outcome);
        watch.items(outcomes.len(), freed);
    }
    outcomes
}

/// How a run goes: for real or not, and how locks are judged.
#[derive(Clone, Copy, Debug, Default)]
pub struct RunOptions {
    pub dry_run: bool,
    pub locks: LockPolicy,
    /// `--timeout`: a profile not begun by then is left alone (reported `timed_out`). It
    /// is checked between profiles only, so no store is ever left half-changed.
    pub deadline: Option<std::time::Instant>,
}

/// Runs the plans, telling nobody and never stopping (see [`run_profile`]).
pub fn run(
    plans: Vec<ProfilePlan>,
    opts: RunOptions,
    backups: &mut Session,
    confined: &Confined,
) -> Vec<ProfileReport> {
    plans
        .into_iter()
        .map(|p| run_profile(p, opts, backups, confined, &Unwatched))
        .collect()
}

/// The report of a profile left alone because the time limit was reached before it.
fn timed_out(plan: ProfilePlan) -> ProfileReport {
    let mut counts = Counts::default();
    let mut items = Vec::new();
    let mut stores = Vec::new();
    for scan in &plan.stores {
        for item in &scan.items {
            counts.add(Action::Skipped, item.size);
            items.push(ItemReport {
                store: scan.store.kind.label,
                file: scan.store.path.clone(),
                item: item.clone(),
                action: Action::Skipped,
                hint: None,
                error: None,
            });
        }
        stores.push(StoreReport {
            store: scan.store.kind.label,
            file: scan.store.path.clone(),
            scope: "none",
            reason: Some(crate::i18n::t("reason-timeout")),
            unreadable: Vec::new(),
            timings: StoreTimings::default(),
        });
    }
    let p = plan.profile;
    ProfileReport {
        browser: p.browser,
        channel: p.channel,
        profile: p.dir_name,
        name: p.display_name,
        path: p.path,
        version: p.version,
        status: ProfileStatus::TimedOut,
        reason: Some(crate::i18n::t("reason-timeout-before")),
        lock: LockState::Unchecked {
            detail: "not checked: --timeout reached".to_string(),
        },
        stores,
        items,
        errors: Vec::new(),
        moved_aside: Vec::new(),
        counts,
    }
}

/// Runs one profile's plan; stores are backed up into `backups` right before they
/// change. Every change is made through directory handles under `confined`'s roots. When
/// `watch` asks to stop, the stores not reached are reported with no items and counted
/// in `not_reached`, and the profile is `Interrupted`. Past `opts.deadline` (`--timeout`)
/// the profile is not begun: it is reported `TimedOut`, nothing in it changed.
pub fn run_profile(
    plan: ProfilePlan,
    opts: RunOptions,
    backups: &mut Session,
    confined: &Confined,
    watch: &dyn Watch,
) -> ProfileReport {
    if opts
        .deadline
        .is_some_and(|d| std::time::Instant::now() >= d)
    {
        return timed_out(plan);
    }
    let dry_run = opts.dry_run;
    // Checked right before this profile's changes, not once at the start.
    let lock = opts.locks.check(&plan.profile.lock);
    let mut items = Vec::new();
    let mut stores = Vec::new();
    let mut reason = match &lock {
        LockState::Stale { detail } => {
            Some(crate::i18n::ta("reason-stale-lock", &[("detail", detail)]))
        }
        LockState::Unchecked { detail } => {
            Some(crate::i18n::ta("reason-unchecked", &[("detail", detail)]))
        }
        _ => None,
    };
    let running = lock.is_running();
    let mut rewrites = files::Rewrites::default();
    let mut counts = Counts::default();
    let mut interrupted = false;
    for scan in plan.stores {
        // A dry run changes nothing: it is stopped between profiles, not here.
        if !dry_run && !running && !interrupted && watch.stop() {
            interrupted = true;
        }
        if interrupted {
            counts.not_reached += scan.items.len();
            stores.push(StoreReport {
                store: scan.store.kind.label,
                file: scan.store.path.clone(),
                scope: "none",
                reason: Some(crate::i18n::t("reason-interrupted")),
                unreadable: Vec::new(),
                timings: StoreTimings::default(),
            });
            continue;
        }
        let (scope, mut store_reason) = match &scan.removal {
            Removal::WholeCache { reason, .. } => ("whole_cache", Some(reason.clone())),
            Removal::Skip { reason } => ("none", Some(reason.clone())),
            _ => ("entries", None),
        };
        watch.store(&plan.profile, &scan);
        let mut timings = StoreTimings::default();
        let outcomes: Vec<(Action, Option<String>)> = if running {
            vec![(Action::Skipped, None); scan.items.len()]
        } else if let Removal::Skip { .. } = scan.removal {
            vec![(Action::Skipped, None); scan.items.len()]
        } else if dry_run {
            vec![(Action::WouldRemove, None); scan.items.len()]
        } else if scan.items.is_empty() {
            Vec::new()
        } else {
            apply(
                &scan,
                &plan.profile,
                backups,
                confined,
                watch,
                &mut rewrites,
                &mut timings,
            )
        };
        let done = outcomes.len();
        if done < scan.items.len() {
            interrupted = true;
            counts.not_reached += scan.items.len() - done;
            store_reason = Some(crate::i18n::ta(
                "err-interrupted-items-done-others-left",
                &[
                    ("done", &done.to_string()),
                    ("n", &scan.items.len().to_string()),
                ],
            ));
        }
        let freed: u64 = scan
            .items
            .iter()
            .zip(&outcomes)
            .filter(|(_, (a, _))| *a == Action::Removed)
            .map(|(i, _)| i.size.unwrap_or(0))
            .sum();
        watch.store_done(done, freed);
        counts.unreadable += scan.unreadable.len();
        stores.push(StoreReport {
            store: scan.store.kind.label,
            file: scan.store.path.clone(),
            scope,
            reason: store_reason,
            unreadable: scan.unreadable,
            timings,
        });
        for (item, (action, error)) in scan.items.into_iter().zip(outcomes) {
            counts.add(action, item.size);
            items.push(ItemReport {
                store: scan.store.kind.label,
                file: scan.store.path.clone(),
                item,
                action,
                hint: error
                    .as_deref()
                    .and_then(crate::report::diagnostics::store_hint),
                error,
            });
        }
    }
    // A running browser may hold its stores so they cannot even be read (Chrome 114+ on
    // Windows); the profile is skipped, and that is not a store error.
    let mut errors = if running { Vec::new() } else { plan.errors };
    // Damaged stores the person agreed to move aside, once the profile's other changes
    // are made; never in a dry run, a profile whose browser runs, or one interrupted.
    let mut moved_aside = Vec::new();
    if dry_run && !running {
        // The plan of the real run: the same stores, with the files that would go.
        for file in &plan.move_aside {
            let Some(at) = errors.iter().position(|e| &e.file == file && e.movable()) else {
                continue;
            };
            let e = errors.remove(at);
            moved_aside.push(MovedAside {
                store: e.store,
                files: aside_files(file, confined).unwrap_or_else(|_| vec![file.clone()]),
                file: e.file,
                error: None,
            });
        }
    }
    if !dry_run && !running && !interrupted {
        for file in &plan.move_aside {
            let Some(at) = errors.iter().position(|e| &e.file == file && e.movable()) else {
                continue;
            };
            if watch.stop() {
                break;
            }
            match move_aside(file, &plan.profile, backups, confined) {
                Ok(files) => {
                    let e = errors.remove(at);
                    moved_aside.push(MovedAside {
                        store: e.store,
                        file: e.file,
                        files,
                        error: None,
                    });
                }
                Err(err) => moved_aside.push(MovedAside {
                    store: errors[at].store,
                    file: file.clone(),
                    files: Vec::new(),
                    error: Some(format!("{err:#}")),
                }),
            }
        }
    }
    counts.store_errors = errors.len();
    let status = if running {
        if let LockState::Running { detail, .. } = &lock {
            reason = Some(crate::i18n::ta(
                "reason-running",
                &[
                    ("browser", plan.profile.browser.product_name()),
                    ("detail", detail),
                ],
            ));
        }
        ProfileStatus::SkippedRunning
    } else if interrupted {
        reason = Some(crate::i18n::ta(
            "err-interrupted-items-reached-left-as",
            &[("n", &counts.not_reached.to_string())],
        ));
        ProfileStatus::Interrupted
    } else if !errors.is_empty() || counts.failed > 0 {
        if reason.is_none() {
            reason = Some(match errors.first() {
                Some(e) => e.error.clone(),
                None => crate::i18n::ta(
                    "err-items-could-be-removed",
                    &[
                        ("n", &counts.failed.to_string()),
                        ("count", &items.len().to_string()),
                    ],
                ),
            });
        }
        ProfileStatus::Failed
    } else if !moved_aside.is_empty() {
        ProfileStatus::Done
    } else if items.is_empty() {
        ProfileStatus::NothingToDo
    } else if counts.skipped == items.len() {
        ProfileStatus::Skipped
    } else if dry_run {
        ProfileStatus::WouldDo
    } else {
        ProfileStatus::Done
    };
    let p = plan.profile;
    ProfileReport {
        browser: p.browser,
        channel: p.channel,
        profile: p.dir_name,
        name: p.display_name,
        path: p.path,
        version: p.version,
        status,
        reason,
        lock,
        stores,
        items,
        errors,
        moved_aside,
        counts,
    }
}

/// The store `file` and the `-wal`, `-shm` and `-journal` beside it that exist: what
/// [`move_aside`] would move, the store last.
fn aside_files(
    file: &std::path::Path,
    confined: &Confined,
) -> anyhow::Result<Vec<std::path::PathBuf>> {
    let mut out = Vec::new();
    for suffix in ["-wal", "-shm", "-journal"] {
        let path = crate::stores::sqlite::sidecar(file, suffix);
        let (handle, name) = confined.split(&path)?;
        if handle.symlink_metadata(&name).is_ok() {
            out.push(path);
        }
    }
    out.push(file.to_path_buf());
    Ok(out)
}

/// Moves the damaged store `file` aside, so that its browser makes a new, empty one at
/// its next start: the store and each `-wal`, `-shm` and `-journal` beside it are copied
/// byte for byte into the backup set (each copy and its manifest entry on disk before
/// anything is removed), checked unchanged since, and only then removed, sidecars first
/// (a journal or WAL left beside no database would be replayed into the new one).
/// Returns the files removed. Without a backup set nothing is moved: the store would be
/// lost, not moved.
fn move_aside(
    file: &std::path::Path,
    profile: &Profile,
    backups: &mut Session,
    confined: &Confined,
) -> anyhow::Result<Vec<std::path::PathBuf>> {
    use anyhow::Context;
    anyhow::ensure!(
        backups.enabled(),
        "{}",
        crate::i18n::ta(
            "err-moved-aside-store-moved-only",
            &[("file", &file.display().to_string())]
        )
    );
    let mut kept = Vec::new();
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let path = crate::stores::sqlite::sidecar(file, suffix);
        let (handle, name) = confined.split(&path).with_context(|| {
            crate::i18n::ta("err-moved-aside", &[("file", &file.display().to_string())])
        })?;
        match handle.symlink_metadata(&name) {
            Ok(meta) if meta.is_file() => {}
            Ok(_) => anyhow::bail!(
                "{}",
                crate::i18n::ta(
                    "err-regular-file-symlink-nothing-moved",
                    &[("file", &path.display().to_string())]
                )
            ),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !suffix.is_empty() => continue,
            Err(e) => anyhow::bail!(
                "{}",
                crate::i18n::ta(
                    "err-could-read-nothing-moved",
                    &[
                        ("file", &path.display().to_string()),
                        ("detail", &e.to_string())
                    ]
                )
            ),
        }
        let through = crate::platform::path_through(&handle, &name, &path);
        let sha256 = backups
            .backup_as_is(
                &through,
                &path,
                suffix.is_empty(),
                profile.browser,
                &profile.dir_name,
                &profile.lock,
            )
            .context(crate::i18n::t("err-nothing-moved"))?;
        kept.push((path, sha256));
    }
    // What the set holds must be what goes: a file that changed since its copy stays.
    for (path, sha256) in &kept {
        let now = backup::sha256_in(confined, path).with_context(|| {
            crate::i18n::ta(
                "err-could-read-nothing-moved-2",
                &[("file", &path.display().to_string())],
            )
        })?;
        anyhow::ensure!(
            &now == sha256,
            "{}",
            crate::i18n::ta(
                "err-changed-while-being-moved-aside",
                &[("file", &path.display().to_string())]
            )
        );
    }
    let mut order: Vec<std::path::PathBuf> = kept.into_iter().map(|(p, _)| p).collect();
    // The store itself last.
    order.rotate_left(1);
    files::remove_files(confined, &order).map_err(|e| {
        anyhow::anyhow!(
            "{}",
            crate::i18n::ta(
                "err-backup-set-holds-every-file",
                &[("detail", &e.to_string())]
            )
        )
    })?;
    Ok(order)
}

/// Applies one store's removal; one outcome per item, in order. A store that is edited
/// in place is backed up first (unless backups are off); a SQLite edit that leaves the
/// store failing its integrity check is rolled back. `timings` receives how long the
/// backup, the edit and the check took.
fn apply(
    scan: &StoreScan,
    profile: &Profile,
    backups: &mut Session,
    confined: &Confined,
    watch: &dyn Watch,
    rewrites: &mut files::Rewrites,
    timings: &mut StoreTimings,
) -> Vec<Outcome> {
    let path = &scan.store.path;
    let fail = |msg: String| vec![(Action::Failed, Some(msg)); scan.items.len()];
    // The store is reached again from the home, one directory at a time, without
    // following a symlink: what was swapped in since the plan is refused, not followed.
    let (handle, name) = match confined.split(path) {
        Ok(found) => found,
        Err(err) => {
            return fail(crate::i18n::ta(
                "err-nothing-changed-2",
                &[("detail", &format!("{err:#}"))],
            ))
        }
    };
    if scan.store.kind.shape == Shape::File {
        match handle.symlink_metadata(&name) {
            Ok(meta) if meta.is_file() => {}
            Ok(_) => {
                return fail(crate::i18n::ta(
                    "err-no-longer-regular-file-symlink",
                    &[("file", &path.display().to_string())],
                ))
            }
            Err(err) => {
                return fail(crate::i18n::ta(
                    "err-could-read",
                    &[
                        ("file", &path.display().to_string()),
                        ("detail", &err.to_string()),
                    ],
                ))
            }
        }
    }
    if let Removal::Trees = scan.removal {
        return remove_site_trees(scan, profile, backups, confined, watch);
    }
    if let Removal::LevelDbKeys = scan.removal {
        return leveldb::rebuild(scan, profile, backups, confined);
    }
    if let Removal::SiteFiles = scan.removal {
        return remove_site_files(scan, profile, backups, confined, watch);
    }
    // SQLite and the backup take paths: one that resolves through the handle.
    let through = crate::platform::path_through(&handle, &name, path);
    let checked = std::cell::Cell::new(None);
    let db = sqlite::Db {
        open: &through,
        shown: path,
        checked: &checked,
    };
    let sqlite = scan.removal.is_sqlite();
    let edits_in_place = scan.removal.edits_in_place();
    let started = std::time::Instant::now();
    // A file this run already rewrote for another store (Firefox's session file holds
    // cookies and sessionStorage) was backed up before that first change: the backup
    // set keeps the original, which is what restore must put back.
    if edits_in_place && backups.enabled() && !rewrites.rewrote(path) {
        match backups.backup_from(
            &through,
            path,
            sqlite,
            profile.browser,
            &profile.dir_name,
            &profile.lock,
        ) {
            Ok(_) => timings.backup = Some(started.elapsed()),
            Err(err) => {
                let msg = crate::i18n::ta(
                    "err-nothing-changed-use-no-backup-2",
                    &[("detail", &crate::stores::error_text(&err).to_string())],
                );
                return vec![(Action::Failed, Some(msg)); scan.items.len()];
            }
        }
    }
    let started = std::time::Instant::now();
    let result = match &scan.removal {
        Removal::SqliteRows {
            table,
            host_column,
            name_column,
        } => sqlite::delete_rows(db, table, host_column, name_column, scan),
        Removal::RewriteFile { format, len, hash } => {
            files::rewrite_file(confined, path, *format, (*len, *hash), scan, rewrites)
        }
        Removal::CacheFiles { index_files } => Ok(files::remove_cache_entries(
            confined,
            scan,
            index_files,
            watch,
        )),
        Removal::SqliteEntries { tables } => sqlite::delete_entries(confined, db, tables, scan),
        Removal::WholeCache { dir, .. } => files::remove_whole_cache(confined, dir, scan),
        Removal::Buckets => {
            let enabled = backups.enabled();
            let mut backup_tree = |dir: &std::path::Path| {
                if enabled {
                    backups.backup_tree(
                        confined,
                        dir,
                        profile.browser,
                        &profile.dir_name,
                        &profile.lock,
                    )
                } else {
                    Ok(())
                }
            };
            sqlite::delete_buckets(confined, db, scan, &mut backup_tree)
        }
        Removal::QuotaCache => sqlite::invalidate_quota_cache(db, scan),
        Removal::SqlCacheRows => sqlite::delete_cache_rows(confined, scan),
        Removal::Trees | Removal::SiteFiles | Removal::LevelDbKeys => {
            unreachable!("handled above")
        }
        Removal::Skip { .. } => Ok(vec![(Action::Skipped, None); scan.items.len()]),
    };
    timings.check = checked.get();
    timings.edit = Some(
        started
            .elapsed()
            .saturating_sub(timings.check.unwrap_or_default()),
    );
    if sqlite {
        sqlite::fix_sidecar_owners(&through);
    }
    let outcomes = match result {
        Ok(outcomes) => outcomes,
        Err(err) => {
            let msg = crate::stores::error_text(&err);
            vec![(Action::Failed, Some(msg)); scan.items.len()]
        }
    };
    if backups.enabled() {
        // Cache files are not backed up (they are re-downloadable); the manifest says
        // what went.
        let removed: Vec<backup::Removed> = scan
            .items
            .iter()
            .zip(&outcomes)
            .filter(|(_, (action, _))| *action == Action::Removed)
            .filter_map(|(item, _)| {
                let files = match (&item.key, &scan.removal) {
                    (ItemKey::Files(files) | ItemKey::Entry { files, .. }, _) => files.clone(),
                    (ItemKey::InWholeCache, Removal::WholeCache { dir, .. }) => vec![dir.clone()],
                    _ => return None,
                };
                Some(backup::Removed {
                    files,
                    url: item.url.clone(),
                    size: item.size,
                })
            })
            .collect();
        if let Err(err) = backups.record_removed(removed) {
            let msg = crate::i18n::ta(
                "err-removed-but-backup-manifest-could",
                &[("detail", &format!("{err:#}"))],
            );
            return vec![(Action::Failed, Some(msg)); outcomes.len()];
        }
    }
    outcomes
}

/// Removes each item's directory trees (site storage), item by item: every tree of an
/// item is backed up first (site data is not re-downloadable; unless backups are off),
/// then removed through handles without following a symlink. A tree that is already
/// gone is fine; an item whose backup fails is left as it is.
fn remove_site_trees(
    scan: &StoreScan,
    profile: &Profile,
    backups: &mut Session,
    confined: &Confined,
    watch: &dyn Watch,
) -> Vec<Outcome> {
    item_by_item(scan, watch, |item| {
        let ItemKey::Trees(dirs) = &item.key else {
            return (
                Action::Failed,
                Some("internal error: no directories planned".to_string()),
            );
        };
        let present: Vec<&std::path::PathBuf> = dirs
            .iter()
            .filter(|d| std::fs::symlink_metadata(d).is_ok())
            .collect();
        if backups.enabled() {
            for dir in &present {
                if let Err(err) = backups.backup_tree(
                    confined,
                    dir,
                    profile.browser,
                    &profile.dir_name,
                    &profile.lock,
                ) {
                    let msg = crate::i18n::ta(
                        "err-nothing-removed-use-no-backup",
                        &[("detail", &format!("{err:#}"))],
                    );
                    return (Action::Failed, Some(msg));
                }
            }
        }
        for dir in present {
            if let Err(err) = files::remove_tree_in(confined, dir) {
                return (Action::Failed, Some(format!("{err:#}")));
            }
        }
        (Action::Removed, None)
    })
}

/// Removes each item's files (site data in single files), item by item: every file of an
/// item is backed up first (unless backups are off), read through a directory handle
/// without following a symlink, then removed. An item whose backup fails is left as it is.
fn remove_site_files(
    scan: &StoreScan,
    profile: &Profile,
    backups: &mut Session,
    confined: &Confined,
    watch: &dyn Watch,
) -> Vec<Outcome> {
    item_by_item(scan, watch, |item| {
        let ItemKey::Files(files) = &item.key else {
            return (
                Action::Failed,
                Some("internal error: no files planned".to_string()),
            );
        };
        if backups.enabled() {
            for file in files {
                let (handle, name) = match confined.split(file) {
                    Ok(found) => found,
                    Err(err) => {
                        return (
                            Action::Failed,
                            Some(crate::i18n::ta(
                                "err-nothing-removed",
                                &[("detail", &format!("{err:#}"))],
                            )),
                        )
                    }
                };
                match handle.symlink_metadata(&name) {
                    Ok(meta) if meta.is_file() => {}
                    Ok(_) => {
                        return (
                            Action::Failed,
                            Some(crate::i18n::ta(
                                "err-no-longer-regular-file-symlink-2",
                                &[("file", &file.display().to_string())],
                            )),
                        )
                    }
                    Err(_) => continue,
                }
                let through = crate::platform::path_through(&handle, &name, file);
                if let Err(err) = backups.backup_from(
                    &through,
                    file,
                    false,
                    profile.browser,
                    &profile.dir_name,
                    &profile.lock,
                ) {
                    let msg = crate::i18n::ta(
                        "err-nothing-removed-use-no-backup",
                        &[("detail", &format!("{err:#}"))],
                    );
                    return (Action::Failed, Some(msg));
                }
            }
        }
        match files::remove_files(confined, files) {
            Ok(()) => (Action::Removed, None),
            Err(e) => (Action::Failed, Some(e)),
        }
    })
}
