//! `loginfix request`: a clean asked for on this machine, and the marker `fix
//! --if-requested` reads and clears. Scheduled runs (Intune's detection, a cron job)
//! report and never clean by themselves: a clean runs once per request. The marker is
//! where no user can write: `HKLM\SOFTWARE\loginfix` (`FixRequested`) on a Windows
//! machine, elsewhere a file of the running (root) user under the root, trusted only when
//! neither it nor a directory below the root is a symlink, someone else's, or writable by
//! group or others.

use std::path::{Path, PathBuf};

use crate::platform::{self, Layout, Os};
use crate::report::request::RequestReport;
use crate::report::{Meta, SCHEMA_VERSION};
use crate::Fatal;

/// What `loginfix request` does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Action {
    Set,
    Clear,
    Status,
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Options {
    pub action: Action,
}

/// Where the marker of `layout`'s machine lives.
enum Marker {
    Registry,
    File(PathBuf),
}

fn marker(layout: &Layout) -> Marker {
    if layout.os == Os::Windows && layout.is_host_system() && cfg!(windows) {
        return Marker::Registry;
    }
    let rel = match layout.os {
        Os::Linux => "var/lib/loginfix/fix-requested",
        Os::Macos => "Library/Application Support/loginfix/fix-requested",
        Os::Windows => "ProgramData/loginfix/fix-requested",
    };
    Marker::File(layout.system_path(rel))
}

fn shown(m: &Marker) -> String {
    match m {
        Marker::Registry => format!(
            "HKLM\\{}\\{}",
            platform::REQUEST_KEY,
            platform::REQUEST_VALUE
        ),
        Marker::File(p) => p.display().to_string(),
    }
}

/// Why the file marker at `file` (below `root`) cannot be trusted, if it cannot: a
/// symlink on the way, or an entry someone else owns or others may write.
fn distrust(root: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(root).ok()?;
    let mut at = root.to_path_buf();
    for part in rel.components() {
        at.push(part);
        let Ok(meta) = std::fs::symlink_metadata(&at) else {
            return None;
        };
        if meta.file_type().is_symlink() {
            return Some(format!("`{}` is a symlink", at.display()));
        }
        if !platform::owned_by_me(&meta) {
            return Some(format!("`{}` belongs to another user", at.display()));
        }
        if platform::mode_of_meta(&meta).is_some_and(|m| m & 0o022 != 0) {
            return Some(format!("`{}` may be written by others", at.display()));
        }
    }
    None
}

/// When a clean was requested on `layout`'s machine (`None`: not requested). A marker
/// that cannot be trusted is no request: it goes into `warnings` instead.
pub fn requested(layout: &Layout, warnings: &mut Vec<String>) -> Result<Option<String>, Fatal> {
    match marker(layout) {
        Marker::Registry => platform::registry_request()
            .unwrap_or(Ok(None))
            .map_err(|e| {
                Fatal::failure(format!(
                    "{}: {e}",
                    crate::i18n::ta(
                        "error-could-not-read",
                        &[("file", &shown(&Marker::Registry).to_string())]
                    )
                ))
            }),
        Marker::File(file) => {
            if !file.exists() {
                return Ok(None);
            }
            if let Some(why) = distrust(&layout.root, &file) {
                warnings.push(format!(
                    "the request marker `{}` is not trusted ({why}): no clean is requested",
                    file.display()
                ));
                return Ok(None);
            }
            let text = crate::fsutil::read_text(&crate::confine::Confined::default(), &file)
                .map_err(|e| {
                    Fatal::failure(format!(
                        "{}: {e}",
                        crate::i18n::ta(
                            "error-could-not-read",
                            &[("file", &file.display().to_string())]
                        )
                    ))
                })?;
            Ok(Some(text.trim().to_string()))
        }
    }
}

/// Marks a clean as requested (`Some(when)`) or clears the mark (`None`).
#[expect(
    clippy::disallowed_methods,
    reason = "loginfix's own marker under the machine's root, not a browser store"
)]
fn set(layout: &Layout, when: Option<&str>) -> Result<(), Fatal> {
    let m = marker(layout);
    let fail = |e: std::io::Error| {
        Fatal::failure(crate::i18n::ta(
            "error-could-not-change",
            &[("file", &shown(&m).to_string()), ("reason", &e.to_string())],
        ))
        .hint(crate::i18n::t("hint-request-admin"))
    };
    match &m {
        Marker::Registry => platform::set_registry_request(when)
            .unwrap_or(Ok(()))
            .map_err(fail),
        Marker::File(file) => {
            if let Some(why) = distrust(&layout.root, file) {
                return Err(Fatal::failure(crate::i18n::ta(
                    "error-marker-untrusted",
                    &[("file", &file.display().to_string()), ("reason", &why)],
                ))
                .hint(crate::i18n::t("hint-marker-untrusted")));
            }
            match when {
                Some(when) => {
                    // Each missing directory, and the file, made private to the running
                    // (root) user from the start: no umask can open them to others.
                    let rel = file.strip_prefix(&layout.root).unwrap_or(file);
                    let mut dir = layout.root.clone();
                    for part in rel.parent().into_iter().flat_map(Path::components) {
                        dir.push(part);
                        match platform::create_private_dir(&dir) {
                            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                                return Err(fail(e))
                            }
                            _ => {}
                        }
                    }
                    match std::fs::remove_file(file) {
                        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(fail(e)),
                        _ => {}
                    }
                    let mut f = platform::create_private_file(file).map_err(fail)?;
                    std::io::Write::write_all(&mut f, format!("{when}\n").as_bytes()).map_err(fail)
                }
                None => match std::fs::remove_file(file) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(fail(e)),
                    _ => Ok(()),
                },
            }
        }
    }
}

/// Clears the mark after the requested clean ran (a warning when that fails).
pub fn served(layout: &Layout, warnings: &mut Vec<String>) {
    if let Err(e) = set(layout, None) {
        warnings.push(format!(
            "{}; the next `fix --if-requested` would clean again",
            e.message
        ));
    }
}

pub fn run(layout: &Layout, options: &Options) -> Result<RequestReport, Fatal> {
    let mut warnings = Vec::new();
    let (requested, action) = match options.action {
        Action::Status => (requested(layout, &mut warnings)?, "status"),
        Action::Set => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default();
            let when = crate::extensions::rfc3339(now.as_secs() as i64);
            set(layout, Some(&when))?;
            (Some(when), "set")
        }
        Action::Clear => {
            set(layout, None)?;
            (None, "cleared")
        }
    };
    Ok(RequestReport {
        schema_version: SCHEMA_VERSION,
        command: "request",
        meta: Meta::new(None),
        action,
        requested: requested.is_some(),
        since: requested,
        marker: shown(&marker(layout)),
        warnings,
    })
}
