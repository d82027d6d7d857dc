//! Chromium profile settings that break a login (doctor-signals.md S3–S7, S12, S13).

use super::{Checked, Context};
use crate::browser::Profile;

pub fn check(_ctx: &Context, _profile: &Profile) -> Checked {
    Checked::default()
}
