//! The command line: clap types, turned once into a [`Job`] (the command and its plain
//! options), the output [`Forms`] and the fleet's options. Parsing validates what the user
//! typed (including `--domain`) and touches no file; `app::run` resolves it against the
//! disk.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::browser::Browser;
use crate::commands::{self, backups, browsers, clean, doctor, extensions, Job};
use crate::lock::LockPolicy;
use crate::output::forms::Forms;
use crate::platform::Os;
use crate::targets;

/// Clear ChatGPT / OpenAI login state (cookies) from every browser profile, and
/// nothing else.
#[derive(Clone, Debug, Parser)]
#[command(name = "loginfix", version, long_version = LONG_VERSION, about, long_about = None, after_help = examples())]
// The options every command takes are listed apart from the command's own.
#[command(next_help_heading = "Global options")]
pub struct Cli {
    /// Act on the user whose home directory is DIR (another account, a mounted disk).
    #[arg(long, global = true, value_name = "DIR")]
    pub home: Option<PathBuf>,

    /// Read machine-wide files (hosts file, policies, system proxy) under DIR, a mounted
    /// disk for example [default: /, the system drive on Windows].
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,

    /// How the home is laid out [default: this machine's OS].
    #[arg(long, global = true, value_enum)]
    pub os: Option<Os>,

    /// Print one JSON document on stdout instead of text.
    #[arg(long, global = true)]
    pub json: bool,

    /// Print only the summary and errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Also print what was looked at (directories, locks, store files).
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// Treat a browser lock held by another machine (a home on a network share) as stale
    /// instead of as a running browser.
    #[arg(long, global = true)]
    pub ignore_foreign_locks: bool,

    /// When to use colour in text output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Language of the text [default: from LC_ALL, LC_MESSAGES, LANG, else the
    /// system's].
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    pub lang: Option<crate::i18n::Lang>,
    /// Act on every real user account of the machine (or of --root), one after another,
    /// as if --home were given for each; for browsers, clear-*, extensions, doctor and
    /// backups.
    #[arg(long, global = true, conflicts_with = "home")]
    pub all_users: bool,

    /// Print only one summary line on stdout (counts and the first findings), for
    /// Intune and Jamf; `jamf` wraps it in <result>…</result>.
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "FORM",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "plain",
        conflicts_with = "json"
    )]
    pub summary: Option<SummaryForm>,

    /// Also write the JSON document to FILE (mode 0600, replaced atomically); stdout
    /// keeps the text or the summary.
    #[arg(long, global = true, value_name = "FILE")]
    pub json_out: Option<PathBuf>,

    /// Replace user names and home paths by stable hashes (the first 12 hex digits of
    /// their SHA-256) in all output, for reports that leave the machine.
    #[arg(long, global = true)]
    pub redact: bool,

    /// Time limit per user, in seconds; a user not done by then is reported as
    /// `timed_out` (a clean stops between profiles, never within a store).
    #[arg(long, global = true, value_name = "SECONDS", value_parser = parse_timeout)]
    pub timeout: Option<f64>,

    #[command(subcommand)]
    pub command: Command,
}

pub use crate::report::summary::SummaryForm;

fn parse_timeout(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(t) if t.is_finite() && t > 0.0 && t <= 86_400.0 => Ok(t),
        _ => Err("expected a number of seconds above 0 and at most 86400".to_string()),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Debug, Subcommand)]
pub enum Command {
    /// Clear cookies, cache and site data in one run, then find other causes.
    ///
    /// Clear ChatGPT's cookies, cache and site data at once, find other causes, say what
    /// to do next (a plain `loginfix` on a terminal runs it, guided).
    Fix(FixArgs),
    /// List the browsers and profiles found, with their stores and whether they run.
    Browsers(Selection),
    /// Remove the target domains' cookies (and Firefox's session-restore copies).
    ClearCookies(ClearArgs),
    /// Remove the target domains' HTTP-cache and code-cache entries.
    ClearCache(ClearCacheArgs),
    /// Remove the target domains' site data (storage, IndexedDB, service workers, ...).
    ///
    /// Remove the target domains' site data (localStorage, sessionStorage, IndexedDB,
    /// Cache Storage, service workers, file systems), partitioned copies included.
    ClearSiteData(ClearSiteDataArgs),
    /// List installed extensions known or likely to break logging in.
    Extensions(ExtensionsArgs),
    /// Find other causes of a failed login (proxies, policies, ...); changes nothing.
    ///
    /// Find the other causes of a failed login (blocked cookies, proxies, policies, ...);
    /// changes nothing.
    Doctor(DoctorArgs),
    /// List the backup sets of earlier runs.
    Backups(BackupsArgs),
    /// Put the stores of a backup set back (default: the latest set).
    Restore(RestoreArgs),
    /// Ask for a clean on this machine, for the next `fix --if-requested` (admins only).
    ///
    /// Mark a clean as requested on this machine (or say whether one is, or clear the
    /// mark): scheduled runs report and never clean, `fix --if-requested` cleans once per
    /// request and clears the mark. Only an administrator can mark (HKLM on Windows, a
    /// root-owned file elsewhere).
    Request(RequestArgs),
    /// Print the completion script for SHELL on stdout (the README says where it goes).
    Completions(CompletionsArgs),
    /// Print the man page (roff) on stdout: loginfix(1) or loginfix-COMMAND(1).
    Man(ManArgs),
}

/// `--version`: the version, the commit and the target it was built for (`-V` prints the
/// version alone).
pub const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("LOGINFIX_COMMIT"),
    ", ",
    env!("LOGINFIX_TARGET"),
    ")"
);

/// The commands that have a page of their own (`loginfix man COMMAND`).
pub const MAN_PAGES: &[&str] = &[
    "fix",
    "browsers",
    "clear-cookies",
    "clear-cache",
    "clear-site-data",
    "extensions",
    "doctor",
    "backups",
    "restore",
    "request",
    "completions",
    "man",
];

#[derive(Clone, Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print [default: loginfix(1), which lists them].
    #[arg(value_parser = clap::builder::PossibleValuesParser::new(MAN_PAGES))]
    pub command: Option<String>,
}

#[derive(Clone, Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// The README's usage examples, shown after `--help`'s options.
const EXAMPLES: &[(&str, &str)] = &[
    (
        "loginfix clear-cookies --dry-run",
        "what would be removed, from every browser",
    ),
    (
        "loginfix clear-cookies --browser chrome",
        "remove them from every Chrome profile",
    ),
    (
        "loginfix clear-cookies --dry-run --json | jq '.summary'",
        "the same, for a script",
    ),
    ("loginfix restore", "put the latest backup set back"),
    (
        "loginfix --home /mnt/disk/Users/ana clear-cookies --dry-run",
        "another account or disk",
    ),
];

/// `--help`'s examples section, its heading styled as clap styles its own (clap strips
/// the style when colour is off).
fn examples() -> String {
    let heading = anstyle::Style::new().bold().underline();
    let mut s = format!("{heading}Examples:{heading:#}\n");
    for (command, what) in EXAMPLES {
        s.push_str(&format!("  {command}\n      {what}\n"));
    }
    s.trim_end().to_string()
}

/// What a plain `loginfix` (nothing after it) prints: the usage line, the commands and
/// the first thing to try, instead of clap's full list of options, in the user's
/// language.
pub fn short_usage() -> String {
    use crate::i18n::t;
    let mut cmd = command();
    let mut s = format!(
        "{}\n\n{}\n\n{}\n",
        t("usage-about"),
        cmd.render_usage(),
        t("usage-commands")
    );
    let names: Vec<String> = cmd
        .get_subcommands()
        .filter(|c| !c.is_hide_set() && c.get_name() != "help")
        .map(|c| c.get_name().to_string())
        .collect();
    let width = names.iter().map(String::len).max().unwrap_or(0);
    for name in &names {
        s.push_str(&format!(
            "  {name:<width$}  {}\n",
            t(&format!("about-{name}"))
        ));
    }
    s.push('\n');
    s.push_str(&t("usage-try-first"));
    s.push('\n');
    s
}

/// The command line as people see it, in the run's language: each command's help lists
/// its own options and examples and points at the global options in one line (rather
/// than repeating them); in Japanese, clap's headings, each command's description and
/// each option's are Japanese too, fitted to the terminal. Parsing is the same as
/// [`Cli`]'s own.
pub fn command() -> clap::Command {
    let lang = crate::i18n::current();
    let columns = if lang == crate::i18n::Lang::En {
        0
    } else {
        help_columns()
    };
    command_in(lang, columns)
}

/// The columns `--help` fills, found as clap finds them: the terminal's, else `COLUMNS`,
/// else 100.
fn help_columns() -> usize {
    use crate::output::wrap::{terminal_columns, Stream};
    terminal_columns(Stream::Stdout)
        .or_else(|| std::env::var("COLUMNS").ok()?.parse().ok())
        .unwrap_or(100)
}

/// [`command`] in `lang`, its help fitted to `columns` (English: clap fits it itself).
pub fn command_in(lang: crate::i18n::Lang, columns: usize) -> clap::Command {
    use crate::i18n::{has_in, message_in, Lang};
    use clap::CommandFactory;
    let t = |key: &str| message_in(lang, key, &[]);
    let ja = lang != Lang::En;
    let mut cmd = Cli::command();
    // Each command gets the global options hidden, as clap would propagate them: clap
    // then leaves them there (it propagates only what a command lacks).
    let globals: Vec<clap::Arg> = cmd
        .get_arguments()
        .filter(|a| a.is_global_set())
        .cloned()
        .collect();
    let names: Vec<String> = cmd
        .get_subcommands()
        .filter(|c| !c.is_hide_set() && c.get_name() != "help")
        .map(|c| c.get_name().to_string())
        .collect();
    for name in names {
        let globals = globals.clone();
        cmd = cmd.mut_subcommand(&name, |mut sub| {
            for arg in globals {
                sub = sub.arg(arg.hide(true));
            }
            let mut after = String::new();
            let key = format!("examples-{name}");
            if has_in(lang, &key) {
                after = examples_in(lang, &key);
                after.push_str("\n\n");
            }
            after.push_str(&t("usage-global-options"));
            if ja {
                // clap breaks lines only at spaces: Japanese comes fitted.
                let sub = localized(sub.after_help(fit(&after, columns)), lang)
                    .about(t(&format!("about-{name}")))
                    .long_about(None);
                described(sub, Some(&name), lang, columns)
            } else {
                sub.after_help(after)
            }
        });
    }
    if ja {
        let global = leaked(t("help-global-options"));
        cmd = localized(cmd, lang)
            .about(fit(&t("usage-about"), columns))
            .after_help(fit(&examples_in(lang, "examples-loginfix"), columns))
            .disable_version_flag(true)
            .arg(
                clap::Arg::new("version")
                    .short('V')
                    .long("version")
                    .action(clap::ArgAction::Version),
            )
            .mut_args(|a| {
                if a.get_help_heading() == Some("Global options") {
                    a.help_heading(global)
                } else {
                    a
                }
            });
        cmd = listed(described(cmd, None, lang, columns), lang, columns);
    }
    cmd
}

/// `text` fitted to `columns` by the rules of its language; a narrow terminal still
/// gets lines of 20.
fn fit(text: &str, columns: usize) -> String {
    crate::output::wrap::fit(text, columns.max(20))
}

/// An examples section from the catalog: its heading, then each command and what it
/// does, indented under it.
fn examples_in(lang: crate::i18n::Lang, key: &str) -> String {
    let mut s = crate::i18n::message_in(lang, "usage-examples", &[]);
    for line in crate::i18n::message_in(lang, key, &[]).lines() {
        s.push_str("\n  ");
        s.push_str(line);
    }
    s
}

/// clap's own words in a command's help, in `lang`: its headings and its `--help`.
fn localized(cmd: clap::Command, lang: crate::i18n::Lang) -> clap::Command {
    let t = |key: &str| crate::i18n::message_in(lang, key, &[]);
    let (arguments, options) = (leaked(t("help-arguments")), leaked(t("help-options")));
    cmd.help_template(format!(
        "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
        t("help-usage")
    ))
    .subcommand_help_heading(leaked(t("help-commands")))
    .disable_help_flag(true)
    .arg(
        clap::Arg::new("help")
            .short('h')
            .long("help")
            .action(clap::ArgAction::Help),
    )
    .mut_args(|a| {
        let heading = if a.is_positional() {
            arguments
        } else {
            options
        };
        if a.get_help_heading().is_none() {
            a.help_heading(heading)
        } else {
            a
        }
    })
}

/// A heading for clap, which takes only static text (without its `string` feature):
/// made a few times per run.
fn leaked(s: String) -> &'static str {
    s.leak()
}

/// The catalog key of `arg`'s description in `command` (`None`: a global option):
/// `arg-<command>-<name>` where the option means something else in that command, else
/// `arg-<name>`; the name is the long option's, else the id, in kebab case.
pub fn arg_key(lang: crate::i18n::Lang, command: Option<&str>, arg: &clap::Arg) -> String {
    let name = arg_name(arg);
    if let Some(command) = command {
        let key = format!("arg-{command}-{name}");
        if crate::i18n::has_in(lang, &key) {
            return key;
        }
    }
    format!("arg-{name}")
}

/// The catalog key of the description of `value`, one of `arg`'s possible values.
pub fn value_key(arg: &clap::Arg, value: &str) -> String {
    format!("value-{}-{value}", arg_name(arg))
}

fn arg_name(arg: &clap::Arg) -> String {
    arg.get_long()
        .unwrap_or(arg.get_id().as_str())
        .replace('_', "-")
}

/// What clap adds after a description (`[default: 10]`, `[possible values: …]`), in
/// `lang`: clap says it in English only.
fn spec_values(arg: &clap::Arg, lang: crate::i18n::Lang) -> String {
    use crate::i18n::message_in;
    let mut s = String::new();
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if arg.get_action().takes_values() && !arg.is_hide_default_value_set() && !defaults.is_empty() {
        s.push_str(&message_in(
            lang,
            "help-default",
            &[("value", &defaults.join(" "))],
        ));
    }
    // A flag has the values `true` and `false` before clap builds it; it shows none.
    if arg.get_action().takes_values() && !arg.is_hide_possible_values_set() {
        let values: Vec<String> = arg
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| match v.get_help() {
                Some(_) => message_in(
                    lang,
                    "help-value",
                    &[
                        ("value", v.get_name()),
                        (
                            "description",
                            &message_in(lang, &value_key(arg, v.get_name()), &[]),
                        ),
                    ],
                ),
                None => v.get_name().to_string(),
            })
            .collect();
        if !values.is_empty() {
            let list = values.join(&message_in(lang, "list-separator", &[]));
            s.push_str(&message_in(lang, "help-values", &[("list", &list)]));
        }
    }
    s
}

/// Where clap starts a description put on the line after its option. On the same line,
/// it starts after two spaces, the widest option of the section (with room for `-n, `
/// when it has a long name) and two spaces.
const NEXT_LINE_INDENT: usize = 10;

/// Each shown argument's description from the catalog in `lang`, with what clap adds
/// after it, broken into lines of `columns` by the rules of the language (clap breaks
/// only at spaces, and Japanese has none).
fn described(
    cmd: clap::Command,
    command: Option<&str>,
    lang: crate::i18n::Lang,
    columns: usize,
) -> clap::Command {
    use crate::output::wrap;
    let cmd = cmd.mut_args(|a| {
        if a.is_hide_set() {
            return a;
        }
        let mut help = crate::i18n::message_in(lang, &arg_key(lang, command, &a), &[]);
        help.push_str(&spec_values(&a, lang));
        // clap allows hiding them only where there is a value.
        let values = a.get_action().takes_values();
        a.help(help)
            .hide_default_value(values)
            .hide_possible_values(values)
    });
    // Where clap puts the descriptions of each section (as its help template does).
    let section = |a: &clap::Arg| {
        a.get_help_heading()
            .map(str::to_string)
            .unwrap_or_else(|| a.is_positional().to_string())
    };
    let mut longest: std::collections::HashMap<String, usize> = Default::default();
    // An option is shown as clap shows it (`--keep <N>`) only once built.
    let mut built = cmd.clone();
    built.build();
    for a in built.get_arguments().filter(|a| !a.is_hide_set()) {
        let short = if a.get_long().is_some() { 4 } else { 0 };
        let w = longest.entry(section(a)).or_insert(2);
        *w = (*w).max(wrap::width(&a.to_string()) + short);
    }
    // Past 40% of the width, clap puts descriptions on the next line.
    let next_line = longest.values().any(|w| (w + 4) * 10 > columns * 4);
    let cmd = cmd.next_line_help(next_line).term_width(columns);
    cmd.mut_args(|a| {
        if a.is_hide_set() {
            return a;
        }
        let indent = if next_line {
            NEXT_LINE_INDENT
        } else {
            longest.get(&section(&a)).copied().unwrap_or(2) + 4
        };
        let help = a.get_help().map(ToString::to_string).unwrap_or_default();
        let lines = wrap::wrap(&help, columns.saturating_sub(indent).max(20));
        a.help(lines.join("\n"))
    })
}

/// The list of commands in `lang`, fitted to `columns` as [`described`] fits options,
/// `help` included (clap adds that command itself, in English; `loginfix help help`
/// stays clap's).
fn listed(mut cmd: clap::Command, lang: crate::i18n::Lang, columns: usize) -> clap::Command {
    use crate::output::wrap;
    // clap adds `help` when it builds the command, and builds it only once.
    cmd.build();
    let shown: Vec<String> = cmd
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .map(|c| c.get_name().to_string())
        .collect();
    let longest = shown.iter().map(|n| wrap::width(n)).max().unwrap_or(0) + 4;
    let indent = if longest * 10 > columns * 4 {
        NEXT_LINE_INDENT
    } else {
        longest
    };
    for name in shown {
        let about = crate::i18n::message_in(lang, &format!("about-{name}"), &[]);
        let lines = wrap::wrap(&about, columns.saturating_sub(indent).max(20));
        cmd = cmd.mut_subcommand(&name, |sub| sub.about(lines.join("\n")));
    }
    cmd
}

/// Parses `args` with the command line of [`command`].
pub fn parse(args: &[std::ffi::OsString]) -> Result<Cli, clap::Error> {
    use clap::FromArgMatches;
    let matches = command().try_get_matches_from(args)?;
    Cli::from_arg_matches(&matches)
}

/// The language a run speaks, chosen from its raw arguments (`--lang`) and the
/// environment, before they are parsed: usage errors and `--help` speak it too.
pub fn early_lang(args: &[std::ffi::OsString]) -> crate::i18n::Lang {
    let mut it = args.iter().skip(1).take_while(|a| *a != "--");
    let mut flag = None;
    while let Some(a) = it.next() {
        let value = match a.to_str() {
            Some("--lang") => it.next().and_then(|v| v.to_str()).map(str::to_string),
            Some(a) => a.strip_prefix("--lang=").map(str::to_string),
            None => None,
        };
        if let Some(v) = value {
            flag = <crate::i18n::Lang as ValueEnum>::from_str(&v, true).ok();
        }
    }
    crate::i18n::detect(flag, |k| std::env::var(k).ok())
}

#[derive(Clone, Debug, Args)]
pub struct BackupsArgs {
    /// The directory holding the backup sets [default: as for clear-cookies].
    #[arg(long, value_name = "DIR")]
    pub backup_dir: Option<PathBuf>,
}

#[derive(Clone, Debug, Args)]
pub struct RequestArgs {
    /// Say whether a clean is requested (exit 1 while it is, for a detection script).
    #[arg(long, conflicts_with = "clear")]
    pub status: bool,

    /// Clear the request without cleaning.
    #[arg(long)]
    pub clear: bool,
}

#[derive(Clone, Debug, Args)]
pub struct RestoreArgs {
    /// The backup set's id (from `loginfix backups`) [default: the latest].
    pub id: Option<String>,

    /// The directory holding the backup sets [default: as for clear-cookies].
    #[arg(long, value_name = "DIR")]
    pub backup_dir: Option<PathBuf>,

    /// Show what would be restored; change nothing.
    #[arg(short = 'n', long)]
    pub dry_run: bool,
}

#[derive(Clone, Debug, Args)]
pub struct ExtensionsArgs {
    #[command(flatten)]
    pub selection: Selection,

    /// List every installed extension (built-in ones too), marking catalog matches.
    #[arg(long)]
    pub all: bool,
}

#[derive(Clone, Debug, Args)]
pub struct DoctorArgs {
    #[command(flatten)]
    pub selection: Selection,

    /// Target domain; its subdomains are included (repeatable)
    /// [default: openai.com and chatgpt.com].
    #[arg(long = "domain", value_name = "D", value_parser = parse_domain)]
    pub domains: Vec<String>,

    /// Also run the checks that need the network (the clock against an HTTPS `Date`
    /// header, whether the login hosts answer), each with a short timeout.
    #[arg(long)]
    pub online: bool,
}

#[derive(Clone, Debug, Args)]
pub struct ClearCacheArgs {
    #[command(flatten)]
    pub clear: ClearArgs,

    /// Skip caches that can only be cleared whole (Chrome and Edge on Windows) instead
    /// of clearing them when they hold target entries.
    #[arg(long)]
    pub no_whole_cache: bool,
}

/// `clear-site-data` takes what `clear-cookies` takes.
#[derive(Clone, Debug, Args)]
pub struct ClearSiteDataArgs {
    #[command(flatten)]
    pub clear: ClearArgs,
}

/// Which browsers and profiles to act on.
#[derive(Clone, Debug, Args)]
pub struct Selection {
    /// Browser to act on (repeatable) [default: all].
    #[arg(long = "browser", value_enum, value_name = "B")]
    pub browsers: Vec<BrowserChoice>,

    /// Profile directory name (`Default`, `Profile 2`, `abcd.default-release`) or display
    /// name (repeatable) [default: every profile].
    #[arg(long = "profile", value_name = "P")]
    pub profiles: Vec<String>,
}

#[derive(Clone, Debug, Args)]
pub struct ClearArgs {
    #[command(flatten)]
    pub selection: Selection,

    /// Target domain; its subdomains are included (repeatable)
    /// [default: openai.com and chatgpt.com].
    #[arg(long = "domain", value_name = "D", value_parser = parse_domain)]
    pub domains: Vec<String>,

    /// Show what would be removed; open every store read-only and change nothing.
    #[arg(short = 'n', long)]
    pub dry_run: bool,

    #[command(flatten)]
    pub backup: BackupArgs,
}

#[derive(Clone, Debug, Args)]
pub struct FixArgs {
    #[command(flatten)]
    pub selection: Selection,

    /// Target domain; its subdomains are included (repeatable)
    /// [default: openai.com and chatgpt.com].
    #[arg(long = "domain", value_name = "D", value_parser = parse_domain)]
    pub domains: Vec<String>,

    /// Show what would be removed and what else was found; change nothing, ask nothing.
    #[arg(short = 'n', long)]
    pub dry_run: bool,

    /// Neither ask nor wait for open browsers: their profiles are skipped (exit 3).
    #[arg(short = 'y', long)]
    pub yes: bool,

    #[command(flatten)]
    pub backup: BackupArgs,

    /// Also move each damaged cookie file (one SQLite cannot read) into the backup set,
    /// so that its browser makes a new, empty one: this signs you out of every site in
    /// that profile; `restore` puts it back. Without it, fix on a terminal asks.
    #[arg(long, conflicts_with = "no_backup")]
    pub move_damaged: bool,

    /// Clean only when `loginfix request` asked for it on this machine, then clear the
    /// request; without one, change nothing (for scheduled remediation; implies --yes).
    #[arg(long)]
    pub if_requested: bool,

    /// The guided mode's shorter, friendlier text (what a plain `loginfix` runs).
    #[arg(long, hide = true)]
    pub guided: bool,
}

impl FixArgs {
    pub fn options(&self, locks: LockPolicy) -> commands::fix::Options {
        commands::fix::Options {
            selection: self.selection.selection(),
            domains: self.domains.clone(),
            dry_run: self.dry_run,
            // A scheduled remediation: nobody is there to answer.
            yes: self.yes || self.if_requested,
            backup: !self.backup.no_backup,
            backup_dir: self.backup.backup_dir.clone(),
            keep: self.backup.keep,
            locks,
            guided: self.guided,
            move_damaged: self.move_damaged,
            // Decided by `app::run`, which sees the terminal and `--json`.
            interactive: false,
            machine: true,
            fleet_run: None,
            if_requested: self.if_requested,
        }
    }
}

/// What a plain `loginfix` runs: with no argument, or only the global options that say
/// whose data and in which words (`--home`, `--os`, `--lang`: support staff walking a
/// person through another account or a mounted disk), the guided `fix` when both stdin
/// and stdout are terminals (a person is there to answer); else `None` (no argument: the
/// short usage is printed, exit 2, so scripts see no change).
pub fn plain_args(args: &[std::ffi::OsString]) -> Option<Vec<std::ffi::OsString>> {
    use std::io::IsTerminal;
    let rest: Vec<&str> = args
        .iter()
        .skip(1)
        .map(|a| a.to_str())
        .collect::<Option<_>>()?;
    let terminal = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    (only_guided_globals(&rest) && terminal).then(|| {
        let mut guided: Vec<std::ffi::OsString> = args.to_vec();
        guided.extend(["fix", "--guided"].map(Into::into));
        guided
    })
}

/// Whether `args` (after the program's name) are only `--home`, `--os` and `--lang`, each
/// with its value (`--home DIR` or `--home=DIR`), at most once each.
fn only_guided_globals(args: &[&str]) -> bool {
    const TAKEN: [&str; 3] = ["--home", "--os", "--lang"];
    let mut seen = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let name = match a.split_once('=') {
            Some((name, value)) if TAKEN.contains(&name) && !value.is_empty() => name,
            None if TAKEN.contains(a) => match it.next() {
                Some(value) if !value.starts_with('-') => a,
                _ => return false,
            },
            _ => return false,
        };
        if seen.contains(&name) {
            return false;
        }
        seen.push(name);
    }
    true
}

/// Whether to keep the window open when the run ends: `loginfix.exe` started with no
/// argument, alone on a console that is also its input (double-clicked in Explorer, whose
/// console closes with the process and would take the result with it). From a shell, a
/// script, a service, a scheduled task or with any argument, never: a run waiting for a
/// key nobody presses is a hung fleet job.
pub fn holds_window(argc: usize, alone_on_console: bool, input_is_console: bool) -> bool {
    argc == 1 && alone_on_console && input_is_console
}

/// Says, in the user's language, that Enter closes the window, and waits for it (or for
/// the input to end).
pub fn wait_for_enter() {
    use std::io::Write;
    // Only a start with no argument waits, so no `--lang`: the language `run` chose.
    let lang = crate::i18n::detect(None, |k| std::env::var(k).ok());
    let mut err = std::io::stderr();
    let _ = write!(
        err,
        "\n{} ",
        crate::i18n::message_in(lang, "fix-press-enter", &[])
    );
    let _ = err.flush();
    let _ = std::io::stdin().read_line(&mut String::new());
}

/// Where backups of changed stores go, and how many are kept.
#[derive(Clone, Debug, Args)]
pub struct BackupArgs {
    /// Keep backup sets in DIR [default: loginfix/backups in the home's data directory].
    #[arg(long, value_name = "DIR")]
    pub backup_dir: Option<PathBuf>,

    /// Change stores without backing them up first (for scripts that keep their own).
    #[arg(long)]
    pub no_backup: bool,

    /// How many backup sets to keep; older ones are pruned after a successful run.
    #[arg(long, value_name = "N", default_value_t = crate::execute::backup::DEFAULT_KEEP)]
    pub keep: usize,
}

fn parse_domain(s: &str) -> Result<String, String> {
    targets::normalize_domain(s).map_err(|e| e.to_string())
}

/// A `--browser` value: one browser, or `all`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BrowserChoice {
    All,
    One(Browser),
}

impl ValueEnum for BrowserChoice {
    fn value_variants<'a>() -> &'a [Self] {
        static CHOICES: std::sync::OnceLock<Vec<BrowserChoice>> = std::sync::OnceLock::new();
        CHOICES.get_or_init(|| {
            Browser::all()
                .map(BrowserChoice::One)
                .chain([BrowserChoice::All])
                .collect()
        })
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        match self {
            BrowserChoice::All => Some(clap::builder::PossibleValue::new("all")),
            BrowserChoice::One(b) => Some(clap::builder::PossibleValue::new(b.name())),
        }
    }
}

impl Selection {
    /// The browsers chosen, in a fixed order, without duplicates.
    pub fn browsers(&self) -> Vec<Browser> {
        if self.browsers.is_empty() || self.browsers.contains(&BrowserChoice::All) {
            return Browser::all().collect();
        }
        Browser::all()
            .filter(|b| self.browsers.contains(&BrowserChoice::One(*b)))
            .collect()
    }

    pub fn selection(&self) -> commands::Selection {
        commands::Selection {
            browsers: self.browsers(),
            profiles: self.profiles.clone(),
        }
    }

    /// `loginfix browsers` takes nothing but a selection.
    pub fn options(&self, locks: LockPolicy) -> browsers::Options {
        browsers::Options {
            selection: self.selection(),
            locks,
        }
    }
}

impl Cli {
    /// The lock policy every command that checks locks shares (a global flag).
    pub fn locks(&self) -> LockPolicy {
        LockPolicy {
            ignore_foreign: self.ignore_foreign_locks,
        }
    }

    /// The command to run on a home with its options; `None` for `completions` and
    /// `man`, which need none.
    pub fn job(&self) -> Option<Job> {
        let locks = self.locks();
        Some(match &self.command {
            Command::Fix(a) => Job::Fix(a.options(locks)),
            Command::Browsers(a) => Job::Browsers(a.options(locks)),
            Command::ClearCookies(a) => Job::Clean(a.options(locks)),
            Command::ClearCache(a) => Job::Clean(a.options(locks)),
            Command::ClearSiteData(a) => Job::Clean(a.options(locks)),
            Command::Extensions(a) => Job::Extensions(a.options()),
            Command::Doctor(a) => Job::Doctor(a.options(locks)),
            Command::Backups(a) => Job::Backups(a.options()),
            Command::Restore(a) => Job::Restore(a.options(locks)),
            Command::Request(a) => Job::Request(commands::request::Options {
                action: if a.status {
                    commands::request::Action::Status
                } else if a.clear {
                    commands::request::Action::Clear
                } else {
                    commands::request::Action::Set
                },
            }),
            Command::Completions(_) | Command::Man(_) => return None,
        })
    }

    /// `--summary`, `--json-out` and `--redact`.
    pub fn forms(&self) -> Forms {
        Forms {
            summary: self.summary,
            json_out: self.json_out.clone(),
            redact: self.redact,
        }
    }
}

impl Command {
    /// The name of the subcommand, as typed.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Fix(_) => "fix",
            Command::Browsers(_) => "browsers",
            Command::ClearCookies(_) => "clear-cookies",
            Command::ClearCache(_) => "clear-cache",
            Command::ClearSiteData(_) => "clear-site-data",
            Command::Extensions(_) => "extensions",
            Command::Doctor(_) => "doctor",
            Command::Backups(_) => "backups",
            Command::Restore(_) => "restore",
            Command::Request(_) => "request",
            Command::Completions(_) => "completions",
            Command::Man(_) => "man",
        }
    }
}

impl ClearArgs {
    /// `clear-cookies`.
    pub fn options(&self, locks: LockPolicy) -> clean::Options {
        self.clean_options(clean::What::Cookies, locks)
    }

    fn clean_options(&self, what: clean::What, locks: LockPolicy) -> clean::Options {
        clean::Options {
            selection: self.selection.selection(),
            what,
            domains: self.domains.clone(),
            dry_run: self.dry_run,
            backup: !self.backup.no_backup,
            backup_dir: self.backup.backup_dir.clone(),
            keep: self.backup.keep,
            locks,
            deadline: None,
            fleet_run: None,
            move_aside: clean::MoveAside::None,
        }
    }
}

impl ClearCacheArgs {
    pub fn options(&self, locks: LockPolicy) -> clean::Options {
        let what = clean::What::Cache {
            whole_cache: !self.no_whole_cache,
        };
        self.clear.clean_options(what, locks)
    }
}

impl ClearSiteDataArgs {
    pub fn options(&self, locks: LockPolicy) -> clean::Options {
        self.clear.clean_options(clean::What::SiteData, locks)
    }
}

impl ExtensionsArgs {
    pub fn options(&self) -> extensions::Options {
        extensions::Options {
            selection: self.selection.selection(),
            all: self.all,
        }
    }
}

impl DoctorArgs {
    pub fn options(&self, locks: LockPolicy) -> doctor::Options {
        doctor::Options {
            selection: self.selection.selection(),
            domains: self.domains.clone(),
            online: self.online,
            locks,
            machine: true,
        }
    }
}

impl BackupsArgs {
    pub fn options(&self) -> backups::ListOptions {
        backups::ListOptions {
            backup_dir: self.backup_dir.clone(),
        }
    }
}

impl RestoreArgs {
    pub fn options(&self, locks: LockPolicy) -> backups::RestoreOptions {
        backups::RestoreOptions {
            id: self.id.clone(),
            backup_dir: self.backup_dir.clone(),
            dry_run: self.dry_run,
            locks,
            fleet_run: None,
            stamp: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whose_data_and_which_words_start_the_guided_mode() {
        for yes in [
            &[][..],
            &["--lang", "ja"],
            &["--lang=en"],
            &["--home", "/home/ana"],
            &[
                "--home",
                "/mnt/disk/Users/ana",
                "--os",
                "windows",
                "--lang",
                "ja",
            ],
            &["--os=macos", "--home=/Volumes/disk/Users/ana"],
        ] {
            assert!(only_guided_globals(yes), "{yes:?}");
        }
        for no in [
            &["fix"][..],
            &["--home"],
            &["--home", "--lang", "ja"],
            &["--home="],
            &["--home", "a", "--home", "b"],
            &["--json"],
            &["--all-users"],
            &["--lang", "ja", "browsers"],
            &["-v"],
        ] {
            assert!(!only_guided_globals(no), "{no:?}");
        }
    }
    use clap::CommandFactory;

    #[test]
    fn only_a_plain_start_alone_on_its_console_holds_the_window() {
        // A double-click: no argument, a console of its own, reading from it.
        assert!(holds_window(1, true, true));
        // From cmd or PowerShell: the shell shares the console.
        assert!(!holds_window(1, false, true));
        // Any argument: a person or a script chose what to run.
        assert!(!holds_window(2, true, true));
        // Input redirected (a script feeding it), or no console at all (a service).
        assert!(!holds_window(1, true, false));
        assert!(!holds_window(1, false, false));
    }

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_command_is_described_and_the_english_words_are_clap_s() {
        for lang in [crate::i18n::Lang::En, crate::i18n::Lang::Ja] {
            for sub in Cli::command().get_subcommands() {
                let key = format!("about-{}", sub.get_name());
                let told = crate::i18n::message_in(lang, &key, &[]);
                assert_ne!(told, key, "{} has no {key}", lang.code());
                if lang == crate::i18n::Lang::En {
                    assert_eq!(Some(told), sub.get_about().map(|a| a.to_string()));
                }
            }
        }
    }

    /// Every shown argument of `cmd` with the command it belongs to (`None`: a global
    /// option), the root's first.
    fn every_argument(cmd: &clap::Command) -> Vec<(Option<String>, clap::Arg)> {
        let shown = |c: &clap::Command| -> Vec<clap::Arg> {
            c.get_arguments()
                .filter(|a| !a.is_hide_set())
                .cloned()
                .collect()
        };
        let mut all: Vec<_> = shown(cmd).into_iter().map(|a| (None, a)).collect();
        for sub in cmd.get_subcommands() {
            let name = sub.get_name().to_string();
            all.extend(shown(sub).into_iter().map(|a| (Some(name.clone()), a)));
        }
        all
    }

    #[test]
    fn every_option_is_described_and_the_english_words_are_clap_s() {
        use crate::i18n::{has_in, message_in, Lang};
        // clap's own `-h` and `-V`.
        let mut used = vec!["arg-help".to_string(), "arg-version".to_string()];
        for (command, arg) in every_argument(&Cli::command()) {
            let what = format!(
                "{} {}",
                command.as_deref().unwrap_or("loginfix"),
                arg.get_id()
            );
            assert!(arg.get_long_help().is_none(), "{what}: a second text");
            let key = arg_key(Lang::En, command.as_deref(), &arg);
            let clap_s = arg.get_help().map(ToString::to_string);
            assert_eq!(
                Some(message_in(Lang::En, &key, &[])),
                clap_s,
                "{what}: {key}"
            );
            let mut keys = vec![key];
            for value in arg.get_possible_values() {
                if let Some(help) = value.get_help() {
                    let key = value_key(&arg, value.get_name());
                    assert_eq!(message_in(Lang::En, &key, &[]), help.to_string(), "{what}");
                    keys.push(key);
                }
            }
            for key in keys {
                assert!(has_in(Lang::Ja, &key), "{what}: ja has no {key}");
                used.push(key);
            }
        }
        // No description is left behind by an option renamed or removed.
        for key in crate::i18n::keys(Lang::En.source()) {
            if key.starts_with("arg-") || key.starts_with("value-") {
                assert!(used.contains(&key), "{key} describes no option");
            }
        }
    }

    /// `loginfix [COMMAND] --help` (or `-h`) as the person sees it, in `lang` on a
    /// terminal of `columns`.
    fn help_text(lang: crate::i18n::Lang, columns: usize, args: &[&str]) -> String {
        let mut all = vec!["loginfix"];
        all.extend_from_slice(args);
        let err = command_in(lang, columns)
            .try_get_matches_from(all)
            .unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::DisplayHelp, "{args:?}");
        err.render().to_string()
    }

    #[test]
    fn japanese_help_describes_every_option_in_japanese_fitted_to_the_terminal() {
        use crate::i18n::Lang;
        use crate::output::wrap::width;
        let mut commands: Vec<&str> = vec![""];
        commands.extend(MAN_PAGES);
        // Down to 50 columns: below that, clap's usage line itself is wider.
        for columns in [50, 60, 80, 100, 132] {
            for command in &commands {
                for flag in ["-h", "--help"] {
                    let args: Vec<&str> = [*command, flag]
                        .into_iter()
                        .filter(|a| !a.is_empty())
                        .collect();
                    let help = help_text(Lang::Ja, columns, &args);
                    for line in help.lines() {
                        assert!(width(line) <= columns, "{columns} {args:?}:\n{help}");
                    }
                    for english in ["[default", "[possible values", "Possible values", "Print "] {
                        assert!(!help.contains(english), "{args:?}:\n{help}");
                    }
                    // Each description is the catalog's, in Japanese.
                    if *command == "fix" && columns == 132 {
                        assert!(help.contains("（複数指定できます）"), "{help}");
                        assert!(help.contains("［既定：10］"), "{help}");
                    }
                }
            }
        }
        // Wide enough that no description is broken.
        let help = help_text(Lang::Ja, 1000, &["--help"]);
        assert!(
            help.contains("［指定できる値：auto、always、never］"),
            "{help}"
        );
        assert!(help.contains("plain（そのままの 1 行。"), "{help}");
        assert!(
            help.contains("このメッセージか、指定したコマンドのヘルプ"),
            "{help}"
        );
        // English is clap's own, as before.
        let help = help_text(Lang::En, 100, &["fix", "--help"]);
        assert!(help.contains("[default: 10]"), "{help}");
        assert!(
            help.contains("Browser to act on (repeatable) [default: all]"),
            "{help}"
        );
    }

    #[test]
    fn the_catalog_s_english_examples_are_the_man_page_s() {
        let listed: Vec<String> = EXAMPLES
            .iter()
            .flat_map(|(command, what)| [command.to_string(), what.to_string()])
            .collect();
        let catalog: Vec<String> =
            crate::i18n::message_in(crate::i18n::Lang::En, "examples-loginfix", &[])
                .lines()
                .map(|l| l.trim().to_string())
                .collect();
        assert_eq!(catalog, listed);
    }

    #[test]
    fn a_command_s_help_lists_its_own_options_and_points_at_the_global_ones() {
        let help = command()
            .find_subcommand_mut("clear-cookies")
            .unwrap()
            .render_help()
            .to_string();
        assert!(help.contains("--dry-run"), "{help}");
        assert!(!help.contains("--ignore-foreign-locks"), "{help}");
        assert!(help.contains("loginfix --help"), "{help}");
        assert!(help.contains("Examples:"), "{help}");
        assert!(help.lines().count() < 45, "{help}");
        // Still parsed there.
        let cli = parse(&["loginfix", "clear-cookies", "--ignore-foreign-locks"].map(Into::into))
            .unwrap();
        assert!(cli.ignore_foreign_locks);
    }

    #[test]
    fn the_language_is_chosen_from_the_raw_arguments() {
        let args = |a: &[&str]| a.iter().map(Into::into).collect::<Vec<_>>();
        assert_eq!(
            early_lang(&args(&["loginfix", "--lang", "ja", "x"])),
            crate::i18n::Lang::Ja
        );
        assert_eq!(
            early_lang(&args(&["loginfix", "--lang=en", "x"])),
            crate::i18n::Lang::En
        );
    }

    #[test]
    fn every_command_has_a_man_page() {
        let names: Vec<_> = Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect();
        assert_eq!(names, MAN_PAGES);
    }

    #[test]
    fn browser_choices_are_all_plus_every_browser() {
        let names: Vec<_> = BrowserChoice::value_variants()
            .iter()
            .map(|c| c.to_possible_value().unwrap().get_name().to_string())
            .collect();
        assert_eq!(
            names,
            [
                "chrome",
                "edge",
                "chromium",
                "brave",
                "vivaldi",
                "opera",
                "opera-gx",
                "arc",
                "yandex",
                "whale",
                "thorium",
                "chrome-for-testing",
                "firefox",
                "librewolf",
                "waterfox",
                "floorp",
                "zen",
                "safari",
                "all"
            ]
        );
    }

    #[test]
    fn browser_selection() {
        let cli = Cli::parse_from([
            "loginfix",
            "clear-cookies",
            "--browser",
            "firefox",
            "--browser",
            "chrome",
            "--browser",
            "chrome",
        ]);
        let Command::ClearCookies(args) = cli.command else {
            panic!()
        };
        let names: Vec<_> = args.selection.browsers().iter().map(|b| b.name()).collect();
        assert_eq!(names, ["chrome", "firefox"]);
    }
}
