#!/usr/bin/env python3
"""Drive Debian's chromium over --remote-debugging-pipe (stdlib only).

Usage: chromium_drive.py [--wait SECONDS] [--rounds N] [--ready-file R]
                         [--hold-file F] -- [URL ...] -- CHROMIUM ARGS...

Starts chromium with the given arguments plus --remote-debugging-pipe, opens
each URL in turn in the page target (waiting for the load event plus a short
pause so sub-resources and cookies land), visits the whole list N times
(default 2), then asks the browser to close itself with the DevTools command
Browser.close. A browser that closes this way shuts down normally, so it
flushes its cookie database, HTTP cache index and Preferences exactly as it
would for a user.

--ready-file R: create R once the visits are done and the browser is idle.
--hold-file F: then keep the browser running until F exists (tests use this to
run a tool against a profile whose browser is running).
"""
import json
import os
import subprocess
import sys
import time


class Pipe:
    def __init__(self, wfd, rfd):
        self.w = os.fdopen(wfd, "wb", buffering=0)
        self.r = os.fdopen(rfd, "rb", buffering=0)
        self.buf = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self.w.write(json.dumps(msg).encode() + b"\0")
        return self.next_id

    def read_msg(self):
        while b"\0" not in self.buf:
            chunk = self.r.read(65536)
            if not chunk:
                raise EOFError("browser closed the pipe")
            self.buf += chunk
        raw, self.buf = self.buf.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method, params=None, session=None):
        want = self.send(method, params, session)
        while True:
            m = self.read_msg()
            if m.get("id") == want:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, name, session, timeout):
        end = time.time() + timeout
        for i, m in enumerate(self.events):
            if m.get("method") == name and m.get("sessionId") == session:
                del self.events[: i + 1]
                return True
        self.events.clear()
        while time.time() < end:
            m = self.read_msg()
            if m.get("method") == name and m.get("sessionId") == session:
                return True
        return False


def main():
    argv = sys.argv[1:]
    wait = 1.5
    rounds = 2
    ready = hold = None
    while argv[:1] in (["--wait"], ["--rounds"], ["--ready-file"], ["--hold-file"]):
        if argv[0] == "--wait":
            wait = float(argv[1])
        elif argv[0] == "--rounds":
            rounds = int(argv[1])
        elif argv[0] == "--ready-file":
            ready = argv[1]
        else:
            hold = argv[1]
        argv = argv[2:]
    assert argv[0] == "--"
    sep = argv.index("--", 1)
    urls, cmd = argv[1:sep], argv[sep + 1:]

    # fd 3: browser reads commands; fd 4: browser writes replies.
    cmd_r, cmd_w = os.pipe()
    rep_r, rep_w = os.pipe()

    def child_fds():
        os.dup2(cmd_r, 3)
        os.dup2(rep_w, 4)

    proc = subprocess.Popen(cmd + ["--remote-debugging-pipe", "about:blank"],
                            pass_fds=(3, 4), preexec_fn=child_fds,
                            stdout=subprocess.DEVNULL)
    # pass_fds keeps 3 and 4 open in the child after preexec_fn's dup2.
    os.close(cmd_r)
    os.close(rep_w)
    p = Pipe(cmd_w, rep_r)
    try:
        # On a fresh profile the first tab can appear a moment after the
        # pipe is up: poll for it, and open one if none shows up.
        page_id = None
        end = time.time() + 15
        while page_id is None and time.time() < end:
            for t in p.call("Target.getTargets")["targetInfos"]:
                if t["type"] == "page":
                    page_id = t["targetId"]
                    break
            else:
                time.sleep(0.2)
        if page_id is None:
            page_id = p.call("Target.createTarget",
                             {"url": "about:blank"})["targetId"]
        sess = p.call("Target.attachToTarget",
                      {"targetId": page_id, "flatten": True})["sessionId"]
        p.call("Page.enable", session=sess)
        for round_no in range(1, rounds + 1):
            for url in urls:
                p.call("Page.navigate", {"url": url}, session=sess)
                if not p.wait_event("Page.loadEventFired", sess, 15):
                    print(f"warning: no load event for {url}", file=sys.stderr)
                time.sleep(wait)
                print(f"visited ({round_no}) {url}", file=sys.stderr)
        p.call("Page.navigate", {"url": "about:blank"}, session=sess)
        p.wait_event("Page.loadEventFired", sess, 5)
        if ready:
            open(ready, "w").close()
        if hold:
            print(f"holding until {hold} exists", file=sys.stderr, flush=True)
            while not os.path.exists(hold):
                time.sleep(0.1)
        try:
            p.call("Browser.close")
        except EOFError:
            pass
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    finally:
        try:
            rc = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.terminate()
            rc = proc.wait(timeout=10)
            print("error: browser did not exit after Browser.close",
                  file=sys.stderr)
            sys.exit(1)
    print(f"chromium exited with status {rc}", file=sys.stderr)
    sys.exit(0 if rc == 0 else 1)


if __name__ == "__main__":
    main()
