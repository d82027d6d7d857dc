//! Firefox store formats: `cookies.sqlite`, the session-restore files (mozLz4 JSON) that
//! bring session cookies back, the cache2 HTTP cache, and the origin-attributes grammar
//! that says under which top-level site data was stored, and the per-origin site storage
//! directories (`storage/default`).

pub mod cache2;
pub mod cookies;
pub mod legacy_local_storage;
pub mod mozlz4;
pub mod origin_attributes;
pub mod quota_cache;
pub mod service_workers;
pub mod session;
pub mod site_storage;
