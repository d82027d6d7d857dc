//! Names the build for `loginfix --version`: the target triple, and the commit it was
//! built from (`LOGINFIX_COMMIT` when the release command gives it, else `git`, else
//! "unknown" for a build from a source archive).

fn main() {
    let target = std::env::var("TARGET").unwrap_or_default();
    println!("cargo:rustc-env=LOGINFIX_TARGET={target}");
    println!("cargo:rerun-if-env-changed=LOGINFIX_COMMIT");
    let commit = std::env::var("LOGINFIX_COMMIT").ok().or_else(|| {
        // A checkout's HEAD, and the branch file it points at, change with each commit.
        for f in [".git/HEAD", ".git/packed-refs"] {
            println!("cargo:rerun-if-changed={f}");
        }
        if let Ok(head) = std::fs::read_to_string(".git/HEAD") {
            if let Some(r) = head.trim().strip_prefix("ref: ") {
                println!("cargo:rerun-if-changed=.git/{r}");
            }
        }
        let out = std::process::Command::new("git")
            .args(["rev-parse", "--short=12", "HEAD"])
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    });
    println!(
        "cargo:rustc-env=LOGINFIX_COMMIT={}",
        commit.unwrap_or_else(|| "unknown".to_string())
    );
}
