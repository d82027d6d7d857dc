//! The checks that need the network (`--online`): the clock against an HTTPS `Date`
//! header, and whether the login hosts resolve and answer (doctor-signals.md S11).

use super::{Checked, Context, FindingId, NotChecked};

/// Without `--online`, says what was not checked.
pub fn check(_ctx: &Context, online: bool) -> Checked {
    let mut checked = Checked::default();
    if !online {
        checked.not_checked.push(NotChecked {
            ids: vec![FindingId::ClockSkew, FindingId::HostUnreachable],
            reason: "needs the network: run with --online".to_string(),
        });
    }
    checked
}
