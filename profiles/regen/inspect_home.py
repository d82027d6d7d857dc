#!/usr/bin/env python3
"""List (and check) what a sample home holds: inspect_home.py HOME LAYOUT [--check]

LAYOUT is linux, macos or windows. Prints every cookie row of every Chrome
profile and of the Firefox profile, the session cookies in Firefox's
session-restore files, the HTTP-cache keys and the site data (localStorage,
sessionStorage, IndexedDB, Cache Storage, service workers, per origin and
partition). With --check, exits 1 unless the cookie rows and the site data's
origins are exactly the expected sets (below). Standard
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


# Site data (regen/server.py `/storage`, visited by Chrome `Default` and by
# Firefox): every page writes localStorage, sessionStorage, IndexedDB and Cache
# Storage, top-level pages register a service worker; chatgpt.com frames
# example.org and example.org frames chatgpt.com (each partitioned under its
# top-level site).
SITE_HOSTS = ["chatgpt.com", "auth.openai.com", "example.org", "notchatgpt.com"]
# (origin, top-level site or "") of every storage context
SITE_CONTEXTS = [(h, "") for h in SITE_HOSTS] + [
    ("example.org", "chatgpt.com"), ("chatgpt.com", "example.org")]


def chrome_storage_key(host, top):
    # StorageKey serialization: first party with a slash, third party `^0`
    return f"https://{host}/" + (f"^0https://{top}" if top else "")


def firefox_origin(host, top):
    return f"https://{host}" + (
        f"^partitionKey=%28https%2C{top}%29" if top else "")


def firefox_dir(host, top):
    return firefox_origin(host, top).replace("://", "+++")


def leveldb_keys(d):
    """Live keys of a LevelDB written by Chromium (log files; table files
    are only scanned for key bytes, which the small sample DBs do not have)."""
    keys = {}
    tables = []
    for f in sorted(os.listdir(d)):
        if f.endswith(".ldb") or f.endswith(".sst"):
            tables.append(f)
        if not f.endswith(".log"):
            continue
        data = open(os.path.join(d, f), "rb").read()
        records, frag, pos = [], b"", 0
        while pos + 7 <= len(data):
            left = 32768 - pos % 32768
            if left < 7:
                pos += left
                continue
            length, kind = struct.unpack_from("<HB", data, pos + 4)
            if length == 0 and kind == 0:
                pos += left
                continue
            chunk = data[pos + 7:pos + 7 + length]
            pos += 7 + length
            if kind == 1:
                records.append(chunk)
            elif kind == 2:
                frag = chunk
            elif kind == 3:
                frag += chunk
            elif kind == 4:
                records.append(frag + chunk)
        for rec in records:
            p, count = 12, struct.unpack_from("<I", rec, 8)[0]

            def varint():
                nonlocal p
                v = shift = 0
                while True:
                    b = rec[p]
                    p += 1
                    v |= (b & 0x7F) << shift
                    shift += 7
                    if b < 0x80:
                        return v
            for _ in range(count):
                tag = rec[p]
                p += 1
                n = varint()
                k = rec[p:p + n]
                p += n
                if tag == 1:
                    n = varint()
                    keys[k] = rec[p:p + n]
                    p += n
                else:
                    keys.pop(k, None)
    return keys, tables


def cache_storage_origins(d):
    """Origin (field 2) of each Cache Storage `index.txt` under d."""
    out = {}
    for sub in sorted(os.listdir(d)):
        idx = os.path.join(d, sub, "index.txt")
        if not os.path.exists(idx):
            continue
        data, p, origin = open(idx, "rb").read(), 0, None
        while p < len(data):  # protobuf: only length-delimited and varints here
            tag = data[p]
            p += 1
            wire, field = tag & 7, tag >> 3
            if wire == 0:
                while data[p] & 0x80:
                    p += 1
                p += 1
                continue
            n = shift = 0
            while True:
                b = data[p]
                p += 1
                n |= (b & 0x7F) << shift
                shift += 7
                if b < 0x80:
                    break
            if field == 2:
                origin = data[p:p + n].decode()
            p += n
        out[sub] = origin
    return out


def chrome_site_data(prof_dir, problems, label):
    """Print and check the site data of a Chrome profile."""
    want_keys = {chrome_storage_key(h, t) for h, t in SITE_CONTEXTS}
    print(f"\n### {label} site data")
    ls, tables = leveldb_keys(os.path.join(prof_dir, "Local Storage", "leveldb"))
    got = {k[5:].decode() for k in ls if k.startswith(b"META:")}
    print("Local Storage/leveldb META: origins:", sorted(got))
    # localStorage keys omit the first party's trailing slash
    want = {k[:-1] if k.endswith("/") else k for k in want_keys}
    if got != want or tables:
        problems.append(f"{label} localStorage: {sorted(got)} tables {tables}")
    ss, tables = leveldb_keys(os.path.join(prof_dir, "Session Storage"))
    got = {k.decode().split("-", 6)[-1] for k in ss if k.startswith(b"namespace-")}
    print("Session Storage namespace- storage keys:", sorted(got))
    if got != want_keys or tables:
        problems.append(f"{label} sessionStorage: {sorted(got)} tables {tables}")
    idb = os.path.join(prof_dir, "IndexedDB")
    got = sorted(f for f in os.listdir(idb) if f.endswith(".indexeddb.leveldb"))
    print("IndexedDB:", got)
    want = sorted(f"https_{h}_0.indexeddb.leveldb" for h in SITE_HOSTS)
    if got != want:
        problems.append(f"{label} IndexedDB dirs: {got}")
    cs = cache_storage_origins(os.path.join(prof_dir, "Service Worker", "CacheStorage"))
    print("Service Worker/CacheStorage origins:", sorted(cs.values()))
    if sorted(cs.values()) != sorted(f"https://{h}/" for h in SITE_HOSTS):
        problems.append(f"{label} CacheStorage: {cs}")
    sw, tables = leveldb_keys(os.path.join(prof_dir, "Service Worker", "Database"))
    got = {k[4:].split(b"\x00")[0].decode() for k in sw if k.startswith(b"REG:")}
    print("Service Worker/Database REG: origins:", sorted(got))
    if got != {f"https://{h}/" for h in SITE_HOSTS} or tables:
        problems.append(f"{label} service workers: {sorted(got)} tables {tables}")
    qm = os.path.join(prof_dir, "WebStorage", "QuotaManager")
    con = ro(qm)
    buckets = con.execute("SELECT id, storage_key FROM buckets ORDER BY id").fetchall()
    con.close()
    print("WebStorage/QuotaManager buckets:", buckets)
    if {k for _, k in buckets} != want_keys:
        problems.append(f"{label} QuotaManager buckets: {buckets}")
    for bid, key in buckets:
        bdir = os.path.join(prof_dir, "WebStorage", str(bid))
        if "^0" not in key:
            continue  # first-party default buckets live in IndexedDB/ and CacheStorage/
        kinds = sorted(os.listdir(bdir)) if os.path.isdir(bdir) else []
        print(f"  WebStorage/{bid} ({key}):", kinds)
        if kinds != ["CacheStorage", "IndexedDB"]:
            problems.append(f"{label} bucket {bid} ({key}) holds {kinds}")


def firefox_site_data(ffp, problems):
    print("\n## Firefox site data")
    sd = os.path.join(ffp, "storage", "default")
    got = sorted(os.listdir(sd))
    print("storage/default:")
    for d in got:
        print(f"  {d}: {sorted(os.listdir(os.path.join(sd, d)))}")
    want = sorted(firefox_dir(h, t) for h, t in SITE_CONTEXTS)
    if got != want:
        problems.append(f"firefox storage/default: {got}")
    for d in got:
        inside = os.listdir(os.path.join(sd, d))
        if not {"ls", "idb", "cache", ".metadata-v2"} <= set(inside):
            problems.append(f"firefox storage/default/{d} holds {sorted(inside)}")
    lines = open(os.path.join(ffp, "serviceworker.txt")).read().split("\n")
    scopes = sorted(l for l in lines if l.startswith("https://") and l.endswith("/"))
    print("serviceworker.txt scopes:", scopes)
    if scopes != sorted(f"https://{h}/" for h in SITE_HOSTS) or lines[0] != "12":
        problems.append(f"firefox serviceworker.txt: version {lines[0]} scopes {scopes}")
    for rel in ("sessionstore.jsonlz4", "sessionstore-backups/recovery.jsonlz4"):
        got = session_storage(os.path.join(ffp, rel))
        print(f"{rel}: sessionStorage origins", got)
        # Which origins a tab's `storage` holds depends on timing (Firefox
        # collects changes incrementally): the second tab, opened on
        # example.org's page alone, is what is checked — it must hold
        # example.org's own and chatgpt.com's (framed under example.org).
        want = {firefox_origin("example.org", ""),
                firefox_origin("chatgpt.com", "example.org")}
        if rel == "sessionstore.jsonlz4" and not want <= set(got):
            problems.append(f"firefox {rel}: sessionStorage of {got}")


SAFARI_WEBSITE_DATA = ("Library/Containers/com.apple.Safari/Data/Library/WebKit/"
                       "WebsiteData/Default")
# (top origin, client origin) of the client directories make_safari.py writes
SAFARI_CONTEXTS = {
    ("https://chatgpt.com", "https://chatgpt.com"),
    ("https://chatgpt.com", "https://example.org"),
    ("https://auth.openai.com", "https://auth.openai.com"),
    ("https://example.org", "https://example.org"),
    ("https://example.org", "https://chatgpt.com"),
    ("https://notchatgpt.com", "https://notchatgpt.com"),
}


def webkit_origins(b):
    """The two origins of a WebKit `origin` file (WTF::Persistence, Latin-1 only)."""
    out, p = [], 0
    for _ in range(2):
        parts = []
        for _ in range(2):
            n, latin1 = struct.unpack_from("<IB", b, p)
            assert latin1 == 1, "UTF-16 string"
            parts.append(b[p + 5:p + 5 + n].decode("latin-1"))
            p += 5 + n
        port = ""
        if b[p] == 1:
            port = ":%d" % struct.unpack_from("<H", b, p + 1)[0]
            p += 2
        p += 1
        out.append(f"{parts[0]}://{parts[1]}{port}")
    return tuple(out)


def safari_site_data(home, problems):
    root = os.path.join(home, SAFARI_WEBSITE_DATA)
    print(f"\n## Safari {SAFARI_WEBSITE_DATA}")
    got = set()
    for top in sorted(os.listdir(root)):
        if not os.path.isdir(os.path.join(root, top)):
            continue
        for client in sorted(os.listdir(os.path.join(root, top))):
            d = os.path.join(root, top, client)
            o = webkit_origins(open(os.path.join(d, "origin"), "rb").read())
            print(f"  {top[:10]}…/{client[:10]}…  top {o[0]}  client {o[1]}: "
                  f"{sorted(os.listdir(d))}")
            got.add(o)
    if got != SAFARI_CONTEXTS:
        problems.append(f"safari WebsiteData: {sorted(got)}")


def session_storage(path):
    j = json.loads(mozlz4.read_mozlz4(path))
    return sorted(o for w in j.get("windows", []) for t in w.get("tabs", [])
                  for o in (t.get("storage") or {}))


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
        if prof == "Default":
            chrome_site_data(os.path.join(chrome, prof), problems, f"chrome {prof}")

    if layout == "windows":
        # Edge's Default holds what Chromium's Default wrote (regenerate.sh).
        edge = os.path.join(home, "AppData/Local/Microsoft/Edge/User Data/Default")
        rows, _ = chrome_rows(os.path.join(edge, "Network/Cookies"))
        got = {(r[0], r[1], r[2], r[3]) for r in rows}
        print(f"\n### Edge Default/Network/Cookies ({len(rows)} rows)")
        if got != CHROME_DEFAULT:
            problems.append(f"edge Default: missing {sorted(CHROME_DEFAULT - got)}"
                            f" unexpected {sorted(got - CHROME_DEFAULT)}")
        chrome_site_data(edge, problems, "edge Default")

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
    firefox_site_data(ffp, problems)
    if layout == "macos":
        safari_site_data(home, problems)
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
