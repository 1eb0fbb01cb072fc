#!/usr/bin/env python3
"""Time from saving a source to the live-reload event of `qili serve`.

    python3 tests/bench/reload_latency.py SITE_ROOT [LESSON_FILE] [--runs 10]

Starts `qili serve` (the release build, under $CARGO_TARGET_DIR if set) on SITE_ROOT, listens to /__qili/events, appends a line to
LESSON_FILE (a path under SITE_ROOT/content/lessons; the first lesson by default) and measures
until the next event arrives. With QILI_TIMINGS=1 the server's stage times are printed too. Prints each run and the median. Restores the file at the end.
"""
import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def qili_binary():
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(REPO, "target")
    return os.path.join(target, "release", "qili")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("lesson", nargs="?")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--qili", default=qili_binary(), help="the qili to run (default: the release build)")
    args = ap.parse_args()
    lessons = os.path.join(args.root, "content", "lessons")
    lesson = args.lesson or os.path.join(lessons, sorted(os.listdir(lessons))[0])
    original = open(lesson, encoding="utf-8").read()
    proc = subprocess.Popen(
        [args.qili, "serve", "--port", "0", "--root", args.root],
        stderr=subprocess.PIPE, text=True)
    port = None
    for line in proc.stderr:
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if m:
            port = int(m.group(1))
            break
    # Keep reading the server's messages, or a full pipe would stall it. With QILI_TIMINGS set,
    # the server's stage times are shown.
    timings = bool(os.environ.get("QILI_TIMINGS"))
    threading.Thread(target=lambda: [print(l, end="") for l in proc.stderr if timings and "ms]" in l],
                     daemon=True).start()
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(b"GET /__qili/events HTTP/1.1\r\nHost: x\r\n\r\n")
    buf = b""

    def next_event():
        nonlocal buf
        while b"\ndata: " not in buf:
            buf += sock.recv(4096)
        i = buf.index(b"\ndata: ") + 1
        end = buf.index(b"\n", i)
        ev, buf = buf[i:end], buf[end:]
        return ev

    next_event()  # the generation at connect time
    times = []
    try:
        for run in range(args.runs):
            time.sleep(0.3)
            t = time.perf_counter()
            with open(lesson, "w", encoding="utf-8") as f:
                f.write(original + "\n\n修改 %d\n" % run)
            next_event()
            ms = (time.perf_counter() - t) * 1000
            times.append(ms)
            print("run %d: %.1f ms" % (run + 1, ms))
    finally:
        with open(lesson, "w", encoding="utf-8") as f:
            f.write(original)
        proc.terminate()
        proc.wait()
    print("median save → reload event: %.1f ms (min %.1f, max %.1f)" % (
        statistics.median(times), min(times), max(times)))


if __name__ == "__main__":
    sys.exit(main())
