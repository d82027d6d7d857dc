//! The command-line contract: usage errors, the domain guard, exit codes.

use crate::util::*;

#[test]
fn public_suffixes_and_wildcards_are_refused_before_anything_is_read() {
    let home = synthetic_linux_home();
    let before = snapshot(home.path());
    for (domain, says) in [
        ("com", "`com` is a public suffix"),
        ("co.uk", "`co.uk` is a public suffix"),
        ("github.io", "`github.io` is a public suffix"),
        ("*.openai.com", "subdomains are included already"),
        ("127.0.0.1", "is an IP address"),
        ("", "an empty domain was given"),
    ] {
        let run = loginfix(home.path(), "linux", &["clear-cookies", "--domain", domain]);
        run.assert_code(2);
        assert!(run.stderr.contains(says), "{domain}: {}", run.stderr);
        assert!(run.stdout.is_empty());
    }
    assert_unchanged(&before, home.path());
}

#[test]
fn a_single_label_name_is_refused_as_such_not_as_a_public_suffix() {
    let home = synthetic_linux_home();
    let before = snapshot(home.path());
    for domain in ["localhost", "http://localhost:3000/"] {
        let run = loginfix(home.path(), "linux", &["clear-cookies", "--domain", domain]);
        run.assert_code(2);
        assert!(
            run.stderr
                .contains("`localhost` is a single-label name, not a domain; give the site's domain such as `chatgpt.com`"),
            "{domain}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("public suffix"), "{}", run.stderr);
    }
    assert_unchanged(&before, home.path());
}

#[test]
fn usage_errors_exit_2() {
    let home = tempfile::tempdir().unwrap();
    loginfix(
        home.path(),
        "linux",
        &["clear-cookies", "--browser", "netscape"],
    )
    .assert_code(2);
    loginfix(home.path(), "linux", &["frobnicate"]).assert_code(2);
    let run = raw(&["--home", "/nonexistent/home", "browsers"], home.path());
    run.assert_code(2);
    assert!(
        run.stderr
            .starts_with("error: the home directory `/nonexistent/home` does not exist"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("\nhint: "));
}

#[test]
fn an_unknown_profile_is_an_error_with_the_known_ones_listed() {
    let home = synthetic_linux_home();
    let run = loginfix(
        home.path(),
        "linux",
        &["clear-cookies", "--profile", "Nope"],
    );
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("error: no profile named `Nope` was found"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint: profiles found: chrome `Default`, chrome `Profile 2`, firefox `abcd1234.default-release`"), "{}", run.stderr);
}

#[test]
fn nothing_installed_is_success_with_nothing_to_do() {
    let home = tempfile::tempdir().unwrap();
    let run = loginfix(home.path(), "linux", &["clear-cookies", "--json"]);
    run.assert_code(0);
    let json = run.json();
    assert_eq!(json["profiles"], serde_json::json!([]));
    let states: Vec<_> = json["browsers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            format!(
                "{}={}",
                b["browser"].as_str().unwrap(),
                b["status"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            "chrome=not_found",
            "edge=not_found",
            "chromium=not_found",
            "brave=not_found",
            "vivaldi=not_found",
            "opera=not_found",
            "opera-gx=not_found",
            "arc=not_found",
            "yandex=not_found",
            "whale=not_found",
            "thorium=not_found",
            "chrome-for-testing=not_found",
            "firefox=not_found",
            "librewolf=not_found",
            "waterfox=not_found",
            "floorp=not_found",
            "zen=not_found",
            "safari=not_found"
        ]
    );
    let text = loginfix(
        home.path(),
        "linux",
        &["clear-cookies", "--browser", "safari"],
    );
    text.assert_code(0);
    assert_eq!(
        text.stdout,
        "Summary: 0 removed, 0 skipped, 0 failed, in 0 profiles.\nNo profile of the selected browsers was found.\n"
    );
}

#[test]
fn global_options_work_after_the_command_too() {
    let home = synthetic_linux_home();
    let a = raw(
        &[
            "clear-cookies",
            "--dry-run",
            "--json",
            "--home",
            &home.path().display().to_string(),
            "--os",
            "linux",
        ],
        home.path(),
    );
    a.assert_code(0);
    assert_eq!(a.json()["summary"]["would_remove"], 13);
}

/// `loginfix ... | head`: when the reader has closed the pipe, the run still succeeds
/// and prints no error. The read end is closed before the binary starts, so its very
/// first write to stdout fails.
#[cfg(unix)]
#[test]
fn a_closed_stdout_pipe_is_not_an_error() {
    use std::os::fd::{FromRawFd, OwnedFd};
    use std::process::{Command, Stdio};

    let home = synthetic_linux_home();
    for args in [
        &["browsers"][..],
        &["clear-cookies", "--dry-run"],
        &["--json", "clear-cache", "--dry-run"],
    ] {
        let mut fds = [0; 2];
        // SAFETY: on success pipe() returns two new descriptors, owned from here on.
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        let (reader, writer) =
            unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
        // Children that other tests spawn meanwhile must not inherit the read end (it
        // would keep the pipe open); the child's stdout is a dup, so it is unaffected.
        for fd in fds {
            // SAFETY: fd is open and owned above.
            unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
        }
        drop(reader);
        let out = Command::new(env!("CARGO_BIN_EXE_loginfix"))
            .args(["--home", home.path().to_str().unwrap(), "--os", "linux"])
            .args(args)
            .env_clear()
            .env("HOME", home.path())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::from(writer))
            .output()
            .expect("run loginfix");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("error:"), "{args:?}: {stderr}");
    }
}

/// `--version` names the commit and the target (what a support engineer asks for);
/// `-V` stays the one short line scripts parse.
#[test]
fn version_names_the_commit_and_the_target_and_v_stays_short() {
    let home = tempfile::tempdir().unwrap();
    let version = env!("CARGO_PKG_VERSION");
    let long = raw(&["--version"], home.path());
    long.assert_code(0);
    let line = long.stdout.trim_end();
    let inner = line
        .strip_prefix(&format!("loginfix {version} (commit "))
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or_else(|| panic!("{line}"));
    let (commit, target) = inner.split_once(", ").unwrap();
    assert!(
        commit == "unknown"
            || (commit.len() == 12 && commit.bytes().all(|b| b.is_ascii_hexdigit())),
        "{commit}"
    );
    assert!(
        target.starts_with(std::env::consts::ARCH) && target.contains(std::env::consts::OS),
        "{target}"
    );
    let short = raw(&["-V"], home.path());
    short.assert_code(0);
    assert_eq!(short.stdout, format!("loginfix {version}\n"));
}
