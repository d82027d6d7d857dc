//! A VPN of the system itself (not an extension's): the article's "403 / Access denied"
//! cause, as OpenAI's edge blocks or challenges many VPN exits. Linux: the network
//! interfaces under `<root>/sys/class/net` that are up and are tunnels (`type` 65534,
//! ARPHRD_NONE: WireGuard, OpenVPN's and other `tun` devices, Tailscale) or point-to-point
//! links (`type` 512, ARPHRD_PPP: PPTP, L2TP), read offline. Elsewhere, and where no
//! interface list is readable (a mounted disk), the check is said not to be made.

use super::{Checked, Context, Evidence, Finding, FindingId, NotChecked, Severity};
use crate::platform::Os;

/// `ARPHRD_NONE` (tun, WireGuard) and `ARPHRD_PPP` (linux/if_arp.h).
const TUNNEL: &str = "65534";
const PPP: &str = "512";

/// `IFF_UP` (linux/if.h): the interface is up.
const IFF_UP: u32 = 0x1;

pub fn check(ctx: &Context) -> Checked {
    let mut checked = Checked::default();
    if ctx.layout.os != Os::Linux {
        checked.not_checked.push(NotChecked {
            ids: vec![FindingId::VpnSystem],
            reason: crate::i18n::t("not-checked-vpn-os"),
        });
        return checked;
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
