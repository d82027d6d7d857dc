//! The guided mode as a person sees it: a plain `loginfix` in a tmux window of 60, 80
//! and 120 columns (24 lines), in English and Japanese, for each way a run goes: a
//! normal clean ("y"), Enter at the question, "n", Ctrl-C, a browser left open, a
//! damaged store (left, or moved aside at the second question), no browser at all, and
//! a big home. Each final screen is pinned in
//! `tests/screens/<case>-<lang>-<columns>.txt` (home paths and backup ids made
//! stable); `LOGINFIX_BLESS=1` writes them anew. Every line fits the window, and the
//! last screen ends with the result and the first next steps.
//! tmux and the lock of a running browser: Unix only.

#![cfg(unix)]

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::util::*;

const WIDTHS: [u16; 3] = [60, 80, 120];
const LANGS: [&str; 2] = ["en", "ja"];

/// A tmux server of its own, running one plain `loginfix`.
struct Screen {
    socket: String,
    width: u16,
}

impl Screen {
    fn start(home: &Path, lang: &str, width: u16) -> Screen {
        Screen::start_with(home, lang, width, &[])
    }

    /// [`Screen::start`] with `args` after `loginfix`, run in the home.
    fn start_with(home: &Path, lang: &str, width: u16, args: &[&str]) -> Screen {
        static N: AtomicUsize = AtomicUsize::new(0);
        let socket = format!(
            "loginfix-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let locale = if lang == "ja" {
            "ja_JP.UTF-8"
        } else {
            "C.UTF-8"
        };
        let args: Vec<String> = args.iter().map(|a| sh_quote(a)).collect();
        let script = format!(
            "cd {home} && env -i HOME={home} PATH=/usr/bin:/bin TERM=xterm-256color NO_COLOR=1 \
             LANG={locale} {} {}; echo \"[exit $?]\"; sleep 600",
            sh_quote(env!("CARGO_BIN_EXE_loginfix")),
            args.join(" "),
            home = sh_quote(&home.display().to_string()),
        );
        let ok = Command::new("tmux")
            .args(["-u", "-L", &socket, "-f", "/dev/null", "new-session", "-d"])
            .args(["-x", &width.to_string(), "-y", "24", &script])
            .env("LANG", "C.UTF-8")
            .status()
            .unwrap()
            .success();
        assert!(ok, "tmux did not start");
        Screen { socket, width }
    }

    fn text(&self) -> String {
        let out = Command::new("tmux")
            .args(["-u", "-L", &self.socket, "capture-pane", "-p"])
            .env("LANG", "C.UTF-8")
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The screen once it shows `needle` (panics after 20 s, showing it).
    fn wait_for(&self, needle: &str) -> String {
        let until = Instant::now() + Duration::from_secs(20);
        loop {
            let text = self.text();
            if text.contains(needle) {
                return text;
            }
            assert!(
                Instant::now() < until,
                "no {needle:?} on the screen:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    fn keys(&self, keys: &[&str]) {
        let ok = Command::new("tmux")
            .args(["-L", &self.socket, "send-keys"])
            .args(keys)
            .status()
            .unwrap()
            .success();
        assert!(ok);
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}

fn tmux() -> bool {
    have("tmux", "to see the guided mode's screens (Debian tmux)")
}

/// The question, as each language asks it.
fn question(lang: &str) -> &'static str {
    if lang == "ja" {
        "削除してよろしいですか"
    } else {
        "Remove these?"
    }
}

/// The screen with the home's path and the backup ids made the same on every run.
fn stable(text: &str, home: &Path) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let mut line = line.trim_end().replace(&home.display().to_string(), "~");
        // 20261207T090014Z-742784226-8737-0
        while let Some(at) = line.find(|c: char| c.is_ascii_digit()).and_then(|start| {
            let rest = &line[start..];
            let len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .unwrap_or(rest.len());
            (len > 20 && rest.as_bytes().get(8) == Some(&b'T')).then_some((start, len))
        }) {
            line.replace_range(at.0..at.0 + at.1, "<ID>");
        }
        // The undo command goes to a line of its own when the id (its length varies
        // with the process id) does not fit: pinned as one line either way.
        if line.starts_with("`loginfix restore") && (out.ends_with(":\n") || out.ends_with("：\n"))
        {
            out.pop();
            out.push(' ');
        }
        out.push_str(&line);
        out.push('\n');
    }
    out.trim_end().to_string() + "\n"
}

/// Checks a final screen: every line fits, and it matches its pinned copy.
fn pin(case: &str, lang: &str, s: &Screen, text: &str, home: &Path) {
    for line in text.lines() {
        let w = unicode_width::UnicodeWidthStr::width(line);
        assert!(w <= s.width as usize, "{w} columns > {}: {line:?}", s.width);
    }
    let got = stable(text, home);
    let file = repo()
        .join("tests/screens")
        .join(format!("{case}-{lang}-{}.txt", s.width));
    if std::env::var_os("LOGINFIX_BLESS").is_some() {
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("{}: {e} (LOGINFIX_BLESS=1 writes it)", file.display()));
    assert_eq!(got, want, "{} differs", file.display());
}

/// The run's last screen: the result and the first next steps end it.
fn ends_with_the_next_steps(text: &str, lang: &str) {
    let heading = if lang == "ja" {
        "このあとの手順"
    } else {
        "What to do next"
    };
    assert!(text.contains(heading), "{text}");
    assert!(text.contains("  1. "), "{text}");
}

/// Runs `case` in every language and width: `set_up` makes the home, `drive` answers
/// and returns the final screen.
fn each(
    case: &str,
    set_up: impl Fn() -> tempfile::TempDir,
    drive: impl Fn(&Screen, &str) -> String,
) {
    if !tmux() {
        return;
    }
    for lang in LANGS {
        for width in WIDTHS {
            let home = set_up();
            let s = Screen::start(home.path(), lang, width);
            let text = drive(&s, lang);
            pin(case, lang, &s, &text, home.path());
        }
    }
}

fn sample() -> tempfile::TempDir {
    sample_home("linux")
}

#[test]
fn a_normal_clean() {
    each("clean", sample, |s, lang| {
        s.wait_for(question(lang));
        s.keys(&["y", "Enter"]);
        let text = s.wait_for("[exit 0]");
        ends_with_the_next_steps(&text, lang);
        text
    });
}

#[test]
fn enter_at_the_question_cleans() {
    each("enter", sample, |s, lang| {
        s.wait_for(question(lang));
        s.keys(&["Enter"]);
        let text = s.wait_for("[exit 0]");
        ends_with_the_next_steps(&text, lang);
        text
    });
}

#[test]
fn no_at_the_question_changes_nothing() {
    each("no", sample, |s, lang| {
        s.wait_for(question(lang));
        s.keys(&["n", "Enter"]);
        s.wait_for("[exit 0]")
    });
}

#[test]
fn ctrl_c_at_the_question_stops() {
    each("ctrl-c", sample, |s, lang| {
        s.wait_for(question(lang));
        s.keys(&["C-c"]);
        s.wait_for("[exit 130]")
    });
}

#[test]
fn a_browser_left_open_is_waited_for() {
    if !tmux() {
        return;
    }
    for lang in LANGS {
        for width in WIDTHS {
            let home = sample();
            let udd = home.path().join(".config/google-chrome");
            let mut chrome = running_chromium(&udd);
            let s = Screen::start(home.path(), lang, width);
            let waiting = s.wait_for(if lang == "ja" {
                "待っています"
            } else {
                "Waiting for"
            });
            pin("browser-open", lang, &s, &waiting, home.path());
            let _ = chrome.kill();
            let _ = chrome.wait();
            std::fs::remove_file(udd.join("SingletonLock")).unwrap();
            s.wait_for(question(lang));
            s.keys(&["y", "Enter"]);
            let text = s.wait_for("[exit 0]");
            ends_with_the_next_steps(&text, lang);
            pin("browser-closed", lang, &s, &text, home.path());
        }
    }
}

/// The sample home with Chrome's `Default` cookie store damaged.
fn damaged() -> tempfile::TempDir {
    let home = sample();
    write(
        &home.path().join(".config/google-chrome/Default/Cookies"),
        "garbage, not a database",
    );
    home
}

/// The second question, asked for a damaged cookie store, as each language asks it.
fn move_question(lang: &str) -> &'static str {
    if lang == "ja" {
        "バックアップに移しますか"
    } else {
        "Move it aside?"
    }
}

#[test]
fn a_damaged_store_is_told_before_the_question() {
    each("damaged", damaged, |s, lang| {
        let asked = s.wait_for(question(lang));
        assert!(asked.contains("Cookies"), "{asked}");
        s.keys(&["y", "Enter"]);
        // Enter at the second question: the store stays where it is.
        s.wait_for(move_question(lang));
        s.keys(&["Enter"]);
        s.wait_for("[exit ")
    });
}

/// Yes at both questions: the second question's screen (what moving the store aside
/// costs, Enter = no) and the result saying what was moved and how to undo it.
#[test]
fn a_damaged_store_moved_aside() {
    if !tmux() {
        return;
    }
    for lang in LANGS {
        for width in WIDTHS {
            let home = damaged();
            let s = Screen::start(home.path(), lang, width);
            s.wait_for(question(lang));
            s.keys(&["y", "Enter"]);
            // The prompt's last words: the whole question is on the screen.
            let asked = s.wait_for(if lang == "ja" {
                "いいえ）"
            } else {
                "= no)"
            });
            assert!(asked.contains(move_question(lang)), "{asked}");
            pin("damaged-move-question", lang, &s, &asked, home.path());
            s.keys(&["y", "Enter"]);
            let text = s.wait_for("[exit 0]");
            ends_with_the_next_steps(&text, lang);
            pin("damaged-moved", lang, &s, &text, home.path());
        }
    }
}

#[test]
fn no_browser_is_its_own_ending() {
    if !tmux() {
        return;
    }
    for lang in LANGS {
        for width in WIDTHS {
            let home = tempfile::tempdir().unwrap();
            std::fs::create_dir_all(home.path().join(".config")).unwrap();
            // `--home`: a run as root on its own empty home is refused as the wrong
            // account before the guided mode starts (CI runs as root).
            let s = Screen::start_with(home.path(), lang, width, &["--home", "."]);
            let text = s.wait_for("[exit ");
            pin("no-browser", lang, &s, &text, home.path());
        }
    }
}

#[test]
fn a_big_home_shows_progress_within_a_second() {
    if !tmux() {
        return;
    }
    let home = crate::long_runs::chrome_home(&["Default".to_string()]);
    crate::long_runs::fill_cache(home.path(), "Default", 150_000, 10);
    for lang in LANGS {
        let s = Screen::start(home.path(), lang, 80);
        let started = Instant::now();
        let reading = if lang == "ja" {
            "読み取り中"
        } else {
            "Reading"
        };
        s.wait_for(reading);
        let first = started.elapsed();
        assert!(
            first < Duration::from_secs(1),
            "progress came after {first:?}"
        );
        s.wait_for(question(lang));
        s.keys(&["n", "Enter"]);
        let text = s.wait_for("[exit 0]");
        pin("big-home", lang, &s, &text, home.path());
    }
}
