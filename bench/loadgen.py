"""Load generation for the benchmarks: wrk when installed, else a small Python generator.

`measure()` loads one GET URL and returns requests per second and p50/p99 latency in
milliseconds for a bounded run against a loopback URL. `send()` sends prepared POSTs (forms
fetched beforehand, each usable once) and counts the answers by status. The Python clients
run several processes of keep-alive threads so that the client is not held back by one
interpreter's lock.
"""

import http.client
import multiprocessing
import re
import shutil
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    tool: str


def measure(url, connections=16, seconds=8.0, headers=None):
    """Load `url` for `seconds` with `connections` clients sending `headers` on every request."""
    headers = headers or {}
    if shutil.which("wrk"):
        return _wrk(url, connections, seconds, headers)
    return _python(url, connections, seconds, headers)


def _wrk(url, connections, seconds, headers):
    header_options = [
        option for item in headers.items() for option in ("-H", "{}: {}".format(*item))
    ]
    output = subprocess.run(
        ["wrk", "--latency", "-t2", f"-c{connections}", f"-d{int(seconds)}s", *header_options, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def latency(percent):
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    bad = int(errors.group(1)) if errors else 0
    if socket_errors:
        bad += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return Result(rps, latency(50), latency(99), bad, "wrk")


def _worker(url, threads, seconds, headers, queue):
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    deadline = time.perf_counter() + seconds
    latencies, errors, lock = [], [0], threading.Lock()

    def loop():
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        mine, failed = [], 0
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    failed += 1
            except OSError:
                failed += 1
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    pool = [threading.Thread(target=loop) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    queue.put((latencies, errors[0]))


def _python(url, connections, seconds, headers):
    processes = max(1, min(4, multiprocessing.cpu_count()))
    queue = multiprocessing.Queue()
    per_process = [
        connections // processes + (i < connections % processes) for i in range(processes)
    ]
    workers = [
        multiprocessing.Process(target=_worker, args=(url, n, seconds, headers, queue))
        for n in per_process
        if n
    ]
    for worker in workers:
        worker.start()
    latencies, errors = [], 0
    for _ in workers:
        chunk, failed = queue.get()
        latencies.extend(chunk)
        errors += failed
    for worker in workers:
        worker.join()
    latencies.sort()

    def percentile(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000

    return Result(len(latencies) / seconds, percentile(0.50), percentile(0.99), errors, "python")


# --- Prepared POSTs ------------------------------------------------------------------------


@dataclass
class Post:
    """One POST as a browser sends it: path, urlencoded body, headers (cookie, address)."""

    path: str
    body: bytes
    headers: dict = field(default_factory=dict)


@dataclass
class Sent:
    statuses: Counter
    seconds: float  # from the start until the last answer, or the deadline

    def per_second(self, status):
        return self.statuses[status] / self.seconds


def send(base, shares, seconds, repeat=False):
    """POST each connection's share (one list of `Post`s a connection) to `base` until the
    shares run out or `seconds` pass; with `repeat` each connection sends its one `Post` again
    and again. The connections start together and are spread over a few processes."""
    processes = max(1, min(4, multiprocessing.cpu_count(), len(shares)))
    groups = [shares[n::processes] for n in range(processes)]
    start = time.monotonic() + 0.2  # every process and thread begins at the same moment
    queue = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(
            target=_send_group, args=(base, group, start, seconds, repeat, queue)
        )
        for group in groups
    ]
    for worker in workers:
        worker.start()
    statuses, last = Counter(), start
    for _ in workers:
        counted, finished = queue.get()
        statuses.update(counted)
        last = max(last, finished)
    for worker in workers:
        worker.join()
    return Sent(statuses, min(seconds, last - start) or seconds)


def _send_group(base, group, start, seconds, repeat, queue):
    parts = urlsplit(base)
    deadline = start + seconds
    statuses, finished, lock = Counter(), [start], threading.Lock()

    def loop(share):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        mine, last, n = Counter(), start, 0
        time.sleep(max(0.0, start - time.monotonic()))
        while time.monotonic() < deadline and (repeat or n < len(share)):
            post = share[0 if repeat else n]
            n += 1
            headers = {"Content-Type": "application/x-www-form-urlencoded", **post.headers}
            try:
                connection.request("POST", post.path, body=post.body, headers=headers)
                response = connection.getresponse()
                response.read()
                mine[response.status] += 1
            except OSError:
                mine["error"] += 1
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            last = time.monotonic()
        with lock:
            statuses.update(mine)
            finished[0] = max(finished[0], last)

    pool = [threading.Thread(target=loop, args=(share,)) for share in group]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    queue.put((statuses, finished[0]))
