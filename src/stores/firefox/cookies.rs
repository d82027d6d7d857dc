//! Firefox's `cookies.sqlite`: table `moz_cookies`, host in `host`, partition and
//! isolation in the `originAttributes` suffix (`^partitionKey=%28https%2Cchatgpt.com%29`).

use std::path::Path;

use super::origin_attributes::{stored_under_target, top_level_site_of_origin_attributes};
use crate::stores::cookie_table::{self, CookieTable};
use crate::stores::{Category, Found, ScanOptions, Shape, StoreKind};
use crate::targets::Targets;

pub static KIND: StoreKind = StoreKind {
    id: "firefox_cookies",
    label: "cookies",
    category: Category::Cookies,
    shape: Shape::File,
    read: scan,
};

pub const TABLE: CookieTable = CookieTable {
    what: "a Firefox cookie database",
    table: "moz_cookies",
    host: "host",
    name: "name",
    path: "path",
    partition: "originAttributes",
};

pub fn scan(file: &Path, targets: &Targets, opts: &ScanOptions) -> anyhow::Result<Found> {
    cookie_table::scan(
        &opts.fs,
        file,
        &TABLE,
        |host| targets.matches_host(host),
        |attrs| stored_under_target(targets, attrs),
        top_level_site_of_origin_attributes,
    )
}
