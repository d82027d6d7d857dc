//! Firefox profile settings that break a login (doctor-signals.md S3–S7, S12, S13): the
//! prefs in effect, layered as Firefox layers them (the machine's defaults files, the
//! profile's `prefs.js` then `user.js`, AutoConfig, the enterprise policies), and the
//! cookie and translation permissions of `permissions.sqlite`, opened immutable so
//! nothing is written.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::policy::{PolicyPref, PolicyPrefOp};
use super::{Checked, Context, Evidence, Finding, FindingId, Severity, Unread};
use crate::browser::Profile;
use crate::confine::Confined;
use crate::fsutil;

/// A pref's value as `user_pref()` writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrefValue {
    Str(String),
    Int(i64),
    Bool(bool),
}

impl PrefValue {
    fn same_type(&self, other: &PrefValue) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

impl std::fmt::Display for PrefValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PrefValue::Str(s) => write!(f, "{s:?}"),
            PrefValue::Int(i) => write!(f, "{i}"),
            PrefValue::Bool(b) => write!(f, "{b}"),
        }
    }
}

/// Where the value of a pref was set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum At {
    /// A line of a prefs file: the profile's own, a defaults file, the AutoConfig file.
    Line(usize),
    /// The `Preferences` policy: the profile check reports what its prefs do.
    Preferences,
    /// Another policy (`Cookies`, `Proxy`, ...): the policy check reports what it does.
    Policy(&'static str),
}

/// A pref's value and where it was set.
#[derive(Clone, Debug)]
pub struct Pref {
    pub value: PrefValue,
    pub file: PathBuf,
    pub at: At,
}

/// How a pref file sets a pref: `user_pref` (a profile's own), `pref` (a default in a
/// defaults file, a user value in an AutoConfig file), `defaultPref`, `lockPref` (and
/// `pref(name, value, locked)` in a defaults file).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Call {
    User,
    Pref,
    Default,
    Lock,
}

/// What the machine does to one pref.
#[derive(Clone, Debug, Default)]
struct MachinePref {
    default: Option<Pref>,
    locked: bool,
    /// The user value set (`Some`) or cleared (`None`) after the profile's own files were
    /// read: AutoConfig's `pref()`, the `Preferences` policy's `user` and `clear`.
    after: Option<Option<Pref>>,
}

/// The prefs the machine sets for every profile: defaults, locks, and the user values
/// set over the profile's own.
#[derive(Default)]
pub struct MachinePrefs {
    prefs: BTreeMap<String, MachinePref>,
    /// What could not be read of them: told once a run, not with each profile.
    unread: Vec<Unread>,
}

/// Integer prefs doctor reads, whose defaults Firefox builds in (modules/libpref/init/
/// all.js, StaticPrefList.yaml, browser/app/profile/firefox.js): a policy's 0 or 1 for
/// them stays a number.
const INT_PREFS: &[&str] = &[
    "network.cookie.cookieBehavior",
    "network.cookie.cookieBehavior.pbmode",
    "network.proxy.type",
    "network.proxy.http_port",
    "network.proxy.ssl_port",
    "network.proxy.socks_port",
    "network.proxy.socks_version",
    "network.trr.mode",
];

impl MachinePrefs {
    fn entry(&mut self, name: &str) -> &mut MachinePref {
        self.prefs.entry(name.to_string()).or_default()
    }

    /// A defaults file's `pref()` (`locked`: `pref(.., locked)`, `lockPref`), AutoConfig's
    /// `defaultPref()`: libpref changes neither a locked pref's default nor the type of a
    /// default (modules/libpref/Preferences.cpp `Pref::SetDefaultValue`: "Types must
    /// always match", "Only if the pref is not locked").
    fn file_default(&mut self, name: &str, pref: Pref, locked: bool) {
        let e = self.entry(name);
        let other_type = e
            .default
            .as_ref()
            .is_some_and(|d| !d.value.same_type(&pref.value));
        if e.locked || other_type {
            return;
        }
        e.default = Some(pref);
        e.locked |= locked;
    }

    /// AutoConfig's `lockPref()` and the policies: the pref is unlocked, its default set,
    /// then it is locked (`Some(true)`), left unlocked (`Some(false)`) or locked again if
    /// it was (`None`) (browser/components/enterprisepolicies/Policies.sys.mjs
    /// `PoliciesUtils.setDefaultPref`, extensions/pref/autoconfig/src/prefcalls.js).
    fn forced_default(&mut self, name: &str, pref: Pref, lock: Option<bool>) {
        let e = self.entry(name);
        let other_type = e
            .default
            .as_ref()
            .is_some_and(|d| !d.value.same_type(&pref.value));
        if !other_type {
            e.default = Some(pref);
        }
        if let Some(lock) = lock {
            e.locked = lock;
        }
    }

    /// Whether `name` is an integer pref: the `Preferences` policy and
    /// `PoliciesUtils.setDefaultPref` set a 0 or 1 for any other pref as a boolean (GPO and
    /// macOS deliver booleans as 0/1; bug 1666836).
    fn int_pref(&self, name: &str) -> bool {
        match self.prefs.get(name).and_then(|p| p.default.as_ref()) {
            Some(d) => matches!(d.value, PrefValue::Int(_)),
            None => INT_PREFS.contains(&name),
        }
    }

    /// A policy's value as Firefox sets it: `typed` is the `Preferences` policy's `Type`;
    /// without one, the JSON type decides, and a 0 or 1 is a boolean unless the pref is
    /// an integer one. `None` for what Firefox fails to set (a fraction, a list).
    fn policy_value(
        &self,
        name: &str,
        value: &serde_json::Value,
        typed: Option<&str>,
    ) -> Option<PrefValue> {
        use serde_json::Value;
        let int = |n: &serde_json::Number| n.as_i64().filter(|i| i32::try_from(*i).is_ok());
        Some(match (typed, value) {
            // XPConnect converts the value to the setter's type.
            (Some("boolean"), Value::Bool(b)) => PrefValue::Bool(*b),
            (Some("boolean"), Value::Number(n)) => PrefValue::Bool(n.as_f64() != Some(0.0)),
            (Some("boolean"), Value::String(s)) => PrefValue::Bool(!s.is_empty()),
            (Some("number"), Value::Number(n)) => PrefValue::Int(int(n)?),
            (Some("number"), Value::Bool(b)) => PrefValue::Int(i64::from(*b)),
            (Some("string"), Value::String(s)) => PrefValue::Str(s.clone()),
            (Some("string"), Value::Bool(b)) => PrefValue::Str(b.to_string()),
            (Some("string"), Value::Number(n)) => PrefValue::Str(n.to_string()),
            (Some(_), _) => return None,
            (None, Value::Bool(b)) => PrefValue::Bool(*b),
            (None, Value::String(s)) => PrefValue::Str(s.clone()),
            (None, Value::Number(n)) => {
                let i = int(n)?;
                if self.int_pref(name) || !matches!(i, 0 | 1) {
                    PrefValue::Int(i)
                } else {
                    PrefValue::Bool(i == 1)
                }
            }
            (None, _) => return None,
        })
    }

    /// What a policy does to a pref, applied in Firefox's order.
    fn apply_policy(&mut self, p: PolicyPref) {
        let at = match p.policy {
            "Preferences" => At::Preferences,
            other => At::Policy(other),
        };
        let pref = |value| Pref {
            value,
            file: p.file.clone(),
            at: at.clone(),
        };
        match p.op {
            PolicyPrefOp::Default { value, lock, typed } => {
                match self.policy_value(&p.name, &value, typed) {
                    Some(v) => self.forced_default(&p.name, pref(v), lock),
                    // The value is refused; the policy still locks what it locks.
                    None if lock == Some(true) => self.entry(&p.name).locked = true,
                    None => {}
                }
            }
            PolicyPrefOp::User { value, typed } => {
                if let Some(v) = self.policy_value(&p.name, &value, typed) {
                    self.entry(&p.name).after = Some(Some(pref(v)));
                }
            }
            PolicyPrefOp::Clear => self.entry(&p.name).after = Some(None),
            PolicyPrefOp::Lock(locked) => self.entry(&p.name).locked = locked,
        }
    }

    /// The prefs in effect for a profile whose own files (`prefs.js`, then `user.js`)
    /// set `own`: a user value wins over the default unless the pref is locked; the user
    /// values set after those files were read win over them.
    pub fn effective(&self, own: BTreeMap<String, Pref>) -> Effective {
        let mut prefs = own;
        let mut locked = BTreeSet::new();
        for (name, m) in &self.prefs {
            match &m.after {
                Some(Some(p)) => {
                    prefs.insert(name.clone(), p.clone());
                }
                Some(None) => {
                    prefs.remove(name);
                }
                None => {}
            }
            if m.locked {
                locked.insert(name.clone());
                // A locked pref reads its default; one doctor does not know is Firefox's own.
                match &m.default {
                    Some(d) => prefs.insert(name.clone(), d.clone()),
                    None => prefs.remove(name),
                };
            } else if let (false, Some(d)) = (prefs.contains_key(name), &m.default) {
                prefs.insert(name.clone(), d.clone());
            }
        }
        Effective { prefs, locked }
    }
}

/// The prefs in effect in one profile.
pub struct Effective {
    prefs: BTreeMap<String, Pref>,
    locked: BTreeSet<String>,
}

const COOKIE_BEHAVIOR: &str = "network.cookie.cookieBehavior";
const SANITIZE: &str = "privacy.sanitize.sanitizeOnShutdown";
const CLEAR_COOKIES: &str = "privacy.clearOnShutdown_v2.cookiesAndStorage";
const CLEAR_COOKIES_V1: &str = "privacy.clearOnShutdown.cookies";
/// Set once Firefox has moved a profile's clear-on-exit choices to the `_v2` prefs.
const CLEAR_MIGRATED: &[&str] = &[
    "privacy.sanitize.clearOnShutdown.hasMigratedToNewPrefs3",
    "privacy.sanitize.clearOnShutdown.hasMigratedToNewPrefs2",
];
pub const PRIVATE_AUTOSTART: &str = "browser.privatebrowsing.autostart";
const PROXY_TYPE: &str = "network.proxy.type";
const PROXY_PAC: &str = "network.proxy.autoconfig_url";
const TRR_MODE: &str = "network.trr.mode";

impl Effective {
    pub fn get(&self, name: &str) -> Option<&Pref> {
        self.prefs.get(name)
    }

    pub fn int(&self, name: &str) -> Option<i64> {
        match self.get(name).map(|p| &p.value) {
            Some(PrefValue::Int(i)) => Some(*i),
            _ => None,
        }
    }

    pub fn boolean(&self, name: &str) -> Option<bool> {
        match self.get(name).map(|p| &p.value) {
            Some(PrefValue::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    /// A string pref, trimmed; `None` when empty.
    pub fn string(&self, name: &str) -> Option<String> {
        match self.get(name).map(|p| &p.value) {
            Some(PrefValue::Str(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
            _ => None,
        }
    }

    /// The policy other than `Preferences` that set the value in effect of one of
    /// `names`: the policy check reports what those prefs do, the profile check the rest.
    pub fn policy_of(&self, names: &[&str]) -> Option<&'static str> {
        names.iter().find_map(|n| match self.get(n)?.at {
            At::Policy(p) => Some(p),
            _ => None,
        })
    }

    /// The network.cookie.cookieBehavior in effect (nsICookieService: 0 accept, 1 reject
    /// third-party, 2 reject all, 3 limit third-party, 4 reject trackers, 5 partition).
    pub fn cookie_behavior(&self) -> Option<i64> {
        self.int(COOKIE_BEHAVIOR)
    }

    /// Whether cookies are deleted when Firefox closes, and the two prefs that decide it.
    /// At exit Firefox first moves a profile that has not moved yet to the `_v2` prefs,
    /// copying `privacy.clearOnShutdown.cookies` into `cookiesAndStorage` (a locked one
    /// keeps its value), then clears when `sanitizeOnShutdown` and `cookiesAndStorage`
    /// are both true (browser/modules/Sanitizer.sys.mjs `sanitizeOnShutdown`,
    /// `maybeMigratePrefs`; both cookie prefs default to true in firefox.js).
    pub fn clears_cookies_on_exit(&self) -> Option<[&'static str; 2]> {
        if self.boolean(SANITIZE) != Some(true) {
            return None;
        }
        let migrated = CLEAR_MIGRATED.iter().any(|m| self.boolean(m) == Some(true));
        let cookies = if migrated || self.locked.contains(CLEAR_COOKIES) {
            CLEAR_COOKIES
        } else {
            CLEAR_COOKIES_V1
        };
        (self.boolean(cookies) != Some(false)).then_some([SANITIZE, cookies])
    }

    /// The proxy an https page goes through, and the prefs that set it. In manual mode
    /// Firefox sends https through the SSL proxy, else the SOCKS one, each only with a
    /// port above 0 (a local socket for SOCKS needs none); the HTTP proxy is for http
    /// URLs alone (netwerk/base/nsProtocolProxyService.cpp `Resolve_Internal`). Mode 2 is
    /// a PAC script.
    pub fn https_proxy(&self) -> Option<(String, Vec<&'static str>)> {
        match self.int(PROXY_TYPE) {
            Some(1) => {
                for (host, port) in [
                    ("network.proxy.ssl", "network.proxy.ssl_port"),
                    ("network.proxy.socks", "network.proxy.socks_port"),
                ] {
                    let Some(h) = self.string(host) else { continue };
                    match self.int(port) {
                        Some(p) if p > 0 => {
                            return Some((format!("{h}:{p}"), vec![PROXY_TYPE, host, port]))
                        }
                        _ if host == "network.proxy.socks"
                            && (h.starts_with("file:") || h.starts_with(r"\\.\pipe\")) =>
                        {
                            return Some((h, vec![PROXY_TYPE, host]))
                        }
                        _ => {}
                    }
                }
                None
            }
            Some(2) => {
                let server = self.string(PROXY_PAC).map_or_else(
                    || "(a PAC script)".to_string(),
                    |u| format!("PAC {}", super::chromium::redact_url(&u)),
                );
                Some((server, vec![PROXY_TYPE, PROXY_PAC]))
            }
            _ => None,
        }
    }

    /// The secure-DNS resolver Firefox uses (`network.trr.mode` 2 or 3) and the prefs
    /// that set it.
    pub fn secure_dns(&self) -> Option<(String, [&'static str; 2])> {
        if !matches!(self.int(TRR_MODE), Some(2 | 3)) {
            return None;
        }
        ["network.trr.custom_uri", "network.trr.uri"]
            .into_iter()
            .find_map(|uri| Some((self.string(uri)?, [TRR_MODE, uri])))
    }
}

/// A defaults file read into `m`; `attrs`: `pref(name, value, locked)` allowed.
fn defaults_file(m: &mut MachinePrefs, file: &Path, text: &str) {
    for (call, name, value, line) in parse_pref_calls(text, true) {
        let pref = Pref {
            value,
            file: file.to_path_buf(),
            at: At::Line(line),
        };
        // `user_pref()` in a defaults file sets a user value the profile's own files
        // replace: under them, as a default is.
        m.file_default(&name, pref, call == Call::Lock);
    }
}

/// An AutoConfig file (its first line skipped) read into `m`: it runs once the profile's
/// `prefs.js` and `user.js` are read (Preferences.cpp fires NS_PREFSERVICE_READ_TOPIC_ID
/// after them), so its `pref()` sets a user value over the profile's own
/// (extensions/pref/autoconfig/src/prefcalls.js).
fn autoconfig_file(m: &mut MachinePrefs, file: &Path, text: &str) {
    for (call, name, value, line) in parse_pref_calls(text, false) {
        let pref = Pref {
            value,
            file: file.to_path_buf(),
            at: At::Line(line + 1),
        };
        match call {
            Call::Pref => m.entry(&name).after = Some(Some(pref)),
            Call::Default => m.file_default(&name, pref, false),
            Call::Lock => m.forced_default(&name, pref, Some(true)),
            // Not one of AutoConfig's functions: the script stops there, or goes on.
            Call::User => {}
        }
    }
}

/// The machine's Firefox prefs, in Firefox's own order: the defaults files of each install
/// (`defaults/pref/*.js`) and Debian's and Ubuntu's system pref files
/// (`/etc/firefox-esr/*.js`, `/etc/firefox/*.js`); then, after the profile's own files,
/// the AutoConfig file they name (`general.config.filename`, read from the install,
/// obscured by `general.config.obscure_value`, 13 unless set), and the enterprise
/// policies that set prefs.
fn machine_prefs(ctx: &Context, checked: &mut Checked) -> MachinePrefs {
    let mut m = MachinePrefs::default();
    let read = |file: &Path, checked: &mut Checked| -> Option<Vec<u8>> {
        match super::sysfile::read_bytes(ctx.layout, file, fsutil::MAX_CONFIG_BYTES) {
            Ok(b) => b,
            Err(e) => {
                checked.unread.push(Unread::machine(file, e));
                None
            }
        }
    };
    let os = ctx.layout.os;
    let mut autoconfigs = Vec::new();
    for install in super::policy::firefox_installs(os) {
        let defaults = ctx.system_path(&format!("{install}/defaults/pref"));
        // This install's own defaults name its AutoConfig file.
        let mut own = MachinePrefs::default();
        if let Ok(Some(files)) = super::sysfile::list(&defaults, ".js") {
            for f in files {
                if let Some(bytes) = read(&f, checked) {
                    let text = String::from_utf8_lossy(&bytes);
                    defaults_file(&mut own, &f, &text);
                    defaults_file(&mut m, &f, &text);
                }
            }
        }
        let value = |name: &str| own.prefs.get(name).and_then(|p| p.default.as_ref());
        let config = match value("general.config.filename").map(|p| &p.value) {
            Some(PrefValue::Str(name)) if fsutil::is_plain_component(name) => name.clone(),
            _ => continue,
        };
        let obscure = match value("general.config.obscure_value").map(|p| &p.value) {
            Some(PrefValue::Int(v)) => u8::try_from(*v).unwrap_or(13),
            _ => 13,
        };
        autoconfigs.push((ctx.system_path(&format!("{install}/{config}")), obscure));
    }
    if os == crate::platform::Os::Linux {
        // Default pref files: their `pref()` sets defaults, `locked` or `lockPref` locks.
        for dir in ["etc/firefox-esr", "etc/firefox"] {
            if let Ok(Some(files)) = super::sysfile::list(&ctx.system_path(dir), ".js") {
                for f in files {
                    if let Some(bytes) = read(&f, checked) {
                        defaults_file(&mut m, &f, &String::from_utf8_lossy(&bytes));
                    }
                }
            }
        }
    }
    for (file, obscure) in autoconfigs {
        let Some(bytes) = read(&file, checked) else {
            continue;
        };
        let bytes: Vec<u8> = bytes.iter().map(|b| b.wrapping_sub(obscure)).collect();
        let text = String::from_utf8_lossy(&bytes);
        // The first line is skipped (it must be a comment).
        let text = text.split_once('\n').map_or("", |(_, rest)| rest);
        autoconfig_file(&mut m, &file, text);
    }
    for p in super::policy::firefox_policy_prefs(ctx, checked) {
        m.apply_policy(p);
    }
    m
}

/// The machine's prefs, read once a run; `true` for the caller that read them (it tells
/// what could not be read).
pub fn machine<'a>(ctx: &'a Context) -> (&'a MachinePrefs, bool) {
    let mut first = false;
    let m = ctx.firefox_machine.get_or_init(|| {
        first = true;
        let mut read = Checked::default();
        let mut m = machine_prefs(ctx, &mut read);
        m.unread = read.unread;
        m
    });
    (m, first)
}

impl MachinePrefs {
    /// What could not be read of them.
    pub fn unread(&self) -> &[Unread] {
        &self.unread
    }
}

/// The profile's own prefs: `prefs.js`, then `user.js`, which Firefox applies after it
/// at every start, so it wins. `unread` hears of a file that could not be read.
fn own_prefs(
    fs: &Confined,
    dir: &Path,
    mut unread: impl FnMut(PathBuf, String),
) -> BTreeMap<String, Pref> {
    let mut prefs = BTreeMap::new();
    for name in ["prefs.js", "user.js"] {
        let path = dir.join(name);
        let bytes = match fs.read_bounded(&path, fsutil::MAX_CONFIG_BYTES) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                unread(
                    path,
                    crate::i18n::ta("unread-prefs-io", &[("reason", &e.to_string())]),
                );
                continue;
            }
        };
        let Ok(text) = String::from_utf8(bytes) else {
            unread(path, crate::i18n::t("unread-prefs-utf8"));
            continue;
        };
        for (pref, value, line) in parse_prefs(&text) {
            let file = path.clone();
            prefs.insert(
                pref,
                Pref {
                    value,
                    file,
                    at: At::Line(line),
                },
            );
        }
    }
    prefs
}

/// The prefs in effect in each of the home's Firefox profiles, for the policy check:
/// a policy's unlocked default is no one's once every profile sets its own value. One
/// view of a profile with no prefs of its own when the home is not read in this run
/// (the machine's part of a fleet run) or holds no Firefox profile.
pub fn home_views(ctx: &Context) -> Vec<Effective> {
    let (machine, _) = machine(ctx);
    views_of(ctx, machine, None)
}

/// The same for a build whose machine-wide prefs are only what its policies set
/// (`prefs`), over its `channel`'s profiles (a Flatpak build's are its own).
pub fn views_with(
    ctx: &Context,
    prefs: Vec<super::policy::PolicyPref>,
    channel: &str,
) -> Vec<Effective> {
    let mut machine = MachinePrefs::default();
    for p in prefs {
        machine.apply_policy(p);
    }
    views_of(ctx, &machine, Some(channel))
}

fn views_of(ctx: &Context, machine: &MachinePrefs, channel: Option<&str>) -> Vec<Effective> {
    let mut views = Vec::new();
    if ctx.reach.user() {
        let firefox: Vec<_> = ctx
            .browsers
            .iter()
            .copied()
            .filter(|b| b.row().facts.firefox_machine)
            .collect();
        for p in crate::browser::discover(ctx.layout, &firefox).profiles {
            if channel.is_some_and(|c| *p.channel != *c) {
                continue;
            }
            // Not read here: the profile check says so.
            views.push(machine.effective(own_prefs(ctx.fs, &p.path, |_, _| {})));
        }
    }
    if views.is_empty() {
        views.push(machine.effective(BTreeMap::new()));
    }
    views
}

use super::advice::ALL_SITES;

/// Firefox's cookie permission values (`nsICookiePermission`).
const PERM_ALLOW: i64 = 1;
const PERM_DENY: i64 = 2;
const PERM_SESSION: i64 = 8;

pub fn check(ctx: &Context, profile: &Profile) -> Checked {
    let mut checked = Checked::default();
    // Firefox's machine files are Firefox's own: a fork (LibreWolf, Zen, ...) reads its
    // install's and its own `/etc`, none of which is known, so only its profile is read.
    let none = MachinePrefs::default();
    let machine = if profile.browser.row().facts.firefox_machine {
        let (m, first) = machine(ctx);
        if first {
            checked.unread.extend(m.unread.iter().cloned());
        }
        m
    } else {
        &none
    };
    let own = own_prefs(ctx.fs, &profile.path, |path, reason| {
        checked.unread.push(Unread::profile(profile, path, reason));
    });
    let prefs = machine.effective(own);
    let perms = match read_permissions(ctx.fs, &profile.path.join("permissions.sqlite"), ctx.now) {
        Ok(p) => p,
        Err(e) => {
            checked.unread.push(Unread::profile(
                profile,
                profile.path.join("permissions.sqlite"),
                format!("{e:#}"),
            ));
            Vec::new()
        }
    };
    let wal = profile.path.join("permissions.sqlite-wal");
    if wal.symlink_metadata().is_ok_and(|m| m.len() > 0) {
        // Reading the -wal would mean creating `-shm` or copying the database.
        checked.not_checked.push(super::NotChecked {
            ids: vec![FindingId::CookiesBlocked, FindingId::CookiesSessionOnly],
            reason: crate::i18n::ta(
                "not-checked-firefox-wal",
                &[("file", &wal.display().to_string())],
            ),
        });
    }
    pref_findings(ctx, profile, &prefs, &perms, &mut checked);
    permission_findings(ctx, profile, &perms, &mut checked);
    checked
}

/// One `moz_perms` row.
#[derive(Clone, Debug)]
struct Perm {
    origin: String,
    type_: String,
    permission: i64,
    file: PathBuf,
}

/// The `cookie` and `translations` rows of `permissions.sqlite`; none when it does not
/// exist. Opened `immutable`: not a byte is written, not even `-shm`, so rows only in an
/// un-checkpointed `-wal` (a running Firefox) are not seen.
fn read_permissions(fs: &Confined, path: &Path, now: i64) -> anyhow::Result<Vec<Perm>> {
    if fs.metadata(path).is_err() {
        return Ok(Vec::new());
    }
    let db = crate::stores::sqlite::open_immutable(fs, path)?;
    let conn = &db.conn;
    let read = || -> rusqlite::Result<Vec<Perm>> {
        // expireType 2 rows end at expireTime (ms); Firefox drops them once past.
        let mut stmt = conn.prepare(
            "SELECT origin, type, permission FROM moz_perms \
             WHERE type IN ('cookie', 'translations') \
             AND NOT (coalesce(expireType, 0) = 2 AND coalesce(expireTime, 0) < ?1) ORDER BY id",
        )?;
        let rows = stmt
            .query_map([now.saturating_mul(1000)], |r| {
                let origin = r.get::<_, Option<String>>(0)?.unwrap_or_default();
                // Origin attributes (`^userContextId=2`) follow the origin; a container's
                // permission is still one for the site.
                let origin = origin.split('^').next().unwrap_or_default().to_string();
                Ok(Perm {
                    origin,
                    type_: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    permission: r.get::<_, Option<i64>>(2)?.unwrap_or(0),
                    file: path.to_path_buf(),
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    };
    use anyhow::Context as _;
    read().with_context(|| {
        crate::i18n::ta("unread-moz-perms", &[("file", &path.display().to_string())])
    })
}

fn evidence(pref: &Pref, name: &str) -> Evidence {
    let key = match &pref.at {
        At::Line(line) => format!("{name} (line {line})"),
        At::Preferences => format!("Preferences.{name}"),
        At::Policy(policy) => (*policy).to_string(),
    };
    Evidence::new(pref.file.clone(), key).value(pref.value.to_string())
}

fn pref_findings(
    ctx: &Context,
    profile: &Profile,
    prefs: &Effective,
    perms: &[Perm],
    checked: &mut Checked,
) {
    let browser = profile.browser.product_name();
    // `names`: the prefs that decide the finding, the first named as its evidence. What a
    // policy other than `Preferences` set is the policy check's to report.
    let mut found = |id, severity, names: &[&str], params: &[(&'static str, String)]| {
        if prefs.policy_of(names).is_some() {
            return;
        }
        if let Some(pref) = prefs.get(names[0]) {
            let mut f = Finding::profile(id, severity, profile, evidence(pref, names[0]))
                .with("browser", browser);
            for (k, v) in params {
                f = f.with(k, v.clone());
            }
            checked.found(f);
        }
    };
    // A cookie "allow" permission for every target overrides the cookie policy for them.
    let allowed = ctx.targets.domains().iter().all(|d| {
        perms.iter().any(|p| {
            p.type_ == "cookie"
                && p.permission == PERM_ALLOW
                && crate::targets::url_host(&p.origin).is_some_and(|h| h.eq_ignore_ascii_case(d))
        })
    });
    let all = [("site", ALL_SITES.to_string())];
    match prefs.cookie_behavior() {
        Some(2) if !allowed => found(
            FindingId::CookiesBlocked,
            Severity::Error,
            &[COOKIE_BEHAVIOR],
            &all,
        ),
        Some(1) => found(
            FindingId::ThirdPartyCookiesBlocked,
            Severity::Info,
            &[COOKIE_BEHAVIOR],
            &[],
        ),
        _ => {}
    }
    if prefs.boolean("javascript.enabled") == Some(false) {
        found(
            FindingId::JavascriptBlocked,
            Severity::Error,
            &["javascript.enabled"],
            &all,
        );
    }
    if prefs.boolean("privacy.resistFingerprinting") == Some(true) {
        found(
            FindingId::ResistFingerprinting,
            Severity::Warning,
            &["privacy.resistFingerprinting"],
            &[],
        );
    }
    // Web storage off: ChatGPT keeps its session state in localStorage, so its page
    // cannot run (StaticPrefList.yaml: dom.storage.enabled, default true).
    if prefs.boolean("dom.storage.enabled") == Some(false) {
        found(
            FindingId::StorageDisabled,
            Severity::Error,
            &["dom.storage.enabled"],
            &[],
        );
    }
    if prefs.boolean(PRIVATE_AUTOSTART) == Some(true) {
        found(
            FindingId::PrivateOnly,
            Severity::Info,
            &[PRIVATE_AUTOSTART],
            &[],
        );
    }
    if let (Some(names), false) = (prefs.clears_cookies_on_exit(), allowed) {
        found(
            FindingId::CookiesSessionOnly,
            Severity::Warning,
            &names,
            &all,
        );
    }
    let never_translated = perms.iter().any(|p| {
        p.type_ == "translations"
            && p.permission == PERM_DENY
            && ctx.targets.matches_site(&p.origin)
    });
    if prefs.boolean("browser.translations.enable") != Some(false) && !never_translated {
        if let Some(langs) = prefs.string("browser.translations.alwaysTranslateLanguages") {
            found(
                FindingId::AutoTranslate,
                Severity::Warning,
                &["browser.translations.alwaysTranslateLanguages"],
                &[("from", langs)],
            );
        }
    }
    if let Some((server, names)) = prefs.https_proxy() {
        found(
            FindingId::ProxyBrowser,
            Severity::Warning,
            &names,
            &[("server", server)],
        );
    }
    if let Some((uri, names)) = prefs.secure_dns() {
        found(
            FindingId::DnsOverHttpsCustom,
            Severity::Info,
            &names,
            &[("server", super::chromium::redact_url(&uri))],
        );
    }
}

fn permission_findings(ctx: &Context, profile: &Profile, perms: &[Perm], checked: &mut Checked) {
    for p in perms.iter().filter(|p| p.type_ == "cookie") {
        let (id, severity) = match p.permission {
            PERM_DENY => (FindingId::CookiesBlocked, Severity::Error),
            PERM_SESSION => (FindingId::CookiesSessionOnly, Severity::Warning),
            _ => continue,
        };
        let Some(host) = crate::targets::url_host(&p.origin) else {
            continue;
        };
        if !ctx.targets.matches_host(host) {
            continue;
        }
        checked.found(
            Finding::profile(
                id,
                severity,
                profile,
                Evidence::new(p.file.clone(), format!("moz_perms cookie {}", p.origin))
                    .value(p.permission.to_string()),
            )
            .with("browser", profile.browser.product_name())
            .with("site", host.to_string()),
        );
    }
}

/// The `user_pref("name", value);` calls of a prefs file, with their line numbers, in
/// order. Comments (`//`, `#`, `/* */`) are skipped; a call that does not parse is
/// dropped up to the end of its line and the rest is read.
pub fn parse_prefs(text: &str) -> Vec<(String, PrefValue, usize)> {
    parse_pref_calls(text, false)
        .into_iter()
        .map(|(_, name, value, line)| (name, value, line))
        .collect()
}

/// [`parse_prefs`] with how each pref is set (`user_pref`, `pref`, `defaultPref`,
/// `lockPref`), for defaults and autoconfig files. `attrs`: a defaults file, where
/// `pref(name, value, locked)` locks and `sticky` is allowed (modules/libpref/parser/
/// src/lib.rs: `<pref-attrs>` in default pref files only).
pub fn parse_pref_calls(text: &str, attrs: bool) -> Vec<(Call, String, PrefValue, usize)> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
        line: 1,
        attrs,
    };
    let mut out = Vec::new();
    loop {
        p.skip_space();
        if p.i >= p.s.len() {
            break;
        }
        let start = p.line;
        match p.call() {
            Some((call, name, value)) => out.push((call, name, value, start)),
            None => p.skip_line(),
        }
    }
    out
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    line: usize,
    /// Attributes after the value (`, locked`, `, sticky`) are read.
    attrs: bool,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        if c == b'\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn skip_line(&mut self) {
        while let Some(c) = self.bump() {
            if c == b'\n' {
                break;
            }
        }
    }

    /// Whitespace and comments.
    fn skip_space(&mut self) {
        loop {
            match (self.peek(), self.s.get(self.i + 1).copied()) {
                (Some(c), _) if c.is_ascii_whitespace() => {
                    self.bump();
                }
                (Some(b'#'), _) | (Some(b'/'), Some(b'/')) => self.skip_line(),
                (Some(b'/'), Some(b'*')) => {
                    self.bump();
                    self.bump();
                    while self.i < self.s.len() && !self.s[self.i..].starts_with(b"*/") {
                        self.bump();
                    }
                    self.bump();
                    self.bump();
                }
                _ => return,
            }
        }
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        self.skip_space();
        (self.peek() == Some(c)).then(|| {
            self.bump();
        })
    }

    fn call(&mut self) -> Option<(Call, String, PrefValue)> {
        let rest = &self.s[self.i..];
        // `pref`/`sticky_pref` occur in defaults files, `defaultPref`/`lockPref` in
        // autoconfig files.
        let (word, call) = [
            (&b"user_pref"[..], Call::User),
            (b"sticky_pref", Call::Pref),
            (b"lockPref", Call::Lock),
            (b"defaultPref", Call::Default),
            (b"pref", Call::Pref),
        ]
        .into_iter()
        .find(|(w, _)| rest.starts_with(w))?;
        for _ in 0..word.len() {
            self.bump();
        }
        self.eat(b'(')?;
        self.skip_space();
        let PrefValue::Str(name) = self.string()? else {
            return None;
        };
        self.eat(b',')?;
        self.skip_space();
        let value = match self.peek()? {
            b'"' | b'\'' => self.string()?,
            b't' | b'f' => {
                let rest = &self.s[self.i..];
                let (v, n) = if rest.starts_with(b"true") {
                    (true, 4)
                } else if rest.starts_with(b"false") {
                    (false, 5)
                } else {
                    return None;
                };
                for _ in 0..n {
                    self.bump();
                }
                PrefValue::Bool(v)
            }
            _ => {
                let start = self.i;
                if matches!(self.peek(), Some(b'-' | b'+')) {
                    self.bump();
                }
                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.bump();
                }
                let digits = std::str::from_utf8(&self.s[start..self.i]).ok()?;
                PrefValue::Int(digits.parse().ok()?)
            }
        };
        let mut call = call;
        while self.attrs && self.eat(b',').is_some() {
            self.skip_space();
            let rest = &self.s[self.i..];
            let (word, locks) = [(&b"locked"[..], true), (b"sticky", false)]
                .into_iter()
                .find(|(w, _)| rest.starts_with(w))?;
            for _ in 0..word.len() {
                self.bump();
            }
            if locks {
                call = Call::Lock;
            }
        }
        self.eat(b')')?;
        self.eat(b';')?;
        Some((call, name, value))
    }

    /// A JS string literal with the escapes Firefox writes (`\\`, `\"`, `\n`, `\xHH`,
    /// `\uHHHH`); one not closed on its line is refused.
    fn string(&mut self) -> Option<PrefValue> {
        let quote = self.bump()?;
        let mut bytes: Vec<u8> = Vec::new();
        loop {
            let c = self.peek()?;
            if c == b'\n' {
                return None;
            }
            self.bump();
            if c == quote {
                break;
            }
            if c != b'\\' {
                bytes.push(c);
                continue;
            }
            let e = self.bump()?;
            let mut push = |ch: char| {
                let mut buf = [0; 4];
                bytes.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
            };
            match e {
                b'n' => push('\n'),
                b'r' => push('\r'),
                b't' => push('\t'),
                b'x' | b'u' => {
                    let n = if e == b'x' { 2 } else { 4 };
                    let hex = self.s.get(self.i..self.i + n)?;
                    let code = u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
                    for _ in 0..n {
                        self.bump();
                    }
                    push(char::from_u32(code).unwrap_or('\u{fffd}'));
                }
                b'\n' => return None,
                other => bytes.push(other),
            }
        }
        Some(PrefValue::Str(String::from_utf8_lossy(&bytes).into_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefs_parse_robustly() {
        let text = "// Mozilla User Preferences\n\
            /* a block\n comment */\n\
            user_pref(\"a.str\", \"x \\\"q\\\" \\\\ \\u00e9\");\n\
            user_pref(\"b.int\", -5);\n\
            user_pref('c.bool', true);  # trailing\n\
            user_pref(\"broken\", \"no end);\n\
            user_pref(\"d\",false);user_pref(\"e\", 7);\n\
            user_pref(\"bad.value\", nope);\n\
            garbage here\n\
            user_pref(\"f\", \"a;b\");\n";
        let got = parse_prefs(text);
        let names: Vec<_> = got.iter().map(|(n, v, l)| format!("{n}={v}@{l}")).collect();
        assert_eq!(
            names,
            [
                "a.str=\"x \\\"q\\\" \\\\ é\"@4",
                "b.int=-5@5",
                "c.bool=true@6",
                "d=false@8",
                "e=7@8",
                "f=\"a;b\"@11",
            ]
        );
        assert!(parse_prefs("user_pref(").is_empty());
        assert!(parse_prefs("user_pref(\"x\", \"\\u12").is_empty());
        assert!(parse_prefs("/* unterminated").is_empty());
    }

    #[test]
    fn defaults_files_take_attributes() {
        let calls = |text, attrs| {
            parse_pref_calls(text, attrs)
                .into_iter()
                .map(|(c, n, v, _)| format!("{c:?} {n}={v}"))
                .collect::<Vec<_>>()
        };
        let text = "pref(\"a\", false, locked);\npref(\"b\", 1, sticky);\n\
                    pref(\"c\", 2 , sticky , locked );\npref(\"d\", 3, bogus);\npref(\"e\", 4);\n";
        assert_eq!(
            calls(text, true),
            ["Lock a=false", "Pref b=1", "Lock c=2", "Pref e=4"]
        );
        // In a profile's or AutoConfig's file an attribute is an error.
        assert_eq!(calls(text, false), ["Pref e=4"]);
    }

    fn pref(value: PrefValue, at: At) -> Pref {
        Pref {
            value,
            file: PathBuf::from("/f"),
            at,
        }
    }

    fn own(prefs: &[(&str, PrefValue)]) -> BTreeMap<String, Pref> {
        prefs
            .iter()
            .map(|(n, v)| (n.to_string(), pref(v.clone(), At::Line(1))))
            .collect()
    }

    #[test]
    fn prefs_layer_as_firefox_layers_them() {
        let (int, boolean) = (PrefValue::Int, PrefValue::Bool);
        let mut m = MachinePrefs::default();
        // A locked default stays: a later defaults file changes nothing; AutoConfig's
        // lockPref and the policies unlock, set and lock again.
        m.file_default("a", pref(int(1), At::Line(1)), true);
        m.file_default("a", pref(int(2), At::Line(2)), false);
        assert_eq!(m.prefs["a"].default.as_ref().unwrap().value, int(1));
        m.forced_default("a", pref(int(3), At::Policy("Cookies")), None);
        assert!(m.prefs["a"].locked);
        // A default of another type is refused.
        m.file_default("b", pref(boolean(true), At::Line(1)), false);
        m.file_default("b", pref(int(0), At::Line(2)), false);
        assert_eq!(m.prefs["b"].default.as_ref().unwrap().value, boolean(true));
        // Set or cleared after the profile's files.
        m.entry("c").after = Some(Some(pref(int(2), At::Preferences)));
        m.file_default("d", pref(int(5), At::Line(1)), false);
        m.entry("d").after = Some(None);
        m.file_default("e", pref(int(5), At::Line(1)), false);
        m.entry("f").locked = true;
        let e = m.effective(own(&[
            ("a", int(0)),
            ("c", int(0)),
            ("d", int(2)),
            ("e", int(0)),
            ("f", int(2)),
        ]));
        assert_eq!(e.int("a"), Some(3));
        assert_eq!(e.policy_of(&["x", "a"]), Some("Cookies"));
        assert_eq!(e.int("c"), Some(2));
        assert_eq!(e.policy_of(&["c"]), None);
        assert_eq!(e.int("d"), Some(5));
        assert_eq!(e.int("e"), Some(0));
        // Locked with no default doctor knows: Firefox's own, not the profile's.
        assert_eq!(e.int("f"), None);
    }

    #[test]
    fn a_policys_zero_or_one_is_a_boolean_unless_the_pref_is_an_integer() {
        let m = MachinePrefs::default();
        let v = |name, value: serde_json::Value, typed| m.policy_value(name, &value, typed);
        use serde_json::json;
        assert_eq!(
            v("dom.storage.enabled", json!(0), None),
            Some(PrefValue::Bool(false))
        );
        assert_eq!(
            v("network.cookie.cookieBehavior", json!(1), None),
            Some(PrefValue::Int(1))
        );
        assert_eq!(
            v("dom.x", json!(0), Some("number")),
            Some(PrefValue::Int(0))
        );
        assert_eq!(v("dom.x", json!(7), None), Some(PrefValue::Int(7)));
        assert_eq!(v("dom.x", json!(1.5), None), None);
        assert_eq!(v("dom.x", json!(4_000_000_000i64), None), None);
        assert_eq!(
            v("dom.x", json!("a"), Some("boolean")),
            Some(PrefValue::Bool(true))
        );
    }

    #[test]
    fn cookies_cleared_at_exit_after_the_move_to_the_v2_prefs() {
        let b = PrefValue::Bool;
        let clears = |prefs: &[(&str, PrefValue)]| {
            MachinePrefs::default()
                .effective(own(prefs))
                .clears_cookies_on_exit()
                .map(|n| n[1])
        };
        assert_eq!(clears(&[]), None);
        assert_eq!(clears(&[(SANITIZE, b(true))]), Some(CLEAR_COOKIES_V1));
        assert_eq!(
            clears(&[(SANITIZE, b(true)), (CLEAR_COOKIES_V1, b(false))]),
            None
        );
        // Not moved yet: the old pref is copied over the new one.
        assert_eq!(
            clears(&[(SANITIZE, b(true)), (CLEAR_COOKIES, b(false))]),
            Some(CLEAR_COOKIES_V1)
        );
        let moved = (CLEAR_MIGRATED[0], b(true));
        assert_eq!(
            clears(&[
                (SANITIZE, b(true)),
                (CLEAR_COOKIES, b(false)),
                moved.clone()
            ]),
            None
        );
        assert_eq!(
            clears(&[(SANITIZE, b(true)), (CLEAR_COOKIES_V1, b(false)), moved]),
            Some(CLEAR_COOKIES)
        );
        // A locked new pref keeps its value through the move.
        let mut m = MachinePrefs::default();
        m.forced_default(
            CLEAR_COOKIES,
            pref(b(false), At::Policy("ClearOnShutdown")),
            Some(true),
        );
        assert_eq!(
            m.effective(own(&[(SANITIZE, b(true))]))
                .clears_cookies_on_exit(),
            None
        );
    }

    #[test]
    fn https_goes_through_the_ssl_or_socks_proxy_with_a_port() {
        let (s, i) = (|v: &str| PrefValue::Str(v.into()), PrefValue::Int);
        let proxy = |prefs: &[(&str, PrefValue)]| {
            MachinePrefs::default()
                .effective(own(prefs))
                .https_proxy()
                .map(|(server, _)| server)
        };
        let manual = (PROXY_TYPE, i(1));
        assert_eq!(
            proxy(&[
                manual.clone(),
                ("network.proxy.http", s("p")),
                ("network.proxy.http_port", i(8080))
            ]),
            None
        );
        assert_eq!(
            proxy(&[manual.clone(), ("network.proxy.ssl", s("p"))]),
            None
        );
        assert_eq!(
            proxy(&[
                manual.clone(),
                ("network.proxy.socks", s("s")),
                ("network.proxy.socks_port", i(1080))
            ]),
            Some("s:1080".to_string())
        );
        assert_eq!(
            proxy(&[manual, ("network.proxy.socks", s("file:///run/tor.sock"))]),
            Some("file:///run/tor.sock".to_string())
        );
        assert_eq!(
            proxy(&[(PROXY_TYPE, i(2))]),
            Some("(a PAC script)".to_string())
        );
        assert_eq!(proxy(&[(PROXY_TYPE, i(5))]), None);
    }

    proptest::proptest! {
        #[test]
        fn prefs_parser_never_panics(text in "(user_pref\\(|[\"'\\\\,;)(/*#\n0-9a-z\u{e9} -]){0,80}") {
            let _ = parse_prefs(&text);
            let _ = parse_pref_calls(&text, true);
        }
    }
}
