//! Mechanics of the real-browser tests: the skip rule, a lock that serializes the runs
//! (port 443 and Marionette's 2828 are machine-wide), a throwaway CA, the HTTPS server
//! (profiles/regen/server.py) and its request log, the browser drivers
//! (profiles/regen/*_drive.py) run in their own process group, finding, freezing and
//! reaping every process they started, and a content snapshot of a home.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::repo;

/// The server must listen on 443: Firefox's `network.dns.forceResolve` keeps the port.
pub const PORT: u16 = 443;
/// Marionette's fixed port (firefox_drive.py).
pub const MARIONETTE_PORT: u16 = 2828;

// ------------------------------------------------------------------ skip rule

/// Absolute paths of the programs the suite runs.
pub struct Tools {
    pub chromium: PathBuf,
    pub firefox: PathBuf,
    pub certutil: PathBuf,
    pub openssl: PathBuf,
    /// The real interpreter (not a pyenv shim), so a changed `HOME` cannot confuse it.
    pub python: PathBuf,
}

fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| {
            p.metadata()
                .is_ok_and(|m| m.is_file() && m.mode() & 0o111 != 0)
        })
}

/// What the suite needs, or why it cannot run here.
pub fn preflight(firefox: bool) -> Result<Tools, String> {
    let missing: Vec<&str> = ["chromium", "firefox-esr", "certutil", "openssl", "python3"]
        .into_iter()
        .filter(|n| which(n).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "not installed: {} (apt-get install -y chromium firefox-esr libnss3-tools openssl python3)",
            missing.join(", ")
        ));
    }
    let out = Command::new(which("python3").unwrap())
        .args(["-c", "import sys; print(sys.executable)"])
        .output()
        .map_err(|e| format!("python3 does not run: {e}"))?;
    let python = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    if !out.status.success() || !python.is_file() {
        return Err(format!(
            "python3 does not run: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let mut ports = vec![PORT];
    if firefox {
        ports.push(MARIONETTE_PORT);
    }
    for port in ports {
        if let Err(e) = std::net::TcpListener::bind(("127.0.0.1", port)) {
            return Err(format!(
                "cannot listen on 127.0.0.1:{port} ({e}); the browsers need the test server on \
                 443 (run as root) and Marionette on 2828"
            ));
        }
    }
    Ok(Tools {
        chromium: which("chromium").unwrap(),
        firefox: which("firefox-esr").unwrap(),
        certutil: which("certutil").unwrap(),
        openssl: which("openssl").unwrap(),
        python,
    })
}

/// In CI (`CI` set) a suite that cannot run is a failure; locally it says why it skipped,
/// on the real stderr (the test harness would swallow `eprintln!` of a passing test).
pub fn skip_or_fail(test: &str, reason: &str) {
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        panic!("real_browsers::{test}: cannot run in CI: {reason}");
    }
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "real_browsers::{test}: skipped: {reason}"
    );
}

/// One browser run at a time, across threads and processes: port 443, port 2828 and the
/// process-group bookkeeping are machine-wide. Released when dropped.
pub struct SuiteLock(#[allow(dead_code)] File);

pub fn suite_lock() -> SuiteLock {
    use std::os::fd::AsRawFd;
    let path = std::env::temp_dir().join("loginfix-real-browsers.lock");
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    // SAFETY: flock on a descriptor we own; blocks until the other holder is done.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
    assert_eq!(rc, 0, "flock {}", path.display());
    SuiteLock(file)
}

// ------------------------------------------------------------------ helpers

/// Polls `ok` every 50 ms until it returns true or `limit` passes.
pub fn wait_until(limit: Duration, mut ok: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + limit;
    loop {
        if ok() {
            return true;
        }
        if Instant::now() > end {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[track_caller]
pub fn run_ok(cmd: &mut Command) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The last `lines` lines of a log, without Chromium's D-Bus complaints (no session bus
/// in a test), which would drown everything else.
pub fn tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text
        .lines()
        .filter(|l| !l.contains(":ERROR:dbus/"))
        .collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

// ------------------------------------------------------------------ certificates

/// Hosts the leaf certificate covers.
const SAN: &str = "DNS:chatgpt.com,DNS:*.chatgpt.com,DNS:openai.com,DNS:*.openai.com,\
DNS:example.org,DNS:*.example.org,DNS:notchatgpt.com,DNS:chatgpt.com.evil.org,\
DNS:openai.com.example.org,DNS:cdn.oaistatic.com,DNS:*.oaistatic.com";

pub struct Certs {
    pub ca: PathBuf,
    pub leaf: PathBuf,
    pub key: PathBuf,
}

/// A throwaway CA (valid for a day) and a leaf certificate for every test host.
pub fn make_certs(tools: &Tools, dir: &Path) -> Certs {
    std::fs::create_dir_all(dir).unwrap();
    let p = |n: &str| dir.join(n);
    run_ok(
        Command::new(&tools.openssl)
            .args([
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=loginfix real-browser test CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ])
            .arg("-keyout")
            .arg(p("ca.key"))
            .arg("-out")
            .arg(p("ca.pem")),
    );
    run_ok(
        Command::new(&tools.openssl)
            .args([
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-subj",
                "/CN=chatgpt.com",
            ])
            .arg("-keyout")
            .arg(p("leaf.key"))
            .arg("-out")
            .arg(p("leaf.csr")),
    );
    std::fs::write(
        p("leaf.ext"),
        format!(
            "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n\
             extendedKeyUsage=serverAuth\nsubjectAltName={SAN}\n"
        ),
    )
    .unwrap();
    run_ok(
        Command::new(&tools.openssl)
            .args(["x509", "-req", "-days", "1", "-CAcreateserial"])
            .arg("-in")
            .arg(p("leaf.csr"))
            .arg("-CA")
            .arg(p("ca.pem"))
            .arg("-CAkey")
            .arg(p("ca.key"))
            .arg("-extfile")
            .arg(p("leaf.ext"))
            .arg("-out")
            .arg(p("leaf.pem")),
    );
    Certs {
        ca: p("ca.pem"),
        leaf: p("leaf.pem"),
        key: p("leaf.key"),
    }
}

/// An NSS database in `dir` that trusts the test CA (Chromium: `~/.pki/nssdb`; Firefox:
/// the profile's `cert9.db`).
pub fn nss_trust(tools: &Tools, dir: &Path, ca: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let db = format!("sql:{}", dir.display());
    run_ok(Command::new(&tools.certutil).args(["-d", &db, "-N", "--empty-password"]));
    run_ok(
        Command::new(&tools.certutil)
            .args(["-d", &db, "-A", "-t", "C,,", "-n", "loginfix-test-ca", "-i"])
            .arg(ca),
    );
}

// ------------------------------------------------------------------ server

/// profiles/regen/server.py on 127.0.0.1:443, killed when dropped.
pub struct Server {
    child: Child,
    pub log: PathBuf,
    pub stderr: PathBuf,
}

impl Server {
    pub fn start(tools: &Tools, certs: &Certs, work: &Path) -> Server {
        let log = work.join("server.log");
        let ready = work.join("server.ready");
        let stderr = work.join("server.err");
        let mut child = Command::new(&tools.python)
            .arg(repo().join("profiles/regen/server.py"))
            .args(["--port", &PORT.to_string()])
            .arg("--cert")
            .arg(&certs.leaf)
            .arg("--key")
            .arg(&certs.key)
            .arg("--log")
            .arg(&log)
            .arg("--ready")
            .arg(&ready)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(File::create(&stderr).unwrap())
            .spawn()
            .expect("start server.py");
        let up = wait_until(Duration::from_secs(20), || {
            ready.exists() || child.try_wait().ok().flatten().is_some()
        });
        if !ready.exists() {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "server.py did not start (up={up}):\n{}",
                std::fs::read_to_string(&stderr).unwrap_or_default()
            );
        }
        Server { child, log, stderr }
    }

    /// Number of lines logged so far: a mark to read one browser run's requests.
    pub fn mark(&self) -> usize {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .count()
    }

    /// The requests logged since `mark`.
    pub fn requests_since(&self, mark: usize) -> Vec<Request> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .skip(mark)
            .filter_map(Request::parse)
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One logged request: `time \t Host \t GET /path \t Cookie: ... \t Referer: ...`.
#[derive(Clone, Debug)]
pub struct Request {
    pub host: String,
    /// Path with its query string.
    pub path: String,
    pub cookies: Vec<(String, String)>,
    pub referer: String,
}

impl Request {
    fn parse(line: &str) -> Option<Request> {
        if line.starts_with('#') {
            return None;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 5 {
            return None;
        }
        let host = f[1].split(':').next()?.to_ascii_lowercase();
        let path = f[2].split_once(' ')?.1.to_string();
        let cookie = f[3].strip_prefix("Cookie: ")?;
        let cookies = if cookie == "-" {
            Vec::new()
        } else {
            cookie
                .split("; ")
                .filter_map(|c| c.split_once('='))
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect()
        };
        let referer = f[4].strip_prefix("Referer: ")?;
        Some(Request {
            host,
            path,
            cookies,
            referer: if referer == "-" {
                String::new()
            } else {
                referer.to_string()
            },
        })
    }

    /// The top-level site the request was made from, for the third-party host (its
    /// cookie and cache entries are partitioned by it); empty for first-party requests.
    pub fn top(&self) -> String {
        if self.host != crate::real_browsers::CDN {
            return String::new();
        }
        self.referer
            .split('/')
            .nth(2)
            .unwrap_or("")
            .split(':')
            .next()
            .unwrap_or("")
            .to_string()
    }

    pub fn plain_path(&self) -> &str {
        self.path.split('?').next().unwrap_or("")
    }

    pub fn busted(&self) -> bool {
        self.path.contains('?')
    }

    pub fn has(&self, name: &str, value: &str) -> bool {
        self.cookies.iter().any(|(n, v)| n == name && v == value)
    }

    pub fn show(&self) -> String {
        let cookies: Vec<String> = self
            .cookies
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect();
        let top = self.top();
        format!(
            "{}{} {}  Cookie: {}",
            self.host,
            if top.is_empty() {
                String::new()
            } else {
                format!(" (on {top})")
            },
            self.path,
            if cookies.is_empty() {
                "-".to_string()
            } else {
                cookies.join("; ")
            }
        )
    }
}

// ------------------------------------------------------------------ processes

fn stat_of(pid: i32) -> Option<(char, i32)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut f = rest.split(' ');
    let state = f.next()?.chars().next()?;
    let _ppid = f.next()?;
    let pgid = f.next()?.parse().ok()?;
    Some((state, pgid))
}

/// Live (not zombie) processes started for `home`: those in the driver's process group,
/// plus any that left it (Chromium's crash handler calls setsid) but still carry
/// `HOME=<home>` in their environment.
pub fn processes_of(pgid: i32, home: &Path) -> Vec<i32> {
    let mut needle = b"HOME=".to_vec();
    needle.extend(std::os::unix::ffi::OsStrExt::as_bytes(home.as_os_str()));
    needle.push(0);
    let me = std::process::id() as i32;
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<i32>().ok())
        else {
            continue;
        };
        if pid == me {
            continue;
        }
        let Some((state, group)) = stat_of(pid) else {
            continue;
        };
        if state == 'Z' || state == 'X' {
            continue;
        }
        let ours = group == pgid
            || std::fs::read(format!("/proc/{pid}/environ"))
                .is_ok_and(|env| env.windows(needle.len()).any(|w| w == needle));
        if ours {
            out.push(pid);
        }
    }
    out.sort_unstable();
    out
}

pub fn pid_alive(pid: i32) -> bool {
    stat_of(pid).is_some_and(|(s, _)| s != 'Z' && s != 'X')
}

fn signal_all(pids: &[i32], sig: libc::c_int) {
    for &pid in pids {
        // SAFETY: plain kill(2) on processes this test started.
        unsafe { libc::kill(pid, sig) };
    }
}

/// A browser driver (and the browser it starts) in its own process group. Dropping it
/// kills whatever is left of it and waits until every one of its processes is gone.
pub struct Driver {
    child: Option<Child>,
    pgid: i32,
    home: PathBuf,
    pub stderr: PathBuf,
    pub label: String,
}

pub struct Finished {
    pub code: i32,
    pub seconds: f64,
}

impl Driver {
    pub fn spawn(mut cmd: Command, home: &Path, stderr: PathBuf, label: &str) -> Driver {
        cmd.process_group(0)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(File::create(&stderr).unwrap());
        let child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
        Driver {
            pgid: child.id() as i32,
            child: Some(child),
            home: home.to_path_buf(),
            stderr,
            label: label.to_string(),
        }
    }

    pub fn running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| c.try_wait().ok().flatten().is_none())
    }

    /// Waits (bounded) for the driver to exit, then for every process it started to be
    /// gone, so the next step never races a browser that is still shutting down.
    pub fn finish(&mut self, limit: Duration) -> Finished {
        let t0 = Instant::now();
        let mut child = self.child.take().expect("driver already finished");
        let mut status = None;
        wait_until(limit, || {
            status = child.try_wait().ok().flatten();
            status.is_some()
        });
        let Some(status) = status else {
            self.child = Some(child);
            self.kill();
            panic!(
                "{}: the browser driver did not finish within {limit:?}\n--- driver stderr\n{}",
                self.label,
                tail(&self.stderr, 40)
            );
        };
        self.reap();
        Finished {
            code: status.code().unwrap_or(-1),
            seconds: t0.elapsed().as_secs_f64(),
        }
    }

    fn reap(&self) {
        let gone = wait_until(Duration::from_secs(30), || {
            processes_of(self.pgid, &self.home).is_empty()
        });
        if !gone {
            let left = processes_of(self.pgid, &self.home);
            signal_all(&left, libc::SIGKILL);
            panic!(
                "{}: browser processes {left:?} still running 30 s after the driver exited",
                self.label
            );
        }
    }

    /// SIGSTOPs every process of the run and waits until all are stopped: a frozen
    /// browser still holds its profile lock but cannot write a byte.
    pub fn freeze(&self) {
        let ok = wait_until(Duration::from_secs(10), || {
            let pids = processes_of(self.pgid, &self.home);
            signal_all(&pids, libc::SIGSTOP);
            pids.iter()
                .all(|&p| stat_of(p).map_or(true, |(s, _)| s == 'T' || s == 't'))
                && processes_of(self.pgid, &self.home) == pids
        });
        assert!(ok, "{}: could not freeze the browser", self.label);
    }

    pub fn thaw(&self) {
        signal_all(&processes_of(self.pgid, &self.home), libc::SIGCONT);
    }

    fn kill(&mut self) {
        let pids = processes_of(self.pgid, &self.home);
        signal_all(&pids, libc::SIGKILL);
        signal_all(&pids, libc::SIGCONT);
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        wait_until(Duration::from_secs(20), || {
            processes_of(self.pgid, &self.home).is_empty()
        });
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if self.child.is_some() {
            self.kill();
        }
    }
}

/// The environment of a browser run: nothing from the caller's but `PATH`, so neither
/// proxies nor XDG dirs nor the real home can leak in.
pub fn browser_env(cmd: &mut Command, home: &Path, tmp: &Path) {
    cmd.env_clear()
        .env(
            "PATH",
            std::env::var_os("PATH").unwrap_or_else(|| OsString::from("/usr/bin:/bin")),
        )
        .env("HOME", home)
        .env("TMPDIR", tmp)
        .env("LANG", "C.UTF-8")
        .env("TZ", "UTC")
        .env("MOZ_CRASHREPORTER_DISABLE", "1");
}

// ------------------------------------------------------------------ snapshots

/// Every file, directory and symlink under `dir` with a hash of its content and its mode
/// (sockets and FIFOs by type only): equal snapshots mean nothing changed.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut map = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        let rel = entry.path().strip_prefix(dir).unwrap().to_path_buf();
        let Ok(meta) = entry.path().symlink_metadata() else {
            continue;
        };
        let ft = meta.file_type();
        let what = if ft.is_symlink() {
            format!(
                "link {}",
                std::fs::read_link(entry.path())
                    .unwrap_or_default()
                    .display()
            )
        } else if ft.is_dir() {
            "dir".to_string()
        } else if ft.is_file() {
            let data = std::fs::read(entry.path()).unwrap_or_default();
            let mut h = std::collections::hash_map::DefaultHasher::new();
            data.hash(&mut h);
            format!("file {} bytes {:016x}", data.len(), h.finish())
        } else {
            "special".to_string()
        };
        map.insert(rel, format!("{what} mode={:o}", meta.mode()));
    }
    map
}

/// The paths whose entry differs between two snapshots, with both versions.
pub fn changes(
    before: &BTreeMap<PathBuf, String>,
    after: &BTreeMap<PathBuf, String>,
) -> Vec<String> {
    before
        .keys()
        .chain(after.keys())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .filter(|k| before.get(*k) != after.get(*k))
        .map(|k| {
            format!(
                "{}: {} -> {}",
                k.display(),
                before.get(k).map_or("absent", |s| s),
                after.get(k).map_or("absent", |s| s)
            )
        })
        .collect()
}

/// Headless Chromium as the rounds run it: no sandbox, first-run, background or sync
/// traffic, QUIC or proxy, a basic password store, every host resolved to the local
/// server.
pub fn chromium_args() -> Vec<String> {
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-crash-reporter",
        "--no-proxy-server",
        "--password-store=basic",
    ]
    .map(String::from)
    .into_iter()
    .chain([format!("--host-resolver-rules=MAP * 127.0.0.1:{PORT}")])
    .collect()
}
