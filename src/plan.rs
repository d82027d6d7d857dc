//! A plan: per profile, the stores read and the items in them that belong to the
//! targets. Built read-only by the adapters; the same plan is printed by a dry run and
//! applied by the executor, so the two cannot drift.

use crate::browser::Profile;
use crate::report::StoreError;
use crate::stores::{self, Category, Removal, ScanOptions, Shape, StoreKind, StoreScan};
use crate::targets::Targets;

/// What is to be done for one profile.
#[derive(Clone, Debug)]
pub struct ProfilePlan {
    pub profile: Profile,
    pub stores: Vec<StoreScan>,
    /// Stores that could not be read; nothing is changed in them.
    pub errors: Vec<StoreError>,
    /// Damaged stores among `errors` that the person agreed to have moved aside (see
    /// `execute::run_profile`); set by the command, never by planning.
    pub move_aside: Vec<std::path::PathBuf>,
}

/// Told about planning store by store, and asked whether to go on: reading a big cache
/// takes seconds, so a terminal shows which store is being read, and an interrupt while
/// planning (which changes nothing) stops before the next store.
pub trait Watch {
    /// `store` of `profile` is about to be read.
    fn store(&self, profile: &Profile, store: &stores::Store);
    /// Whether to stop before the next store; the plan then lacks the stores not read.
    fn stop(&self) -> bool;
    /// The counter the cache scanners update as they read entries, when someone shows it.
    fn entries(&self) -> Option<std::sync::Arc<stores::ScanCount>> {
        None
    }
}

/// Tells nobody and never stops.
pub struct Unwatched;

impl Watch for Unwatched {
    fn store(&self, _: &Profile, _: &stores::Store) {}
    fn stop(&self) -> bool {
        false
    }
}

/// Plans the removal of the targets' items from each profile's stores of the given
/// categories (cookies, cache, ...), in the order the profile lists its stores.
pub fn for_categories(
    profiles: &[Profile],
    targets: &Targets,
    categories: &[Category],
    opts: &ScanOptions,
    policy: &crate::confine::Policy,
    watch: &dyn Watch,
) -> Vec<ProfilePlan> {
    let opts = ScanOptions {
        fs: std::sync::Arc::new(crate::confine::Confined::with(policy.clone())),
        count: watch.entries().unwrap_or_default(),
        ..opts.clone()
    };
    profiles
        .iter()
        .map(|profile| {
            plan_stores(profile, targets, &opts, watch, |kind| {
                categories.contains(&kind.category)
            })
        })
        .collect()
}

/// Why `store` cannot be reached from its root the way the executor will reach it: a
/// symlink on the way that the confinement does not follow (any symlink, for the home's
/// owner; one leading out of the home, for anyone else), a mount point, or a store that
/// is itself a symlink. Readers and the executor must not be led outside the home by a
/// link (run as root, into anyone's files).
fn not_reachable(fs: &crate::confine::Confined, store: &std::path::Path) -> Option<String> {
    if !fs.covers(store) {
        return None;
    }
    match fs.metadata(store) {
        Ok(m) if m.file_type().is_symlink() => {
            let target = std::fs::read_link(store)
                .map(|t| t.display().to_string())
                .unwrap_or_default();
            Some(format!(
                "`{}` is a symlink to `{target}`; not followed",
                store.display()
            ))
        }
        Ok(_) => None,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => Some(e.to_string()),
    }
}

/// A file store (or its SQLite `-wal` / `-journal`) that is a regular file with more than
/// one hard link, and how many it has.
fn hard_linked(store: &stores::Store) -> Option<(std::path::PathBuf, u64)> {
    if store.kind.shape != Shape::File {
        return None;
    }
    [
        store.path.clone(),
        stores::sqlite::sidecar(&store.path, "-wal"),
        stores::sqlite::sidecar(&store.path, "-journal"),
    ]
    .into_iter()
    .find_map(|p| {
        let meta = std::fs::symlink_metadata(&p).ok()?;
        let links = crate::platform::hard_links(&meta)?;
        (meta.is_file() && links > 1).then_some((p, links))
    })
}

/// Whether a SQLite database at `path` has a non-empty WAL or rollback journal (which
/// only a copy could be read with, see `stores::sqlite`).
fn has_live_sidecar(path: &std::path::Path) -> bool {
    ["-wal", "-journal"].iter().any(|suffix| {
        std::fs::symlink_metadata(stores::sqlite::sidecar(path, suffix)).is_ok_and(|m| m.len() > 0)
    })
}

fn plan_stores(
    profile: &Profile,
    targets: &Targets,
    opts: &ScanOptions,
    watch: &dyn Watch,
    wanted: impl Fn(&StoreKind) -> bool,
) -> ProfilePlan {
    let mut plan = ProfilePlan {
        profile: profile.clone(),
        stores: Vec::new(),
        errors: Vec::new(),
        move_aside: Vec::new(),
    };
    let mut running: Option<bool> = None;
    for store in profile.stores.iter().filter(|s| wanted(s.kind)) {
        if watch.stop() {
            break;
        }
        watch.store(profile, store);
        // A link would lead the executor outside the profile tree it found (run as root
        // on another user's home, into anyone's files): such stores are refused.
        if let Some(why) = not_reachable(&opts.fs, &store.path) {
            plan.errors
                .push(StoreError::new(store.kind.label, store.path.clone(), why));
            continue;
        }
        // Editing a hard-linked file in place changes every other name of it too (which
        // could be anyone's file, linked into the profile by its owner).
        if let Some((file, links)) = hard_linked(store) {
            plan.errors.push(StoreError::new(
                store.kind.label,
                store.path.clone(),
                format!(
                    "`{}` has {links} hard links; editing it would change the other copies too; not changed",
                    file.display()
                )
            ));
            continue;
        }
        // A running browser's SQLite store with a WAL or hot journal could only be read
        // through a copy of its live cookies; nothing would be done with it (the executor
        // skips running profiles), so it is not read at all.
        if store.kind.shape == Shape::File && has_live_sidecar(&store.path) {
            let running =
                *running.get_or_insert_with(|| opts.locks.check(&profile.lock).is_running());
            if running {
                plan.stores.push(StoreScan {
                    store: store.clone(),
                    items: Vec::new(),
                    removal: Removal::Skip {
                        reason: "not read: the browser is running".to_string(),
                    },
                    unreadable: Vec::new(),
                });
                continue;
            }
        }
        match stores::scan(store, targets, opts) {
            Ok(scan) => plan.stores.push(scan),
            Err(err) => plan.errors.push(StoreError::of_read(
                store.kind.label,
                store.path.clone(),
                &err,
            )),
        }
    }
    plan
}
