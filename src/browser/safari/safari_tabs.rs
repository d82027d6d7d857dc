//! Safari's `SafariTabs.db` (SQLite): the names of the named profiles (Safari 17+).

use std::path::Path;

/// Named profiles from `SafariTabs.db`: `bookmarks` rows of subtype 2 carry the profile's
/// UUID (upper case) and title.
pub fn profile_names(db: &Path) -> Vec<(String, String)> {
    let Ok(conn) = crate::stores::sqlite::open_read_only(&Default::default(), db) else {
        return Vec::new();
    };
    let Ok(mut stmt) = conn.conn.prepare(
        "SELECT external_uuid, title FROM bookmarks WHERE subtype = 2 AND external_uuid != 'DefaultProfile'",
    ) else {
        return Vec::new();
    };
    stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .map(|rows| rows.flatten().collect())
        .unwrap_or_default()
}
