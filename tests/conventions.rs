//! The conventions of the CLIs support staff know: a guessed layout for `--home`,
//! completions and a man page, `--help` with examples, colour as anstream decides it, a
//! short usage for a plain `loginfix`, tables that fit 100 columns.

use std::path::Path;
use std::process::Command;

use crate::util::*;

/// Runs the binary with `args` and exactly the environment `env` (plus `HOME`, `PATH`).
fn run_env(args: &[&str], home: &Path, env: &[(&str, &str)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_loginfix"))
        .args(args)
        .env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .envs(env.iter().copied())
        .output()
        .expect("run loginfix");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn a_home_laid_out_by_another_os_is_read_as_that_os_without_os() {
    for (sample, os, mark) in [
        ("windows", "windows", "AppData/Local"),
        ("macos", "macos", "Library/Application Support"),
        ("linux", "linux", ".config"),
    ] {
        let home = sample_home(sample);
        let h = home.path().display().to_string();
        let run = raw(
            &["--home", &h, "clear-cookies", "--dry-run", "--json"],
            home.path(),
        );
        run.assert_code(0);
        let json = run.json();
        assert_eq!(json["os"], os, "{sample}");
        assert!(
            json["summary"]["would_remove"].as_u64().unwrap() > 0,
            "{sample}: {json}"
        );
        assert!(run.stderr.is_empty(), "{sample}: {}", run.stderr);
        // `-v` says which layout was taken, and why.
        let run = raw(
            &["--home", &h, "-v", "clear-cookies", "--dry-run"],
            home.path(),
        );
        run.assert_code(0);
        assert!(
            run.stderr.contains(&format!(
                "note: `{h}` has {mark}: reading it as a {os} home"
            )),
            "{sample}: {}",
            run.stderr
        );
        // An explicit --os is obeyed, and nothing is said.
        let run = raw(
            &["--home", &h, "--os", "linux", "-v", "browsers"],
            home.path(),
        );
        assert!(!run.stderr.contains("note:"), "{}", run.stderr);
    }
}

#[test]
fn a_home_with_nothing_a_browser_uses_hints_at_os() {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir(home.path().join("Documents")).unwrap();
    let h = home.path().display().to_string();
    let run = raw(&["--home", &h, "clear-cookies", "--dry-run"], home.path());
    run.assert_code(0);
    assert!(
        run.stderr
            .contains(&format!("warning: `{h}` holds none of AppData")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("\nhint: ") && run.stderr.contains("--os"));
}

#[test]
fn bash_completes_subcommands() {
    if !have("bash", "to run the bash completion") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let script = home.path().join("loginfix.bash");
    let run = raw(&["completions", "bash"], home.path());
    run.assert_code(0);
    std::fs::write(&script, &run.stdout).unwrap();
    let out = Command::new("bash")
        .arg("-c")
        .arg(
            r#"source "$1"
               COMP_WORDS=(loginfix clear-c); COMP_CWORD=1; COMP_LINE="loginfix clear-c"; COMP_POINT=${#COMP_LINE}
               _loginfix loginfix clear-c loginfix
               printf '%s\n' "${COMPREPLY[@]}""#,
        )
        .arg("bash")
        .arg(&script)
        .output()
        .unwrap();
    let offered = String::from_utf8_lossy(&out.stdout);
    let offered: Vec<&str> = offered.lines().collect();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(offered, ["clear-cookies", "clear-cache"], "{offered:?}");
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let run = raw(&["completions", shell], home.path());
        run.assert_code(0);
        assert!(run.stdout.contains("clear-cookies"), "{shell}");
    }
    raw(&["completions", "tcsh"], home.path()).assert_code(2);
}

/// `man -l` on what `loginfix man ARGS` prints, as plain text.
fn rendered_man(args: &[&str]) -> String {
    let home = tempfile::tempdir().unwrap();
    let page = home.path().join("page.1");
    let mut all = vec!["man"];
    all.extend(args);
    let run = raw(&all, home.path());
    run.assert_code(0);
    std::fs::write(&page, &run.stdout).unwrap();
    let out = Command::new("man")
        .arg("-l")
        .arg(&page)
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "80")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // man emboldens with backspaces when it thinks it writes to a terminal.
    let text = String::from_utf8_lossy(&out.stdout).replace('\u{8}', "");
    // groff hyphenates with U+2010 where it breaks a line.
    text.replace('\u{2010}', "-")
}

#[test]
fn man_renders_the_pages() {
    if !have("man", "to render the man page (Debian man-db, groff-base)") {
        return;
    }
    let main = rendered_man(&[]);
    for want in [
        "NAME",
        "SYNOPSIS",
        "GLOBAL OPTIONS",
        "--home",
        "clear-cookies",
        "Examples:",
    ] {
        assert!(main.contains(want), "{want}:\n{main}");
    }
    let page = rendered_man(&["clear-cookies"]);
    for want in ["loginfix-clear-cookies", "--dry-run", "--domain", "--home"] {
        assert!(page.contains(want), "{want}:\n{page}");
    }
}

#[test]
fn help_shows_examples_and_global_options_apart() {
    let home = tempfile::tempdir().unwrap();
    let run = raw(&["--help"], home.path());
    run.assert_code(0);
    let examples = run
        .stdout
        .split("Examples:")
        .nth(1)
        .expect("an Examples section");
    for want in [
        "loginfix clear-cookies --dry-run",
        "loginfix clear-cookies --browser chrome",
        "--json | jq",
        "loginfix restore",
    ] {
        assert!(examples.contains(want), "{want}:\n{}", run.stdout);
    }
    // A command's help: its own options and examples, and one line pointing at the
    // global options rather than sixty lines of them.
    let run = raw(&["clear-cookies", "--help"], home.path());
    run.assert_code(0);
    let help = &run.stdout;
    assert!(
        help.contains("--dry-run") && help.contains("--domain"),
        "{help}"
    );
    assert!(
        !help.contains("--home <DIR>") && !help.contains("--ignore-foreign-locks"),
        "{help}"
    );
    assert!(
        help.contains("Examples:\n  loginfix clear-cookies --dry-run"),
        "{help}"
    );
    assert!(help.trim_end().ends_with("`loginfix --help`."), "{help}");
    assert!(
        help.lines().count() < 40,
        "{} lines:\n{help}",
        help.lines().count()
    );
    // In Japanese, clap's headings too.
    let run = raw(&["--lang", "ja", "clear-cookies", "--help"], home.path());
    run.assert_code(0);
    for want in [
        "使い方: loginfix clear-cookies",
        "オプション:",
        "例:",
        "共通のオプション",
    ] {
        assert!(run.stdout.contains(want), "{want}:\n{}", run.stdout);
    }
}

/// `browsers` on the Linux sample, with the environment `env`, and whether its stdout
/// (a pipe) holds an ANSI escape.
fn coloured(args: &[&str], env: &[(&str, &str)]) -> bool {
    let home = sample_home("linux");
    let h = home.path().display().to_string();
    let mut all = vec!["--home", &h, "--os", "linux", "browsers"];
    all.extend(args);
    let run = run_env(&all, home.path(), env);
    run.assert_code(0);
    run.stdout.contains('\u{1b}')
}

#[test]
fn colour_follows_color_no_color_and_clicolor_force() {
    assert!(coloured(&["--color", "always"], &[]));
    assert!(coloured(&["--color", "always"], &[("NO_COLOR", "1")]));
    assert!(!coloured(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]));
    assert!(!coloured(&[], &[]), "a pipe gets no colour");
    assert!(!coloured(&[], &[("NO_COLOR", "1")]));
    assert!(
        coloured(&[], &[("CLICOLOR_FORCE", "1")]),
        "forced into a pipe"
    );
    assert!(!coloured(
        &[],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]
    ));
}

/// Runs `browsers` on a terminal (util-linux `script` gives it one) with `TERM=term`.
fn on_a_terminal(term: &str) -> String {
    let home = sample_home("linux");
    let cmd = format!(
        "'{}' --home '{}' --os linux browsers",
        env!("CARGO_BIN_EXE_loginfix"),
        home.path().display()
    );
    let out = Command::new("script")
        .args(["-q", "-e", "-c", &cmd, "/dev/null"])
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("TERM", term)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_dumb_terminal_gets_no_colour() {
    if !have("script", "to run loginfix on a terminal (Debian bsdutils)") {
        return;
    }
    let xterm = on_a_terminal("xterm-256color");
    assert!(xterm.contains("chrome"), "{xterm}");
    assert!(
        xterm.contains('\u{1b}'),
        "a terminal gets colour: {xterm:?}"
    );
    let dumb = on_a_terminal("dumb");
    assert!(dumb.contains("chrome"), "{dumb}");
    assert!(!dumb.contains('\u{1b}'), "TERM=dumb: {dumb:?}");
}

#[test]
fn a_plain_loginfix_prints_a_short_usage() {
    let home = tempfile::tempdir().unwrap();
    let run = raw::<&str>(&[], home.path());
    run.assert_code(2);
    assert!(run.stdout.is_empty());
    let text = &run.stderr;
    for command in [
        "browsers",
        "clear-cookies",
        "clear-cache",
        "extensions",
        "restore",
    ] {
        assert!(
            text.contains(&format!("\n  {command} ")),
            "{command}:\n{text}"
        );
    }
    assert!(text.contains("Try first: loginfix fix --dry-run"), "{text}");
    assert!(text.contains("loginfix alone guides you"), "{text}");
    assert!(
        !text.contains("--ignore-foreign-locks"),
        "no flags:\n{text}"
    );
    // One line per command (13 with `fix`, `request` and `help`) and nine around them.
    assert!(text.lines().count() <= 22, "{text}");
    // Anything typed is parsed as before.
    raw(&["--json"], home.path()).assert_code(2);
}

#[test]
fn help_and_the_short_usage_fit_100_columns() {
    let home = tempfile::tempdir().unwrap();
    let mut runs = vec![("(none)".to_string(), raw::<&str>(&[], home.path()).stderr)];
    // Every command has a man page: the top-level help, then each command's.
    for command in std::iter::once("").chain(loginfix::cli::MAN_PAGES.iter().copied()) {
        for flag in ["-h", "--help"] {
            let args: Vec<&str> = [command, flag]
                .into_iter()
                .filter(|a| !a.is_empty())
                .collect();
            let run = raw(&args, home.path());
            run.assert_code(0);
            runs.push((args.join(" "), run.stdout));
        }
    }
    for (args, text) in runs {
        for line in text.lines() {
            assert!(
                line.chars().count() <= 100,
                "`loginfix {args}`: {} columns: {line}",
                line.chars().count()
            );
        }
    }
}

#[test]
fn extension_tables_fit_100_columns() {
    for (sample, os) in [
        ("linux", "linux"),
        ("macos", "macos"),
        ("windows", "windows"),
    ] {
        let home = sample_home(sample);
        for all in [false, true] {
            let args: &[&str] = if all {
                &["extensions", "--all"]
            } else {
                &["extensions"]
            };
            let run = loginfix(home.path(), os, args);
            run.assert_code(0);
            assert!(run.stdout.contains("  NAME "), "{sample}: {}", run.stdout);
            for line in run.stdout.lines() {
                assert!(line.chars().count() <= 100, "{sample} {all}: {line}");
            }
        }
    }
}

/// The README's man-page install loop installs a page for every command the binary has
/// (`loginfix --help` lists them).
#[test]
fn the_readmes_man_loop_covers_every_command() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let line = readme
        .lines()
        .find(|l| l.starts_with("for c in ") && l.contains("; do"))
        .expect("the man-page loop");
    let mut listed: Vec<&str> = line["for c in ".len()..line.find("; do").unwrap()]
        .split_whitespace()
        .collect();
    listed.sort_unstable();
    let home = tempfile::tempdir().unwrap();
    let help = raw(&["--help"], home.path());
    assert_eq!(help.code, 0, "{}", help.stderr);
    let commands_at = help.stdout.find("Commands:").expect("a Commands: heading");
    let mut commands: Vec<&str> = help.stdout[commands_at..]
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    commands.sort_unstable();
    assert_eq!(listed, commands);
}
