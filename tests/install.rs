//! The one-line installers. `install.sh` runs for real, under dash and bash, with curl or
//! wget and sha256sum or shasum, against a loopback HTTP server (a thread of this test)
//! serving a release directory laid out as the release command lays it out, with an
//! archive of this build's binary: it installs a binary that runs, refuses an archive whose
//! SHA-256 is wrong or not listed, and refuses a system it has no build for, in English
//! and in Japanese. `install.ps1` cannot run here (no PowerShell): the names, the URL, the
//! SHA256SUMS pattern and the messages are read out of it and checked, as tests/fleet.rs
//! does for the Intune scripts.

#![cfg(unix)]

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::util::*;

/// The release's Unix targets, and the archive and zip names the release command makes.
const UNIX_TARGETS: [&str; 3] = [
    "x86_64-unknown-linux-musl",
    "aarch64-unknown-linux-musl",
    "universal-apple-darwin",
];
const WINDOWS_TARGET: &str = "x86_64-pc-windows-gnu";

fn archive(target: &str) -> String {
    format!("loginfix-{target}.tar.gz")
}

fn windows_zip() -> String {
    format!("loginfix-{WINDOWS_TARGET}.zip")
}

/// Every artefact of a release, as SHA256SUMS lists them.
fn artefact_names() -> Vec<String> {
    let mut names: Vec<String> = UNIX_TARGETS.into_iter().map(archive).collect();
    names.push(windows_zip());
    names
}

// ---------------------------------------------------------------------------------------
// A loopback HTTP server.

/// A static file server on 127.0.0.1 (a free port), stopped when dropped. It logs the
/// paths asked for.
struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    log: Arc<Mutex<Vec<String>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    fn start(root: &Path) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let log = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let (stop, log, root) = (stop.clone(), log.clone(), root.to_path_buf());
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    if let Ok(stream) = stream {
                        serve(stream, &root, &log);
                    }
                }
            })
        };
        Server {
            addr,
            stop,
            log,
            thread: Some(thread),
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The paths asked for since the last call.
    fn take_log(&self) -> Vec<String> {
        std::mem::take(&mut *self.log.lock().unwrap())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop, which then sees `stop`.
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            thread.join().unwrap();
        }
    }
}

/// Answers one request: the file under `root` at the request's path, or 404.
fn serve(stream: TcpStream, root: &Path, log: &Mutex<Vec<String>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(&stream);
    let mut request = String::new();
    if reader.read_line(&mut request).unwrap_or(0) == 0 {
        return;
    }
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => break,
            Ok(_) if header.trim_end().is_empty() => break,
            Ok(_) => {}
        }
    }
    let path = request.split_whitespace().nth(1).unwrap_or("").to_string();
    log.lock().unwrap().push(path.clone());
    let rel = Path::new(path.trim_start_matches('/'));
    let file = rel
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then(|| root.join(rel))
        .filter(|p| p.is_file());
    let mut out = &stream;
    let _ = match file {
        Some(file) => {
            let body = std::fs::read(file).unwrap();
            write!(
                out,
                "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )
            .and_then(|()| out.write_all(&body))
        }
        None => out
            .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
    };
    let _ = out.flush();
}

// ---------------------------------------------------------------------------------------
// A release directory.

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A stand-in binary for an archive: says which archive it came from.
fn fake_binary(target: &str) -> String {
    format!("#!/bin/sh\necho 'loginfix 9.9.9 (fake {target})'\n")
}

/// Writes `loginfix-<target>.tar.gz` into `dir`: one top directory holding the binary
/// (`binary`, mode 755), README.md, the licences, man/ and complete/.
fn write_archive(dir: &Path, target: &str, binary: &Path) {
    let stage = tempfile::tempdir().unwrap();
    let top = stage.path().join(format!("loginfix-{target}"));
    std::fs::create_dir_all(&top).unwrap();
    std::fs::copy(binary, top.join("loginfix")).unwrap();
    std::fs::set_permissions(top.join("loginfix"), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::copy(repo().join("README.md"), top.join("README.md")).unwrap();
    write(&top.join("LICENSE-MIT"), "MIT licence\n");
    write(&top.join("LICENSE-APACHE"), "Apache licence\n");
    write(&top.join("man/loginfix.1"), ".TH LOGINFIX 1\n");
    write(&top.join("complete/loginfix.bash"), "# completion\n");
    // gzip -1: the debug binary is large, and the level does not matter here.
    let status = Command::new("sh")
        .args([
            "-c",
            "tar -cf - -C \"$1\" \"$2\" | gzip -1 > \"$3\"",
            "sh",
            &stage.path().display().to_string(),
            &format!("loginfix-{target}"),
            &dir.join(archive(target)).display().to_string(),
        ])
        .status()
        .unwrap();
    assert!(status.success(), "tar | gzip failed");
}

/// SHA256SUMS for every file in `dir`, in sha256sum's format.
fn sums_of(dir: &Path) -> String {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "SHA256SUMS")
        .collect();
    names.sort();
    names
        .iter()
        .map(|n| {
            format!(
                "{}  {n}\n",
                sha256_hex(&std::fs::read(dir.join(n)).unwrap())
            )
        })
        .collect()
}

/// The target of this machine, as install.sh should pick it (None: a system it refuses).
fn host_target() -> Option<&'static str> {
    match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => Some("x86_64-unknown-linux-musl"),
        ("linux", "aarch64") => Some("aarch64-unknown-linux-musl"),
        ("macos", _) => Some("universal-apple-darwin"),
        _ => None,
    }
}

/// A release directory served on loopback, and a scratch directory for the runs.
struct Release {
    dir: tempfile::TempDir,
    server: Server,
    work: tempfile::TempDir,
}

impl Release {
    /// Every artefact of a release: the archive for `real` holds this build's binary, the
    /// others a stand-in that names its archive; a zip of no interest here; SHA256SUMS.
    fn new(real: Option<&str>) -> Release {
        let dir = tempfile::tempdir().unwrap();
        let stand_ins = tempfile::tempdir().unwrap();
        for target in UNIX_TARGETS {
            if Some(target) == real {
                write_archive(
                    dir.path(),
                    target,
                    Path::new(env!("CARGO_BIN_EXE_loginfix")),
                );
            } else {
                let bin = stand_ins.path().join(target);
                write(&bin, fake_binary(target));
                write_archive(dir.path(), target, &bin);
            }
        }
        write(&dir.path().join(windows_zip()), "PK not really a zip\n");
        write(&dir.path().join("SHA256SUMS"), sums_of(dir.path()));
        let server = Server::start(dir.path());
        let work = tempfile::tempdir().unwrap();
        for d in ["home", "tmp"] {
            std::fs::create_dir(work.path().join(d)).unwrap();
        }
        Release { dir, server, work }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn sums(&self) -> String {
        std::fs::read_to_string(self.path("SHA256SUMS")).unwrap()
    }

    fn set_sums(&self, text: &str) {
        write(&self.path("SHA256SUMS"), text);
    }

    /// A directory under the scratch directory (not made).
    fn scratch(&self, name: &str) -> PathBuf {
        self.work.path().join(name)
    }

    /// `SHELL install.sh ARGS` with PATH = `tools`, HOME, TMPDIR and the install
    /// directory in the scratch directory, the base URL the loopback server, and `env`.
    fn install(
        &self,
        shell: &Path,
        tools: &Path,
        install_dir: &Path,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Run {
        let mut cmd = Command::new(shell);
        cmd.arg(repo().join("install.sh"))
            .args(args)
            .current_dir(self.work.path())
            .env_clear()
            .env("HOME", self.scratch("home"))
            .env("TMPDIR", self.scratch("tmp"))
            .env("PATH", tools)
            .env("LOGINFIX_BASE_URL", self.server.url())
            .env("LOGINFIX_INSTALL_DIR", install_dir);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.stdin(Stdio::null()).output().expect("run install.sh");
        let run = Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        // Its private temporary directory is gone, whatever happened.
        let left: Vec<_> = std::fs::read_dir(self.scratch("tmp"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert!(left.is_empty(), "left behind: {left:?}\n{}", run.stderr);
        run
    }
}

// ---------------------------------------------------------------------------------------
// The tools install.sh may use, and the shells.

/// What install.sh and the stand-in binaries call.
const TOOLS: [&str; 15] = [
    "uname",
    "mktemp",
    "curl",
    "wget",
    "sha256sum",
    "shasum",
    "tr",
    "tar",
    "gzip",
    "rm",
    "mkdir",
    "cp",
    "mv",
    "chmod",
    "sed",
];

fn which(tool: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(tool))
        .find(|p| p.is_file())
}

/// A directory to be the whole PATH: links to this machine's tools but `without`, and
/// when `uname` is given a stand-in `uname` that answers `-s` and `-m` with it.
fn tools(without: &[&str], uname: Option<(&str, &str)>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for tool in TOOLS {
        if without.contains(&tool) || (tool == "uname" && uname.is_some()) {
            continue;
        }
        if let Some(real) = which(tool) {
            std::os::unix::fs::symlink(real, dir.path().join(tool)).unwrap();
        }
    }
    if let Some((s, m)) = uname {
        let fake = dir.path().join("uname");
        write(
            &fake,
            format!(
                "#!/bin/sh\ncase $1 in -s) echo '{s}' ;; -m) echo '{m}' ;; *) exit 1 ;; esac\n"
            ),
        );
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    dir
}

/// dash and bash, each where this machine has it (in CI a missing one fails the test).
fn shells() -> Vec<PathBuf> {
    ["dash", "bash"]
        .into_iter()
        .filter(|s| {
            have(
                s,
                "install.sh must run under dash and bash; Debian dash, bash",
            )
        })
        .map(|s| which(s).unwrap())
        .collect()
}

/// Whether install.sh can download here: curl (in CI a missing one fails the test).
fn have_curl() -> bool {
    have("curl", "install.sh downloads with it; Debian curl")
}

fn name_of(shell: &Path) -> String {
    shell.file_name().unwrap().to_string_lossy().into_owned()
}

fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

/// An install directory that already holds a loginfix, which a refusal must leave as it is.
fn with_old_binary(dir: &Path) {
    write(
        &dir.join("loginfix"),
        "#!/bin/sh\necho 'loginfix 0.0.1 (old)'\n",
    );
    std::fs::set_permissions(dir.join("loginfix"), std::fs::Permissions::from_mode(0o755)).unwrap();
}

// ---------------------------------------------------------------------------------------
// install.sh

#[test]
fn install_sh_installs_this_build_from_a_loopback_server() {
    let Some(target) = host_target() else {
        eprintln!("skipped: install.sh has no build for this system");
        return;
    };
    if !have_curl() {
        return;
    }
    let release = Release::new(Some(target));
    let tools = tools(&[], None);
    for shell in shells() {
        let sh = name_of(&shell);
        let bin = release.scratch(&format!("{sh}/bin"));
        let run = release.install(&shell, tools.path(), &bin, &[], &[]);
        run.assert_code(0);
        assert_eq!(
            release.server.take_log(),
            ["/SHA256SUMS".to_string(), format!("/{}", archive(target))],
            "{sh}"
        );
        let dest = bin.join("loginfix");
        assert_eq!(entries(&bin), ["loginfix"], "{sh}: no staged copy is left");
        assert_eq!(mode(&dest), 0o755, "{sh}");
        let version = Command::new(&dest).arg("--version").output().unwrap();
        assert!(version.status.success(), "{sh}");
        let version = String::from_utf8(version.stdout).unwrap();
        let first = version.lines().next().unwrap();
        assert!(first.contains(env!("CARGO_PKG_VERSION")), "{sh}: {version}");
        assert!(
            run.stdout
                .contains(&format!("Installed {first} to {}\n", dest.display())),
            "{sh}: {}",
            run.stdout
        );
        // Not on PATH: said so, with the line to add.
        assert!(
            run.stdout.contains(&format!(
                "{} is not on your PATH.\nhint: add  export PATH=\"{}:$PATH\"",
                bin.display(),
                bin.display()
            )),
            "{sh}: {}",
            run.stdout
        );
        assert_eq!(run.stderr, "", "{sh}");

        // Again, the directory on PATH: the binary is replaced, and PATH is found.
        let path = format!("{}:{}", tools.path().display(), bin.display());
        let again = release.install(&shell, tools.path(), &bin, &[], &[("PATH", &path)]);
        again.assert_code(0);
        assert!(
            again.stdout.contains(&format!(
                "{} is on your PATH: run `loginfix` to start.",
                bin.display()
            )),
            "{sh}: {}",
            again.stdout
        );
        assert_eq!(entries(&bin), ["loginfix"], "{sh}");
        release.server.take_log();
    }
}

#[test]
fn the_default_install_dir_is_local_bin_and_an_old_binary_is_replaced() {
    if !have_curl() {
        return;
    }
    let release = Release::new(None);
    let tools = tools(&[], Some(("Linux", "x86_64")));
    let bin = release.scratch("home/.local/bin");
    with_old_binary(&bin);
    for shell in shells() {
        // LOGINFIX_INSTALL_DIR empty: the default.
        let run = release.install(&shell, tools.path(), Path::new(""), &[], &[]);
        run.assert_code(0);
        let dest = bin.join("loginfix");
        assert!(
            run.stdout.contains(&format!(
                "Installed loginfix 9.9.9 (fake x86_64-unknown-linux-musl) to {}\n",
                dest.display()
            )),
            "{}",
            run.stdout
        );
        assert_eq!(
            std::fs::read_to_string(&dest).unwrap(),
            fake_binary("x86_64-unknown-linux-musl")
        );
        assert_eq!(mode(&dest), 0o755);
        assert_eq!(entries(&bin), ["loginfix"]);
        with_old_binary(&bin);
    }
}

#[test]
fn a_wrong_checksum_is_refused_and_nothing_is_installed() {
    if !have_curl() {
        return;
    }
    let release = Release::new(None);
    let name = archive("x86_64-unknown-linux-musl");
    let right = sha256_hex(&std::fs::read(release.path(&name)).unwrap());
    let wrong = format!(
        "{}{}",
        if right.starts_with('0') { '1' } else { '0' },
        &right[1..]
    );
    release.set_sums(&release.sums().replace(&right, &wrong));
    let tools = tools(&[], Some(("Linux", "x86_64")));
    let bin = release.scratch("bin");
    with_old_binary(&bin);
    let before = snapshot(&bin);
    let fresh = release.scratch("fresh/bin");
    for shell in shells() {
        let sh = name_of(&shell);
        let run = release.install(&shell, tools.path(), &bin, &[], &[]);
        run.assert_code(1);
        assert_eq!(
            run.stderr,
            format!(
                "loginfix installer: error: the SHA-256 of {name} is not the one in SHA256SUMS\n  \
                 SHA256SUMS:      {wrong}\n  \
                 downloaded file: {right}\n\
                 The download is damaged or was tampered with; nothing was installed.\n"
            ),
            "{sh}"
        );
        assert_unchanged(&before, &bin);

        // In Japanese; a directory that did not exist is not made.
        for env in [
            [("LANG", "ja_JP.UTF-8"), ("LC_ALL", "")],
            [("LANG", "C"), ("LC_MESSAGES", "ja_JP.UTF-8")],
        ] {
            let ja = release.install(&shell, tools.path(), &fresh, &[], &env);
            ja.assert_code(1);
            assert_eq!(
                ja.stderr,
                format!(
                    "loginfix インストーラー：エラー：{name} の SHA-256 が SHA256SUMS の値と一致しません。\n  \
                     SHA256SUMS の値：{wrong}\n  \
                     ダウンロードしたファイルの値：{right}\n\
                     ダウンロードが壊れているか、改ざんされています。何もインストールしていません。\n"
                ),
                "{sh} {env:?}"
            );
            assert!(
                ja.stdout.starts_with("ダウンロードしています："),
                "{}",
                ja.stdout
            );
            assert!(!fresh.exists(), "{sh}");
        }
        // LC_ALL wins over LANG, as loginfix itself reads them.
        let en = release.install(
            &shell,
            tools.path(),
            &fresh,
            &[],
            &[("LANG", "ja_JP.UTF-8"), ("LC_ALL", "C.UTF-8")],
        );
        en.assert_code(1);
        assert!(
            en.stderr
                .starts_with("loginfix installer: error: the SHA-256"),
            "{}",
            en.stderr
        );
        assert!(!fresh.exists(), "{sh}");
    }
}

#[test]
fn an_archive_missing_from_sha256sums_is_refused() {
    if !have_curl() {
        return;
    }
    let release = Release::new(None);
    let name = archive("x86_64-unknown-linux-musl");
    let others: String = release
        .sums()
        .lines()
        .filter(|l| !l.ends_with(&name))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(others.lines().count(), 3);
    let tools = tools(&[], Some(("Linux", "x86_64")));
    let bin = release.scratch("bin");
    with_old_binary(&bin);
    let before = snapshot(&bin);
    // A look-alike name is not the archive's line either.
    let lookalike = format!("{}  {name}.sig\n{others}", "a".repeat(64));
    for shell in shells() {
        let sh = name_of(&shell);
        for sums in [others.as_str(), "", lookalike.as_str()] {
            release.set_sums(sums);
            let run = release.install(&shell, tools.path(), &bin, &[], &[]);
            run.assert_code(1);
            assert_eq!(
                run.stderr,
                format!(
                    "loginfix installer: error: {name} is not listed in SHA256SUMS, so it cannot be \
                     checked; nothing was installed\n"
                ),
                "{sh}"
            );
            assert_unchanged(&before, &bin);
        }
        release.set_sums(&others);
        let ja = release.install(&shell, tools.path(), &bin, &[], &[("LANG", "ja_JP.UTF-8")]);
        ja.assert_code(1);
        assert_eq!(
            ja.stderr,
            format!(
                "loginfix インストーラー：エラー：{name} が SHA256SUMS に載っていないため、\
                 確認できません。何もインストールしていません。\n"
            )
        );
        assert_unchanged(&before, &bin);

        // No SHA256SUMS at all (a 404): nothing downloaded is trusted.
        std::fs::remove_file(release.path("SHA256SUMS")).unwrap();
        let missing = release.install(&shell, tools.path(), &bin, &[], &[]);
        missing.assert_code(1);
        assert!(
            missing.stderr.contains(&format!(
                "loginfix installer: error: could not download {}/SHA256SUMS\n",
                release.server.url()
            )),
            "{}",
            missing.stderr
        );
        assert_unchanged(&before, &bin);
    }
}

#[test]
fn sha256sums_lines_in_binary_mode_with_crlf_and_in_capitals_are_read() {
    if !have_curl() {
        return;
    }
    let release = Release::new(None);
    let sums = release.sums();
    let tools = tools(&[], Some(("Linux", "aarch64")));
    let forms = [
        sums.replace("  ", " *"),
        sums.replace('\n', "\r\n"),
        sums.lines()
            .map(|l| {
                let (hash, name) = l.split_once("  ").unwrap();
                format!("{}  {name}\n", hash.to_uppercase())
            })
            .collect(),
        sums.trim_end().to_string(),
    ];
    for shell in shells() {
        for (i, form) in forms.iter().enumerate() {
            assert!(
                form.contains(&archive("aarch64-unknown-linux-musl")),
                "{form}"
            );
            release.set_sums(form);
            let bin = release.scratch(&format!("{}-{i}", name_of(&shell)));
            let run = release.install(&shell, tools.path(), &bin, &[], &[]);
            run.assert_code(0);
            assert_eq!(
                std::fs::read_to_string(bin.join("loginfix")).unwrap(),
                fake_binary("aarch64-unknown-linux-musl"),
                "{form:?}"
            );
        }
    }
}

#[test]
fn the_target_follows_uname_and_an_unknown_system_is_refused() {
    if !have_curl() {
        return;
    }
    let release = Release::new(None);
    let picks = [
        ("Linux", "x86_64", "x86_64-unknown-linux-musl"),
        ("Linux", "amd64", "x86_64-unknown-linux-musl"),
        ("Linux", "aarch64", "aarch64-unknown-linux-musl"),
        ("Linux", "arm64", "aarch64-unknown-linux-musl"),
        ("Darwin", "arm64", "universal-apple-darwin"),
        ("Darwin", "x86_64", "universal-apple-darwin"),
    ];
    for shell in shells() {
        let sh = name_of(&shell);
        for (s, m, target) in picks {
            let tools = tools(&[], Some((s, m)));
            let bin = release.scratch(&format!("{sh}-{s}-{m}"));
            let run = release.install(&shell, tools.path(), &bin, &[], &[]);
            run.assert_code(0);
            assert_eq!(
                release.server.take_log(),
                ["/SHA256SUMS".to_string(), format!("/{}", archive(target))]
            );
            assert_eq!(
                std::fs::read_to_string(bin.join("loginfix")).unwrap(),
                fake_binary(target),
                "{sh}: {s} {m}"
            );
        }
        let refusals = [
            (
                "FreeBSD",
                "amd64",
                "no loginfix build for FreeBSD (amd64); this installer is for Linux and macOS \
                 (on Windows, use install.ps1)",
                "FreeBSD（amd64）向けの loginfix はありません。このインストーラーは Linux と \
                 macOS 用です（Windows では install.ps1 をお使いください）。",
            ),
            (
                "MINGW64_NT-10.0-19045",
                "x86_64",
                "no loginfix build for MINGW64_NT-10.0-19045 (x86_64); this installer is for Linux \
                 and macOS (on Windows, use install.ps1)",
                "MINGW64_NT-10.0-19045（x86_64）向けの loginfix はありません。このインストーラーは \
                 Linux と macOS 用です（Windows では install.ps1 をお使いください）。",
            ),
            (
                "Linux",
                "armv7l",
                "no loginfix build for Linux on armv7l (there are builds for x86_64 and aarch64)",
                "armv7l の Linux 向けの loginfix はありません（x86_64 と aarch64 向けがあります）。",
            ),
        ];
        for (s, m, en, ja) in refusals {
            let tools = tools(&[], Some((s, m)));
            let bin = release.scratch(&format!("{sh}-{s}-{m}"));
            let run = release.install(&shell, tools.path(), &bin, &[], &[]);
            run.assert_code(1);
            assert_eq!(
                run.stderr,
                format!("loginfix installer: error: {en}\n"),
                "{sh}"
            );
            assert_eq!(run.stdout, "");
            let run = release.install(&shell, tools.path(), &bin, &[], &[("LANG", "ja_JP.UTF-8")]);
            run.assert_code(1);
            assert_eq!(
                run.stderr,
                format!("loginfix インストーラー：エラー：{ja}\n"),
                "{sh}"
            );
            assert!(!bin.exists());
            assert!(
                release.server.take_log().is_empty(),
                "nothing is downloaded"
            );
        }
    }
}

#[test]
fn wget_and_shasum_are_used_when_curl_and_sha256sum_are_missing() {
    let release = Release::new(None);
    let have_wget = have(
        "wget",
        "install.sh downloads with it without curl; Debian wget",
    );
    let have_shasum = have(
        "shasum",
        "install.sh checks with it without sha256sum (macOS); Debian perl",
    );
    for shell in shells() {
        let sh = name_of(&shell);
        let mut variants = Vec::new();
        if have_wget {
            variants.push(("wget", vec!["curl"]));
        }
        if have_shasum && have_curl() {
            variants.push(("shasum", vec!["sha256sum"]));
        }
        for (what, without) in variants {
            let tools = tools(&without, Some(("Linux", "x86_64")));
            let bin = release.scratch(&format!("{sh}-{what}"));
            let run = release.install(&shell, tools.path(), &bin, &[], &[]);
            run.assert_code(0);
            assert_eq!(
                std::fs::read_to_string(bin.join("loginfix")).unwrap(),
                fake_binary("x86_64-unknown-linux-musl"),
                "{sh} {what}"
            );
            assert_eq!(release.server.take_log().len(), 2);
        }
        let bin = release.scratch(&format!("{sh}-none"));
        let none = tools(&["curl", "wget"], Some(("Linux", "x86_64")));
        let run = release.install(&shell, none.path(), &bin, &[], &[]);
        run.assert_code(1);
        assert_eq!(
            run.stderr,
            "loginfix installer: error: neither curl nor wget is installed; install one of them \
             and run this again\n"
        );
        if have_curl() {
            let unchecked = tools(&["sha256sum", "shasum"], Some(("Linux", "x86_64")));
            let run = release.install(
                &shell,
                unchecked.path(),
                &bin,
                &[],
                &[("LANG", "ja_JP.UTF-8")],
            );
            run.assert_code(1);
            assert_eq!(
                run.stderr,
                "loginfix インストーラー：エラー：sha256sum も shasum もないため、\
                 ダウンロードしたファイルを確認できません。\n"
            );
        }
        assert!(!bin.exists());
        assert!(
            release.server.take_log().is_empty(),
            "nothing is downloaded"
        );
    }
}

#[test]
fn a_binary_that_does_not_run_here_is_not_installed() {
    if !have_curl() {
        return;
    }
    let release = Release::new(None);
    let target = "x86_64-unknown-linux-musl";
    let broken = release.scratch("broken");
    write(&broken, "#!/bin/sh\nexit 126\n");
    write_archive(release.dir.path(), target, &broken);
    release.set_sums(&sums_of(release.dir.path()));
    let tools = tools(&[], Some(("Linux", "x86_64")));
    let bin = release.scratch("bin");
    with_old_binary(&bin);
    let before = snapshot(&bin);
    for shell in shells() {
        let run = release.install(&shell, tools.path(), &bin, &[], &[]);
        run.assert_code(1);
        assert_eq!(
            run.stderr,
            "loginfix installer: error: the downloaded loginfix does not run here (Linux x86_64); \
             nothing was installed\n"
        );
        assert_unchanged(&before, &bin);
    }
}

#[test]
fn credentials_in_the_base_url_are_never_shown() {
    if !have_curl() {
        return;
    }
    let release = Release::new(None);
    let tools = tools(&[], Some(("Linux", "x86_64")));
    let url = release
        .server
        .url()
        .replace("http://", "http://support:s3cr3t-t0ken@");
    for shell in shells() {
        let bin = release.scratch(&name_of(&shell));
        let run = release.install(
            &shell,
            tools.path(),
            &bin,
            &[],
            &[("LOGINFIX_BASE_URL", &url)],
        );
        run.assert_code(0);
        assert!(
            run.stdout.contains(&format!(
                "Downloading {}/SHA256SUMS\n",
                release.server.url()
            )),
            "{}",
            run.stdout
        );
        let missing = release.install(
            &shell,
            tools.path(),
            &bin,
            &[],
            &[("LOGINFIX_BASE_URL", &format!("{url}/nothing/here/"))],
        );
        missing.assert_code(1);
        for out in [&run.stdout, &run.stderr, &missing.stdout, &missing.stderr] {
            assert!(!out.contains("s3cr3t"), "{out}");
        }
    }
}

#[test]
fn install_sh_help_and_an_unknown_argument() {
    let release = Release::new(None);
    let tools = tools(&[], None);
    let bin = release.scratch("bin");
    for shell in shells() {
        let help = release.install(&shell, tools.path(), &bin, &["--help"], &[]);
        help.assert_code(0);
        for words in [
            "curl -LsSf https://github.com/OWNER/loginfix/releases/latest/download/install.sh | sh",
            "LOGINFIX_INSTALL_DIR  where to put loginfix (default: $HOME/.local/bin)",
            "LOGINFIX_BASE_URL     where to download from",
        ] {
            assert!(help.stdout.contains(words), "{}", help.stdout);
        }
        let ja = release.install(
            &shell,
            tools.path(),
            &bin,
            &["-h"],
            &[("LC_ALL", "ja_JP.UTF-8")],
        );
        ja.assert_code(0);
        assert!(ja.stdout.contains("設定（環境変数）："), "{}", ja.stdout);
        let bad = release.install(&shell, tools.path(), &bin, &["--yes"], &[]);
        bad.assert_code(1);
        assert_eq!(
            bad.stderr,
            "loginfix installer: error: unknown argument: --yes (see --help)\n"
        );
        assert!(!bin.exists());
        assert!(release.server.take_log().is_empty());
    }
}

/// The Japanese of an installer: full-width punctuation next to Japanese text.
fn assert_japanese_punctuation(text: &str, what: &str) {
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if ".,:;()!?".contains(*c) {
            let near =
                |j: Option<usize>| j.and_then(|j| chars.get(j)).is_some_and(|c| !c.is_ascii());
            assert!(
                !near(i.checked_sub(1)) && !near(Some(i + 1)),
                "{what}: half-width {c:?} in Japanese text: {text}"
            );
        }
    }
}

#[test]
fn install_sh_is_posix_and_its_japanese_uses_full_width_punctuation() {
    let text = std::fs::read_to_string(repo().join("install.sh")).unwrap();
    assert!(text.starts_with("#!/bin/sh\n"));
    assert!(text.contains("\nset -eu\n"));
    for line in text.lines().filter(|l| !l.is_ascii()) {
        assert_japanese_punctuation(line, "install.sh");
    }
    assert_eq!(
        mode(&repo().join("install.sh")) & 0o111,
        0o111,
        "install.sh is executable"
    );
    if have("shellcheck", "lints install.sh; Debian shellcheck") {
        let out = Command::new("shellcheck")
            .args(["--shell=sh", "install.sh"])
            .current_dir(repo())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

// ---------------------------------------------------------------------------------------
// install.ps1, read

fn ps1() -> String {
    std::fs::read_to_string(repo().join("install.ps1")).unwrap()
}

/// The value of the `$Name = '...'` or `$Name = "..."` line of install.ps1, `$Var`s in a
/// double-quoted one filled from the lines before it.
fn ps1_var(text: &str, name: &str) -> String {
    let mut vars: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        let Some((var, value)) = line.split_once(" = ") else {
            continue;
        };
        let Some(var) = var.strip_prefix('$') else {
            continue;
        };
        if !var.chars().all(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        let value = if let Some(v) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
            v.replace("''", "'")
        } else if let Some(v) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
            let mut v = v.to_string();
            // Longest names first, so `$TargetDir` is not read as `$Target`.
            let mut known = vars.clone();
            known.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
            for (k, val) in &known {
                v = v.replace(&format!("${k}"), val);
            }
            if v.contains('$') {
                assert_ne!(var, name, "an unknown variable in {line}");
                continue;
            }
            v
        } else {
            continue;
        };
        if var == name {
            return value;
        }
        vars.push((var.to_string(), value));
    }
    panic!("install.ps1 has no ${name} line")
}

/// The `Key = '...'` lines of the `lang = @{ ... }` block of `$Text`.
fn ps1_messages(text: &str, lang: &str) -> Vec<(String, String)> {
    let start = text
        .lines()
        .position(|l| l.trim() == format!("{lang} = @{{"))
        .unwrap_or_else(|| panic!("install.ps1 has no {lang} messages"));
    text.lines()
        .skip(start + 1)
        .take_while(|l| l.trim() != "}")
        .map(|l| {
            let (k, v) = l.trim().split_once(" = ").unwrap();
            let v = v
                .strip_prefix('\'')
                .and_then(|v| v.strip_suffix('\''))
                .unwrap();
            (k.to_string(), v.replace("''", "'"))
        })
        .collect()
}

/// `[regex]::Unescape` of the Japanese messages, which hold only `\uXXXX` escapes.
fn unescape_u(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let hex = rest[i + 1..].strip_prefix('u').map(|h| &h[..4]);
        let code = hex
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32)
            .unwrap_or_else(|| panic!("an escape other than \\uXXXX in {s}"));
        out.push(code);
        rest = &rest[i + 6..];
    }
    out.push_str(rest);
    out
}

fn placeholders(s: &str) -> Vec<String> {
    let mut v: Vec<String> = s
        .match_indices('{')
        .map(|(i, _)| s[i..].split_once('}').unwrap().0.to_string() + "}")
        .collect();
    v.sort();
    v
}

#[test]
fn install_ps1_names_the_release_zip_and_builds_its_urls() {
    let text = ps1();
    assert!(
        text.is_ascii(),
        "install.ps1 must be ASCII (irm reads it as Latin-1)"
    );
    let owner = ps1_var(&text, "Owner");
    let sh = std::fs::read_to_string(repo().join("install.sh")).unwrap();
    let sh_owner = sh
        .lines()
        .find_map(|l| l.strip_prefix("OWNER="))
        .expect("install.sh's OWNER= line");
    assert_eq!(owner, sh_owner, "both installers name the same account");
    assert_eq!(ps1_var(&text, "Target"), WINDOWS_TARGET);
    let zip = ps1_var(&text, "Archive");
    assert!(artefact_names().contains(&zip), "{zip}");
    assert_eq!(zip, "loginfix-x86_64-pc-windows-gnu.zip");
    // The exe's path inside the zip, as the release command lays it out.
    assert_eq!(
        ps1_var(&text, "Member"),
        r"loginfix-x86_64-pc-windows-gnu\loginfix.exe"
    );
    let base = ps1_var(&text, "DefaultBaseUrl");
    assert_eq!(
        base,
        format!("https://github.com/{owner}/loginfix/releases/latest/download")
    );
    // Get-Url joins the base and a name with one slash; the two files it fetches.
    assert!(
        text.contains(
            "function Get-Url([string]$Base, [string]$Name) { return $Base.TrimEnd('/') + '/' + $Name }"
        ),
        "Get-Url changed: update this stand-in"
    );
    let get_url = |base: &str, name: &str| format!("{}/{name}", base.trim_end_matches('/'));
    assert_eq!(
        get_url(&base, &zip),
        "https://github.com/OWNER/loginfix/releases/latest/download/loginfix-x86_64-pc-windows-gnu.zip"
    );
    assert_eq!(
        get_url("http://127.0.0.1:8000/", "SHA256SUMS"),
        "http://127.0.0.1:8000/SHA256SUMS"
    );
    assert!(text.contains("foreach ($name in @('SHA256SUMS', $Archive))"));
    assert!(text.contains("$url = Get-Url $baseUrl $name"));
    // The settings and the Windows pieces the brief names.
    for needle in [
        "$env:LOGINFIX_BASE_URL",
        "$env:LOGINFIX_INSTALL_DIR",
        "Join-Path $env:LOCALAPPDATA 'Programs\\loginfix'",
        "Get-FileHash -Algorithm SHA256",
        "Expand-Archive -LiteralPath",
        "(Get-UICulture).Name -like 'ja*'",
        "[Environment]::SetEnvironmentVariable(",
        "'User')",
        "'DoNotExpandEnvironmentNames'",
    ] {
        assert!(text.contains(needle), "install.ps1 lacks {needle}");
    }
    for line in text
        .lines()
        .filter(|l| l.contains("Invoke-WebRequest") && !l.trim().starts_with('#'))
    {
        assert!(line.contains("-UseBasicParsing"), "{line}");
    }
    // Never `exit` outside the file case: under `irm | iex` it would close the window.
    let exits: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#') && l.contains("exit"))
        .collect();
    assert_eq!(exits, ["if ($PSCommandPath) { exit 1 }"]);
    assert_balanced(&text);
}

/// Brackets balance outside strings and comments: a stand-in for PowerShell's parser.
fn assert_balanced(text: &str) {
    let mut stack = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    while let Some(c) = chars.next() {
        match c {
            '\n' => line += 1,
            '#' => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        line += 1;
                        break;
                    }
                }
            }
            '\'' => loop {
                match chars.next() {
                    Some('\'') if chars.peek() == Some(&'\'') => {
                        chars.next();
                    }
                    Some('\'') => break,
                    Some('\n') => line += 1,
                    Some(_) => {}
                    None => panic!("unterminated ' string from line {line}"),
                }
            },
            '"' => loop {
                match chars.next() {
                    Some('`') => {
                        chars.next();
                    }
                    Some('"') => break,
                    Some('\n') => line += 1,
                    Some(_) => {}
                    None => panic!("unterminated \" string from line {line}"),
                }
            },
            '{' | '(' | '[' => stack.push((c, line)),
            '}' | ')' | ']' => {
                let (open, at) = stack
                    .pop()
                    .unwrap_or_else(|| panic!("{c} at line {line} closes nothing"));
                let want = match open {
                    '{' => '}',
                    '(' => ')',
                    _ => ']',
                };
                assert_eq!(c, want, "line {line} closes the {open} of line {at}");
            }
            _ => {}
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

#[test]
fn install_ps1_reads_sha256sums_as_sha256sum_writes_it() {
    let text = ps1();
    let pattern = ps1_var(&text, "SumsPattern");
    assert_eq!(pattern, "^([0-9A-Fa-f]{64}) [ *](.+)$");
    assert!(text.contains("if ($line.Trim() -match $SumsPattern -and $Matches[2] -eq $Archive) {"));
    if !have(
        "python3",
        "applies install.ps1's regular expressions (.NET's syntax here)",
    ) {
        return;
    }
    // A release's SHA256SUMS (as sha256sum writes it; also in binary mode and with CRLF),
    // read line by line as the script reads it: -match ignores case, the line trimmed.
    let release_dir = tempfile::tempdir().unwrap();
    for name in artefact_names() {
        write(
            &release_dir.path().join(&name),
            format!("the bytes of {name}"),
        );
    }
    let sums = sums_of(release_dir.path());
    let zip = windows_zip();
    let want = sha256_hex(format!("the bytes of {zip}").as_bytes());
    let ps_expected = |sums: &str| -> Option<String> {
        sums.lines()
            .map(|l| python_match(&pattern, l.trim()))
            .find_map(|m| m.filter(|(_, name)| name.eq_ignore_ascii_case(&zip)))
            .map(|(hash, _)| hash.to_lowercase())
    };
    assert_eq!(ps_expected(&sums), Some(want.clone()));
    assert_eq!(ps_expected(&sums.replace("  ", " *")), Some(want.clone()));
    assert_eq!(ps_expected(&sums.replace('\n', "\r\n")), Some(want.clone()));
    assert_eq!(
        ps_expected(&sums.replace(&want, &want.to_uppercase())),
        Some(want.clone())
    );
    // Not listed, a look-alike name, a short hash: nothing to check against.
    let without: String = sums
        .lines()
        .filter(|l| !l.contains(&zip))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(ps_expected(&without), None);
    assert_eq!(ps_expected(&format!("{want}  {zip}.sig\n")), None);
    assert_eq!(ps_expected(&format!("{}  {zip}\n", &want[1..])), None);

    // Show-Url drops a user name and password before the host, and nothing else.
    let show = text
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("function Show-Url([string]$Url) { return $Url -replace '")
        })
        .and_then(|l| l.strip_suffix("', '$1' }"))
        .expect("Show-Url's line");
    for (url, shown) in [
        (
            "https://support:t0ken@example.com/a/b",
            "https://example.com/a/b",
        ),
        (
            "http://127.0.0.1:8000/SHA256SUMS",
            "http://127.0.0.1:8000/SHA256SUMS",
        ),
        ("https://example.com/a@b", "https://example.com/a@b"),
    ] {
        assert_eq!(python_replace(show, url), shown);
    }
}

/// Python's `re` (whose syntax these patterns share with .NET), case ignored as
/// PowerShell's -match ignores it: the two groups of a match.
fn python_match(pattern: &str, line: &str) -> Option<(String, String)> {
    let out = python(
        "import re, sys\nm = re.search(sys.argv[1], sys.argv[2], re.I)\n\
         print(m.group(1) + '\\n' + m.group(2) if m else '-')",
        &[pattern, line],
    );
    let out = out.strip_suffix('\n').unwrap();
    (out != "-").then(|| {
        let (a, b) = out.split_once('\n').unwrap();
        (a.to_string(), b.to_string())
    })
}

/// `text -replace pattern, '$1'` in Python's `re`.
fn python_replace(pattern: &str, text: &str) -> String {
    let out = python(
        "import re, sys\nprint(re.sub(sys.argv[1], r'\\1', sys.argv[2], flags=re.I))",
        &[pattern, text],
    );
    out.strip_suffix('\n').unwrap().to_string()
}

fn python(code: &str, args: &[&str]) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(code)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn install_ps1_says_everything_in_english_and_japanese() {
    let text = ps1();
    let en = ps1_messages(&text, "en");
    let ja = ps1_messages(&text, "ja");
    let keys = |m: &[(String, String)]| {
        let mut k: Vec<String> = m.iter().map(|(k, _)| k.clone()).collect();
        k.sort();
        k
    };
    assert_eq!(keys(&en), keys(&ja));
    assert!(en.len() >= 10, "{en:?}");
    for (key, en_text) in &en {
        let ja_escaped = &ja.iter().find(|(k, _)| k == key).unwrap().1;
        let ja_text = unescape_u(ja_escaped);
        assert!(!ja_text.is_ascii(), "{key}: {ja_text}");
        assert_eq!(placeholders(en_text), placeholders(&ja_text), "{key}");
        assert_japanese_punctuation(&ja_text, key);
        if en_text.ends_with('.') {
            assert!(ja_text.ends_with('。'), "{key}: {ja_text}");
        }
        // Every message is used.
        assert!(text.contains(&format!("(T '{key}'")), "{key} is never said");
    }
    let ja_of = |key: &str| unescape_u(&ja.iter().find(|(k, _)| k == key).unwrap().1);
    assert_eq!(
        ja_of("Mismatch"),
        "{0} の SHA-256 が SHA256SUMS の値と一致しません。ダウンロードが壊れているか、\
         改ざんされています。何もインストールしていません。"
    );
    assert_eq!(
        ja_of("NotListed"),
        "{0} が SHA256SUMS に載っていないため、確認できません。何もインストールしていません。"
    );
    assert_eq!(ja_of("Installed"), "{0} を {1} にインストールしました。");
    assert_eq!(
        ja_of("PathAdded"),
        "{0} を PATH に追加しました。このウィンドウでも新しいウィンドウでも `loginfix` で起動できます。"
    );
}
