//! `restore`: put the stores of a backup set back, refusing while their browser runs.

use std::path::Path;

use anyhow::Context;

use super::files::{create_dir, remove_files, replace_file};
use super::RunOptions;
use crate::confine::Confined;
use crate::lock::LockState;
use crate::report::Restored;
use crate::stores::sqlite::sidecar;

/// Puts a backed-up copy back in place of `original` and checks its SHA-256. A SQLite
/// store's WAL, shared-memory file and hot journal belong to the replaced file and would
/// be replayed onto the copy, so they go; an empty journal (Chromium's) stays.
pub(super) fn put_back(
    confined: &Confined,
    copy: &Path,
    original: &Path,
    sqlite: bool,
    sha256: &str,
) -> anyhow::Result<()> {
    put_back_as(confined, copy, original, sqlite, sha256, 0o600)
}

/// [`put_back`], giving a file that no longer exists the permission bits `mode`.
fn put_back_as(
    confined: &Confined,
    copy: &Path,
    original: &Path,
    sqlite: bool,
    sha256: &str,
    mode: u32,
) -> anyhow::Result<()> {
    let bytes = std::fs::read(copy)
        .with_context(|| format!("could not read the backup `{}`", copy.display()))?;
    replace_file(confined, original, &bytes, mode)?;
    if sqlite {
        for suffix in ["-wal", "-shm", "-journal"] {
            let side = sidecar(original, suffix);
            let keep = suffix == "-journal" && std::fs::metadata(&side).is_ok_and(|m| m.len() == 0);
            if !keep {
                remove_files(confined, std::slice::from_ref(&side))
                    .map_err(|e| anyhow::anyhow!(e))?;
            }
        }
    }
    let got = crate::backup::sha256_file(original)?;
    anyhow::ensure!(
        got == sha256,
        "`{}` does not match its backup after the copy (SHA-256 {got}, expected {sha256})",
        original.display()
    );
    Ok(())
}

/// Puts the stores of a backup set back, refusing (per store) while its browser runs.
pub fn restore(
    set_dir: &Path,
    manifest: &crate::backup::Manifest,
    opts: RunOptions,
    confined: &Confined,
) -> Vec<Restored> {
    manifest
        .entries
        .iter()
        .map(|entry| {
            let lock = opts.locks.check(&entry.lock);
            let (action, error) = if lock.is_running() {
                let detail = match lock {
                    LockState::Running { detail, .. } => detail,
                    _ => String::new(),
                };
                (
                    "skipped_running",
                    Some(format!(
                        "{} is running: {detail}",
                        entry.browser.product_name()
                    )),
                )
            } else if opts.dry_run {
                ("would_restore", None)
            } else {
                let result = if entry.dir {
                    create_dir(confined, &entry.original, entry.mode.unwrap_or(0o700))
                } else {
                    put_back_as(
                        confined,
                        &set_dir.join(&entry.file),
                        &entry.original,
                        entry.sqlite,
                        &entry.sha256,
                        entry.mode.unwrap_or(0o600),
                    )
                };
                match result {
                    Ok(()) => ("restored", None),
                    Err(e) => ("failed", Some(format!("{e:#}"))),
                }
            };
            Restored {
                original: entry.original.clone(),
                browser: entry.browser,
                profile: entry.profile.clone(),
                action,
                error,
            }
        })
        .collect()
}
