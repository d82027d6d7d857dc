//! The executor's LevelDB rebuild (Chromium's shared bytewise databases): the old
//! database is backed up whole, read from a private copy, and a new database holding only
//! the surviving keys is built beside it as `<db>__tmp_for_rebuild` (Chromium's own name:
//! an interrupted run is finished by Chromium's recovery, which renames the tmp into place
//! when `<db>/CURRENT` is missing). Its files get the old ones' mode and owner and are
//! flushed to disk, it is read back and compared, and only then swapped in: the old
//! directory renamed away, the new one renamed into place, the old one removed. Any
//! failure before the swap leaves the old database exactly as it was.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::Context;
use cap_fs_ext::DirExt;
use cap_std::fs::Dir;

use super::files::{remove_files, remove_tree_in};
use super::Outcome;
use crate::browser::Profile;
use crate::confine::{is_not_found, Confined};
use crate::execute::backup::Session;
use crate::report::Action;
use crate::stores::chromium::leveldb;
use crate::stores::{ItemKey, StoreScan};

/// The suffix Chromium's `RewriteDB` gives the database it builds.
pub const REBUILD_SUFFIX: &str = "__tmp_for_rebuild";

/// Rebuilds the store's database without every item's keys (all items in one rewrite,
/// so a service-worker registration never goes half), then removes the items' files
/// and trees. One outcome per item.
pub(super) fn rebuild(
    scan: &StoreScan,
    profile: &Profile,
    backups: &mut Session,
    confined: &Confined,
) -> Vec<Outcome> {
    let n = scan.items.len();
    let path = &scan.store.path;
    let mut drop: BTreeSet<Vec<u8>> = BTreeSet::new();
    for item in &scan.items {
        let ItemKey::LevelDbKeys { keys, .. } = &item.key else {
            return vec![
                (
                    Action::Failed,
                    Some("internal error: no keys planned".into())
                );
                n
            ];
        };
        drop.extend(keys.iter().cloned());
    }
    if let Err(err) = rewrite(path, &drop, profile, backups, confined) {
        return vec![(Action::Failed, Some(format!("{err:#}"))); n];
    }
    scan.items
        .iter()
        .map(|item| {
            let ItemKey::LevelDbKeys { files, trees, .. } = &item.key else {
                unreachable!("checked above")
            };
            match remove_outside(files, trees, profile, backups, confined) {
                Ok(()) => (Action::Removed, None),
                Err(err) => (Action::Failed, Some(format!("{err:#}"))),
            }
        })
        .collect()
}

/// An item's files and trees outside the database, backed up first.
fn remove_outside(
    files: &[PathBuf],
    trees: &[PathBuf],
    profile: &Profile,
    backups: &mut Session,
    confined: &Confined,
) -> anyhow::Result<()> {
    let present = |p: &&PathBuf| std::fs::symlink_metadata(p).is_ok();
    if backups.enabled() {
        for f in files.iter().filter(present) {
            backups
                .backup(f, false, profile.browser, &profile.dir_name, &profile.lock)
                .map_err(|e| e.context(crate::i18n::t("err-database-rebuilt-but-this-file")))?;
        }
        for t in trees.iter().filter(present) {
            backups
                .backup_tree(
                    confined,
                    t,
                    profile.browser,
                    &profile.dir_name,
                    &profile.lock,
                )
                .map_err(|e| {
                    e.context(crate::i18n::t("err-database-rebuilt-but-this-directory"))
                })?;
        }
    }
    remove_files(confined, files).map_err(|e| anyhow::anyhow!(e))?;
    for t in trees {
        remove_tree_in(confined, t)?;
    }
    Ok(())
}

/// The rebuild itself; an error before the swap has changed nothing.
fn rewrite(
    path: &Path,
    drop: &BTreeSet<Vec<u8>>,
    profile: &Profile,
    backups: &mut Session,
    confined: &Confined,
) -> anyhow::Result<()> {
    let (parent, name) = confined.split(path)?;
    let meta = parent.symlink_metadata(&name).with_context(|| {
        crate::i18n::ta(
            "error-could-not-read",
            &[("file", &path.display().to_string())],
        )
    })?;
    anyhow::ensure!(
        meta.is_dir() && !meta.file_type().is_symlink(),
        "{}",
        crate::i18n::ta(
            "err-no-longer-directory-symlink-nothing",
            &[("file", &path.display().to_string())]
        )
    );
    let pairs = {
        // Closed before the swap: Windows renames no directory that has a handle open.
        let db_dir = parent.open_dir_nofollow(&name).with_context(|| {
            crate::i18n::ta(
                "error-could-not-open",
                &[("file", &path.display().to_string())],
            )
        })?;
        leveldb::read_all_in(&db_dir, path)
            .map_err(|e| e.context(crate::i18n::t("err-nothing-changed")))?
    };
    let keep: Vec<&(Vec<u8>, Vec<u8>)> = pairs.iter().filter(|(k, _)| !drop.contains(k)).collect();
    if keep.len() == pairs.len() {
        // Nothing of the targets is there (any more): nothing to rebuild.
        return Ok(());
    }
    let tmp_name = {
        let mut s = name.clone();
        s.push(REBUILD_SUFFIX);
        s
    };
    let tmp_path = path.with_file_name(&tmp_name);
    match parent.symlink_metadata(&tmp_name) {
        Err(e) if is_not_found(&e) => {}
        _ => anyhow::bail!(
            "{}",
            crate::i18n::ta(
                "err-left-over-from-interrupted-rebuild",
                &[("file", &tmp_path.display().to_string())]
            )
        ),
    }
    if backups.enabled() {
        backups
            .backup_tree(
                confined,
                path,
                profile.browser,
                &profile.dir_name,
                &profile.lock,
            )
            .map_err(|e| e.context(crate::i18n::t("err-nothing-changed-use-no-backup")))?;
    }
    let built = build(&parent, &tmp_name, &tmp_path, path, &keep);
    if let Err(err) = built {
        let _ = remove_tree_in(confined, &tmp_path);
        return Err(err.context(crate::i18n::t("err-nothing-changed")));
    }
    swap(confined, &parent, &name, &tmp_name, path)
}

/// Builds the new database as `parent/tmp_name`. The LevelDB library writes by path, so
/// it writes into a private scratch directory of loginfix's own, never into the home;
/// the files are then copied into a directory made through the parent's handle, each
/// created new there (never through a link), given the old database's owner and mode
/// on its descriptor, and flushed through that same writable handle (Windows flushes
/// no handle opened read-only). Then the new database is read back through its handle
/// and compared.
fn build(
    parent: &Dir,
    tmp_name: &std::ffi::OsStr,
    tmp_path: &Path,
    path: &Path,
    keep: &[&(Vec<u8>, Vec<u8>)],
) -> anyhow::Result<()> {
    let old = parent
        .open_dir_nofollow(path.file_name().unwrap_or_default())
        .with_context(|| {
            crate::i18n::ta(
                "error-could-not-open",
                &[("file", &path.display().to_string())],
            )
        })?;
    let dir_mode = old
        .dir_metadata()
        .ok()
        .and_then(|m| crate::platform::cap_mode(&m))
        .unwrap_or(0o700)
        & 0o777;
    let mode = crate::confine::open_in(&old, std::ffi::OsStr::new("CURRENT"))
        .ok()
        .and_then(|f| f.metadata().ok())
        .and_then(|m| crate::platform::mode_of_meta(&m))
        .unwrap_or(0o600)
        & 0o777;
    let owner = crate::platform::dir_owner(&old);
    // Closed before the swap: Windows renames no directory that has a handle open.
    drop(old);
    let scratch = crate::scratch::ScratchDir::new().with_context(|| {
        crate::i18n::ta(
            "err-could-build",
            &[("file", &tmp_path.display().to_string())],
        )
    })?;
    let built_at = scratch.path().join("db");
    {
        let opts = rusty_leveldb::Options {
            create_if_missing: true,
            // Snappy, as Chromium writes its tables.
            compressor: 1,
            ..Default::default()
        };
        let fail = |e: rusty_leveldb::Status| {
            anyhow::anyhow!(
                "{}",
                crate::i18n::ta(
                    "err-could-build-2",
                    &[
                        ("file", &tmp_path.display().to_string()),
                        ("detail", &e.to_string())
                    ]
                )
            )
        };
        let mut db = rusty_leveldb::DB::open(&built_at, opts).map_err(fail)?;
        let mut batch = rusty_leveldb::WriteBatch::default();
        for (i, (k, v)) in keep.iter().enumerate() {
            batch.put(k, v);
            if i % 1024 == 1023 {
                db.write(std::mem::take(&mut batch), true).map_err(fail)?;
            }
        }
        db.write(batch, true).map_err(fail)?;
        db.flush().map_err(fail)?;
        // Dropped, not `close`d: dropping releases the lock and closes its file as well,
        // and an unlock the OS refuses (Wine does) is no reason to fail a flushed build.
        drop(db);
    }
    let new_dir = super::files::make_dir_in(parent, tmp_name, tmp_path, owner, dir_mode)?
        .with_context(|| {
            crate::i18n::ta(
                "err-appeared-while-being-made-nothing",
                &[("file", &tmp_path.display().to_string())],
            )
        })?;
    let built = std::fs::read_dir(&built_at).with_context(|| {
        crate::i18n::ta(
            "err-could-list-what-built-for",
            &[("file", &tmp_path.display().to_string())],
        )
    })?;
    for entry in built {
        let entry = entry?;
        let fname = entry.file_name();
        let shown = tmp_path.join(&fname);
        anyhow::ensure!(
            entry.file_type()?.is_file(),
            "{}",
            crate::i18n::ta(
                "err-regular-file-2",
                &[("file", &shown.display().to_string())]
            )
        );
        let mut from = std::fs::File::open(entry.path()).with_context(|| {
            crate::i18n::ta(
                "err-could-read-what-built-for",
                &[("file", &shown.display().to_string())],
            )
        })?;
        let mut file = crate::platform::create_file_at(&new_dir, &fname).with_context(|| {
            crate::i18n::ta(
                "err-could-create",
                &[("file", &shown.display().to_string())],
            )
        })?;
        crate::platform::own_and_mode(&file, owner, mode).with_context(|| {
            crate::i18n::ta(
                "err-could-give-owner",
                &[("file", &shown.display().to_string())],
            )
        })?;
        std::io::copy(&mut from, &mut file)
            .and_then(|_| file.sync_all())
            .with_context(|| {
                crate::i18n::ta("err-could-write", &[("file", &shown.display().to_string())])
            })?;
    }
    crate::platform::sync_dir_handle(&new_dir).with_context(|| {
        crate::i18n::ta(
            "err-could-flush",
            &[("file", &tmp_path.display().to_string())],
        )
    })?;
    // Read back what was built: exactly the surviving keys and values.
    let back = leveldb::read_all_in(&new_dir, tmp_path)?;
    anyhow::ensure!(
        back.len() == keep.len() && back.iter().zip(keep).all(|(a, b)| a == *b),
        "{}",
        crate::i18n::ta(
            "err-rebuilt-does-read-back-as",
            &[("file", &tmp_path.display().to_string())]
        )
    );
    Ok(())
}

/// Swaps the new database in: old renamed away, new renamed into place (the old put back
/// if that fails), the parent flushed, the old removed.
#[expect(clippy::disallowed_methods, reason = "the executor's LevelDB swap")]
fn swap(
    confined: &Confined,
    parent: &Dir,
    name: &std::ffi::OsStr,
    tmp_name: &std::ffi::OsStr,
    path: &Path,
) -> anyhow::Result<()> {
    let mut old_name = name.to_os_string();
    old_name.push(format!(".loginfix-old-{}", std::process::id()));
    let old_path = path.with_file_name(&old_name);
    let tmp_path = path.with_file_name(tmp_name);
    confined.forget(path);
    if let Err(e) = parent.rename(name, parent, &old_name) {
        let _ = remove_tree_in(confined, &tmp_path);
        return Err(e).with_context(|| {
            crate::i18n::ta(
                "err-could-move-aside-nothing-changed",
                &[("file", &path.display().to_string())],
            )
        });
    }
    if let Err(e) = parent.rename(tmp_name, parent, name) {
        let back = parent.rename(&old_name, parent, name);
        let _ = remove_tree_in(confined, &tmp_path);
        return Err(e).with_context(|| match back {
            Ok(()) => crate::i18n::ta(
                "err-could-move-rebuilt-database-into",
                &[("file", &path.display().to_string())],
            ),
            Err(b) => crate::i18n::ta(
                "err-could-move-rebuilt-database-into-2",
                &[
                    ("file", &path.display().to_string()),
                    ("path", &old_path.display().to_string()),
                    ("detail", &b.to_string()),
                ],
            ),
        });
    }
    let _ = crate::platform::sync_dir_handle(parent);
    confined.forget(&tmp_path);
    remove_tree_in(confined, &old_path).with_context(|| {
        crate::i18n::ta(
            "err-database-rebuilt-but-old-copy",
            &[("file", &old_path.display().to_string())],
        )
    })
}
