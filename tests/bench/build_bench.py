#!/usr/bin/env python3
"""Build benchmark: qili, Hugo and the floor side by side, on the same generated corpus.

    cargo build --release --bin qili --example floor
    python3 tests/bench/build_bench.py [--sizes 1000,10000,100000] [--where tmpfs,disk] [--runs 3]

For each size, generates a corpus with the shared generator (plain flavour adapted to qili's
schema by adapt_corpus.py with `posters: false`, hugo flavour for Hugo), then for each place the
files live (tmpfs: /dev/shm; disk: --disk-dir) builds it with each tool once to warm up and RUNS
times, and prints the median wall time, CPU time (user + system), peak memory (max RSS) and
sources per second, and the ratios: qili against Hugo and against the floor, and qili against
itself with `search: false` (what the search index costs).

The floor (tests/bench/floor.rs) reads every source, renders its body with pulldown-cmark and
writes one file per page qili writes for it, in parallel: the least any generator must do.

It also reports the largest HTML page qili wrote (the site keeps every page under 60 KB).
Binaries are looked up under $CARGO_TARGET_DIR (or target/); Hugo is skipped if not installed, Zola
unless `zola` is on PATH or given with --zola (it is not in Debian: build it from its source with
`cargo build --release`). Each builds the generator's own flavour of the same bodies.
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
TARGET = os.environ.get("CARGO_TARGET_DIR") or os.path.join(REPO, "target")
TODAY = "2026-11-26"


def timed(cmd, cwd=None):
    """Wall seconds, CPU seconds (user + system) and peak RSS in MiB of one run."""
    t = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%U %S %M"] + cmd, cwd=cwd,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(cmd), proc.stderr[-2000:]))
    user, system, rss_kb = proc.stderr.strip().splitlines()[-1].split()
    return wall, float(user) + float(system), int(rss_kb) / 1024


def bench(cmd, runs, cwd=None):
    timed(cmd, cwd)  # warm-up: caches, and the output folder exists as on a rebuild
    results = [timed(cmd, cwd) for _ in range(runs)]
    return {
        "wall": statistics.median(r[0] for r in results),
        "walls": [r[0] for r in results],
        "cpu": statistics.median(r[1] for r in results),
        "rss": max(r[2] for r in results),
    }


def largest_html(out):
    best = (0, "")
    for dirpath, _, files in os.walk(out):
        for f in files:
            if f.endswith(".html"):
                p = os.path.join(dirpath, f)
                best = max(best, (os.path.getsize(p), os.path.relpath(p, out)))
    return best


def corpus(gen, n, base, zola_bin):
    """Generates the qili site, the Hugo site and (with Zola) the Zola site for `n` sources
    under `base`."""
    plain, site, hugo, zola = (os.path.join(base, d) for d in ("plain", "qili", "hugo", "zola"))
    quiet = dict(check=True, stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, gen, "--n", str(n), "--flavor", "plain", "--out", plain], **quiet)
    subprocess.run([sys.executable, os.path.join(HERE, "adapt_corpus.py"), plain, site], **quiet)
    with open(os.path.join(site, "site.yaml"), "a", encoding="utf-8") as f:
        f.write("\nposters: false\n")
    shutil.rmtree(plain)
    if shutil.which("hugo"):
        subprocess.run([sys.executable, gen, "--n", str(n), "--flavor", "hugo", "--out", hugo], **quiet)
    if zola_bin:
        subprocess.run([sys.executable, gen, "--n", str(n), "--flavor", "zola", "--out", zola], **quiet)
    return site, hugo, zola


def row(name, n, r, pages=None):
    walls = ", ".join("%.2f" % w for w in r["walls"])
    print("  %-6s %8.2f s  (%s)  CPU %7.2f s  %8.0f 源文件/s  峰值 %6.0f MiB%s" % (
        name, r["wall"], walls, r["cpu"], n / r["wall"], r["rss"],
        "  %d 个文件" % pages if pages else ""))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--where", default="tmpfs,disk")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--disk-dir", default="/var/tmp", help="a folder on disk (not tmpfs)")
    ap.add_argument("--no-hugo-above", type=int, default=10**9,
                    help="skip Hugo for larger corpora (it needs about 1 GiB per 10,000 pages)")
    ap.add_argument("--gen", default=os.path.join(REPO, "..", "shared", "bench", "gen_corpus.py"))
    ap.add_argument("--qili", default=os.path.join(TARGET, "release", "qili"))
    ap.add_argument("--floor", default=os.path.join(TARGET, "release", "examples", "floor"))
    ap.add_argument("--zola", default=shutil.which("zola"), help="the zola binary (default: on PATH)")
    args = ap.parse_args()
    for b in (args.qili, args.floor):
        if not os.path.exists(b):
            sys.exit("%s missing: cargo build --release --bin qili --example floor" % b)
    places = {"tmpfs": "/dev/shm", "disk": args.disk_dir}
    print("qili / Hugo / floor, %d runs after a warm-up, medians; %s" % (args.runs, time.strftime("%Y-%m-%d")))
    for n in (int(s) for s in args.sizes.split(",")):
        for where in args.where.split(","):
            work = tempfile.mkdtemp(prefix="qili-bench-", dir=places[where])
            try:
                site, hugo, zola = corpus(args.gen, n, work, args.zola)
                print("%d 篇源文件，%s（%s）" % (n, where, work))
                out = os.path.join(work, "qili-out")
                q = bench([args.qili, "build", "--root", site, "--today", TODAY, "--output", out],
                          args.runs)
                files = sum(len(f) for _, _, f in os.walk(out))
                row("qili", n, q, files)
                # The same site with `search: false`: what the search index costs (#12: ≤ 15%).
                off = site + "-nosearch"
                shutil.copytree(site, off)
                with open(os.path.join(off, "site.yaml"), "a", encoding="utf-8") as f:
                    f.write("\nsearch: false\n")
                qs = bench([args.qili, "build", "--root", off, "--today", TODAY, "--output", out + "-nosearch"],
                           args.runs)
                row("无搜索", n, qs)
                fl = bench([args.floor, site, os.path.join(work, "floor-out")], args.runs)
                row("floor", n, fl, sum(len(f) for _, _, f in os.walk(os.path.join(work, "floor-out"))))
                h = None
                if shutil.which("hugo") and n <= args.no_hugo_above:
                    h = bench(["hugo", "--quiet", "-d", os.path.join(work, "hugo-out")], args.runs, cwd=hugo)
                    row("hugo", n, h)
                z = None
                if args.zola and n <= args.no_hugo_above:
                    z = bench([args.zola, "build", "--force", "-o", os.path.join(work, "zola-out")], args.runs, cwd=zola)
                    row("zola", n, z)
                size, page = largest_html(out)
                print("  qili 最大的页面：%s %.1f KB%s" % (page, size / 1024, "" if size <= 60 * 1024 else "（超过 60 KB）"))
                for name, peer in (("Hugo", h), ("Zola", z)):
                    if peer:
                        print("  qili 比 %s 快 %.2f 倍（CPU %.2f 倍），内存是 %s 的 %.2f" % (
                            name, peer["wall"] / q["wall"], peer["cpu"] / q["cpu"], name, q["rss"] / peer["rss"]))
                print("  qili 是地板的 %.2f 倍（CPU %.2f 倍）" % (q["wall"] / fl["wall"], q["cpu"] / fl["cpu"]))
                print("  搜索索引使生成多用 %+.0f%% 时间（CPU %+.0f%%），内存 %+.0f MiB" % (
                    (q["wall"] / qs["wall"] - 1) * 100, (q["cpu"] / qs["cpu"] - 1) * 100, q["rss"] - qs["rss"]))
                sys.stdout.flush()
            finally:
                shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
