//! The hosts file: entries for the hosts the login needs (doctor-signals.md S10). The
//! list of those hosts is [`LOGIN_HOSTS`], also used by the policy checks.

use std::net::IpAddr;
use std::path::PathBuf;

use super::sysfile::{self, SysRead};
use super::{Checked, Context, Evidence, Finding, FindingId, Severity, Unread};
use crate::platform::Os;
use crate::targets::host_within;

/// Ad-blocking hosts files run to a few MB; past this the rest is not read (and said so).
const MAX_HOSTS_BYTES: u64 = 64 * 1024 * 1024;

/// How much of a line the evidence quotes.
const MAX_QUOTE: usize = 200;

/// What losing a host does to the login.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// The login needs it (app, login pages, bundles, challenge, SSO providers, legacy
    /// and older login hosts): a block breaks it.
    Login,
    /// Files, websocket, telemetry: not the login; a block is worth a line, no more.
    Telemetry,
}

/// One host the login reaches, as doctor-signals.md S10 lists them (public rule lists,
/// not measured against the live site).
#[derive(Clone, Copy, Debug)]
pub struct LoginHost {
    pub name: &'static str,
    /// `*.name`: every host under it (not `name` itself).
    pub subdomains: bool,
    pub role: &'static str,
    pub need: Need,
}

const fn host(name: &'static str, role: &'static str) -> LoginHost {
    LoginHost {
        name,
        subdomains: false,
        role,
        need: Need::Login,
    }
}

const fn under(name: &'static str, role: &'static str, need: Need) -> LoginHost {
    LoginHost {
        name,
        subdomains: true,
        role,
        need,
    }
}

const fn telemetry(name: &'static str, role: &'static str) -> LoginHost {
    LoginHost {
        name,
        subdomains: false,
        role,
        need: Need::Telemetry,
    }
}

/// The hosts a web login needs, most important first (a finding names the first one a
/// rule reaches). Names under the `--domain` targets count too (see [`is_login_host`]).
#[rustfmt::skip]
pub static LOGIN_HOSTS: &[LoginHost] = &[
    host("chatgpt.com", "the app"),
    host("auth.openai.com", "the login pages"),
    host("openai.com", "redirects and auth cookies"),
    host("cdn.oaistatic.com", "scripts and styles"),
    host("persistent.oaistatic.com", "scripts and styles"),
    under("oaistatic.com", "scripts and styles", Need::Login),
    host("challenges.cloudflare.com", "the security check"),
    host("ab.chatgpt.com", "feature flags"),
    host("auth0.openai.com", "the older login"),
    under("auth0.com", "the older login", Need::Login),
    host("chat.openai.com", "the legacy address"),
    host("tcr9i.chat.openai.com", "the Arkose challenge"),
    host("openai-api.arkoselabs.com", "the Arkose challenge"),
    host("client-api.arkoselabs.com", "the Arkose challenge"),
    host("accounts.google.com", "Continue with Google"),
    host("login.microsoftonline.com", "Continue with Microsoft"),
    host("login.live.com", "Continue with Microsoft"),
    host("appleid.apple.com", "Continue with Apple"),
    under("oaiusercontent.com", "files", Need::Telemetry),
    telemetry("ws.chatgpt.com", "the websocket"),
    telemetry("browser-intake-datadoghq.com", "telemetry"),
    under("ingest.sentry.io", "telemetry", Need::Telemetry),
];

/// The table row naming `name` exactly or as one of its subdomains.
pub fn login_host(name: &str) -> Option<&'static LoginHost> {
    LOGIN_HOSTS
        .iter()
        .find(|h| !h.subdomains && host_within(name, h.name) && host_within(h.name, name))
        .or_else(|| {
            LOGIN_HOSTS
                .iter()
                .find(|h| h.subdomains && host_within(name, h.name) && !host_within(h.name, name))
        })
}

/// How much the login needs `name`: a table row, else a name under a target domain
/// (`--domain`), else not at all.
pub fn is_login_host(ctx: &Context, name: &str) -> Option<Need> {
    login_host(name)
        .map(|h| h.need)
        .or_else(|| ctx.targets.matches_host(name).then_some(Need::Login))
}

/// The hosts file of the layout's OS under the root, with fallbacks.
fn hosts_paths(ctx: &Context) -> Vec<PathBuf> {
    match ctx.layout.os {
        // The DataBasePath registry value can move it; the default is what nearly every
        // machine uses, and a mounted disk's registry is not read.
        Os::Windows => vec![ctx.system_path("Windows/System32/drivers/etc/hosts")],
        // `/etc` is a link to `/private/etc`; a copied disk may hold only the latter.
        Os::Macos => vec![
            ctx.system_path("etc/hosts"),
            ctx.system_path("private/etc/hosts"),
        ],
        Os::Linux => vec![ctx.system_path("etc/hosts")],
    }
}

pub fn check(ctx: &Context) -> Checked {
    check_bounded(ctx, MAX_HOSTS_BYTES)
}

fn check_bounded(ctx: &Context, limit: u64) -> Checked {
    let mut checked = Checked::default();
    for path in hosts_paths(ctx) {
        match sysfile::read(ctx.layout, &path, limit) {
            SysRead::Missing => continue,
            SysRead::Failed(reason) => checked.unread.push(Unread::machine(path, reason)),
            SysRead::Bytes { data, truncated } => {
                // A line cut at the limit could name a look-alike's prefix
                // (`x.chatgpt.com` of `x.chatgpt.com.evil.org`): it is not read.
                let whole = if truncated {
                    data.iter()
                        .rposition(|&b| b == b'\n')
                        .map_or(&data[..0], |i| &data[..=i])
                } else {
                    &data[..]
                };
                for f in scan(ctx, &path, whole) {
                    checked.found(f);
                }
                if truncated {
                    checked.unread.push(Unread::machine(
                        path,
                        format!("larger than {limit} bytes: only the first {limit} were checked"),
                    ));
                }
            }
        }
        break;
    }
    checked
}

/// One entry of a hosts file: its address and names, comment removed.
#[derive(Debug, PartialEq, Eq)]
pub struct Entry<'a> {
    pub line: usize,
    pub address: IpAddr,
    pub names: Vec<&'a [u8]>,
}

/// The entries of a hosts file. Lines are split on `\n`; `#` starts a comment anywhere;
/// spaces, tabs, `\r` and form feeds separate fields; a line whose first field is not an
/// IP address is no entry (the resolver skips it too). Bytes that are not UTF-8 only
/// make their own name unmatchable.
pub fn entries(data: &[u8]) -> impl Iterator<Item = Entry<'_>> {
    data.split(|&b| b == b'\n')
        .enumerate()
        .filter_map(|(i, line)| {
            let line = line.split(|&b| b == b'#').next().unwrap_or(&[]);
            let mut fields = line
                .split(|b| matches!(b, b' ' | b'\t' | b'\r' | 0x0b | 0x0c))
                .filter(|f| !f.is_empty());
            let address = parse_address(fields.next()?)?;
            Some(Entry {
                line: i + 1,
                address,
                names: fields.collect(),
            })
        })
}

fn parse_address(field: &[u8]) -> Option<IpAddr> {
    let text = std::str::from_utf8(field).ok()?;
    // A scoped IPv6 address (`fe80::1%lo0`) is valid in hosts files.
    let text = text.split('%').next().unwrap_or(text);
    text.parse()
        .ok()
        .or_else(|| inet_aton(text).map(IpAddr::V4))
}

/// An IPv4 address in every form `inet_aton` takes, as glibc reads a hosts file
/// (nss/nss_files/files-hosts.c: `__inet_aton_exact`, the whole field): one to four
/// parts, each decimal, octal (`0` first) or hex (`0x`), the last filling the bytes
/// left; `0` is 0.0.0.0, `127.1` is 127.0.0.1, `0177.0.0.1` is 127.0.0.1.
fn inet_aton(text: &str) -> Option<std::net::Ipv4Addr> {
    let parts: Vec<&str> = text.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let mut values = Vec::with_capacity(4);
    for p in &parts {
        let (digits, radix) = if let Some(h) = p.strip_prefix("0x").or_else(|| p.strip_prefix("0X"))
        {
            (h, 16)
        } else if p.len() > 1 && p.starts_with('0') {
            (&p[1..], 8)
        } else {
            (*p, 10)
        };
        // `0x` alone is 0, as inet_aton reads it.
        let value = if digits.is_empty() && radix == 16 {
            0
        } else {
            if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
                return None;
            }
            u64::from_str_radix(digits, radix).ok()?
        };
        values.push(value);
    }
    let (last, head) = values.split_last()?;
    if head.iter().any(|&v| v > 0xff) {
        return None;
    }
    let room = 8 * (4 - head.len() as u32);
    if room < 64 && *last >= 1u64 << room {
        return None;
    }
    let mut addr: u64 = 0;
    for (i, &v) in head.iter().enumerate() {
        addr |= v << (24 - 8 * i as u32);
    }
    addr |= last;
    Some(std::net::Ipv4Addr::from(u32::try_from(addr).ok()?))
}

/// Whether the address sends a name nowhere: this machine or no address at all.
pub fn is_block(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(a) => a.is_unspecified() || a.is_loopback(),
        IpAddr::V6(a) => {
            a.is_unspecified()
                || a.is_loopback()
                || a.to_ipv4_mapped()
                    .is_some_and(|v4| v4.is_unspecified() || v4.is_loopback())
        }
    }
}

fn scan(ctx: &Context, path: &std::path::Path, data: &[u8]) -> Vec<Finding> {
    let mut out = Vec::new();
    for entry in entries(data) {
        for name in &entry.names {
            let Ok(name) = std::str::from_utf8(name) else {
                continue;
            };
            let Some(need) = is_login_host(ctx, name) else {
                continue;
            };
            let block = is_block(entry.address);
            let severity = match (need, block) {
                (Need::Telemetry, _) => Severity::Info,
                (Need::Login, true) => Severity::Error,
                (Need::Login, false) => Severity::Warning,
            };
            let host = name.trim_end_matches('.').to_ascii_lowercase();
            out.push(
                Finding::machine(
                    FindingId::HostsFileBlock,
                    severity,
                    Evidence::new(path, format!("line {}", entry.line)).value(quote(&entry)),
                )
                .with("host", host)
                .with("address", entry.address.to_string())
                .with("kind", if block { "block" } else { "pinned address" }),
            );
        }
    }
    out
}

/// The entry as the evidence shows it: fields joined by one space, cut to a readable
/// length.
fn quote(entry: &Entry) -> String {
    let mut s = entry.address.to_string();
    for name in &entry.names {
        s.push(' ');
        s.push_str(&String::from_utf8_lossy(name));
        if s.len() > MAX_QUOTE {
            let mut cut = MAX_QUOTE;
            while !s.is_char_boundary(cut) {
                cut -= 1;
            }
            s.truncate(cut);
            s.push('…');
            break;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::Layout;
    use crate::targets::Targets;

    #[test]
    fn an_oversized_hosts_file_is_checked_in_part_and_said_so() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("etc")).unwrap();
        std::fs::write(
            dir.path().join("etc/hosts"),
            "0.0.0.0 chatgpt.com\n0.0.0.0 x.chatgpt.com.evil.org\n",
        )
        .unwrap();
        let layout = Layout::for_home(Os::Linux, dir.path()).with_root(dir.path());
        let targets = Targets::default();
        let fs = crate::confine::Confined::default();
        let ctx = Context {
            layout: &layout,
            fs: &fs,
            targets: &targets,
            browsers: &[],
            locks: Default::default(),
            now: 0,
            reach: crate::doctor::Reach::All,
            firefox_machine: Default::default(),
            registry: Default::default(),
        };
        // The limit cuts the second line after `x.chatgpt.com`.
        let checked = check_bounded(&ctx, 41);
        let hosts: Vec<&str> = checked
            .findings
            .iter()
            .map(|f| f.params["host"].as_str())
            .collect();
        assert_eq!(hosts, ["chatgpt.com"]);
        assert_eq!(checked.unread.len(), 1);
        assert!(checked.unread[0].reason.contains("only the first 41"));
        assert!(check(&ctx).unread.is_empty());
    }

    #[test]
    fn entries_survive_odd_input() {
        let data = b"# comment 0.0.0.0 chatgpt.com\n\n\t127.0.0.1\tlocalhost \t chatgpt.com\r\n0.0.0.0 a.b #c.d\nnot-an-ip chatgpt.com\n::1 x\xff\xfey auth.openai.com\n fe80::1%lo0 y\n";
        let got: Vec<(usize, String, Vec<String>)> = entries(data)
            .map(|e| {
                (
                    e.line,
                    e.address.to_string(),
                    e.names
                        .iter()
                        .map(|n| String::from_utf8_lossy(n).into_owned())
                        .collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    3,
                    "127.0.0.1".into(),
                    vec!["localhost".into(), "chatgpt.com".into()]
                ),
                (4, "0.0.0.0".into(), vec!["a.b".into()]),
                (
                    6,
                    "::1".into(),
                    vec!["x\u{fffd}\u{fffd}y".into(), "auth.openai.com".into()]
                ),
                (7, "fe80::1".into(), vec!["y".into()]),
            ]
        );
    }

    #[test]
    fn ipv4_forms_read_as_glibc_reads_them() {
        for (text, want) in [
            ("0", "0.0.0.0"),
            ("127.1", "127.0.0.1"),
            ("0177.0.0.1", "127.0.0.1"),
            ("0x7f.1", "127.0.0.1"),
            ("2130706433", "127.0.0.1"),
            ("10.1.65535", "10.1.255.255"),
            ("1.2.3.4", "1.2.3.4"),
        ] {
            assert_eq!(
                parse_address(text.as_bytes()),
                Some(want.parse().unwrap()),
                "{text}"
            );
        }
        for text in [
            "256.1.1.1",
            "1.2.3.4.5",
            "08",
            "1..2",
            "0x1g",
            "1.2.3.256",
            "4294967296",
            "",
        ] {
            assert_eq!(inet_aton(text), None, "{text}");
        }
        let e: Vec<_> = entries(b"0 chatgpt.com\n").collect();
        assert!(is_block(e[0].address));
    }

    #[test]
    fn blocking_addresses() {
        for a in [
            "0.0.0.0",
            "127.0.0.1",
            "127.1.2.3",
            "::",
            "::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_block(a.parse().unwrap()), "{a}");
        }
        for a in [
            "104.18.32.47",
            "10.0.0.1",
            "2606:4700::6812:1",
            "::ffff:1.2.3.4",
        ] {
            assert!(!is_block(a.parse().unwrap()), "{a}");
        }
    }

    #[test]
    fn login_hosts_match_exact_names_and_listed_subtrees() {
        for h in [
            "chatgpt.com",
            "CDN.OAISTATIC.COM.",
            "persistent.oaistatic.com",
            "x.auth0.com",
            "accounts.google.com",
        ] {
            assert!(login_host(h).is_some(), "{h}");
        }
        for h in [
            "notchatgpt.com",
            "chatgpt.com.evil.org",
            "oaistatic.com",
            "auth0.com",
            "google.com",
            "xoaistatic.com",
        ] {
            assert!(login_host(h).is_none(), "{h}");
        }
        assert_eq!(login_host("ws.chatgpt.com").unwrap().need, Need::Telemetry);
        assert_eq!(
            login_host("a.oaiusercontent.com").unwrap().need,
            Need::Telemetry
        );
    }
}
