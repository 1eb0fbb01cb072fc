#!/usr/bin/env python3
"""Build benchmark: qili (and Hugo, when installed) on the same generated corpus.

    cargo build --release
    python3 tests/bench/build_bench.py --n 10000 [--runs 5] [--gen ../shared/bench/gen_corpus.py]

Generates a corpus with the shared generator (plain flavour for qili, hugo flavour for Hugo),
adapts it to qili's schema (adapt_corpus.py), builds it once to warm up and then RUNS times, and
prints the median wall time, pages per second and peak memory (max RSS) of each.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def timed(cmd, cwd=None):
    if shutil.which("/usr/bin/time") or os.path.exists("/usr/bin/time"):
        t = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, cwd=cwd,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - t
        if proc.returncode != 0:
            sys.exit("failed: %s\n%s" % (" ".join(cmd), proc.stderr[-2000:]))
        rss_kb = int(proc.stderr.strip().splitlines()[-1])
        return wall, rss_kb / 1024
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t, float("nan")


def bench(name, cmd, runs, pages, cwd=None):
    timed(cmd, cwd)  # warm-up
    results = [timed(cmd, cwd) for _ in range(runs)]
    walls = [w for w, _ in results]
    rss = max(m for _, m in results)
    med = statistics.median(walls)
    print("%-12s %6d pages  median %.2f s  (%s)  %.0f pages/s  peak %.0f MiB" % (
        name, pages, med, ", ".join("%.2f" % w for w in walls), pages / med, rss))
    return med, rss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--gen", default=os.path.join(REPO, "..", "shared", "bench", "gen_corpus.py"))
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="qili-bench-")
    plain, site, hugo = (os.path.join(work, d) for d in ("plain", "qili", "hugo"))
    subprocess.run([sys.executable, args.gen, "--n", str(args.n), "--flavor", "plain", "--out", plain],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, os.path.join(HERE, "adapt_corpus.py"), plain, site],
                   check=True, stdout=subprocess.DEVNULL)
    qili = os.path.join(REPO, "target", "release", "qili")
    # qili renders each lesson once per audience it is for, so it writes more pages than
    # sources; pages/s below counts sources, as Hugo's figure does.
    cmd = [qili, "build", "--root", site, "--today", "2026-11-26"]
    # Like for like with Hugo first: the same pages, without qili's print posters.
    with open(os.path.join(site, "site.yaml"), "a", encoding="utf-8") as f:
        f.write("\nposters: false\n")
    q = bench("qili", cmd, args.runs, args.n)
    if shutil.which("hugo"):
        subprocess.run([sys.executable, args.gen, "--n", str(args.n), "--flavor", "hugo", "--out", hugo],
                       check=True, stdout=subprocess.DEVNULL)
        h = bench("hugo", ["hugo", "--quiet", "-d", os.path.join(work, "hugo-out")], args.runs, args.n, cwd=hugo)
        print("qili/hugo: %.2fx the speed, %.2fx the memory" % (h[0] / q[0], q[1] / h[1]))
    else:
        print("hugo not installed (apt-get install hugo) — no side-by-side figure")
    # Then as the town runs it: every notice also gets A3 and A4 posters with a QR code.
    text = open(os.path.join(site, "site.yaml"), encoding="utf-8").read()
    with open(os.path.join(site, "site.yaml"), "w", encoding="utf-8") as f:
        f.write(text.replace("\nposters: false\n", "\n"))
    bench("qili+posters", cmd, args.runs, args.n)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
