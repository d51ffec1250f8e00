"""nginx in front of the live gunicorn servers, for tests/deploy/: the site as readers reach it.

`behind_nginx()` starts the servers of `live_servers.running_site()` with production settings
for a TLS proxy, renders deploy/nginx.conf (the one file admins deploy) with
deploy/render_nginx_conf.py, and runs Debian's nginx as an ordinary process on high ports
with a throw-away self-signed certificate. It yields a `Front`: the HTTPS origin, the plain
HTTP port, nginx's access log, and `Site`'s form flows pointed at nginx.

Over HTTPS, Django's CSRF check wants an `Origin` (or `Referer`) as browsers send; `Site`
makes its own `Browser`s, so for the block they are `TlsBrowser`s, which trust the certificate
and send `Origin`. The shared harness stays untouched.
"""

import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager, suppress
from unittest import mock

from tests.support import live_servers
from tests.support.live_servers import ROOT, Browser, Site, free_port, running_site

NGINX = shutil.which("nginx") or next(
    (path for path in ("/usr/sbin/nginx", "/usr/bin/nginx") if os.path.exists(path)), None
)
HSTS_SECONDS = 3600


def self_signed_certificate(workdir):
    """A throw-away certificate for 127.0.0.1 and localhost, made at test time (no key is
    ever committed); returns the certificate and key paths."""
    cert, key = workdir / "front.crt", workdir / "front.key"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


class TlsBrowser(Browser):
    """A `Browser` that trusts the front's certificate and sends `Origin`, as a browser does."""

    ca_file = None
    origin = None

    def __init__(self, forwarded_for=None):
        super().__init__(forwarded_for)
        https = urllib.request.HTTPSHandler(context=tls_context(self.ca_file))
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), live_servers._NoRedirect, https
        )
        self.headers["Origin"] = self.origin


def tls_context(ca_file):
    """Verification on: the certificate must be the one nginx was given, for 127.0.0.1."""
    return ssl.create_default_context(cafile=str(ca_file))


class Front:
    def __init__(self, site, workdir, nginx_command, https_port, http_port, ca_file):
        self.site = site
        self.workdir = workdir
        self.nginx_command = nginx_command
        self.origin = f"https://127.0.0.1:{https_port}"
        self.https_port = https_port
        self.http_port = http_port
        self.ca_file = ca_file
        self.readers = Site(site.env, [self.origin])  # Site's flows, through nginx

    def access_log(self):
        """nginx's access log: one `method uri status upstream=address` line a request."""
        return (self.workdir / "nginx" / "access.log").read_text().splitlines()

    def upstream_errors(self):
        """nginx's complaints about the gunicorns (refused, reset, timed out): a GET it had to
        send to the other server still counts here, though the client never saw it."""
        log = (self.workdir / "nginx" / "error.log").read_text().splitlines()
        return [line for line in log if "upstream" in line]

    def logged(self, wanted, seconds=15):
        """The access log's lines holding `wanted`, once there is one: nginx writes a refused
        request's line only after it has read and discarded the rest of the body."""
        deadline = time.time() + seconds
        while not (lines := [line for line in self.access_log() if wanted in line]):
            assert time.time() < deadline, f"nginx logged no {wanted!r}"
            time.sleep(0.05)
        return lines

    def reload_nginx(self):
        """`nginx -s reload` and wait until the master has re-read the configuration."""
        log = self.workdir / "nginx" / "error.log"
        before = log.read_text().count("reconfiguring")
        subprocess.run([*self.nginx_command, "-s", "reload"], check=True, capture_output=True)
        deadline = time.time() + 20
        while log.read_text().count("reconfiguring") == before:
            assert time.time() < deadline, "nginx did not reload"
            time.sleep(0.05)

    def restart_gunicorn_gracefully(self, server):
        """SIGHUP to one gunicorn master; returns once every old worker has been replaced."""
        port = int(self.site.urls[server].rsplit(":", 1)[1])
        master = gunicorn_master(port)
        old = children(master)
        os.kill(master, signal.SIGHUP)
        deadline = time.time() + 30
        while (now := children(master)) & old or len(now) < len(old):
            assert time.time() < deadline, "gunicorn did not replace its workers"
            time.sleep(0.05)


def gunicorn_master(port):
    """The gunicorn master this test process started for `port` (found through /proc)."""
    wanted = f"GUNICORN_BIND=127.0.0.1:{port}".encode()
    for pid in _pids():
        try:
            if _ppid(pid) == os.getpid() and wanted in (
                open(f"/proc/{pid}/environ", "rb").read().split(b"\0")  # noqa: SIM115
            ):
                return pid
        except OSError:
            continue
    raise LookupError(f"no gunicorn master of ours on port {port}")


def children(pid):
    found = set()
    for child in _pids():
        try:
            if _ppid(child) == pid:
                found.add(child)
        except OSError:
            continue
    return found


def _pids():
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _ppid(pid):
    with open(f"/proc/{pid}/stat") as stat:
        # The command name, in parentheses, may hold spaces: the fields after it are fixed.
        return int(stat.read().rsplit(")", 1)[1].split()[1])


def _main_conf(workdir, site_conf):
    """The test machine's nginx.conf around the rendered site file, as Debian's own
    /etc/nginx/nginx.conf is around conf.d/: everything in the temporary folder."""
    # As root, nginx's workers would become `nobody`, who cannot enter pytest's 0700 folders.
    user = "user root;" if os.geteuid() == 0 else ""
    temp = " ".join(f"{kind}_temp_path {workdir}/{kind};" for kind in ("client_body", "proxy"))
    others = " ".join(
        f"{kind}_temp_path {workdir}/{kind};" for kind in ("fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}
worker_processes 2;
error_log {workdir}/error.log notice;
pid {workdir}/nginx.pid;
events {{ worker_connections 512; }}
http {{
    sendfile on;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    log_format front '$request_method $request_uri $status upstream=$upstream_addr';
    access_log {workdir}/access.log front;
    {temp} {others}
    include {site_conf};
}}
"""


@contextmanager
def nginx_process(workdir, values):
    """Render deploy/nginx.conf with `values`, run nginx on it until the block ends; yields the
    command prefix (`nginx -p … -c …`) that `-s reload` needs."""
    nginx_dir = workdir / "nginx"
    nginx_dir.mkdir()
    site_conf = nginx_dir / "site.conf"
    render = [sys.executable, "deploy/render_nginx_conf.py"]
    render += [f"--set={name}={value}" for name, value in values.items()]
    rendered = subprocess.run(render, cwd=ROOT, check=True, capture_output=True, text=True)
    site_conf.write_text(rendered.stdout)
    main_conf = nginx_dir / "nginx.conf"
    main_conf.write_text(_main_conf(nginx_dir, site_conf))
    command = [
        NGINX,
        "-p",
        str(nginx_dir),
        "-c",
        str(main_conf),
        "-e",
        str(nginx_dir / "error.log"),
    ]
    log = open(nginx_dir / "stderr.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [*command, "-g", "daemon off;"], stdout=log, stderr=subprocess.STDOUT
    )
    try:
        https_port = int(values["HTTPS_LISTEN"].rsplit(":", 1)[1])
        _wait_for_port(https_port, process, nginx_dir)
        yield command
    finally:
        process.send_signal(signal.SIGQUIT)  # graceful: finish what is in flight
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_for_port(port, process, nginx_dir, seconds=20):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError("nginx stopped: " + (nginx_dir / "error.log").read_text())
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            time.sleep(0.05)
            continue
        # Something answers; make sure it is nginx, still running (not another server that
        # holds the port while nginx, failing to bind it, exits).
        time.sleep(0.3)
        if process.poll() is not None:
            raise RuntimeError("nginx stopped: " + (nginx_dir / "error.log").read_text())
        return
    raise RuntimeError(f"nginx did not listen on {port}")


@contextmanager
def behind_nginx(workdir, servers=2, workers=2, **settings):
    """`servers` gunicorns (production settings behind one TLS proxy) and nginx in front."""
    cert, key = self_signed_certificate(workdir)
    https_port, http_port = free_port(), free_port()
    origin = f"https://127.0.0.1:{https_port}"
    production = {
        "SITE_URL": origin,
        "DJANGO_BEHIND_TLS_PROXY": 1,
        "DJANGO_TRUSTED_PROXY_COUNT": 1,
        "DJANGO_SECURE_SSL_REDIRECT": 1,
        "DJANGO_SECURE_COOKIES": 1,
        "DJANGO_HSTS_SECONDS": HSTS_SECONDS,
    }
    with running_site(workdir, servers, workers, **production, **settings) as site:
        values = {
            "SERVER_NAME": "127.0.0.1 localhost",
            "HTTPS_LISTEN": f"127.0.0.1:{https_port}",
            "HTTP_LISTEN": f"127.0.0.1:{http_port}",
            "SITE_URL": origin,
            "CERTIFICATE": cert,
            "CERTIFICATE_KEY": key,
            "STATIC_ROOT": site.env["DJANGO_STATIC_ROOT"],
            "HSTS_SECONDS": HSTS_SECONDS,
            "APP_SERVERS": ",".join(url.removeprefix("http://") for url in site.urls),
        }
        with (
            nginx_process(workdir, values) as command,
            mock.patch.object(TlsBrowser, "ca_file", cert),
            mock.patch.object(TlsBrowser, "origin", origin),
            mock.patch.object(live_servers, "Browser", TlsBrowser),
        ):
            yield Front(site, workdir, command, https_port, http_port, cert)


@contextmanager
def slow_loris(connect, count, request_line=b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"):
    """`count` clients that send a request's headers one byte at a time and never finish."""
    sockets = [connect() for _ in range(count)]
    for sock in sockets:
        sock.sendall(request_line)
    stop = threading.Event()

    def trickle():
        while not stop.wait(0.2):
            for sock in sockets:
                with suppress(OSError):  # nginx may already have cut it off
                    sock.sendall(b"X")

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    try:
        yield sockets
    finally:
        stop.set()
        thread.join()
        for sock in sockets:
            sock.close()
