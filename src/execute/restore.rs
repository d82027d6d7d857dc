//! `restore`: put the stores of a backup set back, refusing while their browser runs.
//!
//! A manifest lives in the home of the user it was made for, who may have changed it:
//! every entry is checked before anything is written (its original inside the home and
//! not reached through a symlink, a store loginfix itself changes, its copy a plain file
//! of the set whose SHA-256 matches), the restored file is owned by the home's owner,
//! and the store it replaces is first backed up into a new set, so a restore can be
//! undone like a clean.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use anyhow::Context;

use super::files::{create_dir, remove_files, replace_file_as};
use super::RunOptions;
use crate::confine::Confined;
use crate::execute::backup::{Entry, Manifest, Session};
use crate::lock::LockState;
use crate::report::{Restored, WouldLose};
use crate::stores::cookie_table::CookieTable;
use crate::stores::sqlite::sidecar;

/// Puts a backed-up copy back in place of `original`, after checking its SHA-256; a file
/// that no longer exists gets the permission bits `mode`, and with `owner` the restored
/// file gets that owner and exactly `mode`. A SQLite store's WAL, shared-memory file and
/// hot journal belong to the replaced file and would be replayed onto the copy, so they
/// go; an empty journal (Chromium's) stays.
fn put_back_as(
    confined: &Confined,
    copy: &Path,
    original: &Path,
    sqlite: bool,
    sha256: &str,
    mode: u32,
    owner: Option<&std::fs::Metadata>,
) -> anyhow::Result<()> {
    let bytes = crate::fsutil::read_bounded(confined, copy, u64::MAX / 2).with_context(|| {
        crate::i18n::ta(
            "err-could-read-backup",
            &[("file", &copy.display().to_string())],
        )
    })?;
    let got = crate::execute::backup::sha256_bytes(&bytes);
    anyhow::ensure!(
        got == sha256,
        "{}",
        crate::i18n::ta(
            "err-backup-does-match-manifest-sha",
            &[
                ("file", &copy.display().to_string()),
                ("got", &got.to_string()),
                ("want", sha256)
            ]
        )
    );
    replace_file_as(confined, original, &bytes, mode, owner)?;
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
    Ok(())
}

/// Store files loginfix changes in place (and so backs up), and the `-wal`, `-shm` and
/// `-journal` of one (kept with a damaged store moved aside); a manifest entry outside a
/// backed-up tree must name one of them.
fn is_store_name(name: &str) -> bool {
    let store = ["-wal", "-shm", "-journal"]
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .unwrap_or(name);
    is_store_file_name(store)
}

/// Store files loginfix changes in place, by name.
fn is_store_file_name(name: &str) -> bool {
    matches!(
        name,
        "Cookies"
            | "cookies.sqlite"
            | "sessionstore.jsonlz4"
            | "recovery.jsonlz4"
            | "recovery.baklz4"
            | "previous.jsonlz4"
            | "Cookies.binarycookies"
            | "Cache.db"
            | "QuotaManager"
            | "serviceworker.txt"
            | "webappsstore.sqlite"
            | "ls-archive.sqlite"
            | "LocalStorage"
            | "SessionStorage"
            | "storage.sqlite"
    ) || name.starts_with("upgrade.jsonlz4-")
        || [".localstorage", ".localstorage-wal", ".localstorage-shm"]
            .iter()
            .any(|s| name.ends_with(s))
}

/// A Chromium service-worker script file, `Service Worker/ScriptCache/<16 hex>_{0,1,s}`:
/// backed up one by one when its registration is removed from the database.
fn is_script_cache_entry(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let in_script_cache = path
        .parent()
        .is_some_and(|p| p.file_name().is_some_and(|n| n == "ScriptCache"));
    in_script_cache
        && name.len() == 18
        && name.as_bytes()[..16].iter().all(u8::is_ascii_hexdigit)
        && matches!(&name[16..], "_0" | "_1" | "_s")
}

/// Checks `path` is inside `home`: absolute, no `..`, below the home (as given or
/// canonical), and no existing component from the home down to its parent a symlink.
fn check_inside_home(path: &Path, home: &Path) -> Result<(), String> {
    if !path.is_absolute() {
        return Err(crate::i18n::ta(
            "err-absolute-path",
            &[("file", &path.display().to_string())],
        ));
    }
    if path
        .components()
        .any(|c| matches!(c, Component::ParentDir | Component::CurDir))
    {
        return Err(crate::i18n::ta(
            "err-has-component",
            &[("file", &path.display().to_string())],
        ));
    }
    let canonical = std::fs::canonicalize(home).ok();
    let (base, rel) = match path.strip_prefix(home) {
        Ok(rel) => (home.to_path_buf(), rel),
        Err(_) => match canonical
            .as_deref()
            .and_then(|c| Some((c, path.strip_prefix(c).ok()?)))
        {
            Some((c, rel)) => (c.to_path_buf(), rel),
            None => {
                return Err(crate::i18n::ta(
                    "err-inside-home",
                    &[
                        ("file", &path.display().to_string()),
                        ("path", &home.display().to_string()),
                    ],
                ))
            }
        },
    };
    let parts: Vec<Component> = rel.components().collect();
    if parts.is_empty() {
        return Err(crate::i18n::ta(
            "err-home-itself",
            &[("file", &path.display().to_string())],
        ));
    }
    let mut at = base;
    for part in &parts[..parts.len() - 1] {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(crate::i18n::ta(
                    "err-symlink",
                    &[("file", &at.display().to_string())],
                ))
            }
            Ok(m) if !m.is_dir() => {
                return Err(crate::i18n::ta(
                    "err-directory",
                    &[("file", &at.display().to_string())],
                ))
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => break,
            Err(e) => {
                return Err(crate::i18n::ta(
                    "err-could-read-2",
                    &[
                        ("file", &at.display().to_string()),
                        ("detail", &e.to_string()),
                    ],
                ))
            }
        }
    }
    Ok(())
}

/// Checks one manifest entry before anything is written; `tree_dirs` are the directory
/// entries of the same manifest (files under them are files of a backed-up tree).
fn check_entry(
    set_dir: &Path,
    entry: &Entry,
    home: &Path,
    tree_dirs: &HashSet<&Path>,
) -> Result<(), String> {
    check_inside_home(&entry.original, home)?;
    if entry.dir {
        return Ok(());
    }
    let in_tree = entry
        .original
        .parent()
        .is_some_and(|p| tree_dirs.contains(p));
    let name = entry
        .original
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !in_tree && !is_store_name(&name) && !is_script_cache_entry(&entry.original) {
        return Err(crate::i18n::ta(
            "err-store-loginfix-changes",
            &[("file", &entry.original.display().to_string())],
        ));
    }
    if !crate::fsutil::is_plain_component(&entry.file) {
        return Err(crate::i18n::ta(
            "err-backup-file-plain-name-inside",
            &[("name", &entry.file.to_string())],
        ));
    }
    let copy = set_dir.join(&entry.file);
    match std::fs::symlink_metadata(&copy) {
        Ok(m) if m.is_file() => {}
        Ok(_) => {
            return Err(crate::i18n::ta(
                "err-backup-regular-file",
                &[("file", &copy.display().to_string())],
            ))
        }
        Err(e) => {
            return Err(crate::i18n::ta(
                "err-could-read-backup-2",
                &[
                    ("file", &copy.display().to_string()),
                    ("detail", &e.to_string()),
                ],
            ))
        }
    }
    match std::fs::symlink_metadata(&entry.original) {
        Ok(m) if m.file_type().is_symlink() => Err(crate::i18n::ta(
            "err-symlink-replacing",
            &[("file", &entry.original.display().to_string())],
        )),
        Ok(m) if !m.is_file() => Err(crate::i18n::ta(
            "err-regular-file-2",
            &[("file", &entry.original.display().to_string())],
        )),
        _ => Ok(()),
    }
}

/// The cookie table of a SQLite cookie store, by its file name.
fn cookie_table(original: &Path) -> Option<&'static CookieTable> {
    match original.file_name()?.to_str()? {
        "Cookies" => Some(&crate::stores::chromium::cookies::TABLE),
        "cookies.sqlite" => Some(&crate::stores::firefox::cookies::TABLE),
        _ => None,
    }
}

/// Every cookie's (host, name, path, partition) in a cookie database, read-only.
fn cookie_keys(
    file: &Path,
    spec: &CookieTable,
) -> anyhow::Result<HashSet<(String, String, String, String)>> {
    use crate::stores::sqlite;
    // From the file system's root, following no symlink on the way (a backup copy or a
    // store the restore already checked).
    let db = sqlite::open_read_only(&crate::confine::Confined::default(), file)?;
    let columns = sqlite::columns(&db.conn, spec.table)?;
    let partition = if columns.iter().any(|c| c == spec.partition) {
        spec.partition
    } else {
        "''"
    };
    let sql = format!(
        "SELECT {}, {}, {}, {partition} FROM {}",
        spec.host, spec.name, spec.path, spec.table
    );
    let mut stmt = db.conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    let mut keys = HashSet::new();
    while let Some(row) = rows.next()? {
        keys.insert((
            sqlite::text(row, 0)?,
            sqlite::text(row, 1)?,
            sqlite::text(row, 2)?,
            sqlite::text(row, 3)?,
        ));
    }
    Ok(keys)
}

/// What putting `copy` back over the entry's original would lose; `None` for a
/// directory or an original that is gone.
fn would_lose(confined: &Confined, copy: &Path, entry: &Entry) -> Option<WouldLose> {
    if entry.dir || !std::fs::symlink_metadata(&entry.original).is_ok_and(|m| m.is_file()) {
        return None;
    }
    let differs = crate::execute::backup::sha256_in(confined, &entry.original)
        .map_or(true, |h| h != entry.sha256);
    let mut lose = WouldLose {
        differs,
        ..WouldLose::default()
    };
    if let (true, true, Some(spec)) = (differs, entry.sqlite, cookie_table(&entry.original)) {
        if let (Ok(now), Ok(then)) = (cookie_keys(&entry.original, spec), cookie_keys(copy, spec)) {
            let mut count = 0;
            for (host, ..) in now.difference(&then) {
                count += 1;
                let site = host.trim_start_matches('.').to_ascii_lowercase();
                *lose.sites.entry(site).or_default() += 1;
            }
            lose.cookies = Some(count);
        }
    }
    Some(lose)
}

/// Puts the stores of a backup set back into `home`, refusing (per store) while its
/// browser runs or when its manifest entry fails the checks. Each store replaced is
/// first backed up into `undo`.
pub fn restore(
    set_dir: &Path,
    manifest: &Manifest,
    home: &Path,
    opts: RunOptions,
    undo: &mut Session,
    confined: &Confined,
) -> Vec<Restored> {
    let manifest_path = crate::execute::backup::manifest_path(set_dir);
    let owner = std::fs::metadata(home).ok();
    let tree_dirs: HashSet<&Path> = manifest
        .entries
        .iter()
        .filter(|e| e.dir)
        .map(|e| e.original.as_path())
        .collect();
    manifest
        .entries
        .iter()
        .map(|entry| {
            let copy: PathBuf = set_dir.join(&entry.file);
            let mut lost = None;
            let lock = opts.locks.check(&entry.lock);
            let (action, error) = if let Err(why) = check_entry(set_dir, entry, home, &tree_dirs) {
                (
                    "failed",
                    Some(crate::i18n::ta(
                        "err-refused-by-check-nothing-changed",
                        &[
                            ("file", &manifest_path.display().to_string()),
                            ("reason", &why.to_string()),
                        ],
                    )),
                )
            } else if lock.is_running() {
                let detail = match lock {
                    LockState::Running { detail, .. } => detail,
                    _ => String::new(),
                };
                (
                    "skipped_running",
                    Some(crate::i18n::ta(
                        "reason-running",
                        &[
                            ("browser", entry.browser.product_name()),
                            ("detail", &detail),
                        ],
                    )),
                )
            } else if opts.dry_run {
                lost = would_lose(confined, &copy, entry);
                match predict(confined, &copy, entry) {
                    Ok(()) => ("would_restore", None),
                    Err(e) => ("failed", Some(format!("{e:#}"))),
                }
            } else {
                lost = would_lose(confined, &copy, entry);
                let result = if entry.dir {
                    create_dir(
                        confined,
                        &entry.original,
                        entry.mode.unwrap_or(0o700) & 0o777,
                        owner.as_ref(),
                    )
                } else {
                    save_current(entry, undo).and_then(|()| {
                        put_back_as(
                            confined,
                            &copy,
                            &entry.original,
                            entry.sqlite,
                            &entry.sha256,
                            entry.mode.unwrap_or(0o600) & 0o777,
                            owner.as_ref(),
                        )
                    })
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
                would_lose: lost,
            }
        })
        .collect()
}

/// What a dry run checks, read-only, of what the real restore would refuse: the copy's
/// SHA-256 (checked before anything is written) and that the original's directory, when
/// it exists, is reached without a symlink or mount point. A dry run that says
/// `would_restore` is then a restore that succeeds, barring a change in between.
fn predict(confined: &Confined, copy: &Path, entry: &Entry) -> anyhow::Result<()> {
    if entry.dir {
        return Ok(());
    }
    let got = crate::execute::backup::sha256_in(confined, copy).with_context(|| {
        crate::i18n::ta(
            "err-could-read-backup",
            &[("file", &copy.display().to_string())],
        )
    })?;
    anyhow::ensure!(
        got == entry.sha256,
        "{}",
        crate::i18n::ta(
            "err-backup-does-match-manifest-sha-2",
            &[
                ("file", &copy.display().to_string()),
                ("got", &got.to_string()),
                ("want", &entry.sha256.to_string())
            ]
        )
    );
    if entry.original.parent().is_some_and(|p| p.is_dir()) {
        confined.split(&entry.original)?;
    }
    Ok(())
}

/// Backs up the store a restore is about to replace (one that exists) into `undo`.
fn save_current(entry: &Entry, undo: &mut Session) -> anyhow::Result<()> {
    if !std::fs::symlink_metadata(&entry.original).is_ok_and(|m| m.is_file()) {
        return Ok(());
    }
    undo.backup(
        &entry.original,
        entry.sqlite,
        entry.browser,
        &entry.profile,
        &entry.lock,
    )
    .map(|_| ())
    .map_err(|e| e.context(crate::i18n::t("err-could-back-up-current-store")))
}
