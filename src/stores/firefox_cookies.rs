//! Firefox's `cookies.sqlite`: table `moz_cookies`, host in `host`, partition and
//! isolation in the `originAttributes` suffix (`^partitionKey=%28https%2Cchatgpt.com%29`).

use std::path::Path;

use super::cookie_db::{self, CookieTable};
use super::{Item, Removal};
use crate::targets::{top_level_site_of_origin_attributes, Targets};

pub const TABLE: CookieTable = CookieTable {
    what: "a Firefox cookie database",
    table: "moz_cookies",
    host: "host",
    name: "name",
    path: "path",
    partition: "originAttributes",
};

pub fn scan(file: &Path, targets: &Targets) -> anyhow::Result<(Vec<Item>, Removal)> {
    cookie_db::scan(
        file,
        &TABLE,
        |host, attrs| targets.matches_host(host) || targets.matches_origin_attributes(attrs),
        top_level_site_of_origin_attributes,
    )
}
