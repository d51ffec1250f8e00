"""`make bench`: measures the site on this machine and prints ratios against the goals.

Starts gunicorn (production settings, DEBUG off) on a throw-away SQLite database, seeds it,
and measures side by side in one run; then does it all again on PostgreSQL + Redis when
DATABASE_URL (postgres://…) and REDIS_URL are both set. One table per database:
  1. every reader page type: requests/s ÷ the site's bare view (same bytes as the post page),
     p50 / p99 at 16 connections; and post with 10,000 comments ÷ post with 10
  2. the site's bare view ÷ the same view in a minimal Django project (no apps, no
     middleware, same gunicorn configuration): what our settings and middleware cost;
     a static file served by whitenoise, for context
  3. writes: comments accepted and recommendations saved a second, through the real forms,
     ÷ a bare view doing one INSERT in a transaction in the same server
  4. the post page while approved comments arrive on it at 2/s and 10/s ÷ with no writes
  5. memory (VmRSS) of each gunicorn worker after the load
  6. sync_posts on 1,000 generated posts, and the post page's transfer size
Loads are interleaved in rounds: the machine's noise (other tenants, CPU frequency) then
falls on every URL alike, and each ratio compares neighbours. Every load is bounded in time
and targets 127.0.0.1 only. Servers are started, waited for and stopped by the tests'
live-server harness (tests/support/live_servers.py).
"""

import gzip
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager, nullcontext
from pathlib import Path

from bench.loadgen import measure, send
from bench.pages import reader_pages
from bench.report import answers_text, memory_of_workers, print_table, table_rows
from bench.writes import comment_form, fetch_forms, insert_form, recommendation_form, steady_writer
from tests.support.live_servers import free_port, gunicorn_servers, live_database, prepare, site_env

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WARM_UP_SECONDS = 1
CONNECTIONS = 16
BRACKET = 4  # loads between two runs of the bare view they are compared with
WRITERS = 8  # client connections sending writes: more than the server has workers
WRITE_RATES = (2, 10)  # approved comments a second on the page being read
# What the bench's servers relax, and only theirs (config/settings.py reads these).
RELAXED = {
    # Forms are sent as soon as they are fetched, not after a person's typing time.
    "COMMENTS_FORM_MIN_SECONDS": "0",
    # Comments are approved on arrival, so each one changes the post page readers see.
    "COMMENTS_MODERATION": "none",
    # As behind nginx: the client's address is X-Forwarded-For's last entry, so every form
    # comes from its own client and the flood limits are checked but never reached.
    "DJANGO_TRUSTED_PROXY_COUNT": "1",
}


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


def main():
    databases = [("SQLite", {"DATABASE_URL": None, "REDIS_URL": None})]
    if os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL"):
        databases.append(("PostgreSQL + Redis", {}))
    # ~22 URLs read (with the bare view's 6 repeats), 3 read-while-writing conditions, 3 writes;
    # then seeding and sync_posts.
    per_database = 22 * WARM_UP_SECONDS + 28 * ROUNDS * SECONDS + 6 * ROUNDS * SECONDS + 90
    print(
        f"Benchmark on {' and '.join(name for name, _ in databases)}: {ROUNDS} rounds of "
        f"{SECONDS:g} s a load (BENCH_ROUNDS, BENCH_SECONDS), about "
        f"{math.ceil(per_database * len(databases) / 60)} min in all.",
        flush=True,
    )
    tables, start = [], time.monotonic()
    for name, overrides in databases:
        print(f"\n=== {name} ===", flush=True)
        with environment(overrides):
            tables.append((name, *run_suite()))
    for name, rows, notes in tables:
        print_table(name, rows, notes)
    print(f"\nThe benchmark took {(time.monotonic() - start) / 60:.1f} min.")


@contextmanager
def environment(overrides):
    """os.environ with `overrides` (None removes a variable): live_database() and site_env()
    read DATABASE_URL and REDIS_URL from it."""
    saved = dict(os.environ)
    for key, value in overrides.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run_suite():
    """Everything measured on one database: its table's rows and notes."""
    workdir = Path(tempfile.mkdtemp(prefix="itguide-bench-"))
    (workdir / "minimal").mkdir()
    with live_database(workdir) as database_url:
        port, minimal_port = free_port(), free_port()
        env = site_env(
            workdir,
            database_url,
            [port],
            workers=None,  # gunicorn's default for this machine, as production runs it
            base=os.environ,
            DJANGO_SETTINGS_MODULE="bench.settings",
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            BENCH_BARE_FILE=workdir / "bare.html",
            BENCH_SEED_FILE=workdir / "seeded.json",
            **RELAXED,
        )
        minimal_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.minimal.settings"}
        print(f"Preparing a benchmark database in {workdir} …", flush=True)
        prepare(env, [PYTHON, "-m", "bench.seed"])
        with (
            gunicorn_servers(env, [port], workdir) as [base],
            gunicorn_servers(minimal_env, [minimal_port], workdir / "minimal") as [minimal],
        ):
            html = fetch(f"{base}/blog/bench-50/")
            (workdir / "bare.html").write_bytes(html)
            assets = [p.decode() for p in re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)]
            seeded = json.loads((workdir / "seeded.json").read_text())
            pages, notes = reader_pages(base, seeded["result_url"], csrf_cookie(base))
            reads = measure_reads(base, minimal, pages, assets)
            mixed = measure_reads_while_writing(base)
            writes = measure_writes(base, seeded["answers"])
            memory = {"site": memory_of_workers(port), "minimal": memory_of_workers(minimal_port)}
            transfer = len(gzip.compress(html, 6)) + sum(
                len(fetch(base + path, "br")) for path in assets if path.endswith((".css", ".js"))
            )
        sync = time_sync_posts(workdir, env)
    shutil.rmtree(workdir, ignore_errors=True)
    rows = table_rows(pages, reads, mixed, writes, memory, transfer, sync, WRITE_RATES)
    relaxed = ", ".join(f"{key}={value}" for key, value in RELAXED.items())
    notes.append(f"Relaxed in the bench's servers only: {relaxed}")
    return rows, notes


def show(round_number, label, result):
    print(
        f"  round {round_number}  {label[:32]:32} {result.requests_per_second:7.0f} req/s"
        f"   p50 {result.p50_ms:5.1f} ms   p99 {result.p99_ms:6.1f} ms"
        f"   errors {result.errors}   ({result.tool})",
        flush=True,
    )


def measure_reads(base, minimal, pages, assets):
    """Every reader page, the minimal project's bare view and a static file, in interleaved
    rounds, with the site's bare view measured again after every BRACKET of them.

    Returns the results by name, and under "bare@<name>" the bare view's requests/s around
    each load (the mean of the bare runs just before and just after it): other tenants' load
    comes and goes within a round, so a page is compared with its neighbours in time.
    """
    css = next(path for path in assets if path.endswith(".css"))
    loads = [
        ("minimal", "minimal project's bare view", f"{minimal}/__bench__/bare/", {}),
        ("static", f"static {css.rsplit('/', 1)[-1]}", base + css, {}),
        *[(name, label, base + path, headers) for name, label, path, headers in pages],
    ]
    bare = ("bare", "bare view, same bytes", f"{base}/__bench__/bare/", {})
    groups = [loads[n : n + BRACKET] for n in range(0, len(loads), BRACKET)]
    print(
        f"Reads: {CONNECTIONS} connections, {len(loads) + 1} URLs, {ROUNDS} interleaved rounds "
        f"of {SECONDS:g} s each after a {WARM_UP_SECONDS} s warm-up; the bare view again "
        f"after every {BRACKET}",
        flush=True,
    )
    for _, _, url, headers in [bare, *loads]:
        measure(url, CONNECTIONS, WARM_UP_SECONDS, headers)
    results = {name: [] for name, *_ in [bare, *loads]}
    results.update({f"bare@{name}": [] for name, *_ in loads})

    def load(round_number, name, label, url, headers):
        results[name].append(measure(url, CONNECTIONS, SECONDS, headers))
        show(round_number, label, results[name][-1])
        return results[name][-1]

    for round_number in range(1, ROUNDS + 1):
        before = load(round_number, *bare)
        for group in groups:
            for item in group:
                load(round_number, *item)
            after = load(round_number, *bare)
            around = (before.requests_per_second + after.requests_per_second) / 2
            for name, *_ in group:
                results[f"bare@{name}"].append(around)
            before = after
    return results


def measure_reads_while_writing(base):
    """The post page with no writes, then while a writer posts approved comments to it at
    each of WRITE_RATES, interleaved; the writer's answers counted by status."""
    rates = " and ".join(f"{rate}/s" for rate in WRITE_RATES)
    print(f"Reads while writing: /blog/bench-50/ with approved comments arriving at {rates}")
    results = {rate: [] for rate in (0, *WRITE_RATES)}
    answers = {rate: {} for rate in WRITE_RATES}
    for round_number in range(1, ROUNDS + 1):
        for rate in results:
            forms = fetch_forms(lambda: comment_form(base, "bench-50"), rate * (int(SECONDS) + 2))
            writer = steady_writer(base, forms, rate) if rate else nullcontext({})
            with writer as statuses:
                results[rate].append(measure(f"{base}/blog/bench-50/", CONNECTIONS, SECONDS))
            for status, count in statuses.items():
                answers[rate][status] = answers[rate].get(status, 0) + count
            show(round_number, f"post page, {rate} comments/s", results[rate][-1])
    return results, answers


def measure_writes(base, answers):
    """Comments (to /blog/bench-10/) and recommendations, through their forms, and the bare
    insert view, in interleaved rounds of WRITERS connections."""
    print(f"Writes: {WRITERS} connections, forms fetched before each round's window")
    inserts = [[insert_form(base)] for _ in range(WRITERS)]
    makers = {
        "comments": lambda: comment_form(base, "bench-10"),
        "recommendations": lambda: recommendation_form(base, answers),
    }
    results = {"insert": [], "comments": [], "recommendations": []}
    for round_number in range(1, ROUNDS + 1):
        results["insert"].append(send(base, inserts, SECONDS, repeat=True))
        for kind, make in makers.items():
            # Enough forms for the last round's pace (a window ends early if they run out).
            earlier = results[kind][-1] if results[kind] else None
            insert_pace = results["insert"][-1].per_second(302)
            pace = earlier.per_second(302) if earlier else 0.5 * insert_pace
            count = min(3000, max(4 * WRITERS, math.ceil(1.3 * pace * SECONDS)))
            forms = fetch_forms(make, count)
            results[kind].append(send(base, [forms[n::WRITERS] for n in range(WRITERS)], SECONDS))
        for kind, sent in results.items():
            print(
                f"  round {round_number}  {kind:16} {sent[-1].per_second(302):7.0f} accepted/s"
                f"   in {sent[-1].seconds:.1f} s   answers {answers_text(sent[-1].statuses)}",
                flush=True,
            )
    return results


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
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def time_sync_posts(workdir, env):
    """sync_posts on 1,000 generated posts, first run and re-run, and the start-up they share."""
    manage = [PYTHON, "manage.py"]
    content = workdir / "generated"
    generate_posts(content, 1000)
    first = timed(*manage, "sync_posts", "--content-dir", str(content), env=env)
    rerun = timed(*manage, "sync_posts", "--content-dir", str(content), env=env)
    startup = timed(*manage, "check", env=env)
    return first, rerun, startup


if __name__ == "__main__":
    main()
