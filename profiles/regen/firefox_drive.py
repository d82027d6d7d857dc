#!/usr/bin/env python3
"""Drive firefox-esr over Marionette (stdlib only).

Usage: firefox_drive.py --profile-dir DIR [--port 2828] [--rounds N] [--tab URL]...
                        [--ready-file R] [--hold-file F] -- [URL ...] -- FIREFOX ARGS...

Starts Firefox with the given arguments plus --marionette, loads every URL in
turn (the list N times, default twice; each load waits for the page's load
event), opens each --tab URL in a new tab of its own, waits until
Firefox has written DIR/sessionstore-backups/recovery.jsonlz4 holding a
session cookie of every host given with --session-host, then quits Firefox
through Marionette:Quit. That is a normal application quit: Firefox writes
sessionstore.jsonlz4, checkpoints cookies.sqlite's WAL and removes its lock.
(SIGTERM is NOT a clean shutdown for firefox-esr 153: it leaves
cookies.sqlite-wal full and writes no sessionstore.jsonlz4.)

--ready-file R: create R once the visits are done (Firefox is running and holds
its profile lock). --hold-file F: then keep Firefox running until F exists.
"""
import argparse
import json
import os
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mozlz4  # noqa: E402


class Marionette:
    def __init__(self, port, timeout=60):
        end = time.time() + timeout
        while True:
            try:
                self.sock = socket.create_connection(("127.0.0.1", port), 2)
                break
            except OSError:
                if time.time() > end:
                    raise
                time.sleep(0.3)
        self.sock.settimeout(60)
        self.buf = b""
        self.msg_id = 0
        self.hello = self._read()

    def _read(self):
        while b":" not in self.buf:
            self.buf += self._recv()
        length, rest = self.buf.split(b":", 1)
        n = int(length)
        while len(rest) < n:
            rest += self._recv()
        self.buf = rest[n:]
        return json.loads(rest[:n])

    def _recv(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError("marionette connection closed")
        return chunk

    def call(self, name, params=None):
        self.msg_id += 1
        data = json.dumps([0, self.msg_id, name, params or {}]).encode()
        self.sock.sendall(str(len(data)).encode() + b":" + data)
        while True:
            msg = self._read()
            if msg[0] == 1 and msg[1] == self.msg_id:
                if msg[2]:
                    raise RuntimeError(f"{name}: {msg[2]}")
                return msg[3]


def session_cookie_hosts(profile):
    path = os.path.join(profile, "sessionstore-backups", "recovery.jsonlz4")
    try:
        j = json.loads(mozlz4.read_mozlz4(path))
    except (OSError, ValueError):
        return set()
    cookies = list(j.get("cookies", []))
    for w in j.get("windows", []):
        cookies += w.get("cookies", [])
    return {c.get("host") for c in cookies}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile-dir", required=True)
    ap.add_argument("--port", type=int, default=2828)
    ap.add_argument("--session-host", action="append", default=[])
    ap.add_argument("--linger", type=float, default=0,
                    help="seconds to keep Firefox running before quitting")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--tab", action="append", default=[],
                    help="after the rounds, open URL in a new tab (and keep it)")
    ap.add_argument("--ready-file")
    ap.add_argument("--hold-file")
    ap.add_argument("rest", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    rest = a.rest[1:] if a.rest[:1] == ["--"] else a.rest
    sep = rest.index("--")
    urls, cmd = rest[:sep], rest[sep + 1:]

    proc = subprocess.Popen(cmd + ["--marionette"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        m = Marionette(a.port)
        m.call("WebDriver:NewSession", {"capabilities": {"alwaysMatch": {
            "acceptInsecureCerts": False, "pageLoadStrategy": "normal"}}})
        for round_no in range(1, a.rounds + 1):
            for url in urls:
                m.call("WebDriver:Navigate", {"url": url})
                print(f"visited ({round_no}) {url}", file=sys.stderr)
                time.sleep(0.3)
        for url in a.tab:
            # A second tab: Firefox keeps the sessionStorage of each tab's
            # current page in its session files, so a tab per page keeps both.
            h = m.call("WebDriver:NewWindow", {"type": "tab"})["handle"]
            m.call("WebDriver:SwitchToWindow", {"handle": h, "focus": True})
            m.call("WebDriver:Navigate", {"url": url})
            print(f"visited in a new tab {url}", file=sys.stderr)
        want = set(a.session_host)
        end = time.time() + 30
        while not want <= session_cookie_hosts(a.profile_dir):
            if time.time() > end:
                print("error: recovery.jsonlz4 never held session cookies of "
                      f"{sorted(want - session_cookie_hosts(a.profile_dir))}",
                      file=sys.stderr)
                sys.exit(1)
            time.sleep(0.5)
        print("recovery.jsonlz4 holds session cookies of "
              f"{sorted(session_cookie_hosts(a.profile_dir))}", file=sys.stderr)
        time.sleep(max(1.5, a.linger))
        if a.ready_file:
            open(a.ready_file, "w").close()
        if a.hold_file:
            print(f"holding until {a.hold_file} exists", file=sys.stderr,
                  flush=True)
            while not os.path.exists(a.hold_file):
                time.sleep(0.1)
        try:
            m.call("Marionette:Quit", {"flags": ["eAttemptQuit"]})
        except (EOFError, OSError):
            pass
        rc = proc.wait(timeout=60)
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    print(f"firefox exited with status {rc}", file=sys.stderr)
    sys.exit(0 if rc == 0 else 1)


if __name__ == "__main__":
    main()
