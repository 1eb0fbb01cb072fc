#!/usr/bin/env python3
"""Time from saving a source to the live-reload event of `qili serve`.

    python3 tests/bench/reload_latency.py SITE_ROOT [--runs 10] [--kinds lesson,notice,regulation]

Starts `qili serve` (the release build, under $CARGO_TARGET_DIR if set) on SITE_ROOT, listens to
/__qili/events, and for each kind appends a line to the body of the first source of that kind
(content/lessons, content/notices, content/regulations), measuring until the next event arrives.
With QILI_TIMINGS=1 the server's stage times are printed too. Prints each run and the median per
kind. Restores every file at the end.
"""
import argparse
import os
import re
import statistics
import socket
import subprocess
import sys
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FOLDERS = {"lesson": "lessons", "notice": "notices", "regulation": "regulations"}


def qili_binary():
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(REPO, "target")
    return os.path.join(target, "release", "qili")


def first_source(root, kind):
    folder = os.path.join(root, "content", FOLDERS[kind])
    for dirpath, dirs, files in sorted(os.walk(folder)):
        dirs.sort()
        for f in sorted(files):
            if f.endswith(".md"):
                return os.path.join(dirpath, f)
    sys.exit("no %s under %s" % (kind, folder))


class Events:
    """The server-sent events of /__qili/events, one `data:` line at a time."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        # The server answers only requests whose Host is its own address (issue #23).
        self.sock.sendall(("GET /__qili/events HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % port).encode())
        self.buf = b""

    def next(self):
        while b"\ndata: " not in self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                sys.exit("the server closed the event stream:\n%s" % self.buf.decode(errors="replace"))
            self.buf += chunk
        i = self.buf.index(b"\ndata: ") + 1
        end = self.buf.index(b"\n", i)
        ev, self.buf = self.buf[i:end], self.buf[end:]
        return ev


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--kinds", default="lesson,notice,regulation")
    ap.add_argument("--qili", default=qili_binary(), help="the qili to run (default: the release build)")
    args = ap.parse_args()
    kinds = args.kinds.split(",")
    files = {k: first_source(args.root, k) for k in kinds}
    originals = {k: open(f, encoding="utf-8").read() for k, f in files.items()}
    proc = subprocess.Popen(
        [args.qili, "serve", "--port", "0", "--root", args.root],
        stderr=subprocess.PIPE, text=True)
    port = None
    for line in proc.stderr:
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if m:
            port = int(m.group(1))
            break
    if port is None:
        sys.exit("qili serve did not start")
    # Keep reading the server's messages, or a full pipe would stall it. With QILI_TIMINGS set,
    # the server's stage times are shown.
    timings = bool(os.environ.get("QILI_TIMINGS"))
    threading.Thread(target=lambda: [print(l, end="") for l in proc.stderr if timings and "ms]" in l],
                     daemon=True).start()
    events = Events(port)
    events.next()  # the generation at connect time
    medians = {}
    try:
        for kind in kinds:
            times = []
            for run in range(args.runs):
                time.sleep(0.3)
                t = time.perf_counter()
                with open(files[kind], "w", encoding="utf-8") as f:
                    f.write(originals[kind].rstrip("\n") + "\n\n修改 %d\n" % run)
                events.next()
                ms = (time.perf_counter() - t) * 1000
                times.append(ms)
                print("%s run %d: %.1f ms" % (kind, run + 1, ms))
            medians[kind] = (statistics.median(times), min(times), max(times))
            with open(files[kind], "w", encoding="utf-8") as f:
                f.write(originals[kind])
            events.next()
    finally:
        for kind, f in files.items():
            with open(f, "w", encoding="utf-8") as out:
                out.write(originals[kind])
        proc.terminate()
        proc.wait()
    for kind, (med, lo, hi) in medians.items():
        print("%s: median save → reload event %.1f ms (min %.1f, max %.1f)" % (os.path.relpath(files[kind], args.root), med, lo, hi))


if __name__ == "__main__":
    sys.exit(main())
