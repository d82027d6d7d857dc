//! `loginfix backups` lists the backup sets of earlier runs; `loginfix restore [ID]` puts
//! a set's stores back through the executor (refusing while their browser runs). Only
//! the sets made for the home acted on are listed or restored: a shared --backup-dir
//! holds other homes' sets too.

use std::path::PathBuf;

use crate::backup;
use crate::cli::{BackupsArgs, RestoreArgs};
use crate::execute;
use crate::lock::LockPolicy;
use crate::platform::Layout;
use crate::report::{BackupRef, BackupSetInfo, BackupsReport, RestoreReport, SCHEMA_VERSION};
use crate::Fatal;

fn root(layout: &Layout, dir: &Option<PathBuf>) -> PathBuf {
    dir.clone().unwrap_or_else(|| layout.backup_root())
}

pub fn list(layout: &Layout, args: &BackupsArgs) -> Result<BackupsReport, Fatal> {
    let root = root(layout, &args.backup_dir);
    let sets =
        backup::list_for_home(&root, &layout.home).map_err(|e| Fatal::failure(format!("{e:#}")))?;
    Ok(BackupsReport {
        schema_version: SCHEMA_VERSION,
        command: "backups",
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
                    id: m.id,
                    created: m.created,
                    command: m.command,
                    home: m.home,
                    profiles,
                    stores: m.entries.len(),
                    removed_cache_entries: m.removed.len(),
                    dir,
                }
            })
            .collect(),
    })
}

pub fn restore(
    layout: &Layout,
    args: &RestoreArgs,
    locks: LockPolicy,
) -> Result<RestoreReport, Fatal> {
    let root = root(layout, &args.backup_dir);
    let sets = backup::list(&root).map_err(|e| Fatal::failure(format!("{e:#}")))?;
    if let Some(id) = &args.id {
        if let Some((_, m)) = sets.iter().find(|(_, m)| &m.id == id) {
            if !backup::same_home(&m.home, &layout.home) {
                return Err(Fatal::failure(format!(
                    "backup set `{id}` was made for the home `{}`, not `{}`; not restored",
                    m.home.display(),
                    layout.home.display()
                ))
                .hint("--home picks the home a set was made for"));
            }
        }
    }
    let mut sets = sets;
    sets.retain(|(_, m)| backup::same_home(&m.home, &layout.home));
    let chosen = match &args.id {
        Some(id) => sets.into_iter().find(|(_, m)| &m.id == id),
        None => sets.into_iter().next_back(),
    };
    let Some((dir, manifest)) = chosen else {
        let what = match &args.id {
            Some(id) => format!("no backup set `{id}` in `{}`", root.display()),
            None => format!(
                "no backup set for `{}` in `{}`",
                layout.home.display(),
                root.display()
            ),
        };
        return Err(Fatal::failure(what)
            .hint("`loginfix backups` lists the sets; --backup-dir picks another directory"));
    };
    let run = execute::RunOptions {
        dry_run: args.dry_run,
        locks,
    };
    // What the restore replaces goes into a new set: restoring that set undoes it. It is
    // not pruned here, so the set being restored from stays.
    let undo_opts = backup::BackupOptions {
        enabled: true,
        root: root.clone(),
        keep: backup::DEFAULT_KEEP,
    };
    let mut undo = backup::Session::new(undo_opts, "restore", &layout.home);
    let stores = execute::restore(&dir, &manifest, &layout.home, run, &mut undo);
    let undo = undo.id().map(|id| BackupRef {
        id: id.to_string(),
        dir: root.join(id),
    });
    Ok(RestoreReport {
        schema_version: SCHEMA_VERSION,
        command: "restore",
        dry_run: args.dry_run,
        id: manifest.id,
        dir,
        stores,
        undo,
    })
}
