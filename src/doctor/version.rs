//! Is the profile's browser out of date, or updated on disk but not restarted
//! (doctor-signals.md S1, S2)? Versions come from files only (`Last Version`,
//! `compatibility.ini`, the install's `application.ini` / version directories /
//! `Info.plist`); no browser binary is run.

use std::path::{Path, PathBuf};

use super::{Checked, Context, Evidence, Finding, FindingId, Severity};
use crate::browser::firefox::profiles_ini::{get, parse_ini};
use crate::browser::{Engine, Profile};
use crate::fsutil;
use crate::lock::LockState;
use crate::platform::{at, Base, Os};

const DAY: i64 = 86_400;
/// Chromium and Firefox ship a major every four weeks.
const CYCLE: i64 = 28 * DAY;
/// Chromium 156's stable date, 2026-11-24 (doctor-signals.md S2: 140 = 2025-09-02
/// plus sixteen cycles; Debian's 156 was current on 2026-12-01).
const CHROMIUM_ANCHOR: (u32, i64) = (156, 1_795_478_400);
/// Firefox 140's release date, 2025-06-24; 153 follows thirteen cycles later.
const FIREFOX_ANCHOR: (u32, i64) = (140, 1_750_723_200);
/// Firefox ESR lines; each is supported until about twelve weeks after the next one.
/// 166 is projected (thirteen majors after 153, as 153 followed 140) [?].
const FIREFOX_ESR: [u32; 5] = [115, 128, 140, 153, 166];
/// Majors behind the current one at which a browser is flagged (≈ 2 and 6 months).
const WARN_BEHIND: i64 = 2;
const ERROR_BEHIND: i64 = 6;

pub fn check(ctx: &Context, profile: &Profile, state: &LockState) -> Checked {
    let mut checked = Checked::default();
    match profile.browser.engine() {
        Engine::Chromium => chromium(ctx, profile, state, &mut checked),
        Engine::Firefox => firefox(ctx, profile, state, &mut checked),
        // Safari's version follows macOS; no offline rule is reliable enough (S2 [?]).
        Engine::Safari => {}
    }
    checked
}

/// The leading number of `156.0.8078.114`.
fn major(version: &str) -> Option<u32> {
    version.trim().split('.').next()?.parse().ok()
}

/// Where a major stands against the calendar: how many majors behind the current one,
/// and the days since it shipped; `None` when the clock is before its release (minus
/// the ~two cycles a beta or dev build runs ahead): then the clock is wrong, not the
/// browser.
fn behind(anchor: (u32, i64), major: u32, now: i64) -> Option<(i64, i64)> {
    let released = anchor.1 + (i64::from(major) - i64::from(anchor.0)) * CYCLE;
    if now < released - 2 * CYCLE {
        return None;
    }
    let current = i64::from(anchor.0) + (now - anchor.1).div_euclid(CYCLE);
    Some((current - i64::from(major), (now - released).max(0) / DAY))
}

/// How old a release is, in the words of the run's language.
fn months(days: i64) -> String {
    match days / 30 {
        0 => crate::i18n::tn("age-days", days.max(0) as usize, &[]),
        m => crate::i18n::tn("age-months", m as usize, &[]),
    }
}

fn outdated(
    profile: &Profile,
    severity: Severity,
    evidence: Evidence,
    version: &str,
    age: String,
    behind: i64,
) -> Finding {
    Finding::profile(FindingId::BrowserOutdated, severity, profile, evidence)
        .with("browser", profile.browser.product_name())
        .with("version", version.to_string())
        .with("age", age)
        .with("behind", behind.to_string())
}

fn chromium(ctx: &Context, profile: &Profile, state: &LockState, checked: &mut Checked) {
    let Some(udd) = profile.path.parent() else {
        return;
    };
    let last_file = udd.join("Last Version");
    let last = ctx
        .fs
        .read_text(&last_file)
        .ok()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty() && t.len() < 64);
    if state.is_running() {
        if let (Some(last), Some((installed, where_))) = (&last, chromium_installed(ctx, profile)) {
            if &installed != last {
                checked.found(
                    Finding::profile(
                        FindingId::BrowserRestartPending,
                        Severity::Warning,
                        profile,
                        Evidence::new(where_, "installed version").value(format!(
                            "{installed} installed, {last} running (`{}`)",
                            last_file.display()
                        )),
                    )
                    .with("browser", profile.browser.product_name())
                    .with("version", installed)
                    .with("running", last.clone()),
                );
            }
        }
    }
    let Some(last) = last else { return };
    // Opera numbers its own releases in `Last Version`; Vivaldi's and Brave's product
    // numbers are far below any Chromium major. Only a Chromium major is judged.
    let judged = profile.browser.row().facts.chromium_version;
    let Some(m) = major(&last).filter(|&m| m >= 60 && judged) else {
        return;
    };
    let Some((behind, days)) = behind(CHROMIUM_ANCHOR, m, ctx.now) else {
        return;
    };
    let severity = match behind {
        b if b >= ERROR_BEHIND => Severity::Error,
        b if b >= WARN_BEHIND => Severity::Warning,
        _ => return,
    };
    checked.found(outdated(
        profile,
        severity,
        Evidence::new(last_file, "Last Version").value(last.clone()),
        &last,
        crate::i18n::ta("age-released", &[("age", &months(days))]),
        behind,
    ));
}

/// The installed Chromium-family version, where files tell it: the newest
/// `Application\<version>` directory on Windows (machine-wide or per user), the
/// bundle's `Info.plist` on macOS. Linux installs keep no version file.
fn chromium_installed(ctx: &Context, profile: &Profile) -> Option<(String, PathBuf)> {
    let layout = ctx.layout;
    match layout.os {
        Os::Windows => {
            let rel = profile.browser.row().facts.win_install?;
            let dirs = [
                layout.system_path(&format!("Program Files/{rel}")),
                layout.system_path(&format!("Program Files (x86)/{rel}")),
                layout.resolve(at(Base::Local, rel)),
            ];
            dirs.iter().find_map(|dir| {
                let mut best: Option<(Vec<u32>, String)> = None;
                for e in std::fs::read_dir(dir).ok()?.flatten() {
                    let Ok(name) = e.file_name().into_string() else {
                        continue;
                    };
                    let parts: Option<Vec<u32>> = name.split('.').map(|p| p.parse().ok()).collect();
                    let Some(p) = parts.filter(|p| p.len() == 4 && e.path().is_dir()) else {
                        continue;
                    };
                    if best.as_ref().map_or(true, |(b, _)| &p > b) {
                        best = Some((p, name));
                    }
                }
                best.map(|(_, name)| (name.clone(), dir.join(name)))
            })
        }
        Os::Macos => {
            let app = profile.browser.row().facts.mac_app?;
            [
                layout.system_path(&format!("Applications/{app}/Contents/Info.plist")),
                layout
                    .home
                    .join("Applications")
                    .join(app)
                    .join("Contents/Info.plist"),
            ]
            .into_iter()
            .find_map(|plist| {
                let bytes = fsutil::read_bounded(ctx.fs, &plist, fsutil::MAX_CONFIG_BYTES).ok()?;
                let value = plist::Value::from_reader(std::io::Cursor::new(bytes)).ok()?;
                let v = value
                    .as_dictionary()?
                    .get("CFBundleShortVersionString")?
                    .as_string()?
                    .to_string();
                Some((v, plist))
            })
        }
        Os::Linux => None,
    }
}

/// `LastVersion=153.8.0_20261117185949/20261117185949` → (`153.8.0`, `20261117185949`),
/// and `LastPlatformDir`, the install the profile last ran from.
struct Compat {
    version: String,
    build_id: Option<String>,
    platform_dir: Option<String>,
}

fn read_compat(fs: &crate::confine::Confined, file: &Path) -> Option<Compat> {
    let text = fsutil::read_text(fs, file).ok()?;
    let sections = parse_ini(&text);
    let last = sections.iter().find_map(|s| get(s, "LastVersion"))?;
    let (version, rest) = last.split_once('_').unwrap_or((last, ""));
    let build_id = rest.split('/').next().filter(|b| !b.is_empty());
    let platform_dir = sections.iter().find_map(|s| get(s, "LastPlatformDir"));
    Some(Compat {
        version: version.trim().to_string(),
        build_id: build_id.map(str::to_string),
        platform_dir: platform_dir.map(str::to_string),
    })
}

/// `YYYYMMDDhhmmss` → seconds since the epoch (UTC).
fn build_time(build_id: &str) -> Option<i64> {
    let d = |r: std::ops::Range<usize>| build_id.get(r)?.parse::<i64>().ok();
    let (y, m, day) = (d(0..4)?, d(4..6)?, d(6..8)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&day) {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm).
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146_097 + doe - 719_468) * DAY)
}

/// The install's `application.ini` (`Version`, `BuildID`) and the file, looked for where
/// the profile last ran from (mapped under `--root`), then, for Firefox itself
/// (`firefox_machine`), Firefox's usual install dirs: a fork's are not Firefox's.
fn firefox_installed(
    ctx: &Context,
    compat: &Compat,
    firefox_machine: bool,
) -> Option<(String, Option<String>, PathBuf)> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    if let Some(dir) = &compat.platform_dir {
        // `C:\Program Files\Mozilla Firefox` or `/usr/lib/firefox-esr`, relative to the root.
        let rel = dir.replace('\\', "/");
        let rel = match rel.as_bytes() {
            [d, b':', ..] if d.is_ascii_alphabetic() => rel[2..].to_string(),
            _ => rel,
        };
        dirs.push(ctx.system_path(rel.trim_start_matches('/')));
    }
    let usual: &[&str] = match ctx.layout.os {
        Os::Linux => &["usr/lib/firefox-esr", "usr/lib/firefox", "opt/firefox"],
        Os::Macos => &["Applications/Firefox.app/Contents/Resources"],
        Os::Windows => &[
            "Program Files/Mozilla Firefox",
            "Program Files (x86)/Mozilla Firefox",
        ],
    };
    if firefox_machine {
        dirs.extend(usual.iter().map(|r| ctx.system_path(r)));
    }
    dirs.into_iter().find_map(|dir| {
        let file = dir.join("application.ini");
        let text = fsutil::read_text(ctx.fs, &file).ok()?;
        let sections = parse_ini(&text);
        let app = sections.iter().find(|s| get(s, "Version").is_some())?;
        let version = get(app, "Version")?.trim().to_string();
        let build = get(app, "BuildID").map(|b| b.trim().to_string());
        Some((version, build, file))
    })
}

fn firefox(ctx: &Context, profile: &Profile, state: &LockState, checked: &mut Checked) {
    let compat_file = profile.path.join("compatibility.ini");
    let Some(compat) = read_compat(ctx.fs, &compat_file) else {
        return;
    };
    let firefox_machine = profile.browser.row().facts.firefox_machine;
    let installed = firefox_installed(ctx, &compat, firefox_machine);
    if state.is_running() {
        if let Some((version, build, file)) = &installed {
            let differs = version != &compat.version
                || matches!((build, &compat.build_id), (Some(a), Some(b)) if a != b);
            if differs {
                checked.found(
                    Finding::profile(
                        FindingId::BrowserRestartPending,
                        Severity::Warning,
                        profile,
                        Evidence::new(file.clone(), "Version").value(format!(
                            "{version} installed, {} running (`{}`)",
                            compat.version,
                            compat_file.display()
                        )),
                    )
                    .with("browser", profile.browser.product_name())
                    .with("version", version.clone())
                    .with("running", compat.version.clone()),
                );
            }
        }
    }
    // A fork numbers its own releases (Zen 1.x, Waterfox 6.x, Floorp 12.x): Firefox's
    // calendar and ESR lines do not judge them.
    if !firefox_machine {
        return;
    }
    let Some(m) = major(&compat.version) else {
        return;
    };
    let built = compat.build_id.as_deref().and_then(build_time);
    if built.is_some_and(|b| ctx.now < b) {
        // Built after "now": the clock is wrong, not the browser.
        return;
    }
    let evidence =
        Evidence::new(compat_file.clone(), "LastVersion").value(match &compat.build_id {
            Some(b) => format!("{}_{b}", compat.version),
            None => compat.version.clone(),
        });
    let channel_esr = installed
        .as_ref()
        .and_then(|(_, _, file)| {
            file.parent()
                .map(|d| d.join("defaults/pref/channel-prefs.js"))
        })
        .and_then(|f| fsutil::read_text(ctx.fs, &f).ok())
        .map(|t| t.contains("\"esr\""));
    // ESR dot releases bump the second number (153.8.0); a release's stay at x.0.y.
    let esr = FIREFOX_ESR.contains(&m)
        && channel_esr.unwrap_or_else(|| {
            compat
                .version
                .split('.')
                .nth(1)
                .and_then(|n| n.parse::<u32>().ok())
                .is_some_and(|n| n > 0)
        });
    let Some((behind_majors, days)) = behind(FIREFOX_ANCHOR, m, ctx.now) else {
        return;
    };
    if esr {
        let next = FIREFOX_ESR
            .iter()
            .find(|&&l| l > m)
            .copied()
            .unwrap_or(m + 13);
        let end = FIREFOX_ANCHOR.1
            + (i64::from(next) - i64::from(FIREFOX_ANCHOR.0)) * CYCLE
            + 12 * 7 * DAY;
        let build_age = built.map(|b| (ctx.now - b) / DAY);
        let (severity, age) = if ctx.now > end {
            let over = (ctx.now - end) / DAY;
            let s = if over > 120 {
                Severity::Error
            } else {
                Severity::Warning
            };
            (s, format!("ESR {m} out of support for {}", months(over)))
        } else {
            match build_age {
                Some(a) if a > 26 * 7 => (Severity::Error, format!("built {} ago", months(a))),
                Some(a) if a > 10 * 7 => (Severity::Warning, format!("built {} ago", months(a))),
                _ => return,
            }
        };
        checked.found(outdated(
            profile,
            severity,
            evidence,
            &compat.version,
            age,
            behind_majors,
        ));
        return;
    }
    let severity = match behind_majors {
        b if b >= ERROR_BEHIND => Severity::Error,
        b if b >= WARN_BEHIND => Severity::Warning,
        _ => return,
    };
    checked.found(outdated(
        profile,
        severity,
        evidence,
        &compat.version,
        crate::i18n::ta("age-released", &[("age", &months(days))]),
        behind_majors,
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar() {
        assert_eq!(build_time("20261124000000"), Some(CHROMIUM_ANCHOR.1));
        assert_eq!(build_time("20250624120000"), Some(FIREFOX_ANCHOR.1));
        assert_eq!(build_time("2026"), None);
        assert_eq!(build_time("20261324000000"), None);
        let dec_1_2026 = CHROMIUM_ANCHOR.1 + 7 * DAY;
        assert_eq!(behind(CHROMIUM_ANCHOR, 156, dec_1_2026), Some((0, 7)));
        assert_eq!(
            behind(CHROMIUM_ANCHOR, 150, dec_1_2026).map(|b| b.0),
            Some(6)
        );
        // A build from the future: the clock is wrong.
        assert_eq!(behind(CHROMIUM_ANCHOR, 170, dec_1_2026), None);
    }
}
