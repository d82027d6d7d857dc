//! `loginfix backups` lists the backup sets of earlier runs; `loginfix restore [ID]` puts
//! a set's stores back through the executor (refusing while their browser runs). Only
//! the sets made for the home acted on are listed or restored: a shared --backup-dir
//! holds other homes' sets too.

use crate::i18n::{t, ta};
use std::path::PathBuf;

use crate::execute;
use crate::execute::backup;
use crate::lock::LockPolicy;
use crate::platform::Layout;
use crate::report::{BackupRef, BackupSetInfo, BackupsReport, RestoreReport, SCHEMA_VERSION};
use crate::Fatal;

/// The directory holding the sets: `--backup-dir` (made absolute: it is recorded in
/// reports and undo commands) or the home's.
pub(crate) fn root(layout: &Layout, dir: &Option<PathBuf>) -> PathBuf {
    dir.as_deref()
        .map(crate::fsutil::absolute)
        .unwrap_or_else(|| layout.backup_root())
}

/// How `loginfix backups` runs.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ListOptions {
    /// The directory holding the sets; `None` means the home's data directory.
    pub backup_dir: Option<PathBuf>,
}

/// How `loginfix restore` runs.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct RestoreOptions {
    /// The set to put back; `None` means the latest.
    pub id: Option<String>,
    /// The directory holding the sets; `None` means the home's data directory.
    pub backup_dir: Option<PathBuf>,
    pub dry_run: bool,
    pub locks: LockPolicy,
    /// Restore the set this `--all-users` run made in this home (`id` is then unused).
    pub fleet_run: Option<String>,
    /// The `--all-users` run this restore is part of: stamped on the set of what it
    /// replaces, so that the fleet's restore is undone as one too.
    pub stamp: Option<String>,
}

pub fn list(layout: &Layout, options: &ListOptions) -> Result<BackupsReport, Fatal> {
    let root = root(layout, &options.backup_dir);
    let fs = crate::confine::Confined::with(layout.confinement());
    let sets = backup::list_for_home(&fs, &root, &layout.home)
        .map_err(|e| Fatal::failure(format!("{e:#}")))?;
    Ok(BackupsReport {
        schema_version: SCHEMA_VERSION,
        command: "backups",
        meta: crate::report::Meta::for_layout(layout),
        backup_dir: root,
        sets: sets
            .into_iter()
            .rev()
            .map(|(dir, m)| {
                let mut profiles: Vec<String> = Vec::new();
                for e in &m.entries {
                    let p = format!("{} {}", e.browser.name(), e.profile);
                    if !profiles.contains(&p) {
                        profiles.push(p);
                    }
                }
                BackupSetInfo {
                    size: backup::set_size(&dir),
                    restorable: m.restorable(),
                    id: m.id,
                    created: m.created,
                    command: m.command,
                    home: m.home,
                    fleet_run: m.fleet_run,
                    profiles,
                    stores: m.entries.len(),
                    removed_cache_entries: m.removed.len(),
                    dir,
                }
            })
            .collect(),
    })
}

pub fn restore(layout: &Layout, options: &RestoreOptions) -> Result<RestoreReport, Fatal> {
    // Warnings have no place in a restore report; what the lock's absence risks, the
    // backup of the current stores reports on its own.
    let _lock = if options.dry_run {
        None
    } else {
        super::lock_home(layout, &mut Vec::new())?
    };
    let root = root(layout, &options.backup_dir);
    let fs = std::sync::Arc::new(crate::confine::Confined::with(layout.confinement()));
    let sets = backup::list(&fs, &root).map_err(|e| Fatal::failure(format!("{e:#}")))?;
    if let Some(id) = &options.id {
        if let Some((_, m)) = sets.iter().find(|(_, m)| &m.id == id) {
            if !backup::same_home(&m.home, &layout.home) {
                return Err(Fatal::failure(ta(
                    "error-set-other-home",
                    &[
                        ("id", id),
                        ("home", &m.home.display().to_string()),
                        ("dir", &layout.home.display().to_string()),
                    ],
                ))
                .hint(t("hint-set-other-home")));
            }
        }
    }
    let mut sets = sets;
    sets.retain(|(_, m)| backup::same_home(&m.home, &layout.home));
    let chosen = match (&options.fleet_run, &options.id) {
        (Some(run), _) => sets
            .into_iter()
            .rev()
            .find(|(_, m)| m.fleet_run.as_ref() == Some(run) && m.restorable()),
        (None, Some(id)) => sets.into_iter().find(|(_, m)| &m.id == id),
        // The latest set with something to put back: a cache clean's set only records
        // what was removed.
        (None, None) => sets.into_iter().rev().find(|(_, m)| m.restorable()),
    };
    let Some((dir, manifest)) = chosen else {
        let dir = root.display().to_string();
        let what = match (&options.fleet_run, &options.id) {
            (Some(run), _) => ta("error-no-set-of-run", &[("id", run), ("dir", &dir)]),
            (None, Some(id)) => ta("error-no-set-id", &[("id", id), ("dir", &dir)]),
            (None, None) => ta(
                "error-no-set",
                &[("home", &layout.home.display().to_string()), ("dir", &dir)],
            ),
        };
        return Err(Fatal::failure(what).hint(t("hint-no-set")));
    };
    let run = execute::RunOptions {
        dry_run: options.dry_run,
        locks: options.locks,
        deadline: None,
    };
    // What the restore replaces goes into a new set: restoring that set undoes it. It is
    // not pruned here, so the set being restored from stays.
    let undo_opts = backup::BackupOptions {
        enabled: true,
        root: root.clone(),
        keep: backup::DEFAULT_KEEP,
        fleet_run: options.stamp.clone(),
    };
    let mut undo = backup::Session::new(undo_opts, "restore", &layout.home, fs.clone());
    let stores = execute::restore(&dir, &manifest, &layout.home, run, &mut undo, &fs);
    let restorable = undo.restorable();
    let undo = undo.id().map(|id| BackupRef {
        id: id.to_string(),
        dir: root.join(id),
        restorable,
        pruning: None,
    });
    Ok(RestoreReport {
        schema_version: SCHEMA_VERSION,
        command: "restore",
        meta: crate::report::Meta::for_layout(layout),
        dry_run: options.dry_run,
        id: manifest.id,
        dir,
        stores,
        undo,
        // Filled in by `commands::run_one` (or `app`), which knows the command line to repeat.
        undo_command: None,
    })
}
