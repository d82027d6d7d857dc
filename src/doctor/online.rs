//! The checks that need the network (`--online`): the clock against an HTTP `Date`
//! header, whether the login hosts resolve and accept a connection (doctor-signals.md
//! S11), and whether OpenAI's status page reports an incident. Reachability is a TCP
//! connect to port 443, the clock is read from the `Date` of a plain-HTTP `HEAD` on port
//! 80 (the same edge answers both); the status page is its JSON over HTTPS (`ureq` with
//! rustls and the Mozilla root list built in, so a static binary needs no system store).
//! All go direct, not through a proxy.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::{Checked, Context, Evidence, Finding, FindingId, NotChecked, Severity};

/// The hosts whose reachability decides a login.
pub const PROBE_HOSTS: &[&str] = &[
    "chatgpt.com",
    "auth.openai.com",
    "cdn.oaistatic.com",
    "challenges.cloudflare.com",
];

/// One step's timeout (resolve, connect, read).
const STEP: Duration = Duration::from_secs(3);
/// Everything `--online` does, together: the probes run in parallel within it.
const TOTAL: Duration = Duration::from_secs(8);

/// Skew beyond which two-factor codes made on this machine are refused.
const SKEW_WARN: i64 = 30;
/// Skew beyond which TLS and cookie expiry break too.
const SKEW_ERROR: i64 = 300;

/// OpenAI's status page, in Atlassian Statuspage's JSON: `status.indicator` is `none`,
/// `minor`, `major` or `critical`, `status.description` says it in words.
const STATUS_URL: &str = "https://status.openai.com/api/v2/status.json";

/// The status page's address; debug builds take another from
/// `LOGINFIX_TEST_STATUS_URL` (the tests' loopback server).
fn status_url() -> String {
    if cfg!(debug_assertions) {
        if let Ok(url) = std::env::var("LOGINFIX_TEST_STATUS_URL") {
            return url;
        }
    }
    STATUS_URL.to_string()
}

/// Without `--online`, says what was not checked.
pub fn check(_ctx: &Context, online: bool) -> Checked {
    let mut checked = Checked::default();
    if !online {
        checked.not_checked.push(NotChecked {
            ids: vec![
                FindingId::ClockSkew,
                FindingId::HostUnreachable,
                FindingId::OpenaiOutage,
            ],
            reason: crate::i18n::t("not-checked-offline"),
        });
        return checked;
    }
    let deadline = Instant::now() + TOTAL;
    let (tx, rx) = mpsc::channel();
    for &host in PROBE_HOSTS {
        let tx = tx.clone();
        // Resolution has no timeout of its own: a thread per host keeps a hung resolver
        // from holding the run past the deadline (the thread is left behind then).
        std::thread::spawn(move || {
            let _ = tx.send(Probe::Reach(host, reach(host, 443)));
        });
    }
    {
        let tx = tx.clone();
        std::thread::spawn(move || {
            let _ = tx.send(Probe::Clock(clock("chatgpt.com")));
        });
    }
    {
        let tx = tx.clone();
        let url = status_url();
        std::thread::spawn(move || {
            let _ = tx.send(Probe::Status(url.clone(), status(&url)));
        });
    }
    drop(tx);
    let mut pending: Vec<&str> = PROBE_HOSTS.to_vec();
    let mut clock_done = false;
    let mut status_done = false;
    while !(pending.is_empty() && clock_done && status_done) {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(Probe::Reach(host, result)) => {
                pending.retain(|h| *h != host);
                if let Err((step, reason)) = result {
                    checked.found(unreachable(host, step, &reason));
                }
            }
            Ok(Probe::Clock(result)) => {
                clock_done = true;
                match result {
                    Ok((date, skew)) => {
                        if let Some(f) = skew_finding(&date, skew) {
                            checked.found(f);
                        }
                    }
                    Err(reason) => checked.not_checked.push(NotChecked {
                        ids: vec![FindingId::ClockSkew],
                        reason: crate::i18n::ta("not-checked-server-time", &[("reason", &reason)]),
                    }),
                }
            }
            Ok(Probe::Status(url, result)) => {
                status_done = true;
                match result {
                    Ok(Some(f)) => checked.found(f.at(&url)),
                    Ok(None) => {}
                    Err(reason) => checked.not_checked.push(NotChecked {
                        ids: vec![FindingId::OpenaiOutage],
                        reason: crate::i18n::ta("not-checked-status-page", &[("reason", &reason)]),
                    }),
                }
            }
            Err(_) => break,
        }
    }
    if !status_done {
        checked.not_checked.push(NotChecked {
            ids: vec![FindingId::OpenaiOutage],
            reason: crate::i18n::ta(
                "not-checked-status-page",
                &[("reason", &crate::i18n::t("not-checked-no-answer"))],
            ),
        });
    }
    for host in pending {
        checked.found(unreachable(host, "connect", "no answer in time"));
    }
    if !clock_done {
        checked.not_checked.push(NotChecked {
            ids: vec![FindingId::ClockSkew],
            reason: crate::i18n::ta(
                "not-checked-server-time",
                &[("reason", &crate::i18n::t("not-checked-no-answer"))],
            ),
        });
    }
    checked
}

enum Probe {
    Reach(&'static str, Result<(), (&'static str, String)>),
    Clock(Result<(String, i64), String>),
    Status(String, Result<Option<Incident>, String>),
}

/// What the status page reports when it is not all clear.
struct Incident {
    indicator: String,
    description: String,
}

impl Incident {
    fn at(self, url: &str) -> Finding {
        // Statuspage's indicators, from a minor incident to a critical outage.
        let severity = match self.indicator.as_str() {
            "critical" => Severity::Error,
            "major" => Severity::Warning,
            _ => Severity::Info,
        };
        Finding::machine(
            FindingId::OpenaiOutage,
            severity,
            Evidence::new(PathBuf::from(url), "status.indicator").value(self.indicator),
        )
        .with("description", self.description)
    }
}

/// Reads the status page: `None` when it says all is well.
fn status(url: &str) -> Result<Option<Incident>, String> {
    let agent = ureq::AgentBuilder::new()
        .timeout(STEP * 2)
        .redirects(3)
        .user_agent("loginfix-doctor")
        .build();
    let body = agent
        .get(url)
        .call()
        .map_err(|e| e.to_string())?
        .into_string()
        .map_err(|e| e.to_string())?;
    parse_status(&body)
}

/// The indicator and description of a Statuspage `status.json`.
fn parse_status(body: &str) -> Result<Option<Incident>, String> {
    let v: serde_json::Value =
        serde_json::from_str(body).map_err(|_| crate::i18n::t("not-checked-status-format"))?;
    let indicator = v["status"]["indicator"]
        .as_str()
        .ok_or_else(|| crate::i18n::t("not-checked-status-format"))?;
    if indicator == "none" {
        return Ok(None);
    }
    Ok(Some(Incident {
        indicator: indicator.to_string(),
        description: v["status"]["description"]
            .as_str()
            .unwrap_or(indicator)
            .to_string(),
    }))
}

fn unreachable(host: &str, step: &str, reason: &str) -> Finding {
    Finding::machine(
        FindingId::HostUnreachable,
        Severity::Error,
        Evidence::new(PathBuf::from(format!("https://{host}/")), step).value(reason),
    )
    .with("host", host)
}

/// Resolves `host` and connects to `port` on its first addresses.
fn reach(host: &str, port: u16) -> Result<(), (&'static str, String)> {
    let addrs: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()
        .map_err(|e| ("resolve", e.to_string()))?
        .take(3)
        .collect();
    if addrs.is_empty() {
        return Err(("resolve", "no address".to_string()));
    }
    let mut last = String::new();
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, STEP) {
            Ok(_) => return Ok(()),
            Err(e) => last = format!("{addr}: {e}"),
        }
    }
    Err(("connect", last))
}

/// The server's `Date` and the local clock's skew against it (positive: ahead).
fn clock(host: &str) -> Result<(String, i64), String> {
    let addr = (host, 80)
        .to_socket_addrs()
        .map_err(|e| e.to_string())?
        .next()
        .ok_or_else(|| "no address".to_string())?;
    let sent = SystemTime::now();
    let date = head_date(addr, host, STEP)?;
    let received = SystemTime::now();
    let server = parse_http_date(&date).ok_or_else(|| format!("unreadable Date `{date}`"))?;
    // The server stamped the reply about half-way through the round trip.
    let rtt = received.duration_since(sent).unwrap_or_default();
    let local = unix(sent + rtt / 2);
    Ok((date, local - server))
}

fn unix(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Sends `HEAD / HTTP/1.1` to `addr` and returns the reply's `Date` header.
pub fn head_date(addr: SocketAddr, host: &str, timeout: Duration) -> Result<String, String> {
    let mut stream = TcpStream::connect_timeout(&addr, timeout).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(timeout))
        .and_then(|_| stream.set_write_timeout(Some(timeout)))
        .map_err(|e| e.to_string())?;
    let request = format!(
        "HEAD / HTTP/1.1\r\nHost: {host}\r\nUser-Agent: loginfix-doctor\r\nConnection: close\r\n\r\n"
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    // Headers only, bounded: a HEAD reply has no body.
    let mut reply = Vec::new();
    let mut buf = [0u8; 4096];
    while reply.len() < 64 * 1024 && !reply.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => reply.extend_from_slice(&buf[..n]),
            Err(e) => return Err(e.to_string()),
        }
    }
    date_header(&String::from_utf8_lossy(&reply)).ok_or_else(|| "no Date header".to_string())
}

/// The `Date` header of an HTTP reply's header block.
pub fn date_header(reply: &str) -> Option<String> {
    reply
        .split("\r\n")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("date")
                .then(|| value.trim().to_string())
        })
}

/// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`, what servers must send) as Unix
/// seconds.
pub fn parse_http_date(s: &str) -> Option<i64> {
    let (_, rest) = s.trim().split_once(", ")?;
    let f: Vec<&str> = rest.split(' ').collect();
    if f.len() != 5 || f[4] != "GMT" || f[0].len() != 2 || f[2].len() != 4 {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let day: i64 = f[0].parse().ok()?;
    let month = MONTHS.iter().position(|m| *m == f[1])? as i64 + 1;
    let year: i64 = f[2].parse().ok()?;
    let time: Vec<i64> = f[3]
        .split(':')
        .map(|x| x.parse().ok())
        .collect::<Option<_>>()?;
    if time.len() != 3 || !(1..=31).contains(&day) || time[0] > 23 || time[1] > 59 || time[2] > 60 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + time[0] * 3600 + time[1] * 60 + time[2])
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// How bad a skew of `skew` seconds is: none within 30 s.
pub fn skew_severity(skew: i64) -> Option<Severity> {
    match skew.abs() {
        s if s > SKEW_ERROR => Some(Severity::Error),
        s if s > SKEW_WARN => Some(Severity::Warning),
        _ => None,
    }
}

fn skew_finding(date: &str, skew: i64) -> Option<Finding> {
    let severity = skew_severity(skew)?;
    Some(
        Finding::machine(
            FindingId::ClockSkew,
            severity,
            Evidence::new(PathBuf::from("http://chatgpt.com/"), "Date").value(date),
        )
        .with("seconds", skew.abs().to_string())
        .with("direction", if skew > 0 { "ahead" } else { "behind" }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784111777)
        );
        assert_eq!(
            parse_http_date("Tue, 01 Dec 2026 11:00:00 GMT"),
            Some(1796122800)
        );
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        for bad in [
            "",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 PST",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 25:00:00 GMT",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn skew_thresholds() {
        assert_eq!(skew_severity(0), None);
        assert_eq!(skew_severity(-30), None);
        assert_eq!(skew_severity(31), Some(Severity::Warning));
        assert_eq!(skew_severity(-300), Some(Severity::Warning));
        assert_eq!(skew_severity(301), Some(Severity::Error));
        assert_eq!(skew_severity(-86_400), Some(Severity::Error));
    }

    #[test]
    fn date_from_a_local_server() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let server = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().unwrap();
            let mut buf = [0u8; 1024];
            let n = s.read(&mut buf).unwrap();
            assert!(String::from_utf8_lossy(&buf[..n])
                .starts_with("HEAD / HTTP/1.1\r\nHost: chatgpt.com\r\n"));
            s.write_all(b"HTTP/1.1 301 Moved Permanently\r\nServer: x\r\ndate: Tue, 01 Dec 2026 11:00:00 GMT\r\nLocation: https://chatgpt.com/\r\n\r\n").unwrap();
        });
        let date = head_date(addr, "chatgpt.com", Duration::from_secs(3)).unwrap();
        server.join().unwrap();
        assert_eq!(date, "Tue, 01 Dec 2026 11:00:00 GMT");
        let f = skew_finding(&date, -7200).unwrap();
        assert_eq!(f.severity, Severity::Error);
        assert_eq!(f.params["seconds"], "7200");
        assert!(skew_finding(&date, 5).is_none());
        assert_eq!(
            date_header("HTTP/1.1 200 OK\r\nX: y\r\n\r\nDate: body"),
            None
        );
    }

    #[test]
    fn unreachable_hosts_are_named() {
        // A port nothing listens on: the connect is refused at once.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let (step, _) = reach("127.0.0.1", port).unwrap_err();
        assert_eq!(step, "connect");
        assert!(reach("host.invalid", 443).is_err());
    }
}
