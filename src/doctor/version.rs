//! Is the profile's browser out of date, or updated on disk but not restarted
//! (doctor-signals.md S1, S2)?

use super::{Checked, Context};
use crate::browser::Profile;
use crate::lock::LockState;

pub fn check(_ctx: &Context, _profile: &Profile, _state: &LockState) -> Checked {
    Checked::default()
}
