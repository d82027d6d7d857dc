//! A VPN of the system itself (not an extension's): the article's "403 / Access denied"
//! cause, as OpenAI's edge blocks or challenges many VPN exits. Linux: the network
//! interfaces under `<root>/sys/class/net` that are up and are tunnels (`type` 65534,
//! ARPHRD_NONE: WireGuard, OpenVPN's and other `tun` devices, Tailscale) or point-to-point
//! links (`type` 512, ARPHRD_PPP: PPTP, L2TP), read offline. Windows: the adapters that
//! are up (`GetAdaptersAddresses`) that are PPP links (RAS: PPTP, L2TP, SSTP, IKEv2) or
//! the virtual adapters of VPN clients, known by their driver. macOS: the VPN services
//! `scutil --nc list` says are connected (the system's own and NetworkExtension clients).
//! Windows and macOS are read on the running system only; where nothing can be listed,
//! the check is said not to be made.

use std::path::PathBuf;

use super::{Checked, Context, Evidence, Finding, FindingId, NotChecked, Severity};
use crate::platform::{self, Adapter, Os};

/// `ARPHRD_NONE` (tun, WireGuard) and `ARPHRD_PPP` (linux/if_arp.h).
const TUNNEL: &str = "65534";
const PPP: &str = "512";

/// `IFF_UP` (linux/if.h): the interface is up.
const IFF_UP: u32 = 0x1;

pub fn check(ctx: &Context) -> Checked {
    let mut checked = Checked::default();
    let not_checked = |reason: String| NotChecked {
        ids: vec![FindingId::VpnSystem],
        reason,
    };
    let live = ctx.layout.is_host_system();
    match ctx.layout.os {
        Os::Linux => {}
        Os::Windows if live => {
            match platform::adapters_up() {
                Some(adapters) => {
                    for a in &adapters {
                        if let Some(what) = vpn_adapter(a) {
                            checked.found(found(
                                PathBuf::from("GetAdaptersAddresses"),
                                &a.name,
                                format!("{} ({what})", a.description),
                            ));
                        }
                    }
                }
                None => checked.not_checked.push(not_checked(crate::i18n::ta(
                    "not-checked-vpn-list",
                    &[("file", "GetAdaptersAddresses")],
                ))),
            }
            return checked;
        }
        Os::Macos if live => {
            match platform::scutil_nc_list() {
                Some(text) => {
                    for (name, kind) in connected_services(&text) {
                        checked.found(found(PathBuf::from("scutil --nc list"), &name, kind));
                    }
                }
                None => checked.not_checked.push(not_checked(crate::i18n::ta(
                    "not-checked-vpn-list",
                    &[("file", "scutil --nc list")],
                ))),
            }
            return checked;
        }
        Os::Windows | Os::Macos => {
            checked
                .not_checked
                .push(not_checked(crate::i18n::t("not-checked-vpn-os")));
            return checked;
        }
    }
    let dir = ctx.system_path("sys/class/net");
    let Ok(Some(interfaces)) = super::sysfile::list_all_dirs(&dir) else {
        checked.not_checked.push(NotChecked {
            ids: vec![FindingId::VpnSystem],
            reason: crate::i18n::ta(
                "not-checked-vpn-interfaces",
                &[("file", &dir.display().to_string())],
            ),
        });
        return checked;
    };
    for iface in interfaces {
        let read = |name: &str| {
            super::sysfile::read_text(ctx.layout, &iface.join(name), 4096)
                .ok()
                .flatten()
                .map(|t| t.trim().to_string())
        };
        let Some(kind) = read("type") else { continue };
        let up = read("flags")
            .and_then(|f| u32::from_str_radix(f.trim_start_matches("0x"), 16).ok())
            .is_some_and(|f| f & IFF_UP != 0);
        let name = iface
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let what = match kind.as_str() {
            _ if !up => continue,
            TUNNEL if read("uevent").is_some_and(|u| u.contains("DEVTYPE=wireguard")) => {
                "WireGuard"
            }
            TUNNEL => "tun",
            PPP => "PPP",
            _ => continue,
        };
        checked.found(
            Finding::machine(
                FindingId::VpnSystem,
                Severity::Warning,
                Evidence::new(iface.join("type"), name.clone()).value(format!("{kind} ({what})")),
            )
            .with("name", name),
        );
    }
    checked
}

fn found(file: PathBuf, name: &str, value: String) -> Finding {
    Finding::machine(
        FindingId::VpnSystem,
        Severity::Warning,
        Evidence::new(file, name.to_string()).value(value),
    )
    .with("name", name.to_string())
}

/// Drivers of VPN clients' virtual adapters, as their descriptions name them (lower
/// case): WireGuard's Wintun, OpenVPN's TAP and ovpn-dco, and the common corporate and
/// consumer clients.
const VPN_DRIVERS: &[&str] = &[
    "wireguard",
    "wintun",
    "tap-windows",
    "openvpn",
    "ovpn-dco",
    "anyconnect",
    "globalprotect",
    "pangp",
    "fortinet",
    "forticlient",
    "juniper",
    "pulse secure",
    "sonicwall",
    "check point",
    "nordlynx",
    "expressvpn",
    "protonvpn",
    "mullvad",
    "tailscale",
    "zerotier",
    "cloudflare warp",
];

/// IANA ifType of a PPP link (`IF_TYPE_PPP`): a RAS VPN connection.
const IF_TYPE_PPP: u32 = 23;

/// Whether a Windows adapter that is up is a VPN: a PPP link, or a VPN client's driver.
pub fn vpn_adapter(a: &Adapter) -> Option<&'static str> {
    if a.if_type == IF_TYPE_PPP {
        return Some("PPP");
    }
    let d = a.description.to_lowercase();
    VPN_DRIVERS.iter().copied().find(|v| d.contains(v))
}

/// The services `scutil --nc list` shows as connected: name and kind. A line reads
/// `* (Connected)   <UUID> PPP --> L2TP   "Corp VPN"   [PPP:L2TP]`.
pub fn connected_services(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter(|l| l.trim_start().starts_with('*') && l.contains("(Connected)"))
        .filter_map(|l| {
            let (_, rest) = l.split_once('"')?;
            let (name, tail) = rest.split_once('"')?;
            let kind = tail
                .trim()
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_string();
            Some((name.to_string(), kind))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_vpn_adapters_are_told_from_the_others() {
        let a = |description: &str, if_type: u32| Adapter {
            name: "x".into(),
            description: description.into(),
            if_type,
        };
        assert_eq!(vpn_adapter(&a("WAN Miniport (L2TP)", 23)), Some("PPP"));
        assert_eq!(vpn_adapter(&a("WireGuard Tunnel", 53)), Some("wireguard"));
        assert_eq!(
            vpn_adapter(&a("TAP-Windows Adapter V9", 6)),
            Some("tap-windows")
        );
        assert_eq!(
            vpn_adapter(&a("PANGP Virtual Ethernet Adapter Secure", 6)),
            Some("pangp")
        );
        for other in [
            a("Intel(R) Ethernet Connection I219-V", 6),
            a("Hyper-V Virtual Ethernet Adapter", 6),
            a("Teredo Tunneling Pseudo-Interface", 131),
            a("Software Loopback Interface 1", 24),
        ] {
            assert_eq!(vpn_adapter(&other), None, "{other:?}");
        }
    }

    #[test]
    fn connected_macos_services_are_read_from_scutil() {
        let text = "Available network connection services in the current set (*=enabled):\n\
            * (Connected)      6D1A2C4E-0000-4000-8000-000000000001 PPP --> L2TP       \"Corp VPN\"                       [PPP:L2TP]\n\
            * (Disconnected)   6D1A2C4E-0000-4000-8000-000000000002 IPSec              \"Home\"                           [IPSec]\n\
            * (Connected)      6D1A2C4E-0000-4000-8000-000000000003 VPN (com.wireguard.macos) \"WireGuard\"           [VPN:com.wireguard.macos]\n";
        assert_eq!(
            connected_services(text),
            [
                ("Corp VPN".to_string(), "PPP:L2TP".to_string()),
                (
                    "WireGuard".to_string(),
                    "VPN:com.wireguard.macos".to_string()
                ),
            ]
        );
        assert!(connected_services("").is_empty());
    }
}
