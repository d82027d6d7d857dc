//! Firefox profile settings that break a login (doctor-signals.md S3–S7, S12, S13): the
//! prefs of `prefs.js` overridden by `user.js`, and the cookie and translation
//! permissions of `permissions.sqlite`, opened immutable so nothing is written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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

impl std::fmt::Display for PrefValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PrefValue::Str(s) => write!(f, "{s:?}"),
            PrefValue::Int(i) => write!(f, "{i}"),
            PrefValue::Bool(b) => write!(f, "{b}"),
        }
    }
}

/// A pref and where it was set: the file and its line (0: a policy, named by `key`).
#[derive(Clone, Debug)]
pub struct Pref {
    pub value: PrefValue,
    pub file: PathBuf,
    pub line: usize,
}

/// How a pref file sets a pref: `user_pref` (a profile's own), `pref` (a default in a
/// defaults file, a user value in an autoconfig file), `defaultPref`, `lockPref`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Call {
    User,
    Pref,
    Default,
    Lock,
}

/// The prefs set for every profile of the machine, by level: locked (they win over the
/// profile's own), user values (the profile's own files win over them), defaults.
#[derive(Default)]
pub struct MachinePrefs {
    locked: BTreeMap<String, Pref>,
    user: BTreeMap<String, Pref>,
    default: BTreeMap<String, Pref>,
    /// What could not be read of them: told with the first profile, not each.
    unread: Vec<Unread>,
}

impl MachinePrefs {
    fn set(&mut self, call: Call, autoconfig: bool, name: String, pref: Pref) {
        let level = match call {
            Call::Lock => &mut self.locked,
            Call::Default => &mut self.default,
            // In an autoconfig file `pref()` sets the user value; in a defaults file,
            // the default.
            Call::Pref if autoconfig => &mut self.user,
            Call::Pref | Call::User => &mut self.default,
        };
        level.insert(name, pref);
    }
}

/// The machine's Firefox prefs, in Firefox's own order: the defaults files of each install
/// (`defaults/pref/*.js`), the autoconfig file they name (`general.config.filename`, read
/// from the install, obscured by `general.config.obscure_value`, 13 unless set),
/// Debian's and Ubuntu's system pref files (`/etc/firefox-esr/*.js`, `/etc/firefox/*.js`),
/// and the `Preferences` policy.
fn machine_prefs(ctx: &Context, checked: &mut Checked) -> MachinePrefs {
    let mut m = MachinePrefs::default();
    let mut read = |m: &mut MachinePrefs, file: &Path, autoconfig: bool, obscure: u8| {
        let bytes = match super::sysfile::read_bytes(ctx.layout, file, fsutil::MAX_CONFIG_BYTES) {
            Ok(Some(b)) => b,
            Ok(None) => return,
            Err(e) => {
                checked.unread.push(Unread::machine(file, e));
                return;
            }
        };
        let bytes: Vec<u8> = bytes.iter().map(|b| b.wrapping_sub(obscure)).collect();
        let text = String::from_utf8_lossy(&bytes);
        // An autoconfig file's first line is skipped (it must be a comment).
        let text = if autoconfig {
            text.split_once('\n')
                .map_or("", |(_, rest)| rest)
                .to_string()
        } else {
            text.into_owned()
        };
        for (call, name, value, line) in parse_pref_calls(&text) {
            let line = line + usize::from(autoconfig);
            let pref = Pref {
                value,
                file: file.to_path_buf(),
                line,
            };
            m.set(call, autoconfig, name, pref);
        }
    };
    let os = ctx.layout.os;
    for install in super::policy::firefox_installs(os) {
        let defaults = ctx.system_path(&format!("{install}/defaults/pref"));
        let mut before = MachinePrefs::default();
        if let Ok(Some(files)) = super::sysfile::list(&defaults, ".js") {
            for f in files {
                read(&mut before, &f, false, 0);
            }
        }
        let config = match before
            .default
            .get("general.config.filename")
            .map(|p| &p.value)
        {
            Some(PrefValue::Str(name)) if crate::fsutil::is_plain_component(name) => {
                Some(name.clone())
            }
            _ => None,
        };
        let obscure = match before
            .default
            .get("general.config.obscure_value")
            .map(|p| &p.value)
        {
            Some(PrefValue::Int(v)) => u8::try_from(*v).unwrap_or(13),
            _ => 13,
        };
        m.default.extend(before.default);
        if let Some(name) = config {
            read(
                &mut m,
                &ctx.system_path(&format!("{install}/{name}")),
                true,
                obscure,
            );
        }
    }
    if os == crate::platform::Os::Linux {
        // Default pref files (their `pref()` sets defaults); `lockPref` locks there too.
        for dir in ["etc/firefox-esr", "etc/firefox"] {
            if let Ok(Some(files)) = super::sysfile::list(&ctx.system_path(dir), ".js") {
                for f in files {
                    read(&mut m, &f, false, 0);
                }
            }
        }
    }
    for (name, value, status, file) in super::policy::firefox_preferences(ctx, checked) {
        let value = match value {
            serde_json::Value::Bool(b) => PrefValue::Bool(b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => PrefValue::Int(i),
                None => continue,
            },
            serde_json::Value::String(s) => PrefValue::Str(s),
            _ => continue,
        };
        let call = match status {
            "locked" => Call::Lock,
            "user" => Call::Pref,
            _ => Call::Default,
        };
        m.set(
            call,
            true,
            name,
            Pref {
                value,
                file,
                line: 0,
            },
        );
    }
    m
}

use super::advice::ALL_SITES;

/// Firefox's cookie permission values (`nsICookiePermission`).
const PERM_ALLOW: i64 = 1;
const PERM_DENY: i64 = 2;
const PERM_SESSION: i64 = 8;

pub fn check(ctx: &Context, profile: &Profile) -> Checked {
    let mut checked = Checked::default();
    // The machine's defaults and user values first; the profile's files over them; the
    // locked prefs over everything.
    // Firefox's machine files are Firefox's own: a fork (LibreWolf, Zen, ...) reads its
    // install's and its own `/etc`, none of which is known, so only its profile is read.
    let own = profile.browser.row().facts.firefox_machine;
    let none = MachinePrefs::default();
    let first = own && ctx.firefox_machine.get().is_none();
    let machine = if own {
        ctx.firefox_machine.get_or_init(|| {
            let mut read = Checked::default();
            let mut m = machine_prefs(ctx, &mut read);
            m.unread = read.unread;
            m
        })
    } else {
        &none
    };
    if first {
        checked.unread.extend(machine.unread.iter().cloned());
    }
    let mut prefs: BTreeMap<String, Pref> = machine.default.clone();
    prefs.extend(machine.user.clone());
    // user.js is applied after prefs.js at every start, so it wins.
    for name in ["prefs.js", "user.js"] {
        let path = profile.path.join(name);
        let bytes = match ctx.fs.read_bounded(&path, fsutil::MAX_CONFIG_BYTES) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                checked.unread.push(Unread::profile(
                    profile,
                    &path,
                    format!("could not be read: {e}"),
                ));
                continue;
            }
        };
        let Ok(text) = String::from_utf8(bytes) else {
            checked.unread.push(Unread::profile(
                profile,
                &path,
                "not valid UTF-8 (Firefox writes prefs in UTF-8): not read",
            ));
            continue;
        };
        for (pref, value, line) in parse_prefs(&text) {
            prefs.insert(
                pref,
                Pref {
                    value,
                    file: path.clone(),
                    line,
                },
            );
        }
    }
    prefs.extend(machine.locked.clone());
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
    read().with_context(|| format!("could not read `moz_perms` in `{}`", path.display()))
}

fn evidence(pref: &Pref, name: &str) -> Evidence {
    let key = match pref.line {
        0 => format!("Preferences.{name}"),
        line => format!("{name} (line {line})"),
    };
    Evidence::new(pref.file.clone(), key).value(pref.value.to_string())
}

fn pref_findings(
    ctx: &Context,
    profile: &Profile,
    prefs: &BTreeMap<String, Pref>,
    perms: &[Perm],
    checked: &mut Checked,
) {
    let browser = profile.browser.product_name();
    let int = |name: &str| match prefs.get(name).map(|p| &p.value) {
        Some(PrefValue::Int(i)) => Some(*i),
        _ => None,
    };
    let boolean = |name: &str| match prefs.get(name).map(|p| &p.value) {
        Some(PrefValue::Bool(b)) => Some(*b),
        _ => None,
    };
    let string = |name: &str| match prefs.get(name).map(|p| &p.value) {
        Some(PrefValue::Str(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    };
    let mut found = |id, severity, name: &str, params: &[(&'static str, String)]| {
        if let Some(pref) = prefs.get(name) {
            let mut f = Finding::profile(id, severity, profile, evidence(pref, name))
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
    match int("network.cookie.cookieBehavior") {
        Some(2) if !allowed => found(
            FindingId::CookiesBlocked,
            Severity::Error,
            "network.cookie.cookieBehavior",
            &all,
        ),
        Some(1) => found(
            FindingId::ThirdPartyCookiesBlocked,
            Severity::Info,
            "network.cookie.cookieBehavior",
            &[],
        ),
        _ => {}
    }
    if boolean("javascript.enabled") == Some(false) {
        found(
            FindingId::JavascriptBlocked,
            Severity::Error,
            "javascript.enabled",
            &all,
        );
    }
    if boolean("privacy.resistFingerprinting") == Some(true) {
        found(
            FindingId::ResistFingerprinting,
            Severity::Warning,
            "privacy.resistFingerprinting",
            &[],
        );
    }
    // Web storage off: ChatGPT keeps its session state in localStorage, so its page
    // cannot run (StaticPrefList.yaml: dom.storage.enabled, default true).
    if boolean("dom.storage.enabled") == Some(false) {
        found(
            FindingId::StorageDisabled,
            Severity::Error,
            "dom.storage.enabled",
            &[],
        );
    }
    if boolean("browser.privatebrowsing.autostart") == Some(true) {
        found(
            FindingId::PrivateOnly,
            Severity::Info,
            "browser.privatebrowsing.autostart",
            &[],
        );
    }
    // Both are needed; the second defaults to true (153).
    if boolean("privacy.sanitize.sanitizeOnShutdown") == Some(true)
        && boolean("privacy.clearOnShutdown_v2.cookiesAndStorage") != Some(false)
        && !allowed
    {
        found(
            FindingId::CookiesSessionOnly,
            Severity::Warning,
            "privacy.sanitize.sanitizeOnShutdown",
            &all,
        );
    }
    let never_translated = perms.iter().any(|p| {
        p.type_ == "translations"
            && p.permission == PERM_DENY
            && ctx.targets.matches_site(&p.origin)
    });
    if boolean("browser.translations.enable") != Some(false) && !never_translated {
        if let Some(langs) = string("browser.translations.alwaysTranslateLanguages") {
            found(
                FindingId::AutoTranslate,
                Severity::Warning,
                "browser.translations.alwaysTranslateLanguages",
                &[("from", langs)],
            );
        }
    }
    match int("network.proxy.type") {
        Some(1) => {
            let server = ["http", "ssl", "socks"].iter().find_map(|kind| {
                let host = string(&format!("network.proxy.{kind}"))?;
                Some(match int(&format!("network.proxy.{kind}_port")) {
                    Some(port) if port > 0 => format!("{host}:{port}"),
                    _ => host,
                })
            });
            // Manual mode with no host set sends nothing through a proxy.
            if let Some(server) = server {
                found(
                    FindingId::ProxyBrowser,
                    Severity::Warning,
                    "network.proxy.type",
                    &[("server", server)],
                );
            }
        }
        Some(2) => {
            let server = string("network.proxy.autoconfig_url").map_or_else(
                || "(a PAC script)".to_string(),
                |u| format!("PAC {}", super::chromium::redact_url(&u)),
            );
            found(
                FindingId::ProxyBrowser,
                Severity::Warning,
                "network.proxy.type",
                &[("server", server)],
            );
        }
        _ => {}
    }
    if matches!(int("network.trr.mode"), Some(2 | 3)) {
        let uri = string("network.trr.custom_uri").or_else(|| string("network.trr.uri"));
        if let Some(uri) = uri {
            found(
                FindingId::DnsOverHttpsCustom,
                Severity::Info,
                "network.trr.mode",
                &[("server", super::chromium::redact_url(&uri))],
            );
        }
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
    parse_pref_calls(text)
        .into_iter()
        .map(|(_, name, value, line)| (name, value, line))
        .collect()
}

/// [`parse_prefs`] with how each pref is set (`user_pref`, `pref`, `defaultPref`,
/// `lockPref`), for defaults and autoconfig files.
pub fn parse_pref_calls(text: &str) -> Vec<(Call, String, PrefValue, usize)> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
        line: 1,
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

    proptest::proptest! {
        #[test]
        fn prefs_parser_never_panics(text in "(user_pref\\(|[\"'\\\\,;)(/*#\n0-9a-z\u{e9} -]){0,80}") {
            let _ = parse_prefs(&text);
        }
    }
}
