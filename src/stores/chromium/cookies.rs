//! Chromium's cookie database (`Cookies`, `Network/Cookies`): table `cookies`, host in
//! `host_key` (leading dot for domain cookies), partition in `top_frame_site_key`
//! (`https://chatgpt.com`, empty when unpartitioned; absent before schema 15).

use std::path::Path;

use crate::stores::cookie_table::{self, CookieTable};
use crate::stores::{Category, Found, ScanOptions, Shape, StoreKind};
use crate::targets::Targets;

pub static KIND: StoreKind = StoreKind {
    id: "chromium_cookies",
    label: "cookies",
    category: Category::Cookies,
    shape: Shape::File,
    read: scan,
};

pub const TABLE: CookieTable = CookieTable {
    what: "a Chromium cookie database",
    table: "cookies",
    host: "host_key",
    name: "name",
    path: "path",
    partition: "top_frame_site_key",
};

pub fn scan(file: &Path, targets: &Targets, opts: &ScanOptions) -> anyhow::Result<Found> {
    cookie_table::scan(
        &opts.fs,
        file,
        &TABLE,
        |host| targets.matches_host(host),
        |top_site| !top_site.is_empty() && targets.matches_site(top_site),
        |top_site| (!top_site.is_empty()).then(|| top_site.to_string()),
    )
}
