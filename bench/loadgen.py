"""Load generation for the benchmarks: wrk when installed, else a small Python generator.

Both return requests per second and p50/p99 latency in milliseconds for a bounded run
against a loopback URL. The Python generator runs several processes of keep-alive threads so
that the client is not held back by one interpreter's lock.
"""

import http.client
import multiprocessing
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
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
