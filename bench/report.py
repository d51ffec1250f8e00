"""What `make bench` prints: ratios of rounds, the results table, and worker memory."""

import os
from pathlib import Path
from statistics import median


def _rps(result):
    return getattr(result, "requests_per_second", result)


def ratio_row(numerators, denominators):
    """The median of the round-by-round ratios of requests/s, and every round's, as text;
    either side a load's results or plain requests/s."""
    values = [_rps(n) / _rps(d) for n, d in zip(numerators, denominators, strict=True)]
    return median(values), f"(rounds: {', '.join(f'{v:.2f}' for v in values)})"


def print_table(database, rows, notes):
    """One table a database: each row's value and goal, MISS where the goal is missed."""
    print(f"\nResults on {database}")
    for label, value, goal, met in rows:
        if not value:
            print(label)
            continue
        mark = "" if met is None else ("ok" if met else "MISS")
        print(f"  {label[:50]:50} {value:62} {goal:20} {mark}")
    print(
        "Ratios are medians of the rounds' ratios (a read ÷ the bare view's runs just before and "
        "after it); latencies, medians of the rounds' figures."
    )
    for note in notes:
        print(f"Note: {note}")


def memory_of_workers(port):
    """VmRSS in MB of each worker of the gunicorn master started by this process that serves
    `port` (its GUNICORN_BIND), smallest first."""
    processes = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            fields = dict(line.split(":\t", 1) for line in status.splitlines() if ":\t" in line)
            processes[int(entry.name)] = (int(fields["PPid"]), fields.get("VmRSS", "0 kB"))
        except (OSError, KeyError, ValueError):
            continue  # ended while we looked, or not ours to read
    bind = f"GUNICORN_BIND=127.0.0.1:{port}".encode()
    masters = []
    for pid, (parent, _) in processes.items():
        if parent == os.getpid():
            try:
                if bind in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0"):
                    masters.append(pid)
            except OSError:
                continue
    return sorted(
        int(rss.split()[0]) / 1024 for pid, (parent, rss) in processes.items() if parent in masters
    )


def answers_text(statuses):
    """'302: 120, 429: 3': answers counted by status."""
    return ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items(), key=str)) or "none"


def table_rows(pages, reads, mixed, writes, memory, transfer, sync, write_rates=(2, 10)):
    """(label, value, goal, met) rows; `met` is None for a figure shown only for context."""
    rows = [("1. Reader pages ÷ bare view (req/s), p50 / p99 at 16 connections", "", "", None)]
    for name, label in (("bare", "bare view itself"), ("minimal", "minimal project's bare view")):
        rps = median(r.requests_per_second for r in reads[name])
        p50 = median(r.p50_ms for r in reads[name])
        p99 = median(r.p99_ms for r in reads[name])
        value = f"{rps:.0f} req/s  p50 {p50:.1f} p99 {p99:.1f} ms"
        rows.append((f"   ({label})", value, "context", None))
    for name, label, _, _ in pages:
        ratio, cells = ratio_row(reads[name], reads[f"bare@{name}"])
        p50 = median(r.p50_ms for r in reads[name])
        p99 = median(r.p99_ms for r in reads[name])
        value = f"{ratio:.2f} {cells}  p50 {p50:.1f} p99 {p99:.1f} ms"
        rows.append((f"   {label}", value, "≥ 0.8, p99 ≤ 25", ratio >= 0.8 and p99 <= 25))
    ratio, cells = ratio_row(reads["post10k"], reads["post10"])
    rows.append(
        ("   post 10,000 comments ÷ 10 comments", f"{ratio:.2f} {cells}", "≥ 0.9", ratio >= 0.9)
    )
    ratio, cells = ratio_row(reads["bare@minimal"], reads["minimal"])
    rows.append(
        (
            "2. bare view ÷ minimal project's bare view",
            f"{ratio:.2f} {cells}",
            "≥ 0.8",
            ratio >= 0.8,
        )
    )
    ratio, cells = ratio_row(reads["static"], reads["minimal"])
    rows.append(
        ("   static file (whitenoise) ÷ minimal bare view", f"{ratio:.2f} {cells}", "context", None)
    )
    rows.append(("3. Writes accepted/s ÷ bare one-INSERT view", "", "", None))
    for kind in ("comments", "recommendations"):
        pairs = zip(writes[kind], writes["insert"], strict=True)
        values = [sent.per_second(302) / insert.per_second(302) for sent, insert in pairs]
        refused = sum(n for s in writes[kind] for st, n in s.statuses.items() if st != 302)
        value = (
            f"{median(values):.2f} (rounds: {', '.join(f'{v:.2f}' for v in values)})  "
            f"{median(s.per_second(302) for s in writes[kind]):.0f}/s vs "
            f"{median(i.per_second(302) for i in writes['insert']):.0f}/s, {refused} refused"
        )
        rows.append((f"   {kind}", value, "≥ 0.5", median(values) >= 0.5))
    results, answers = mixed
    rows.append(("4. Post page while comments are approved ÷ no writes", "", "", None))
    rows.append(
        ("   no writes", f"p99 {median(r.p99_ms for r in results[0]):.1f} ms", "context", None)
    )
    for rate, goal in zip(write_rates, (0.9, 0.7), strict=True):
        ratio, cells = ratio_row(results[rate], results[0])
        p99 = median(r.p99_ms for r in results[rate])
        value = f"{ratio:.2f} {cells}  p99 {p99:.1f} ms  (answers {answers_text(answers[rate])})"
        rows.append((f"   {rate} comments/s", value, f"≥ {goal}", ratio >= goal))
    for server, sizes in memory.items():
        rows.append(
            (
                f"5. VmRSS per gunicorn worker, {server} (MB)",
                ", ".join(f"{mb:.0f}" for mb in sizes),
                "context",
                None,
            )
        )
    first, rerun, startup = sync
    rows.append(
        (
            "6. sync_posts 1,000 posts: first / re-run (s)",
            f"{first:.2f} / {rerun:.2f} (ratio {(rerun - startup) / (first - startup):.3f} "
            f"without the {startup:.2f} s start-up)",
            "re-run < 0.1 x first",
            (rerun - startup) < 0.1 * (first - startup),
        )
    )
    rows.append(
        ("   post page transfer size (KB)", f"{transfer / 1024:.1f}", "≤ 60", transfer <= 60 * 1024)
    )
    return rows
