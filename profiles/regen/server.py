#!/usr/bin/env python3
"""HTTPS server used by profiles/regenerate.sh and tests/real_browsers.rs
(standard library only).

Every host name resolves (via browser flags/prefs) to 127.0.0.1; this server
answers by the Host header, sets the loginfix sample cookies and serves
cacheable sub-resources. Each request is logged as one tab-separated line:
    <utc time>  <Host>  <method> <path>  Cookie: <header or ->  Referer: <header or ->
to the file given with --log (never inside profiles/).

Every cookie value has the form lfxsecret_<something> so that tests can grep
a tool's output for leaked values.
"""
import argparse
import datetime
import http.server
import os
import socketserver
import ssl
import sys
import threading
import urllib.parse

# Lifetime of persistent cookies and of cacheable sub-resources (seconds).
# Long on purpose: the generated homes are committed, and a short lifetime
# would make every cookie/cache entry expire soon after regeneration.
MAX_AGE = int(os.environ.get("LFX_MAX_AGE", str(365 * 24 * 3600)))

def _png_1x1():
    import struct
    import zlib

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)  # 1x1 RGBA
    idat = zlib.compress(b"\x00\x10\xa3\x7f\xff")      # one teal pixel
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


PIXEL_PNG = _png_1x1()


def persistent(name, value, extra=""):
    return f"{name}={value}; Path=/; Secure; Max-Age={MAX_AGE}{extra}"


def session(name, value, extra=""):
    return f"{name}={value}; Path=/; Secure{extra}"


# Per host: cookies set by the page "/", and whether the page embeds the
# third-party https://cdn.oaistatic.com/logo.png (partitioned cookie).
SITES = {
    "chatgpt.com": {
        "cookies": [
            persistent("__Secure-next-auth.session-token",
                       "lfxsecret_chatgpt_hostonly_session_token",
                       "; HttpOnly; SameSite=Lax"),
            persistent("oai-did", "lfxsecret_chatgpt_domain_did",
                       "; Domain=chatgpt.com; SameSite=Lax"),
            session("oai-session", "lfxsecret_chatgpt_session_only",
                    "; HttpOnly; SameSite=Lax"),
        ],
        "third_party": True,
    },
    "auth.openai.com": {
        "cookies": [
            persistent("auth-session", "lfxsecret_auth_openai_hostonly",
                       "; HttpOnly; SameSite=Lax"),
        ],
        "third_party": False,
    },
    "openai.com": {
        "cookies": [
            persistent("oai-domain", "lfxsecret_openai_domain",
                       "; Domain=openai.com; SameSite=Lax"),
        ],
        "third_party": False,
    },
    "example.org": {
        "cookies": [
            persistent("eo-keep", "lfxsecret_example_org_persistent",
                       "; SameSite=Lax"),
            session("eo-session", "lfxsecret_example_org_session_only",
                    "; SameSite=Lax"),
        ],
        "third_party": True,
    },
    "notchatgpt.com": {
        "cookies": [
            persistent("nc-keep", "lfxsecret_notchatgpt_persistent",
                       "; SameSite=Lax"),
        ],
        "third_party": False,
    },
    "chatgpt.com.evil.org": {
        "cookies": [
            persistent("evil-keep", "lfxsecret_chatgpt_com_evil_org_persistent",
                       "; SameSite=Lax"),
        ],
        "third_party": False,
    },
    "openai.com.example.org": {
        "cookies": [
            persistent("lookalike-keep",
                       "lfxsecret_openai_com_example_org_persistent",
                       "; SameSite=Lax"),
        ],
        "third_party": False,
    },
}

CDN_HOST = "cdn.oaistatic.com"


def cdn_cookie(top_site):
    # One value per embedding top-level site, so a test can tell the
    # chatgpt.com partition from the example.org partition by value.
    tag = {"chatgpt.com": "chatgpt", "example.org": "example_org"}.get(
        top_site, "unknown")
    return (f"tp=lfxsecret_cdn_partitioned_under_{tag}; Partitioned; "
            f"SameSite=None; Secure; Path=/; Max-Age={MAX_AGE}")


def page_html(host, third_party, query=""):
    # A page requested with a query string (`/?bust=N`) passes it on to its
    # sub-resources, so a test can defeat the cache on purpose and see which
    # cookies the browser still sends with them.
    img = ""
    if third_party:
        img = f'<img src="https://{CDN_HOST}/logo.png{query}" alt="third-party logo">\n'
    return (
        "<!doctype html>\n<html><head><meta charset=utf-8>"
        f"<title>{host} (loginfix sample)</title>"
        '<link rel="icon" href="data:,">'
        f"<script src=\"/app.js{query}\"></script></head>\n"
        f"<body><h1>{host}</h1>\n{img}"
        '<p id="status">loading</p></body></html>\n'
    ).encode()


# The storage round of tests/real_browsers.rs and the sample homes of
# profiles/regenerate.sh: `/storage?mode=write|read&run=R` writes (or reads
# back) localStorage, sessionStorage, an IndexedDB record, a Cache Storage
# entry and, in a top-level page, a service worker; then it reports the
# result with `/report?key=...&ls=1&ss=1&idb=0...` (the tests do not judge
# `ss`: sessionStorage lives as long as the tab). A top-level chatgpt.com page
# embeds example.org's storage page and the reverse, so each also writes in
# the other's partition. The page holds its load event open with `/slow`,
# which the server answers only once the page's report arrived (or after 10
# s), so the browser cannot move on or exit before the asynchronous writes
# are done.
STORAGE_FRAMES = {"chatgpt.com": "example.org", "example.org": "chatgpt.com"}
REPORTED = {}
REPORTED_LOCK = threading.Lock()


def reported(key):
    with REPORTED_LOCK:
        return REPORTED.setdefault(key, threading.Event())


STORAGE_JS = r"""
const q = new URLSearchParams(location.search);
const mode = q.get('mode'), run = q.get('run') || '';
const top1 = q.get('top') || location.hostname;
const key = [run, mode, location.hostname, top1].join('~');
const want = 'lfx-' + location.hostname + '-under-' + top1;
const r = {};
function req(x) {
  return new Promise((ok, no) => { x.onsuccess = () => ok(x.result); x.onerror = () => no(x.error); });
}
async function idb() {
  const open = indexedDB.open('lfx');
  let fresh = false;
  open.onupgradeneeded = () => {
    if (mode === 'write') open.result.createObjectStore('s');
    else { fresh = true; open.transaction.abort(); }
  };
  let db;
  try { db = await req(open); } catch (e) { if (fresh) return 0; throw e; }
  try {
    if (mode === 'write') {
      const tx = db.transaction('s', 'readwrite');
      tx.objectStore('s').put(want, 'k');
      await new Promise((ok, no) => { tx.oncomplete = ok; tx.onerror = () => no(tx.error); });
      return 1;
    }
    if (!db.objectStoreNames.contains('s')) return 0;
    const v = await req(db.transaction('s').objectStore('s').get('k'));
    return v === want ? 1 : 0;
  } finally { db.close(); }
}
async function cache() {
  if (mode === 'write') {
    const c = await caches.open('lfx');
    await c.put('/lfx-cached', new Response(want));
    return 1;
  }
  if (!(await caches.has('lfx'))) return 0;
  const m = await (await caches.open('lfx')).match('/lfx-cached');
  return m && (await m.text()) === want ? 1 : 0;
}
async function sw() {
  if (window.top !== window || !navigator.serviceWorker) return 'na';
  if (mode === 'write') {
    await navigator.serviceWorker.register('/sw.js');
    await navigator.serviceWorker.ready;
    return 1;
  }
  return (await navigator.serviceWorker.getRegistrations()).length ? 1 : 0;
}
async function step(name, f) {
  try { r[name] = await f(); } catch (e) { r[name] = 'err'; r[name + '_err'] = String(e).slice(0, 120); }
}
(async () => {
  await step('ls', async () => {
    if (mode === 'write') { localStorage.setItem('lfx', want); return 1; }
    return localStorage.getItem('lfx') === want ? 1 : 0;
  });
  await step('ss', async () => {
    if (mode === 'write') { sessionStorage.setItem('lfx', want); return 1; }
    return sessionStorage.getItem('lfx') === want ? 1 : 0;
  });
  await step('idb', idb);
  await step('cache', cache);
  await step('sw', sw);
  const p = new URLSearchParams(Object.assign({ key, mode, host: location.hostname, top: top1 }, r));
  await fetch('/report?' + p.toString(), { cache: 'no-store' });
  document.getElementById('status').textContent = 'reported';
})();
"""


def storage_html(host, query):
    q = dict(urllib.parse.parse_qsl(query.lstrip("?")))
    frame = ""
    if "top" not in q and host in STORAGE_FRAMES:
        other = STORAGE_FRAMES[host]
        frame = (f'<iframe src="https://{other}/storage?mode={q.get("mode", "")}'
                 f'&run={q.get("run", "")}&top={host}"></iframe>\n')
    top = q.get("top", host)
    key = "~".join([q.get("run", ""), q.get("mode", ""), host, top])
    return (
        "<!doctype html>\n<html><head><meta charset=utf-8>"
        f"<title>{host} storage (loginfix test)</title>"
        '<link rel="icon" href="data:,">'
        f"<script>{STORAGE_JS}</script></head>\n"
        f"<body><h1>{host} storage</h1>\n{frame}"
        f'<img src="/slow?key={key}" alt="">\n'
        '<p id="status">working</p></body></html>\n'
    ).encode()


LOG_LOCK = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "lfx-sample/1"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # silence default stderr logging
        pass

    def _log(self):
        host = (self.headers.get("Host") or "-")
        line = "\t".join([
            datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            host, f"{self.command} {self.path}",
            "Cookie: " + (self.headers.get("Cookie") or "-"),
            "Referer: " + (self.headers.get("Referer") or "-"),
        ])
        with LOG_LOCK:
            self.server.logfile.write(line + "\n")
            self.server.logfile.flush()

    def _send(self, status, ctype, body, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        self._log()
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        path, sep, rest = self.path.partition("?")
        query = sep + rest
        cache = ("Cache-Control", f"public, max-age={MAX_AGE}")
        if host == CDN_HOST and path == "/logo.png":
            ref = self.headers.get("Referer") or ""
            top = ref.split("/")[2].split(":")[0] if ref.count("/") >= 2 else ""
            self._send(200, "image/png", PIXEL_PNG,
                       [cache, ("Set-Cookie", cdn_cookie(top)),
                        ("Access-Control-Allow-Origin", "*")])
            return
        site = SITES.get(host)
        nostore = ("Cache-Control", "no-store")
        if site is not None and path == "/storage":
            self._send(200, "text/html; charset=utf-8",
                       storage_html(host, query), [nostore])
            return
        if site is not None and path == "/report":
            q = dict(urllib.parse.parse_qsl(rest))
            reported(q.get("key", "")).set()
            self._send(204, "text/plain", b"", [nostore])
            return
        if site is not None and path == "/slow":
            q = dict(urllib.parse.parse_qsl(rest))
            reported(q.get("key", "")).wait(10)
            self._send(200, "image/png", PIXEL_PNG, [nostore])
            return
        if site is not None and path == "/sw.js":
            self._send(200, "text/javascript",
                       b"// loginfix test service worker\n"
                       b"self.addEventListener('install', () => self.skipWaiting());\n",
                       [nostore])
            return
        if site is None:
            self._send(404, "text/plain", b"unknown host\n",
                       [("Cache-Control", "no-store")])
            return
        if path == "/":
            # The document itself: stored but revalidated every time, so
            # every visit reaches the server (its Cookie header is logged).
            hdrs = [("Cache-Control", "no-cache")]
            hdrs += [("Set-Cookie", c) for c in site["cookies"]]
            self._send(200, "text/html; charset=utf-8",
                       page_html(host, site["third_party"], query), hdrs)
        elif path == "/app.js":
            body = (f"// {host} app.js (loginfix sample, cacheable)\n"
                    "document.addEventListener('DOMContentLoaded',()=>{"
                    "document.getElementById('status').textContent='ok';});\n"
                    ).encode()
            self._send(200, "text/javascript", body, [cache])
        else:
            self._send(404, "text/plain", b"not found\n",
                       [("Cache-Control", "no-store")])


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # Failed TLS handshakes are expected: the browsers' own background
        # requests (mapped to 127.0.0.1 too) name hosts the certificate does
        # not cover, and plain-HTTP probes arrive on this port. Log one line.
        exc = sys.exc_info()[1]
        with LOG_LOCK:
            self.logfile.write(
                f"# connection error from {client_address[0]}: "
                f"{type(exc).__name__}: {exc}\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=443)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--ready", help="file created once the socket listens")
    a = ap.parse_args()
    srv = Server(("127.0.0.1", a.port), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(a.cert, a.key)
    ctx.set_alpn_protocols(["http/1.1"])
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True,
                                 do_handshake_on_connect=False)
    srv.logfile = open(a.log, "a", buffering=1)
    if a.ready:
        open(a.ready, "w").close()
    print(f"listening on 127.0.0.1:{a.port}", file=sys.stderr, flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
