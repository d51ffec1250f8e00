"""`make bench`: measures the site on this machine and prints ratios against the goals.

Starts gunicorn (production settings, DEBUG off) on a throw-away SQLite database (or a fresh
database on the DATABASE_URL server when set), seeds it, and measures side by side in one run:
  1. post page (50 comments) requests/s ÷ a bare Django view returning the same bytes
  2. p50 / p99 latency of the post page at 16 concurrent connections
  3. post with 10,000 comments ÷ post with 10, in requests/s
  4. sync_posts on 1,000 generated posts: first run and an unchanged re-run
  5. the post page's transfer size: HTML (gzip, as a proxy sends it) + CSS + JS (Brotli)
Every load run is bounded in time and targets 127.0.0.1 only. The servers are started, waited
for and stopped by the tests' live-server harness (tests/support/live_servers.py).
"""

import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from statistics import median

from bench.loadgen import measure
from tests.support.live_servers import free_port, gunicorn_servers, live_database, prepare, site_env

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
# Each URL is loaded once per round, the rounds interleaved: the machine's noise (other
# tenants, CPU frequency) then falls on every URL alike, and each ratio compares neighbours.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


def run(*command, env):
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def fetch(url, encoding=None):
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding} if encoding else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


def csrf_cookie(base):
    """The Cookie header of a reader who once used the comment form: the CSRF cookie it got."""
    with urllib.request.urlopen(f"{base}/blog/comments/token/", timeout=10) as response:
        for header in response.headers.get_all("Set-Cookie") or []:
            if header.startswith("csrftoken="):
                return header.split(";")[0]
    raise SystemExit(f"{base}/blog/comments/token/ set no CSRF cookie")


def ratios(numerators, denominators):
    """Round-by-round ratios of requests/s: their median, then every round's."""
    values = [
        n.requests_per_second / d.requests_per_second
        for n, d in zip(numerators, denominators, strict=True)
    ]
    return f"{median(values):.2f} (rounds: {', '.join(f'{v:.2f}' for v in values)})"


def generate_posts(folder, count):
    (folder / "posts").mkdir(parents=True)
    for n in range(count):
        (folder / "posts" / f"{n:04d}.md").write_text(
            f'---\ntitle: "Generated post {n}"\nslug: generated-{n}\nstatus: published\n'
            f"published: 2026-01-01T00:00:00Z\ntags: [bench, tag-{n % 20}]\n---\n\n"
            f"## Section {n}\n\n" + "Some words about IT support. " * 60 + "\n"
        )


def timed(*command, env):
    start = time.perf_counter()
    run(*command, env=env)
    return time.perf_counter() - start


def main():
    workdir = Path(tempfile.mkdtemp(prefix="itguide-bench-"))
    with live_database(workdir) as database_url:
        port = free_port()
        env = site_env(
            workdir,
            database_url,
            [port],
            workers=None,  # gunicorn's default for this machine, as production runs it
            base=os.environ,
            DJANGO_SETTINGS_MODULE="bench.settings",
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            BENCH_BARE_FILE=workdir / "bare.html",
        )
        print(f"Preparing a benchmark database in {workdir} …", flush=True)
        prepare(env, [PYTHON, "-m", "bench.seed"])
        with gunicorn_servers(env, [port], workdir) as [base]:
            results, transfer = measure_pages(base, workdir)
        report(results, transfer, *time_sync_posts(workdir, env))
    shutil.rmtree(workdir, ignore_errors=True)


def measure_pages(base, workdir):
    """Load every URL in interleaved rounds; return the results by name and the transfer size."""
    post_url = f"{base}/blog/bench-50/"
    html = fetch(post_url)
    (workdir / "bare.html").write_bytes(html)
    loads = [
        ("bare", "bare view, same bytes", f"{base}/__bench__/bare/", {}),
        ("post", "post, 50 comments", post_url, {}),
        ("returning", "same, returning reader", post_url, {"Cookie": csrf_cookie(base)}),
        ("post10", "post, 10 comments", f"{base}/blog/bench-10/", {}),
        ("post10k", "post, 10,000 comments", f"{base}/blog/bench-10k/", {}),
    ]
    print(
        f"Load: 16 connections, {ROUNDS} interleaved rounds of {SECONDS:.0f} s per URL "
        "after a 2 s warm-up each\n",
        flush=True,
    )
    for _, _, url, headers in loads:
        measure(url, 16, 2, headers)
    results = {name: [] for name, *_ in loads}
    for round_number in range(1, ROUNDS + 1):
        for name, label, url, headers in loads:
            result = measure(url, 16, SECONDS, headers)
            results[name].append(result)
            print(
                f"  round {round_number}  {label:26} {result.requests_per_second:7.0f} req/s"
                f"   p50 {result.p50_ms:5.1f} ms   p99 {result.p99_ms:6.1f} ms"
                f"   errors {result.errors}   ({result.tool})",
                flush=True,
            )

    css_js = re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
    transfer = len(gzip.compress(html, 6)) + sum(
        len(fetch(base + p.decode(), "br")) for p in css_js
    )
    return results, transfer


def time_sync_posts(workdir, env):
    """sync_posts on 1,000 generated posts, first run and re-run, and the start-up they share."""
    manage = [PYTHON, "manage.py"]
    content = workdir / "generated"
    generate_posts(content, 1000)
    first = timed(*manage, "sync_posts", "--content-dir", str(content), env=env)
    rerun = timed(*manage, "sync_posts", "--content-dir", str(content), env=env)
    startup = timed(*manage, "check", env=env)
    return first, rerun, startup


def report(results, transfer, first, rerun, startup):
    post = results["post"]
    rows = [
        ("1. post page ÷ bare view (req/s)", ratios(post, results["bare"]), "≥ 0.7"),
        (
            "   the same for a returning reader",
            ratios(results["returning"], results["bare"]),
            "(has its CSRF cookie)",
        ),
        (
            "2. post page p50 / p99 (ms)",
            f"{median(r.p50_ms for r in post):.1f} / {median(r.p99_ms for r in post):.1f}",
            "p99 ≤ 50",
        ),
        (
            "3. 10,000 comments ÷ 10 comments (req/s)",
            ratios(results["post10k"], results["post10"]),
            "≥ 0.9",
        ),
        (
            "4. sync_posts 1,000 posts: first / re-run (s)",
            f"{first:.2f} / {rerun:.2f} (ratio {(rerun - startup) / (first - startup):.3f} "
            f"without the {startup:.2f} s start-up)",
            "re-run < 0.1 x first",
        ),
        ("5. post page transfer size (KB)", f"{transfer / 1024:.1f}", "≤ 60"),
    ]
    print("\nResults")
    for label, value, goal in rows:
        print(f"  {label:46} {value:48} goal {goal}")
    print("\nRatios are medians of the rounds' ratios; latencies, medians of the rounds' figures.")


if __name__ == "__main__":
    main()
