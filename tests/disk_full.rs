//! A full disk in the middle of a rewrite: the write fails, the original store stays
//! exactly as it was, no temporary file is left, and the run reports the failure.

#![cfg(target_os = "linux")]

use std::process::Command;

use crate::util::*;

struct Tmpfs(std::path::PathBuf);

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_leaves_the_store_intact() {
    let dir = tempfile::tempdir().unwrap();
    let mount = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=320k", "tmpfs"])
        .arg(dir.path())
        .output();
    match mount {
        Ok(o) if o.status.success() => {}
        other => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI runs as root and can mount a tmpfs: {other:?}"
            );
            eprintln!("skipped: cannot mount a small tmpfs here (needs root)");
            return;
        }
    }
    let _unmount = Tmpfs(dir.path().to_path_buf());
    let home = dir.path().join("home");
    let ff = home.join(".mozilla/firefox");
    write(
        &ff.join("profiles.ini"),
        "[Profile0]\nName=p\nIsRelative=1\nPath=p.default\n",
    );
    let prof = ff.join("p.default");
    // Incompressible values make a session file of about 180 KiB: it fits once, but not
    // twice (the rewrite writes a full copy beside it before renaming).
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let cookies: Vec<Cookie> = (0..1500)
        .map(|i| {
            let value: String = (0..120)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    char::from(b'!' + (seed % 90) as u8)
                })
                .collect();
            Cookie {
                host: if i % 10 == 0 {
                    "chatgpt.com"
                } else {
                    "example.org"
                },
                name: "s",
                partition: "",
                value: format!("lfxsecret_{value}"),
            }
        })
        .collect();
    let file = prof.join("sessionstore-backups/recovery.jsonlz4");
    session_file(&file, &cookies);
    let size = std::fs::metadata(&file).unwrap().len();
    assert!(size > 170 * 1024, "the session file is only {size} bytes");
    let before = snapshot(&home);
    let backups = tempfile::tempdir().unwrap();
    let run = loginfix(
        &home,
        "linux",
        &[
            "clear-cookies",
            "--backup-dir",
            &backups.path().display().to_string(),
            "--json",
        ],
    );
    run.assert_code(1);
    assert_unchanged(&before, &home);
    let json = run.json();
    let error = json["profiles"][0]["items"][0]["error"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        error.contains("could not write a temporary file"),
        "{error}"
    );
    assert!(error.contains("No space left on device"), "{error}");
}
