//! `loginfix backups` lists the backup sets of earlier runs; `loginfix restore [ID]` puts
//! a set's stores back through the executor (refusing while their browser runs).

use std::path::PathBuf;

use crate::backup;
use crate::cli::{BackupsArgs, RestoreArgs};
use crate::execute;
use crate::lock::LockPolicy;
use crate::platform::Layout;
use crate::report::{BackupSetInfo, BackupsReport, RestoreReport, SCHEMA_VERSION};
use crate::Fatal;

fn root(layout: &Layout, dir: &Option<PathBuf>) -> PathBuf {
    dir.clone().unwrap_or_else(|| layout.backup_root())
}

pub fn list(layout: &Layout, args: &BackupsArgs) -> Result<BackupsReport, Fatal> {
    let root = root(layout, &args.backup_dir);
    let sets = backup::list(&root).map_err(|e| Fatal::failure(format!("{e:#}")))?;
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
    let chosen = match &args.id {
        Some(id) => sets.into_iter().find(|(_, m)| &m.id == id),
        None => sets.into_iter().next_back(),
    };
    let Some((dir, manifest)) = chosen else {
        let what = match &args.id {
            Some(id) => format!("no backup set `{id}` in `{}`", root.display()),
            None => format!("no backup set in `{}`", root.display()),
        };
        return Err(Fatal::failure(what)
            .hint("`loginfix backups` lists the sets; --backup-dir picks another directory"));
    };
    let run = execute::RunOptions {
        dry_run: args.dry_run,
        locks,
    };
    let stores = execute::restore(&dir, &manifest, run);
    Ok(RestoreReport {
        schema_version: SCHEMA_VERSION,
        command: "restore",
        dry_run: args.dry_run,
        id: manifest.id,
        dir,
        stores,
    })
}
