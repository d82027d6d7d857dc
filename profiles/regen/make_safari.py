#!/usr/bin/env python3
"""Write Safari's stores into the macOS sample home (Safari cannot run here).

    python3 -m pip install binarycookies==2.5.1
    python3 profiles/regen/make_safari.py profiles/macos

- Cookies.binarycookies for the default profile and for one named profile, written by the
  independent PyPI `binarycookies` serializer (not by loginfix), with the same cookie set
  the real browsers stored (see profiles/README.md), flags and dates included.
- Cache.db in the schema CFNetwork creates (user_version 203), one entry per sample URL,
  bodies inline or, for larger ones, in fsCachedData/<UUID> as CFNetwork does.
- WebKitCache/Version 17 records (the WebKit network cache) for the same URLs, encoded
  here from WebKit's documented record layout (see src/stores/webkit_cache.rs for the
  sources): a second, independent implementation of the format loginfix reads.
- SafariTabs.db naming the named profile, as Safari 17+ does.
- WebKit/WebsiteData/Default: the per-origin site data of Safari 17+, in WebKit's
  documented layout (shared/reference/site-storage.md section 3): `salt`, then
  `<enc(top origin)>/<enc(client origin)>/` with enc(o) = base64url(SHA-256(o || salt)),
  each client directory holding its `origin` file (WTF::Persistence `ClientOrigin`), a
  `LocalStorage/localstorage.sqlite3` (WebKit's `ItemTable`, UTF-16LE values) and an
  `IndexedDB/<enc(database name)>/IndexedDB.sqlite3`. Synthetic: not written by Safari.
Idempotent: everything is rewritten from scratch.
"""
import hashlib
import os
import plistlib
import shutil
import struct
import sqlite3
import sys
from datetime import datetime, timezone

import binarycookies

CONTAINER = "Library/Containers/com.apple.Safari/Data/Library"
PROFILE_UUID = "6C5E2F0A-3B1D-4E8F-9A7C-2D4B6E8F0A1C"

CREATED = datetime(2026, 11, 1, 12, 0, tzinfo=timezone.utc)
EXPIRES = datetime(2027, 11, 1, 12, 0, tzinfo=timezone.utc)

# (domain as Safari stores it, name, path, value, flags): 1 Secure, 4 HttpOnly.
DEFAULT_COOKIES = [
    ("chatgpt.com", "__Secure-next-auth.session-token", "/", "lfxsecret_chatgpt_hostonly_session_token", 5),
    (".chatgpt.com", "oai-did", "/", "lfxsecret_chatgpt_domain_did", 1),
    ("auth.openai.com", "auth-session", "/", "lfxsecret_auth_openai_hostonly", 4),
    (".openai.com", "oai-domain", "/", "lfxsecret_openai_domain", 0),
    ("example.org", "eo-keep", "/", "lfxsecret_example_org_persistent", 0),
    ("notchatgpt.com", "nc-keep", "/", "lfxsecret_notchatgpt_persistent", 0),
    ("chatgpt.com.evil.org", "evil-keep", "/", "lfxsecret_chatgpt_com_evil_org_persistent", 0),
    ("openai.com.example.org", "lookalike-keep", "/", "lfxsecret_openai_com_example_org_persistent", 0),
]
WORK_COOKIES = [
    ("chatgpt.com", "__Secure-next-auth.session-token", "/", "lfxsecret_work_chatgpt_token", 5),
    ("example.org", "eo-keep", "/", "lfxsecret_work_example_org", 0),
]

# (url, partition, body size); bodies over 4 KiB go to fsCachedData.
CACHE = [
    ("https://chatgpt.com/", "chatgpt.com", 900),
    ("https://chatgpt.com/app.js", "chatgpt.com", 9000),
    ("https://cdn.oaistatic.com/logo.png", "chatgpt.com", 700),
    ("https://auth.openai.com/app.js", "openai.com", 800),
    ("https://example.org/app.js", "example.org", 8000),
    ("https://cdn.oaistatic.com/logo.png", "example.org", 700),
    ("https://notchatgpt.com/app.js", "notchatgpt.com", 600),
    ("https://chatgpt.com.evil.org/app.js", "evil.org", 600),
]


def write_cookies(path, cookies):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    records = [
        {"url": d, "name": n, "path": p, "value": v, "raw_flags": f, "flag": "Unknown",
         "create_datetime": CREATED, "expiry_datetime": EXPIRES}
        for d, n, p, v, f in cookies
    ]
    with open(path, "wb") as fh:
        binarycookies.dump(records, fh)


def write_cache(caches):
    os.makedirs(caches, exist_ok=True)
    db_path = os.path.join(caches, "Cache.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db_path + suffix):
            os.remove(db_path + suffix)
    fs_dir = os.path.join(caches, "fsCachedData")
    if os.path.isdir(fs_dir):
        for name in os.listdir(fs_dir):
            os.remove(os.path.join(fs_dir, name))
    os.makedirs(fs_dir, exist_ok=True)
    db = sqlite3.connect(db_path)
    db.executescript("""
PRAGMA journal_mode=WAL;
CREATE TABLE cfurl_cache_response(entry_ID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, version INTEGER,
  hash_value INTEGER, storage_policy INTEGER, request_key TEXT UNIQUE,
  time_stamp NOT NULL DEFAULT CURRENT_TIMESTAMP, partition TEXT);
CREATE TABLE cfurl_cache_blob_data(entry_ID INTEGER PRIMARY KEY, response_object BLOB,
  request_object BLOB, proto_props BLOB, user_info BLOB);
CREATE TABLE cfurl_cache_receiver_data(entry_ID INTEGER PRIMARY KEY, isDataOnFS INTEGER, receiver_data BLOB);
CREATE INDEX request_key_index ON cfurl_cache_response(request_key);
CREATE INDEX time_stamp_index ON cfurl_cache_response(time_stamp);
CREATE INDEX proto_props_index ON cfurl_cache_blob_data(entry_ID);
CREATE INDEX receiver_data_index ON cfurl_cache_receiver_data(entry_ID);
PRAGMA user_version=203;
""")
    for i, (url, partition, size) in enumerate(CACHE, start=1):
        # request_key is unique: the same URL under two partitions gets its partition appended.
        key = url if not any(u == url for u, _, _ in CACHE[: i - 1]) else f"{url} [{partition}]"
        db.execute(
            "INSERT INTO cfurl_cache_response(entry_ID, version, hash_value, storage_policy, request_key, time_stamp, partition)"
            " VALUES (?, 0, ?, 0, ?, '2026-11-01 12:00:00', ?)",
            (i, 1000 + i, key, partition),
        )
        response = plistlib.dumps({"Array": [url, 200, {"Cache-Control": "max-age=31536000"}]}, fmt=plistlib.FMT_BINARY)
        request = plistlib.dumps({"Array": [url, "GET"]}, fmt=plistlib.FMT_BINARY)
        db.execute("INSERT INTO cfurl_cache_blob_data VALUES (?, ?, ?, NULL, NULL)", (i, response, request))
        body = bytes([65 + i]) * size
        if size > 4096:
            name = f"{i:08X}-0000-4000-8000-{i:012X}"
            with open(os.path.join(fs_dir, name), "wb") as fh:
                fh.write(body)
            db.execute("INSERT INTO cfurl_cache_receiver_data VALUES (?, 1, ?)", (i, name))
        else:
            db.execute("INSERT INTO cfurl_cache_receiver_data VALUES (?, 0, ?)", (i, body))
    db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def webkit_record(salt, partition, kind, url, header, body):
    """A NetworkCache record: WTF::Persistence-encoded metadata (little-endian values,
    each also fed with its type salt to a running SHA-1 appended as the checksum), then
    the header and the inline body."""
    out = bytearray()
    sha = hashlib.sha1()

    def put(type_salt, data):
        sha.update(struct.pack("<I", type_salt))
        sha.update(data)
        out.extend(data)

    def string(value):
        raw = value.encode("latin-1")
        put(11, struct.pack("<I", len(raw)))
        put(3, b"\x01")
        put(101, raw)

    def salted(data):
        return hashlib.sha1(salt + data).digest()

    put(11, struct.pack("<I", 17))
    string(partition)
    string(kind)
    string(url)
    put(11, struct.pack("<I", 0xFFFFFFFF))  # null range
    put(101, hashlib.sha1(salt + (partition + kind + url).encode()).digest())
    put(101, hashlib.sha1(salt + partition.encode()).digest())
    put(29, struct.pack("<d", 1793534400.0))
    put(101, salted(header))
    put(13, struct.pack("<Q", len(header)))
    put(101, salted(body))
    put(13, struct.pack("<Q", len(body)))
    put(3, b"\x01")
    out.extend(sha.digest())
    return bytes(out) + header + body


def write_webkit_cache(caches):
    root = os.path.join(caches, "WebKitCache")
    shutil.rmtree(root, ignore_errors=True)
    version = os.path.join(root, "Version 17")
    os.makedirs(version)
    salt = bytes(range(8))
    with open(os.path.join(version, "salt"), "wb") as fh:
        fh.write(salt)
    for i, (url, partition, size) in enumerate(CACHE, start=1):
        part_dir = hashlib.sha1(salt + partition.encode()).hexdigest().upper()
        name = hashlib.sha1(salt + (partition + "Resource" + url).encode()).hexdigest().upper()
        path = os.path.join(version, "Records", part_dir, "Resource", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        header = f"HTTP/1.1 200 OK\r\nCache-Control: max-age=31536000\r\nX-Entry: {i}\r\n".encode()
        with open(path, "wb") as fh:
            fh.write(webkit_record(salt, partition, "Resource", url, header, bytes([97 + i]) * min(size, 2000)))


def write_tabs(path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.exists(path):
        os.remove(path)
    db = sqlite3.connect(path)
    db.executescript("""
CREATE TABLE bookmarks (id INTEGER PRIMARY KEY AUTOINCREMENT, special_id INTEGER DEFAULT 0, parent INTEGER,
  type INTEGER, title TEXT, url TEXT, num_children INTEGER DEFAULT 0, editable INTEGER DEFAULT 1,
  deletable INTEGER DEFAULT 1, hidden INTEGER DEFAULT 0, order_index INTEGER DEFAULT 0,
  external_uuid TEXT UNIQUE, subtype INTEGER DEFAULT 0);
""")
    db.execute("INSERT INTO bookmarks(type, title, external_uuid, subtype) VALUES (1, '', 'DefaultProfile', 2)")
    db.execute("INSERT INTO bookmarks(type, title, external_uuid, subtype) VALUES (1, 'Work', ?, 2)", (PROFILE_UUID,))
    db.commit()
    db.close()


# (top origin, client origin) of each WebKit client directory: chatgpt.com's own data and
# example.org framed under it (both go with chatgpt.com's top-origin directory),
# auth.openai.com's (goes), chatgpt.com framed under example.org (its client directory
# goes), example.org's own and the look-alike notchatgpt.com's (stay).
WEBSITE_DATA = [
    ("https://chatgpt.com", "https://chatgpt.com"),
    ("https://chatgpt.com", "https://example.org"),
    ("https://auth.openai.com", "https://auth.openai.com"),
    ("https://example.org", "https://example.org"),
    ("https://example.org", "https://chatgpt.com"),
    ("https://notchatgpt.com", "https://notchatgpt.com"),
]
WEBSITE_DATA_SALT = bytes(range(0x10, 0x18))


def webkit_string(s):
    raw = s.encode("latin-1")
    return struct.pack("<I", len(raw)) + b"\x01" + raw


def webkit_origin(origin):
    scheme, host = origin.split("://")
    return webkit_string(scheme) + webkit_string(host) + b"\x00"  # default port


def webkit_enc(s, salt):
    import base64
    digest = hashlib.sha256(s.encode() + salt).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def write_website_data(root):
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    with open(os.path.join(root, "salt"), "wb") as fh:
        fh.write(WEBSITE_DATA_SALT)
    for top, client in WEBSITE_DATA:
        d = os.path.join(root, webkit_enc(top, WEBSITE_DATA_SALT),
                         webkit_enc(client, WEBSITE_DATA_SALT))
        os.makedirs(d)
        with open(os.path.join(d, "origin"), "wb") as fh:
            fh.write(webkit_origin(top) + webkit_origin(client))
        value = f"lfx-{client.split('://')[1]}-under-{top.split('://')[1]}"
        os.makedirs(os.path.join(d, "LocalStorage"))
        db = sqlite3.connect(os.path.join(d, "LocalStorage", "localstorage.sqlite3"))
        db.execute("CREATE TABLE ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, "
                   "value BLOB NOT NULL ON CONFLICT FAIL)")
        db.execute("INSERT INTO ItemTable VALUES ('lfx', ?)", (value.encode("utf-16-le"),))
        db.commit()
        db.close()
        idb = os.path.join(d, "IndexedDB", webkit_enc("lfx", WEBSITE_DATA_SALT))
        os.makedirs(idb)
        db = sqlite3.connect(os.path.join(idb, "IndexedDB.sqlite3"))
        db.executescript("""
CREATE TABLE IDBDatabaseInfo (key TEXT NOT NULL ON CONFLICT FAIL UNIQUE ON CONFLICT REPLACE,
  value TEXT NOT NULL ON CONFLICT FAIL);
CREATE TABLE ObjectStoreInfo (id INTEGER PRIMARY KEY NOT NULL ON CONFLICT FAIL UNIQUE ON CONFLICT FAIL,
  name TEXT NOT NULL ON CONFLICT FAIL UNIQUE ON CONFLICT FAIL, keyPath BLOB NOT NULL ON CONFLICT FAIL,
  autoInc INTEGER NOT NULL ON CONFLICT FAIL);
CREATE TABLE Records (objectStoreID INTEGER NOT NULL ON CONFLICT FAIL, key BLOB NOT NULL ON CONFLICT FAIL,
  value NOT NULL ON CONFLICT FAIL, recordID INTEGER PRIMARY KEY);
""")
        db.executemany("INSERT INTO IDBDatabaseInfo VALUES (?, ?)",
                       [("MetadataVersion", "1"), ("DatabaseName", "lfx"),
                        ("DatabaseVersion", "1"), ("MaxObjectStoreID", "1")])
        db.execute("INSERT INTO ObjectStoreInfo VALUES (1, 's', x'', 0)")
        db.execute("INSERT INTO Records(objectStoreID, key, value) VALUES (1, ?, ?)",
                   (b"k", value.encode()))
        db.commit()
        db.close()


def main():
    home = sys.argv[1]
    lib = os.path.join(home, CONTAINER)
    write_cookies(os.path.join(lib, "Cookies", "Cookies.binarycookies"), DEFAULT_COOKIES)
    named = os.path.join(lib, "WebKit", "WebsiteDataStore", PROFILE_UUID.lower())
    write_cookies(os.path.join(named, "Cookies", "Cookies.binarycookies"), WORK_COOKIES)
    write_tabs(os.path.join(lib, "Safari", "SafariTabs.db"))
    write_cache(os.path.join(lib, "Caches", "com.apple.Safari"))
    write_webkit_cache(os.path.join(lib, "Caches", "com.apple.Safari"))
    write_website_data(os.path.join(lib, "WebKit", "WebsiteData", "Default"))


if __name__ == "__main__":
    main()
