#!/usr/bin/env python3
"""List (and check) what a sample home holds: inspect_home.py HOME LAYOUT [--check]

LAYOUT is linux, macos or windows. Prints every cookie row of every Chrome
profile and of the Firefox profile, the session cookies in Firefox's
session-restore files, and the HTTP-cache keys. With --check, exits 1 unless
the cookie rows are exactly the expected set (EXPECTED below). Standard
library only; opens the databases read-only (immutable) so nothing is written.
"""
import json
import os
import sqlite3
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mozlz4  # noqa: E402

FF_PROFILE = "abcd1234.default-release"
LAYOUTS = {
    "linux": {
        "chrome": ".config/google-chrome",
        "chrome_cookies": "Cookies",
        "chrome_cache": ".cache/google-chrome/{p}/Cache/Cache_Data",
        "ff_profile": f".mozilla/firefox/{FF_PROFILE}",
        "ff_cache": f".cache/mozilla/firefox/{FF_PROFILE}/cache2",
    },
    "macos": {
        "chrome": "Library/Application Support/Google/Chrome",
        "chrome_cookies": "Cookies",
        "chrome_cache": "Library/Caches/Google/Chrome/{p}/Cache/Cache_Data",
        "ff_profile": f"Library/Application Support/Firefox/Profiles/{FF_PROFILE}",
        "ff_cache": f"Library/Caches/Firefox/Profiles/{FF_PROFILE}/cache2",
    },
    "windows": {
        "chrome": "AppData/Local/Google/Chrome/User Data",
        "chrome_cookies": "Network/Cookies",
        "chrome_cache": None,
        "ff_profile": f"AppData/Roaming/Mozilla/Firefox/Profiles/{FF_PROFILE}",
        "ff_cache": f"AppData/Local/Mozilla/Firefox/Profiles/{FF_PROFILE}/cache2",
    },
}

# (host_key, name, top_frame_site_key, is_persistent)
CHROME_DEFAULT = {
    ("chatgpt.com", "__Secure-next-auth.session-token", "", 1),
    (".chatgpt.com", "oai-did", "", 1),
    ("chatgpt.com", "oai-session", "", 0),
    ("cdn.oaistatic.com", "tp", "https://chatgpt.com", 1),
    ("auth.openai.com", "auth-session", "", 1),
    (".openai.com", "oai-domain", "", 1),
    ("example.org", "eo-keep", "", 1),
    ("example.org", "eo-session", "", 0),
    ("cdn.oaistatic.com", "tp", "https://example.org", 1),
    ("notchatgpt.com", "nc-keep", "", 1),
    ("chatgpt.com.evil.org", "evil-keep", "", 1),
    ("openai.com.example.org", "lookalike-keep", "", 1),
}
CHROME_PROFILE1 = {
    ("chatgpt.com", "__Secure-next-auth.session-token", "", 1),
    (".chatgpt.com", "oai-did", "", 1),
    ("cdn.oaistatic.com", "tp", "https://chatgpt.com", 1),
    ("example.org", "eo-keep", "", 1),
    ("cdn.oaistatic.com", "tp", "https://example.org", 1),
    # Chromium writes session cookies to disk too (and deletes them at its
    # next start unless the profile restores the last session).
    ("chatgpt.com", "oai-session", "", 0),
    ("example.org", "eo-session", "", 0),
}
# (host, name, originAttributes)
FIREFOX_DB = {
    ("chatgpt.com", "__Secure-next-auth.session-token", ""),
    (".chatgpt.com", "oai-did", ""),
    ("cdn.oaistatic.com", "tp", "^partitionKey=%28https%2Cchatgpt.com%29"),
    ("auth.openai.com", "auth-session", ""),
    (".openai.com", "oai-domain", ""),
    ("example.org", "eo-keep", ""),
    ("cdn.oaistatic.com", "tp", "^partitionKey=%28https%2Cexample.org%29"),
    ("notchatgpt.com", "nc-keep", ""),
    ("chatgpt.com.evil.org", "evil-keep", ""),
    ("openai.com.example.org", "lookalike-keep", ""),
}
# (host, name) of session cookies in the session-restore JSON
FIREFOX_SESSION = {("chatgpt.com", "oai-session"), ("example.org", "eo-session")}


def ro(path):
    return sqlite3.connect(f"file:{path}?immutable=1", uri=True)


def chrome_rows(path):
    con = ro(path)
    rows = con.execute(
        "SELECT host_key, name, top_frame_site_key, is_persistent, has_expires,"
        " has_cross_site_ancestor, CAST(substr(encrypted_value,1,3) AS TEXT), value,"
        " expires_utc FROM cookies ORDER BY host_key, name, top_frame_site_key"
    ).fetchall()
    meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    con.close()
    return rows, meta


def firefox_rows(path):
    con = ro(path)
    rows = con.execute(
        "SELECT host, name, originAttributes, isPartitionedAttributeSet, value,"
        " expiry FROM moz_cookies ORDER BY host, name, originAttributes"
    ).fetchall()
    ver = con.execute("PRAGMA user_version").fetchone()[0]
    con.close()
    return rows, ver


def session_cookies(path):
    j = json.loads(mozlz4.read_mozlz4(path))
    out = [("cookies", c) for c in j.get("cookies", [])]
    for i, w in enumerate(j.get("windows", [])):
        out += [(f"windows[{i}].cookies", c) for c in w.get("cookies", [])]
    return out


def chrome_cache_keys(d):
    keys = []
    for f in sorted(os.listdir(d)):
        if not f.endswith("_0"):
            continue
        data = open(os.path.join(d, f), "rb").read()
        magic, ver, klen = struct.unpack_from("<QII", data, 0)
        if magic != 0xFCFB6D1BA7725C30:
            continue
        keys.append((f, data[24:24 + klen].decode("utf-8", "replace")))
    return keys


def firefox_cache_keys(d):
    keys = []
    ed = os.path.join(d, "entries")
    for f in sorted(os.listdir(ed)):
        data = open(os.path.join(ed, f), "rb").read()
        off = struct.unpack(">I", data[-4:])[0]
        # metadata: u32 hash, u16 hash per 256 KiB chunk, then
        # version, fetchCount, lastFetched, lastModified, frecency,
        # expiration, keySize (u32 each), flags (version >= 2), key\0
        nchunks = (off + 262143) // 262144
        p = off + 4 + 2 * nchunks
        version, = struct.unpack_from(">I", data, p)
        key_size, = struct.unpack_from(">I", data, p + 24)
        p += 28 + (4 if version >= 2 else 0)
        keys.append((f, data[p:p + key_size].decode("utf-8", "replace")))
    return keys


def main():
    home, layout = sys.argv[1], sys.argv[2]
    check = "--check" in sys.argv
    L = LAYOUTS[layout]
    problems = []

    chrome = os.path.join(home, L["chrome"])
    print(f"## Chrome ({L['chrome']})")
    lv = os.path.join(chrome, "Last Version")
    print("Last Version:", open(lv).read().strip())
    ls = json.load(open(os.path.join(chrome, "Local State")))
    print("profile.info_cache:", sorted(ls["profile"]["info_cache"]))
    for prof, expected in (("Default", CHROME_DEFAULT),
                           ("Profile 1", CHROME_PROFILE1)):
        path = os.path.join(chrome, prof, L["chrome_cookies"])
        rows, meta = chrome_rows(path)
        print(f"\n### {prof}/{L['chrome_cookies']} (meta version "
              f"{meta.get('version')}, {len(rows)} rows)")
        print("host_key | name | top_frame_site_key | is_persistent | "
              "has_expires | has_cross_site_ancestor | enc | value")
        for r in rows:
            print(" | ".join(str(x) for x in r[:8]))
        got = {(r[0], r[1], r[2], r[3]) for r in rows}
        if got != expected:
            problems.append(f"chrome {prof}: missing {sorted(expected - got)}"
                            f" unexpected {sorted(got - expected)}")
        for r in rows:
            if r[7] != "" or not r[6].startswith("v1"):
                problems.append(f"chrome {prof}: {r[:2]} not encrypted")
        if L["chrome_cache"]:
            cd = os.path.join(home, L["chrome_cache"].format(p=prof))
            keys = chrome_cache_keys(cd)
            print(f"\ncache {L['chrome_cache'].format(p=prof)}: {len(keys)} entries")
            for f, k in keys:
                print(f"  {f}  {k}")
            if not keys:
                problems.append(f"chrome {prof}: empty cache")

    ffp = os.path.join(home, L["ff_profile"])
    rows, ver = firefox_rows(os.path.join(ffp, "cookies.sqlite"))
    print(f"\n## Firefox {L['ff_profile']}/cookies.sqlite "
          f"(schema {ver}, {len(rows)} rows)")
    print("host | name | originAttributes | isPartitionedAttributeSet | value")
    for r in rows:
        print(" | ".join(str(x) for x in r[:5]))
    got = {(r[0], r[1], r[2]) for r in rows}
    if got != FIREFOX_DB:
        problems.append(f"firefox db: missing {sorted(FIREFOX_DB - got)} "
                        f"unexpected {sorted(got - FIREFOX_DB)}")
    wal = os.path.join(ffp, "cookies.sqlite-wal")
    if os.path.exists(wal) and os.path.getsize(wal):
        problems.append(f"firefox: {wal} is not empty")
    for rel in ("sessionstore.jsonlz4", "sessionstore-backups/recovery.jsonlz4"):
        sc = session_cookies(os.path.join(ffp, rel))
        print(f"\n{rel}: session cookies")
        for key, c in sc:
            print(f"  {key}: host={c.get('host')} name={c.get('name')} "
                  f"value={c.get('value')} "
                  f"partitionKey={c.get('originAttributes', {}).get('partitionKey')!r}")
        got = {(c.get("host"), c.get("name")) for _, c in sc}
        if got != FIREFOX_SESSION:
            problems.append(f"firefox {rel}: session cookies {sorted(got)}")
    bak = os.path.join(ffp, "sessionstore-backups", "recovery.baklz4")
    if os.path.exists(bak):  # an older snapshot; its content depends on timing
        print("\nsessionstore-backups/recovery.baklz4 (not checked): session cookies")
        for key, c in session_cookies(bak):
            print(f"  {key}: host={c.get('host')} name={c.get('name')} "
                  f"value={c.get('value')}")
    keys = firefox_cache_keys(os.path.join(home, L["ff_cache"]))
    print(f"\ncache {L['ff_cache']}: {len(keys)} entries, index: "
          f"{os.path.exists(os.path.join(home, L['ff_cache'], 'index'))}")
    for f, k in keys:
        print(f"  {f}  {k}")

    if problems:
        print("\nPROBLEMS:\n  " + "\n  ".join(problems))
        if check:
            sys.exit(1)


if __name__ == "__main__":
    main()
