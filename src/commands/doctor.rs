//! `loginfix doctor`: the other causes of a failed login that are visible on the
//! machine, found without writing a byte (no lock, no backup, no private copy).

use super::Selection;
use crate::doctor::{self, Checked, Context};
use crate::lock::LockPolicy;
use crate::platform::Layout;
use crate::report::doctor::{DoctorProfile, DoctorReport, MachineReport};
use crate::report::SCHEMA_VERSION;
use crate::targets::Targets;
use crate::Fatal;

/// How `loginfix doctor` runs.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Options {
    pub selection: Selection,
    pub domains: Vec<String>,
    /// Run the checks that need the network.
    pub online: bool,
    pub locks: LockPolicy,
    /// Run the machine-wide checks (hosts file, system proxy, policies, online) too:
    /// `--all-users` runs them once for the machine (see [`machine`]), not per user.
    pub machine: bool,
}

/// Advice filled in, sorted, duplicates dropped.
fn finish(checked: &mut Checked) {
    for f in &mut checked.findings {
        f.advice = doctor::advice::text(f);
    }
    doctor::sort(&mut checked.findings);
    checked.findings.dedup();
    // One file unread for two checks (a damaged hive holds policies and proxy settings)
    // is said once; so is one reason for not checking.
    let mut seen = std::collections::HashSet::new();
    checked.unread.retain(|u| {
        seen.insert((
            u.browser,
            u.profile.clone(),
            u.file.clone(),
            u.reason.clone(),
        ))
    });
    let mut seen = std::collections::HashSet::new();
    checked
        .not_checked
        .retain(|n| seen.insert(n.reason.clone()));
}

/// What every check is given; `now` is read once, so all of them judge ages alike.
fn context<'a>(
    layout: &'a Layout,
    fs: &'a crate::confine::Confined,
    targets: &'a Targets,
    options: &'a Options,
    reach: doctor::Reach,
) -> Context<'a> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    Context {
        layout,
        fs,
        targets,
        browsers: &options.selection.browsers,
        locks: options.locks,
        now,
        reach,
        firefox_machine: Default::default(),
        registry: Default::default(),
    }
}

/// The machine-wide checks alone (hosts file, system proxy, policies, online), for
/// `--all-users`: `layout` gives the root and OS; no profile is read.
pub fn machine(layout: &Layout, options: &Options) -> Result<MachineReport, Fatal> {
    let targets = Targets::parse(&options.domains).map_err(|e| Fatal::usage(e.to_string()))?;
    let fs = crate::confine::Confined::with(layout.confinement());
    let ctx = context(layout, &fs, &targets, options, doctor::Reach::Machine);
    let mut checked = doctor::check_machine(&ctx);
    checked.extend(doctor::online::check(&ctx, options.online));
    finish(&mut checked);
    Ok(MachineReport {
        root: layout.root.clone(),
        online: options.online,
        summary: DoctorReport::summarize(&checked.findings, &checked.unread),
        findings: checked.findings,
        unread: checked.unread,
        not_checked: checked.not_checked,
    })
}

/// Adds the machine-wide findings (made as root by the parent of a child that checked
/// the home, see `worker`) to a home's report, ordered and counted as one run's.
pub fn add_machine(report: &mut DoctorReport, machine: MachineReport) {
    let mut checked = Checked {
        findings: std::mem::take(&mut report.findings),
        unread: std::mem::take(&mut report.unread),
        not_checked: std::mem::take(&mut report.not_checked),
    };
    checked.extend(Checked {
        findings: machine.findings,
        unread: machine.unread,
        not_checked: machine.not_checked,
    });
    finish(&mut checked);
    report.online = machine.online;
    report.summary = DoctorReport::summarize(&checked.findings, &checked.unread);
    report.findings = checked.findings;
    report.unread = checked.unread;
    report.not_checked = checked.not_checked;
}

pub fn run(layout: &Layout, options: &Options) -> Result<DoctorReport, Fatal> {
    let targets = Targets::parse(&options.domains).map_err(|e| Fatal::usage(e.to_string()))?;
    let found = super::select(layout, &options.selection)?;
    let fs = crate::confine::Confined::with(layout.confinement());
    // Without the machine's checks (made once by the fleet run, or as root by the parent
    // of a child working in a home), the home user's own settings are still read here.
    let reach = if options.machine {
        doctor::Reach::All
    } else {
        doctor::Reach::User
    };
    let ctx = context(layout, &fs, &targets, options, reach);
    let mut checked = Checked::default();
    checked.extend(doctor::check_machine(&ctx));
    for p in &found.profiles {
        checked.extend(doctor::check_profile(&ctx, p));
    }
    if options.machine {
        checked.extend(doctor::online::check(&ctx, options.online));
    }
    finish(&mut checked);
    let profiles = found
        .profiles
        .iter()
        .map(|p| DoctorProfile {
            browser: p.browser,
            channel: p.channel,
            profile: p.dir_name.clone(),
            name: p.display_name.clone(),
            path: p.path.clone(),
        })
        .collect();
    Ok(DoctorReport {
        schema_version: SCHEMA_VERSION,
        command: "doctor",
        meta: crate::report::Meta::for_layout(layout),
        os: layout.os,
        home: layout.home.clone(),
        root: layout.root.clone(),
        online: options.online,
        summary: DoctorReport::summarize(&checked.findings, &checked.unread),
        findings: checked.findings,
        unread: checked.unread,
        not_checked: checked.not_checked,
        profiles,
        browsers: found.browsers,
        warnings: found.warnings,
    })
}
