//! The system-wide proxy: environment, GNOME/KDE, macOS network settings, Windows Internet settings (S8).

use super::{Checked, Context};

pub fn check(_ctx: &Context) -> Checked {
    Checked::default()
}
