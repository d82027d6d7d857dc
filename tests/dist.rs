//! The release artefacts as users get them (`cargo xtask dist`, docs/releasing.md): the
//! checksums hold; the static Linux binary cleans the sample home in a root that holds
//! nothing but itself, the home and `/tmp` (no `/lib`: the development build cannot even
//! start there); the Windows `.exe` from the zip cleans the Windows sample home under
//! Wine; the `.deb` installs with `dpkg` into an empty root, and its man pages and bash
//! completion work from there. The artefacts are slow to build, so these run when
//! `LOGINFIX_DIST_DIR` names them (.ci/run builds them and sets it); elsewhere they say
//! they were skipped, and in CI a missing directory fails.

// Run where the artefacts are built and unpacked: chroot, dpkg, Wine.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::*;

fn dist(test: &str) -> Option<PathBuf> {
    match std::env::var_os("LOGINFIX_DIST_DIR") {
        Some(d) => Some(PathBuf::from(d)),
        None if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) => {
            panic!("dist::{test}: LOGINFIX_DIST_DIR is not set (.ci/run builds the artefacts)")
        }
        None => {
            eprintln!("dist::{test}: skipped: LOGINFIX_DIST_DIR is not set (cargo xtask dist)");
            None
        }
    }
}

fn ok(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Chrome's cookie rows of the sample home (host, name).
fn chrome_rows(home: &Path) -> Vec<(String, String)> {
    let db =
        rusqlite::Connection::open(home.join(".config/google-chrome/Default/Cookies")).unwrap();
    let mut stmt = db
        .prepare("SELECT host_key, name FROM cookies ORDER BY host_key, name")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn the_checksums_hold() {
    let Some(dir) = dist("the_checksums_hold") else {
        return;
    };
    let sums = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    for want in [
        "loginfix-x86_64-unknown-linux-musl.tar.gz",
        "loginfix-x86_64-pc-windows-gnu.zip",
    ] {
        assert!(
            sums.lines().any(|l| l.ends_with(&format!("  {want}"))),
            "{sums}"
        );
    }
    assert!(sums.contains("_amd64.deb"), "{sums}");
    ok(Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&dir));
}

#[test]
fn the_static_linux_binary_cleans_the_sample_home_in_an_empty_root() {
    let Some(dir) = dist("the_static_linux_binary_cleans_the_sample_home_in_an_empty_root") else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    ok(Command::new("tar")
        .arg("-xzf")
        .arg(dir.join("loginfix-x86_64-unknown-linux-musl.tar.gz"))
        .arg("-C")
        .arg(work.path()));
    let unpacked = work.path().join("loginfix-x86_64-unknown-linux-musl");
    for f in [
        "loginfix",
        "README.md",
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "man/loginfix-fix.1",
        "complete/loginfix.bash",
    ] {
        assert!(unpacked.join(f).is_file(), "{f} missing from the archive");
    }
    // The root: the binary, the sample home, a /tmp; no /lib, /usr, /etc, /proc.
    let root = work.path().join("root");
    let home = root.join("home/ana");
    std::fs::create_dir_all(root.join("tmp")).unwrap();
    std::fs::set_permissions(
        root.join("tmp"),
        std::os::unix::fs::PermissionsExt::from_mode(0o1777),
    )
    .unwrap();
    std::fs::create_dir_all(&home).unwrap();
    copy_tree(&repo().join("profiles/linux"), &home);
    std::fs::copy(unpacked.join("loginfix"), root.join("loginfix")).unwrap();
    let before = chrome_rows(&home);
    let run = |program: &str| {
        Command::new("/usr/sbin/chroot")
            .arg(&root)
            .args([
                program,
                "--home",
                "/home/ana",
                "--os",
                "linux",
                "--json",
                "clear-cookies",
            ])
            .env_clear()
            .output()
            .unwrap()
    };
    // The development build is dynamically linked: without /lib it cannot start.
    std::fs::copy(env!("CARGO_BIN_EXE_loginfix"), root.join("loginfix-dev")).unwrap();
    assert!(
        !run("/loginfix-dev").status.success(),
        "the control started"
    );
    let out = run("/loginfix");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["summary"]["failed"], 0, "{json:#}");
    assert!(json["summary"]["removed"].as_u64().unwrap() > 0, "{json:#}");
    let after = chrome_rows(&home);
    assert!(after.len() < before.len());
    assert!(after.iter().all(|(host, _)| {
        let h = host.trim_start_matches('.');
        !["chatgpt.com", "openai.com"]
            .iter()
            .any(|t| h == *t || h.ends_with(&format!(".{t}")))
    }));
    assert!(after.iter().any(|(host, _)| host.ends_with("example.org")));
}

#[test]
fn the_windows_exe_from_the_zip_cleans_the_windows_sample_home_under_wine() {
    let Some(dir) = dist("the_windows_exe_from_the_zip_cleans_the_windows_sample_home_under_wine")
    else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    ok(Command::new("unzip")
        .arg("-q")
        .arg(dir.join("loginfix-x86_64-pc-windows-gnu.zip"))
        .arg("-d")
        .arg(work.path()));
    let exe = work
        .path()
        .join("loginfix-x86_64-pc-windows-gnu/loginfix.exe");
    assert!(exe.is_file());
    let home = work.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    copy_tree(&repo().join("profiles/windows"), &home);
    let out = Command::new(repo().join("tests/wine/wine"))
        .arg(&exe)
        .arg("--home")
        .arg(format!(
            "Z:{}",
            home.display().to_string().replace('/', "\\")
        ))
        .args([
            "--os",
            "windows",
            "--json",
            "clear-cookies",
            "--browser",
            "chrome",
        ])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["summary"]["failed"], 0, "{json:#}");
    assert!(json["summary"]["removed"].as_u64().unwrap() > 0, "{json:#}");
    let db = rusqlite::Connection::open(
        home.join("AppData/Local/Google/Chrome/User Data/Default/Network/Cookies"),
    )
    .unwrap();
    let targets: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM cookies WHERE host_key IN ('chatgpt.com', '.chatgpt.com', 'openai.com', '.openai.com') OR host_key LIKE '%.chatgpt.com' OR host_key LIKE '%.openai.com'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(targets, 0);
}

#[test]
fn the_deb_installs_into_an_empty_root_with_man_pages_and_completion() {
    let Some(dir) = dist("the_deb_installs_into_an_empty_root_with_man_pages_and_completion")
    else {
        return;
    };
    let deb = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "deb"))
        .expect("a .deb");
    let fields = ok(Command::new("dpkg-deb").arg("-f").arg(&deb));
    assert!(fields.contains("Package: loginfix"), "{fields}");
    assert!(!fields.contains("Depends:"), "{fields}");
    let root = tempfile::tempdir().unwrap();
    let r = root.path();
    for d in [
        "var/lib/dpkg/info",
        "var/lib/dpkg/updates",
        "var/lib/dpkg/triggers",
    ] {
        std::fs::create_dir_all(r.join(d)).unwrap();
    }
    for f in ["var/lib/dpkg/status", "var/lib/dpkg/available"] {
        std::fs::write(r.join(f), "").unwrap();
    }
    ok(Command::new("dpkg")
        .arg(format!("--root={}", r.display()))
        .args(["--force-not-root", "--log=/dev/null", "-i"])
        .arg(&deb));
    let status = std::fs::read_to_string(r.join("var/lib/dpkg/status")).unwrap();
    assert!(status.contains("Status: install ok installed"), "{status}");
    let version = ok(Command::new(r.join("usr/bin/loginfix")).arg("-V"));
    assert_eq!(version, format!("loginfix {}\n", env!("CARGO_PKG_VERSION")));
    let page = ok(Command::new("man")
        .arg("-M")
        .arg(r.join("usr/share/man"))
        .arg("loginfix-fix")
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "80"));
    assert!(page.contains("loginfix-fix"), "{page}");
    for c in ["clear-cookies", "doctor", "restore"] {
        assert!(
            r.join(format!("usr/share/man/man1/loginfix-{c}.1.gz"))
                .is_file(),
            "{c}"
        );
    }
    let complete = ok(Command::new("bash").arg("-c").arg(format!(
        "source {} && complete -p loginfix && COMP_WORDS=(loginfix clear-c); COMP_CWORD=1; COMP_LINE=\"loginfix clear-c\"; COMP_POINT=${{#COMP_LINE}}; _loginfix loginfix clear-c loginfix && echo \"${{COMPREPLY[@]}}\"",
        r.join("usr/share/bash-completion/completions/loginfix").display()
    )));
    assert!(complete.contains("-F _loginfix loginfix"), "{complete}");
    assert!(complete.contains("clear-cookies"), "{complete}");
    for f in [
        "usr/share/zsh/vendor-completions/_loginfix",
        "usr/share/fish/vendor_completions.d/loginfix.fish",
        "usr/share/doc/loginfix/copyright",
    ] {
        assert!(r.join(f).is_file(), "{f}");
    }
}

/// The macOS archive, where the release command built it (CI builds only the three
/// above): one universal Mach-O holding an x86_64 and an arm64 slice, each a 64-bit
/// Mach-O executable, as `lipo -info` would list them.
#[test]
fn the_macos_binary_is_universal_with_both_architectures() {
    let test = "the_macos_binary_is_universal_with_both_architectures";
    let Some(work) = unpacked_if_built(test, "loginfix-universal-apple-darwin.tar.gz") else {
        return;
    };
    let path = work.path().join("loginfix-universal-apple-darwin/loginfix");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o111, 0o111, "not executable: {mode:o}");
    let bin = std::fs::read(&path).unwrap();
    let be = |at: usize| u32::from_be_bytes(bin[at..at + 4].try_into().unwrap());
    assert_eq!(be(0), 0xcafe_babe, "not a universal binary");
    assert_eq!(be(4), 2, "two slices");
    let mut cpus = Vec::new();
    for i in 0..2 {
        let arch = 8 + i * 20;
        let (cpu, offset, size) = (be(arch), be(arch + 8) as usize, be(arch + 12) as usize);
        assert!(offset + size <= bin.len());
        // MH_MAGIC_64, little-endian, and MH_EXECUTE.
        let slice = &bin[offset..offset + size];
        assert_eq!(&slice[..4], &[0xcf, 0xfa, 0xed, 0xfe]);
        assert_eq!(u32::from_le_bytes(slice[4..8].try_into().unwrap()), cpu);
        assert_eq!(u32::from_le_bytes(slice[12..16].try_into().unwrap()), 2);
        let (libs, signed) = load_commands(slice);
        // Only the OS's own libraries: a framework or libobjc would fail on a Mac
        // whose zig-linked build did not resolve it.
        assert!(
            libs.iter().all(|l| l.starts_with("/usr/lib/lib")),
            "{libs:?}"
        );
        // arm64 macOS runs nothing unsigned: the slice carries the linker's ad-hoc
        // signature.
        if cpu == 0x0100_000c {
            assert!(signed, "the arm64 slice has no code signature");
        }
        cpus.push(cpu);
    }
    // CPU_TYPE_X86_64 and CPU_TYPE_ARM64.
    assert_eq!(cpus, [0x0100_0007, 0x0100_000c]);
    if let Ok(out) = Command::new("file")
        .arg(work.path().join("loginfix-universal-apple-darwin/loginfix"))
        .output()
    {
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(
            said.contains("universal binary with 2 architectures"),
            "{said}"
        );
    }
}

/// The dylibs a little-endian 64-bit Mach-O links (`LC_LOAD_DYLIB`,
/// `LC_LOAD_WEAK_DYLIB`, `LC_REEXPORT_DYLIB`), and whether it has `LC_CODE_SIGNATURE`.
fn load_commands(macho: &[u8]) -> (Vec<String>, bool) {
    let le = |at: usize| u32::from_le_bytes(macho[at..at + 4].try_into().unwrap()) as usize;
    let (mut libs, mut signed, mut at) = (Vec::new(), false, 32);
    for _ in 0..le(16) {
        let (cmd, size) = (le(at), le(at + 4));
        match cmd {
            0xc | 0x8000_0018 | 0x8000_001f => {
                let name = &macho[at + le(at + 8)..at + size];
                let end = name.iter().position(|&b| b == 0).unwrap_or(name.len());
                libs.push(String::from_utf8_lossy(&name[..end]).into_owned());
            }
            0x1d => signed = true,
            _ => {}
        }
        at += size;
    }
    (libs, signed)
}

/// The release workflow is YAML GitHub can read (a plain scalar holding `: ` is not),
/// and every job it names in `needs` exists. Read with PyYAML, which CI has through
/// ansible-core.
#[test]
fn the_release_workflow_parses_and_its_jobs_chain() {
    let script = r#"
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
jobs = doc["jobs"]
for name, job in jobs.items():
    needs = job.get("needs", [])
    for n in [needs] if isinstance(needs, str) else needs:
        assert n in jobs, f"{name} needs {n}, which is not a job"
print(" ".join(jobs))
"#;
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(crate::util::repo().join(".github/workflows/release.yml"))
        .output();
    let out = match out {
        Ok(o) if o.status.success() => o,
        Ok(o)
            if String::from_utf8_lossy(&o.stderr).contains("No module named 'yaml'")
                && std::env::var_os("CI").is_none() =>
        {
            eprintln!("skipped: python3 has no yaml module (apt-get install python3-yaml)");
            return;
        }
        Ok(o) => panic!("{}", String::from_utf8_lossy(&o.stderr)),
        Err(e) => panic!("python3: {e}"),
    };
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "dist macos-smoke publish macos-sign"
    );
}

/// The Windows on ARM zip, where built (zig links it; nothing here runs ARM64 Windows
/// code): `loginfix.exe` in the zip's folder is a PE32+ console program for ARM64.
#[test]
fn the_windows_arm_zip_holds_an_arm64_console_exe() {
    let test = "the_windows_arm_zip_holds_an_arm64_console_exe";
    let Some(work) = unpacked_if_built(test, "loginfix-aarch64-pc-windows-gnullvm.zip") else {
        return;
    };
    let exe = std::fs::read(
        work.path()
            .join("loginfix-aarch64-pc-windows-gnullvm/loginfix.exe"),
    )
    .unwrap();
    assert_eq!(&exe[..2], b"MZ");
    let pe = u32::from_le_bytes(exe[0x3c..0x40].try_into().unwrap()) as usize;
    assert_eq!(&exe[pe..pe + 4], b"PE\0\0");
    let u16_at = |at: usize| u16::from_le_bytes(exe[at..at + 2].try_into().unwrap());
    // IMAGE_FILE_MACHINE_ARM64, a PE32+ optional header, the console subsystem.
    assert_eq!(u16_at(pe + 4), 0xaa64, "not ARM64");
    let optional = pe + 24;
    assert_eq!(u16_at(optional), 0x20b, "not PE32+");
    assert_eq!(u16_at(optional + 68), 3, "not a console program");
}

/// The artefact `file` unpacked into a new directory, when the release command built it:
/// CI builds only the Linux x86_64, Windows x86_64 and Debian ones, so the others are
/// checked where they were built and said to be absent elsewhere.
fn unpacked_if_built(test: &str, file: &str) -> Option<tempfile::TempDir> {
    let dir = dist(test)?;
    let archive = dir.join(file);
    if !archive.is_file() {
        eprintln!("dist: no {file} in {} (not built here)", dir.display());
        return None;
    }
    let work = tempfile::tempdir().unwrap();
    if file.ends_with(".zip") {
        ok(Command::new("unzip")
            .arg("-q")
            .arg(&archive)
            .arg("-d")
            .arg(work.path()));
    } else {
        ok(Command::new("tar")
            .arg("-xzf")
            .arg(&archive)
            .arg("-C")
            .arg(work.path()));
    }
    Some(work)
}
