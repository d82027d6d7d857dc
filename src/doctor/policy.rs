//! Enterprise policies of the selected browsers that block the login hosts, cookies or JavaScript, force a proxy or an extension (S9).

use super::{Checked, Context};

pub fn check(_ctx: &Context) -> Checked {
    Checked::default()
}
