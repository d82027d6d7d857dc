//! The report of `loginfix fix`: the clean (one plan over cookies, cache and site data),
//! `doctor`'s findings, and the next steps as ids (JSON) or sentences from the catalog
//! (text, in the run's language). The clean's text here is a short summary per profile;
//! `-v` adds the item-by-item listing of `clear-*`.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::{CleanReport, Diagnostic, DoctorReport, Exit, ProfileReport, ProfileStatus, Report};
use crate::doctor::{Finding, Severity};
use crate::events::Damaged;
use crate::i18n::{self, t, ta, tn, Lang};
use crate::output::{clean, look, people_bytes, Style};
use crate::report::Action;

/// What to try after the clean, in order. Scripts read the ids; people the catalog's
/// `next-<id>` sentences.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NextStep {
    /// A dry run found data to remove: run `fix` for real first (then sign in).
    RunTheClean,
    /// No browser profile was found: nothing was cleaned, nothing checked in a profile.
    FindTheBrowser,
    /// Open https://chatgpt.com and sign in the same way as before.
    SignIn,
    /// Fix the findings of severity warning or worse, first one first.
    ActOnFindings,
    /// OpenAI's status page.
    CheckStatus,
    /// Wait a while after many failed attempts.
    WaitAfterFailures,
    TryPrivateWindow,
    TryAnotherBrowserOrNetwork,
    /// Two-factor codes from a phone depend on the phone's clock.
    CheckPhoneClock,
}

impl NextStep {
    pub fn id(self) -> &'static str {
        match self {
            NextStep::RunTheClean => "run_the_clean",
            NextStep::FindTheBrowser => "find_the_browser",
            NextStep::SignIn => "sign_in",
            NextStep::ActOnFindings => "act_on_findings",
            NextStep::CheckStatus => "check_status",
            NextStep::WaitAfterFailures => "wait_after_failures",
            NextStep::TryPrivateWindow => "try_private_window",
            NextStep::TryAnotherBrowserOrNetwork => "try_another_browser_or_network",
            NextStep::CheckPhoneClock => "check_phone_clock",
        }
    }

    /// The steps after a run whose findings are `findings`: first what the clean leaves
    /// to do (a dry run: the clean itself; no browser found: finding it), else signing in.
    pub fn after(findings: &[Finding], clean: &CleanReport) -> Vec<NextStep> {
        let first = if clean.profiles.is_empty() {
            NextStep::FindTheBrowser
        } else if clean.dry_run && clean.summary.counts.would_remove > 0 {
            NextStep::RunTheClean
        } else {
            NextStep::SignIn
        };
        let mut steps = vec![first];
        if findings.iter().any(acts) {
            steps.push(NextStep::ActOnFindings);
        }
        steps.extend([
            NextStep::CheckStatus,
            NextStep::WaitAfterFailures,
            NextStep::TryPrivateWindow,
            NextStep::TryAnotherBrowserOrNetwork,
            NextStep::CheckPhoneClock,
        ]);
        steps
    }
}

/// A finding worth acting on: it breaks, or often breaks, the login.
fn acts(f: &Finding) -> bool {
    matches!(f.severity, Severity::Error | Severity::Warning)
}

/// How many findings the guided mode shows; `loginfix doctor` lists them all.
const GUIDED_FINDINGS: usize = 3;

/// How many next steps the guided mode shows: its result and these fit one 80×24 screen.
const GUIDED_STEPS: usize = 3;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FixReport {
    pub schema_version: u32,
    #[serde(deserialize_with = "crate::worker::statics::name")]
    pub command: crate::worker::statics::Name,
    #[serde(flatten)]
    pub meta: super::Meta,
    /// The language of the prose (`advice`); keys and ids are English whatever it is.
    pub lang: Lang,
    pub dry_run: bool,
    /// The clean, as `clear-*` reports it (its `command` is `fix`).
    pub clean: CleanReport,
    /// The checks, as `doctor` reports them (offline checks only).
    pub doctor: DoctorReport,
    pub next_steps: Vec<NextStep>,
    #[serde(skip)]
    pub guided: bool,
}

impl FixReport {
    pub fn new(clean: CleanReport, doctor: DoctorReport, guided: bool) -> FixReport {
        FixReport {
            schema_version: super::SCHEMA_VERSION,
            command: "fix",
            meta: clean.meta.clone(),
            lang: i18n::current(),
            dry_run: clean.dry_run,
            next_steps: NextStep::after(&doctor.findings, &clean),
            clean,
            doctor,
            guided,
        }
    }
}

impl FixReport {
    /// The profile a finding is about, as the plan names it (`None` for the machine).
    fn finding_whom(&self, f: &Finding) -> Option<String> {
        let (browser, dir) = (f.browser?, f.profile.as_deref()?);
        let p = self
            .doctor
            .profiles
            .iter()
            .find(|p| p.browser == browser && p.profile == dir)?;
        let name = p.name.as_deref().unwrap_or(&p.profile);
        Some(ta(
            "fix-profile-label",
            &[("browser", browser.product_name()), ("name", name)],
        ))
    }
}

/// Which heading a plan or a result has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Heading {
    /// Before the question.
    Plan,
    Done,
    DryRun,
}

/// What one profile's items come to, by kind: cookies, cache files and their bytes,
/// site data.
fn tally(p: &ProfileReport) -> (usize, usize, u64, usize) {
    let (mut cookies, mut cache, mut bytes, mut site) = (0, 0, 0, 0);
    for item in &p.items {
        if !matches!(item.action, Action::Removed | Action::WouldRemove) {
            continue;
        }
        // The stores' labels (see `stores::StoreKind`): Firefox's session-restore copy
        // holds cookies; every label but these and `cache` is site data.
        match item.store {
            "cookies" | "session_restore" => cookies += 1,
            "cache" => {
                cache += 1;
                bytes += item.item.size.unwrap_or(0);
            }
            _ => site += 1,
        }
    }
    (cookies, cache, bytes, site)
}

/// "Google Chrome (Person 1)": the product and the name the user knows the profile by.
fn profile_label(p: &ProfileReport) -> String {
    let name = p.name.as_deref().unwrap_or(&p.profile);
    let label = ta(
        "fix-profile-label",
        &[("browser", p.browser.product_name()), ("name", name)],
    );
    clean(&label).into_owned()
}

/// The clean's plan or result in a few lines: a heading, one line per profile that has
/// something of the targets, or the line saying there is nothing.
pub fn plan_text(report: &CleanReport, heading: Heading) -> String {
    let domains = i18n::names(&report.targets);
    let mut out = String::new();
    let lines: Vec<String> = report
        .profiles
        .iter()
        .filter_map(|p| {
            let (cookies, cache, bytes, site) = tally(p);
            let mut what = Vec::new();
            if cookies > 0 {
                what.push(tn("fix-what-cookies", cookies, &[]));
            }
            if cache > 0 {
                what.push(tn(
                    "fix-what-cache",
                    cache,
                    &[("size", &people_bytes(bytes))],
                ));
            }
            if site > 0 {
                what.push(tn("fix-what-site-data", site, &[]));
            }
            (!what.is_empty()).then(|| {
                let what = i18n::list(&what);
                ta(
                    "fix-profile-line",
                    &[("profile", &profile_label(p)), ("what", &what)],
                )
            })
        })
        .collect();
    if lines.is_empty() {
        let _ = writeln!(out, "{}", ta("fix-nothing", &[("domains", &domains)]));
        return out;
    }
    let key = match heading {
        Heading::Plan => "fix-plan-heading",
        Heading::Done => "fix-done-heading",
        Heading::DryRun => "fix-dry-heading",
    };
    let _ = writeln!(out, "{}", ta(key, &[("domains", &domains)]));
    for line in lines {
        let _ = writeln!(out, "  - {line}");
    }
    out
}

impl Report for FixReport {
    /// The clean's: 0, 1 when something failed, 3 when an open browser's profiles were
    /// skipped. Findings do not change it (they are in the report; `doctor` exits 1).
    fn exit(&self) -> Exit {
        self.clean.exit()
    }

    /// What discovery had to say (once); skipped profiles are told in the text, in the
    /// run's language, and in the JSON by their status.
    fn warnings(&self) -> Vec<String> {
        let mut out = self.clean.warnings.clone();
        for w in &self.doctor.warnings {
            if !out.contains(w) {
                out.push(w.clone());
            }
        }
        out
    }

    fn errors(&self) -> Vec<Diagnostic> {
        let mut out = self.clean.errors();
        out.extend(self.doctor.errors());
        out
    }

    fn render_text(&self, style: &Style) -> String {
        let mut out = String::new();
        if style.verbose && !self.guided {
            out.push_str(&self.clean.render_text(style));
            out.push('\n');
        }
        let result = self.result_text(style);
        let findings = self.findings_text(style);
        let next = self.next_text(style);
        // The guided mode's last screen is what the person needs: what was done and the
        // first steps; the details (other causes) scroll above them.
        if self.guided {
            out.push_str(&findings);
            out.push('\n');
            out.push_str(&result);
        } else {
            out.push_str(&result);
            out.push('\n');
            out.push_str(&findings);
        }
        out.push('\n');
        out.push_str(&next);
        out
    }

    fn summary(&self) -> super::summary::Tally {
        let (clean, mut items) = self.clean.tally();
        let findings: Vec<String> = self
            .doctor
            .findings
            .iter()
            .filter_map(super::summary::finding_item)
            .collect();
        let counted = super::summary::Counted::Fix {
            clean,
            findings: findings.len(),
        };
        items.extend(findings);
        super::summary::Tally { counted, items }
    }
}

impl FixReport {
    /// What the clean did (or would do), what it left, and how to undo it.
    fn result_text(&self, style: &Style) -> String {
        let mut out = String::new();
        // No profile: nothing was looked at, which is not "nothing found" (the next
        // step says what to do).
        if self.clean.profiles.is_empty() && !self.clean.interrupted {
            let _ = writeln!(out, "{}", t("fix-no-profile-result"));
            return out;
        }
        let heading = if self.dry_run {
            Heading::DryRun
        } else {
            Heading::Done
        };
        out.push_str(&plan_text(&self.clean, heading));
        let mut skipped_said = Vec::new();
        for p in &self.clean.profiles {
            match p.status {
                ProfileStatus::SkippedRunning if !skipped_said.contains(&p.browser) => {
                    skipped_said.push(p.browser);
                    let key = if p.lock.names_another_machine() {
                        "fix-skipped-elsewhere"
                    } else {
                        "fix-skipped-running"
                    };
                    let line = ta(key, &[("browser", p.browser.product_name())]);
                    let _ = writeln!(out, "{}", style.paint(look::WARNING, &line));
                }
                ProfileStatus::Failed => {
                    // What to do about the store that failed, when its cause tells
                    // (a damaged file: move it aside), else the general way out. A
                    // store that could not be moved aside is told with the moves.
                    let unmoved = |file: &std::path::Path| {
                        p.moved_aside
                            .iter()
                            .any(|m| m.error.is_some() && m.file == file)
                    };
                    let mut left = p.errors.iter().filter(|e| !unmoved(&e.file)).peekable();
                    let only_moves = left.peek().is_none() && p.counts.failed == 0;
                    let line = match left.find(|e| e.hint.is_some()) {
                        Some(e) => ta(
                            "fix-failed-store",
                            &[
                                ("profile", &profile_label(p)),
                                ("file", &clean(&e.file.display().to_string())),
                                ("hint", e.hint.as_deref().unwrap_or_default()),
                            ],
                        ),
                        None => ta("fix-failed-profile", &[("profile", &profile_label(p))]),
                    };
                    if !only_moves {
                        let _ = writeln!(out, "{}", style.paint(look::FAILED, &line));
                    }
                }
                _ => {}
            }
            out.push_str(&moves_text(p, self.dry_run, style));
        }
        if let Some(undo) = &self.clean.undo_command {
            let _ = writeln!(out, "{}", ta("fix-undo", &[("command", &clean(undo))]));
        }
        if self.dry_run {
            let _ = writeln!(out, "{}", t("fix-dry-run"));
        }
        out
    }

    /// The other causes found, most likely first (the guided mode shows the first few).
    fn findings_text(&self, style: &Style) -> String {
        let mut out = String::new();
        let shown: Vec<&Finding> = self
            .doctor
            .findings
            .iter()
            .filter(|f| acts(f) || (style.verbose && !self.guided))
            .collect();
        if shown.is_empty() {
            // The browsers' own settings are checked per profile: with none, only the
            // machine's were.
            let line = if !self.doctor.unread.is_empty() {
                // Not an all-clear: part of what tells could not be read.
                tn("fix-no-findings-unread", self.doctor.unread.len(), &[])
            } else if self.clean.profiles.is_empty() {
                t("fix-no-findings-machine")
            } else {
                t("fix-no-findings")
            };
            let _ = writeln!(out, "{line}");
            return out;
        }
        let _ = writeln!(
            out,
            "{}",
            style.paint(look::BOLD, &t("fix-findings-heading"))
        );
        let limit = if self.guided {
            GUIDED_FINDINGS
        } else {
            usize::MAX
        };
        // The same advice for several profiles (an extension in each) is one line,
        // naming each profile.
        let mut lines: Vec<(String, Vec<String>)> = Vec::new();
        for f in &shown {
            let whom = self.finding_whom(f);
            match lines.iter_mut().find(|(advice, _)| *advice == f.advice) {
                Some((_, whoms)) => whoms.extend(whom),
                None => lines.push((f.advice.clone(), whom.into_iter().collect())),
            }
        }
        for (advice, whoms) in lines.iter().take(limit) {
            let line = match whoms.is_empty() {
                true => advice.clone(),
                false => ta(
                    "fix-profile-line",
                    &[("profile", &i18n::list(whoms)), ("what", advice)],
                ),
            };
            let _ = writeln!(out, "  - {}", clean(&line));
        }
        if lines.len() > limit {
            let n = (lines.len() - limit).to_string();
            let _ = writeln!(out, "  {}", ta("fix-more-findings", &[("count", &n)]));
        }
        out
    }

    /// What to do next: every step, or in the guided mode the first three and how to
    /// see the rest.
    fn next_text(&self, style: &Style) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{}", style.paint(look::BOLD, &t("fix-next-heading")));
        let limit = if self.guided {
            GUIDED_STEPS
        } else {
            usize::MAX
        };
        for (i, step) in self.next_steps.iter().take(limit).enumerate() {
            let _ = writeln!(out, "  {}. {}", i + 1, t(&format!("next-{}", step.id())));
        }
        if self.next_steps.len() > limit {
            let _ = writeln!(
                out,
                "  {}",
                tn("fix-more-steps", self.next_steps.len() - limit, &[])
            );
        }
        out
    }
}

/// What became of the damaged stores moved aside in profile `p`: moved into the backup
/// set (the undo line after says how to bring them back), or not.
fn moves_text(p: &ProfileReport, dry_run: bool, style: &Style) -> String {
    let mut out = String::new();
    for m in &p.moved_aside {
        let args = [
            ("profile", profile_label(p)),
            ("file", clean(&m.file.display().to_string()).into_owned()),
        ];
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (key, look) = match m.error {
            None if dry_run => ("fix-would-move", look::PENDING),
            None => ("fix-moved", look::DONE),
            Some(_) => ("fix-move-failed", look::FAILED),
        };
        let _ = writeln!(out, "{}", style.paint(look, &ta(key, &args)));
    }
    out
}

/// The second question of the guided mode: the damaged stores, what moving them aside
/// costs (every site of those profiles signed out) and how it is undone, then the
/// question itself, on the line the answer is typed on.
pub fn move_question(stores: &[Damaged]) -> String {
    let mut out = format!("{}\n", tn("fix-move-heading", stores.len(), &[]));
    for d in stores {
        let name = d.name.as_deref().unwrap_or(&d.profile);
        let profile = ta(
            "fix-profile-label",
            &[("browser", d.browser.product_name()), ("name", name)],
        );
        let line = ta(
            "fix-profile-line",
            &[
                ("profile", &clean(&profile)),
                ("what", &clean(&d.file.display().to_string())),
            ],
        );
        let _ = writeln!(out, "  - {line}");
    }
    let _ = writeln!(out, "{}", tn("fix-move-explain", stores.len(), &[]));
    let _ = write!(out, "{} ", tn("fix-move-question", stores.len(), &[]));
    out
}

/// Each browser once, in the order met.
pub fn distinct(
    browsers: impl Iterator<Item = crate::browser::Browser>,
) -> Vec<crate::browser::Browser> {
    let mut out = Vec::new();
    for b in browsers {
        if !out.contains(&b) {
            out.push(b);
        }
    }
    out
}

/// "Browsers found: Google Chrome, Firefox", once per browser.
pub fn found_line(profiles: &[crate::browser::Profile]) -> String {
    let browsers = distinct(profiles.iter().map(|p| p.browser));
    if browsers.is_empty() {
        return format!("{}\n", i18n::t("fix-no-profile"));
    }
    let names: Vec<&str> = browsers.iter().map(|b| b.product_name()).collect();
    format!(
        "{}\n",
        i18n::ta("fix-found", &[("list", &i18n::list(&names))])
    )
}

/// What the guided mode shows before its question: the plan, that other sites stay
/// signed in, and the backup.
pub fn plan_and_notes(preview: &CleanReport, backup: bool) -> String {
    let mut text = plan_text(preview, Heading::Plan);
    let domains = i18n::names(&preview.targets);
    text.push_str(&format!(
        "{}\n",
        i18n::ta("fix-keep", &[("domains", &domains)])
    ));
    if backup {
        text.push_str(&format!("{}\n", i18n::t("fix-backup-note")));
    }
    text.push_str(&left_out(preview));
    text
}

/// What the clean will leave as it is, told before the question rather than after the
/// answer: a store that could not be read, a profile whose browser is in use (here or on
/// another computer), a profile that could not be read.
fn left_out(preview: &CleanReport) -> String {
    let mut lines = Vec::new();
    for p in &preview.profiles {
        let profile = profile_label(p);
        for e in &p.errors {
            let file = e.file.display().to_string();
            // What the person can do about it, said now rather than after the answer.
            let line = match &e.hint {
                Some(hint) => ta(
                    "fix-left-out-store-hint",
                    &[
                        ("profile", &profile),
                        ("file", &clean(&file)),
                        ("hint", hint),
                    ],
                ),
                None => ta(
                    "fix-left-out-store",
                    &[("profile", &profile), ("file", &clean(&file))],
                ),
            };
            lines.push(line);
        }
        match p.status {
            ProfileStatus::SkippedRunning if p.lock.names_another_machine() => lines.push(ta(
                "fix-left-out-elsewhere",
                &[("profile", &profile), ("browser", p.browser.product_name())],
            )),
            ProfileStatus::SkippedRunning => {
                lines.push(ta("fix-left-out-running", &[("profile", &profile)]))
            }
            ProfileStatus::Failed if p.errors.is_empty() => {
                lines.push(ta("fix-left-out-profile", &[("profile", &profile)]))
            }
            _ => {}
        }
    }
    if lines.is_empty() {
        return String::new();
    }
    let mut out = format!("{}\n", i18n::t("fix-left-out-heading"));
    for l in lines {
        let _ = writeln!(out, "  - {l}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::{Evidence, FindingId};

    /// The sample home's clean, read (a dry run) and then taken as done when `done`.
    fn cleaned(done: bool) -> CleanReport {
        let home = tempfile::tempdir().unwrap();
        crate::testutil::copy_sample("linux", home.path());
        let layout = crate::platform::Layout::for_home(crate::platform::Os::Linux, home.path());
        let options = crate::commands::clean::Options {
            selection: crate::commands::Selection::all(),
            what: crate::commands::clean::What::Cookies,
            domains: Vec::new(),
            dry_run: true,
            backup: false,
            backup_dir: None,
            keep: 5,
            locks: Default::default(),
            deadline: None,
            fleet_run: None,
            move_aside: Default::default(),
        };
        let mut report = crate::commands::clean::run(&layout, &options).unwrap();
        report.dry_run = !done;
        report
    }

    /// Doctor's report on the sample home (its profiles only).
    fn checked() -> DoctorReport {
        let home = tempfile::tempdir().unwrap();
        crate::testutil::copy_sample("linux", home.path());
        let layout = crate::platform::Layout::for_home(crate::platform::Os::Linux, home.path());
        let options = crate::commands::doctor::Options {
            selection: crate::commands::Selection::all(),
            domains: Vec::new(),
            online: false,
            locks: Default::default(),
            machine: false,
        };
        crate::commands::doctor::run(&layout, &options).unwrap()
    }

    /// "Sign in" only after a clean that ran: a dry run's first step is the clean itself,
    /// and no browser found is its own ending.
    #[test]
    fn the_first_step_is_what_the_clean_left_to_do() {
        let dry = cleaned(false);
        assert!(dry.summary.counts.would_remove > 0);
        assert_eq!(NextStep::after(&[], &dry)[0], NextStep::RunTheClean);
        assert!(!NextStep::after(&[], &dry).contains(&NextStep::SignIn));
        assert_eq!(NextStep::after(&[], &cleaned(true))[0], NextStep::SignIn);
        let mut none = cleaned(true);
        none.profiles.clear();
        assert_eq!(NextStep::after(&[], &none)[0], NextStep::FindTheBrowser);
        for lang in [crate::i18n::Lang::En, crate::i18n::Lang::Ja] {
            for step in [NextStep::RunTheClean, NextStep::FindTheBrowser] {
                let key = format!("next-{}", step.id());
                let text = crate::i18n::message_in(lang, &key, &[]);
                assert!(!text.is_empty() && text != key, "{lang:?} {key}");
            }
        }
    }

    /// A store that could not be read, and a profile whose browser is in use, are told
    /// with the plan, before the question, in the catalog's words.
    #[test]
    fn what_is_left_out_is_told_before_the_question() {
        let mut preview = cleaned(false);
        assert_eq!(left_out(&preview), "");
        preview.profiles[0]
            .errors
            .push(crate::report::StoreError::new(
                "cookies",
                std::path::PathBuf::from("/h/.config/google-chrome/Default/Cookies"),
                "not a database".to_string(),
            ));
        preview.profiles[1].status = ProfileStatus::SkippedRunning;
        let text = plan_and_notes(&preview, true);
        let told = text
            .split_once("Left as they are")
            .map(|(_, t)| t)
            .unwrap_or_default();
        // The file, and what to do about it (a damaged file: move it aside), before
        // the question.
        assert!(
            told.contains("/h/.config/google-chrome/Default/Cookies could not be read: the file is damaged: move it aside"),
            "{text}"
        );
        assert!(told.contains("its browser is in use"), "{text}");
        preview.profiles[1].lock = crate::lock::LockState::Running {
            detail: "held on fileserver".to_string(),
            probe: "singleton_lock",
            elsewhere: true,
        };
        let text = plan_and_notes(&preview, true);
        assert!(
            text.contains("run loginfix again with --ignore-foreign-locks"),
            "{text}"
        );
        for key in [
            "fix-left-out-heading",
            "fix-left-out-store",
            "fix-left-out-store-hint",
            "fix-left-out-running",
            "fix-left-out-elsewhere",
            "fix-left-out-profile",
        ] {
            let ja = crate::i18n::message_in(crate::i18n::Lang::Ja, key, &[]);
            assert!(!ja.is_empty() && ja != key && !ja.is_ascii(), "{key}: {ja}");
        }
    }

    /// A damaged store moved aside is said with the result, before the undo line; one
    /// that could not be moved is said so instead of the advice to move it by hand.
    #[test]
    fn a_store_moved_aside_is_told_with_the_result() {
        let file = std::path::PathBuf::from("/h/.config/google-chrome/Default/Cookies");
        let report = |error: Option<&str>| {
            let mut clean = cleaned(true);
            clean.undo_command = Some("loginfix restore 1".to_string());
            let p = &mut clean.profiles[0];
            p.moved_aside.push(crate::report::MovedAside {
                store: "cookies",
                file: file.clone(),
                files: vec![file.clone()],
                error: error.map(str::to_string),
            });
            if error.is_some() {
                p.status = ProfileStatus::Failed;
                p.errors.push(crate::report::StoreError::new(
                    "cookies",
                    file.clone(),
                    "not a database".to_string(),
                ));
            }
            FixReport::new(clean, checked(), true).result_text(&Style::default())
        };
        let moved = report(None);
        assert!(
            moved.contains(
                "the damaged /h/.config/google-chrome/Default/Cookies was moved into the backup set"
            ),
            "{moved}"
        );
        let at = |s: &str| moved.find(s).unwrap_or_else(|| panic!("{s}: {moved}"));
        assert!(at("was moved into") < at("To undo: `loginfix restore 1`"));
        let failed = report(Some("could not remove it"));
        assert!(
            failed.contains("Cookies could not be moved aside; nothing of it was lost"),
            "{failed}"
        );
        assert!(!failed.contains("move it aside (that keeps"), "{failed}");
        assert!(!failed.contains("was moved into"), "{failed}");
    }

    #[test]
    fn acting_on_findings_is_a_step_only_when_one_matters() {
        let done = cleaned(true);
        let info = Finding::machine(
            FindingId::ThirdPartyCookiesBlocked,
            Severity::Info,
            Evidence::new("/p", "k"),
        );
        let steps = NextStep::after(std::slice::from_ref(&info), &done);
        assert_eq!(steps[0], NextStep::SignIn);
        assert!(!steps.contains(&NextStep::ActOnFindings));
        let warning = Finding {
            severity: Severity::Warning,
            ..info
        };
        let steps = NextStep::after(&[warning], &done);
        assert_eq!(&steps[..2], &[NextStep::SignIn, NextStep::ActOnFindings]);
        assert_eq!(steps.last(), Some(&NextStep::CheckPhoneClock));
        let ids: Vec<&str> = steps.iter().map(|s| s.id()).collect();
        let json: Vec<String> = steps
            .iter()
            .map(|s| {
                serde_json::to_value(s)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(ids, json, "id() and the JSON agree");
    }
}
