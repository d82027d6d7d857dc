//! Safari store formats (macOS): `Cookies.binarycookies`, CFNetwork's `Cache.db` and
//! WebKit's network cache (`WebKitCache`).

pub mod binarycookies;
pub mod cache_db;
pub mod local_storage;
pub mod webkit_cache;
pub mod website_data;
