//! `doctor`'s checks: each reads, never writes, what a browser or the system itself
//! reads, and turns what would break a ChatGPT login into a [`Finding`]. Profile checks
//! live in one file per engine, machine-wide ones (hosts file, system proxy, enterprise
//! policies) in their own; all match hosts through the one matcher in `targets`.

pub mod advice;
pub mod chromium;
pub mod firefox;
pub mod hosts;
pub mod online;
pub mod policy;
mod regf;
mod registry;
pub mod safari;
mod sysfile;
pub mod system_proxy;
pub mod version;
pub mod vpn;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::browser::{Browser, Engine, Profile};
use crate::extensions;
use crate::lock::{LockPolicy, LockState};
use crate::platform::Layout;
use crate::targets::Targets;

/// A finding's stable name: scripts match on it, the message catalog is keyed by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingId {
    BrowserRunning,
    BrowserRestartPending,
    BrowserOutdated,
    CookiesBlocked,
    CookiesSessionOnly,
    ThirdPartyCookiesBlocked,
    JavascriptBlocked,
    AutoTranslate,
    ProxyBrowser,
    ProxyExtension,
    ProxySystem,
    HostsFileBlock,
    PolicyBlocksSite,
    PolicyBlocksCookies,
    PolicyBlocksJavascript,
    PolicyForcesExtension,
    PolicyClearsData,
    SignInRestricted,
    StorageDisabled,
    ResistFingerprinting,
    ShieldsStrict,
    PrivateOnly,
    DnsOverHttpsCustom,
    InterferingExtension,
    VpnSystem,
    ClockSkew,
    HostUnreachable,
    OpenaiOutage,
}

impl FindingId {
    /// The id as scripts see it (`cookies_blocked`).
    pub fn as_str(self) -> &'static str {
        match self {
            FindingId::BrowserRunning => "browser_running",
            FindingId::BrowserRestartPending => "browser_restart_pending",
            FindingId::BrowserOutdated => "browser_outdated",
            FindingId::CookiesBlocked => "cookies_blocked",
            FindingId::CookiesSessionOnly => "cookies_session_only",
            FindingId::ThirdPartyCookiesBlocked => "third_party_cookies_blocked",
            FindingId::JavascriptBlocked => "javascript_blocked",
            FindingId::AutoTranslate => "auto_translate",
            FindingId::ProxyBrowser => "proxy_browser",
            FindingId::ProxyExtension => "proxy_extension",
            FindingId::ProxySystem => "proxy_system",
            FindingId::HostsFileBlock => "hosts_file_block",
            FindingId::PolicyBlocksSite => "policy_blocks_site",
            FindingId::PolicyBlocksCookies => "policy_blocks_cookies",
            FindingId::PolicyBlocksJavascript => "policy_blocks_javascript",
            FindingId::PolicyForcesExtension => "policy_forces_extension",
            FindingId::PolicyClearsData => "policy_clears_data",
            FindingId::SignInRestricted => "sign_in_restricted",
            FindingId::StorageDisabled => "storage_disabled",
            FindingId::ResistFingerprinting => "resist_fingerprinting",
            FindingId::ShieldsStrict => "shields_strict",
            FindingId::PrivateOnly => "private_only",
            FindingId::DnsOverHttpsCustom => "dns_over_https_custom",
            FindingId::InterferingExtension => "interfering_extension",
            FindingId::VpnSystem => "vpn_system",
            FindingId::ClockSkew => "clock_skew",
            FindingId::HostUnreachable => "host_unreachable",
            FindingId::OpenaiOutage => "openai_outage",
        }
    }
}

/// How badly a finding affects the login. Ordered most severe first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Breaks the login.
    Error,
    /// Often breaks it.
    Warning,
    Info,
}

/// What a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Machine,
    User,
    Profile,
}

/// Where a finding was read: the file, and the key or line in it. `value` is a setting's
/// value as written (a number, a pattern, a proxy host), never a cookie or a secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub file: PathBuf,
    /// The pref, key, policy name, table row or `line N`.
    pub key: Option<String>,
    pub value: Option<String>,
}

impl Evidence {
    pub fn new(file: impl Into<PathBuf>, key: impl Into<String>) -> Evidence {
        Evidence {
            file: file.into(),
            key: Some(key.into()),
            value: None,
        }
    }

    pub fn value(mut self, value: impl Into<String>) -> Evidence {
        self.value = Some(value.into());
        self
    }
}

/// One cause found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub id: FindingId,
    pub severity: Severity,
    pub scope: Scope,
    /// The browser the finding is about (also for a browser's machine-wide policy).
    pub browser: Option<Browser>,
    /// The profile's directory name, for a profile finding.
    pub profile: Option<String>,
    pub evidence: Evidence,
    /// The values the advice names (`site`, `host`, `extension`, `server`, `version`,
    /// `browser`, ...): the message catalog fills them in, scripts may read them.
    #[serde(deserialize_with = "crate::worker::statics::keyed")]
    pub params: BTreeMap<crate::worker::statics::Name, String>,
    /// One sentence: what to change, and where. Filled from the catalog by [`run`].
    pub advice: String,
}

impl Finding {
    /// A machine-wide finding, with `id`'s usual severity.
    pub fn machine(id: FindingId, severity: Severity, evidence: Evidence) -> Finding {
        Finding {
            id,
            severity,
            scope: Scope::Machine,
            browser: None,
            profile: None,
            evidence,
            params: BTreeMap::new(),
            advice: String::new(),
        }
    }

    /// A finding about one profile.
    pub fn profile(
        id: FindingId,
        severity: Severity,
        profile: &Profile,
        evidence: Evidence,
    ) -> Finding {
        Finding {
            scope: Scope::Profile,
            browser: Some(profile.browser),
            profile: Some(profile.dir_name.clone()),
            ..Finding::machine(id, severity, evidence)
        }
    }

    /// A machine-wide finding about one browser (its enterprise policy, its install).
    pub fn for_browser(mut self, browser: Browser) -> Finding {
        self.browser = Some(browser);
        self
    }

    /// Names a value the advice refers to.
    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Finding {
        self.params.insert(name, value.into());
        self
    }
}

/// Something doctor had to read and could not: the report says so instead of "clean".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unread {
    pub scope: Scope,
    pub browser: Option<Browser>,
    pub profile: Option<String>,
    pub file: PathBuf,
    /// Why, and what to do when something can be done.
    pub reason: String,
}

impl Unread {
    pub fn machine(file: impl Into<PathBuf>, reason: impl Into<String>) -> Unread {
        Unread {
            scope: Scope::Machine,
            browser: None,
            profile: None,
            file: file.into(),
            reason: reason.into(),
        }
    }

    pub fn profile(
        profile: &Profile,
        file: impl Into<PathBuf>,
        reason: impl Into<String>,
    ) -> Unread {
        Unread {
            scope: Scope::Profile,
            browser: Some(profile.browser),
            profile: Some(profile.dir_name.clone()),
            ..Unread::machine(file, reason)
        }
    }
}

/// A check that was not made, and why (`--online` not given, the Windows registry off
/// Windows): the report says it, so silence is never taken for a clean result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotChecked {
    /// The finding ids the check would have given.
    pub ids: Vec<FindingId>,
    pub reason: String,
}

/// What one group of checks gave.
#[derive(Clone, Debug, Default)]
pub struct Checked {
    pub findings: Vec<Finding>,
    pub unread: Vec<Unread>,
    pub not_checked: Vec<NotChecked>,
}

impl Checked {
    pub fn extend(&mut self, other: Checked) {
        self.findings.extend(other.findings);
        self.unread.extend(other.unread);
        self.not_checked.extend(other.not_checked);
    }

    pub fn found(&mut self, finding: Finding) {
        self.findings.push(finding);
    }
}

/// What every check may look at.
pub struct Context<'a> {
    pub layout: &'a Layout,
    /// How the profile's files are reached: through directory handles under the home's
    /// roots, never through a symlink (doctor runs as root over homes users control).
    pub fs: &'a crate::confine::Confined,
    pub targets: &'a Targets,
    /// The browsers selected (machine-wide policy checks are made for these).
    pub browsers: &'a [Browser],
    pub locks: LockPolicy,
    /// Now, seconds since the Unix epoch (tests fix it).
    pub now: i64,
    /// Which of the machine-wide checks' files are read: root over a user's home reads
    /// the machine's, its child working as the user reads the user's (see `worker`).
    pub reach: Reach,
    /// The machine's Firefox prefs, read once a run for all of its Firefox profiles.
    pub firefox_machine: std::sync::OnceLock<firefox::MachinePrefs>,
    /// The Windows registry (live, or hive files), opened once a run.
    pub registry: std::sync::OnceLock<registry::Registry>,
}

/// Which settings files `check_machine` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// The machine's and the home user's (one process does it all).
    All,
    /// The machine's alone: no file in the home is read.
    Machine,
    /// The home user's alone (their proxy settings), read as the user.
    User,
}

impl Reach {
    pub fn machine(self) -> bool {
        self != Reach::User
    }

    pub fn user(self) -> bool {
        self != Reach::Machine
    }
}

impl Context<'_> {
    /// `rel` under the root of machine-wide files.
    pub fn system_path(&self, rel: &str) -> PathBuf {
        self.layout.system_path(rel)
    }

    /// The Windows layout's registry.
    pub fn registry(&self) -> &registry::Registry {
        self.registry.get_or_init(|| registry::Registry::open(self))
    }
}

/// The checks of one profile: its running state, its engine's settings, its extensions.
pub fn check_profile(ctx: &Context, profile: &Profile) -> Checked {
    let mut checked = Checked::default();
    let state = ctx.locks.check(&profile.lock);
    if let LockState::Running { detail, probe, .. } = &state {
        checked.found(
            Finding::profile(
                FindingId::BrowserRunning,
                Severity::Warning,
                profile,
                Evidence::new(profile.path.clone(), *probe).value(detail.clone()),
            )
            .with("browser", profile.browser.product_name()),
        );
    }
    checked.extend(version::check(ctx, profile, &state));
    checked.extend(match profile.browser.engine() {
        Engine::Chromium => chromium::check(ctx, profile),
        Engine::Firefox => firefox::check(ctx, profile),
        Engine::Safari => safari::check(ctx, profile),
    });
    checked.extend(check_extensions(ctx, profile));
    checked
}

/// Enabled extensions of the catalog (what `loginfix extensions` lists as known to
/// interfere); the heuristic's guesses are left to `extensions`.
fn check_extensions(ctx: &Context, profile: &Profile) -> Checked {
    let mut checked = Checked::default();
    match extensions::list(ctx.fs, profile, ctx.targets, false) {
        Ok(list) => {
            for ext in list.iter().filter(|e| e.info.enabled) {
                let Some(entry) = &ext.catalog else { continue };
                let manifest = extension_evidence(profile, &ext.info);
                checked.found(
                    Finding::profile(
                        FindingId::InterferingExtension,
                        Severity::Warning,
                        profile,
                        Evidence::new(manifest, ext.info.id.clone()).value(entry.category.clone()),
                    )
                    .with("extension", ext.info.name.clone()),
                );
            }
        }
        Err(e) => checked.unread.push(Unread::profile(
            profile,
            profile.path.clone(),
            format!("extensions: {}", crate::stores::error_text(&e)),
        )),
    }
    checked
}

/// The file an extension is recorded in.
fn extension_evidence(profile: &Profile, _info: &extensions::ExtensionInfo) -> PathBuf {
    let name = match profile.browser.engine() {
        Engine::Chromium => "Preferences",
        Engine::Firefox => "extensions.json",
        Engine::Safari => "Extensions",
    };
    profile.path.join(name)
}

/// The machine-wide checks: hosts file, system proxy, enterprise policies of the
/// selected browsers.
pub fn check_machine(ctx: &Context) -> Checked {
    let mut checked = Checked::default();
    if ctx.reach.machine() {
        checked.extend(hosts::check(ctx));
    }
    checked.extend(system_proxy::check(ctx));
    // The machine's policies, and on Windows the user's (HKCU) in the run of their home.
    checked.extend(policy::check(ctx));
    if ctx.reach.machine() {
        checked.extend(vpn::check(ctx));
    }
    checked
}

/// Orders findings as the text shows them: machine first, then by browser and profile,
/// most severe first within each, then by id and evidence.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (
            a.scope != Scope::Machine,
            a.browser,
            &a.profile,
            a.severity,
            a.id,
        )
            .cmp(&(
                b.scope != Scope::Machine,
                b.browser,
                &b.profile,
                b.severity,
                b.id,
            ))
            .then_with(|| a.evidence.file.cmp(&b.evidence.file))
            .then_with(|| a.evidence.key.cmp(&b.evidence.key))
    });
}

/// Whether `file` exists; a helper for checks that read optional files.
pub fn exists(file: &Path) -> bool {
    file.symlink_metadata().is_ok()
}
