"""Real gunicorn servers, for the scale tests and for `make bench` (bench/run.py): a throw-away
database, N app servers sharing it. Server start, stop, readiness, ports and environment live
here only: `running_site()` is the whole thing for the tests; bench/ composes the same parts
(`live_database`, `free_port`, `site_env`, `prepare`, `gunicorn_servers`) around its seeding.

On SQLite the servers share one database file; when the test run itself uses PostgreSQL
(DATABASE_URL) they share a fresh PostgreSQL database on the same server, and when REDIS_URL
is set they share Redis as their cache. `Site.post_comment()` submits the comment form the
way a browser does (GET the page, then POST with its CSRF token and signed timestamp; the
token fetched first, as the page's script does, when the page carries none).
"""

import http.cookiejar
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STAFF_PASSWORD = "staff-" + secrets.token_urlsafe(12)


_handed_out = set()


def free_port():
    """A port nothing listens on now, and never one this process handed out before: the
    system may offer a port again as soon as the probing socket closes, and two servers of
    one test (two gunicorns, nginx in front) must never be given the same one."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in _handed_out:
            _handed_out.add(port)
            return port


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A cookie-keeping HTTP client that does not follow redirects."""

    def __init__(self, forwarded_for=None):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect
        )
        self.headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}

    def request(self, url, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers=self.headers)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), error.headers

    def form_fields(self, html, action):
        pattern = rf'<form[^>]*action="{re.escape(action)}[#"][^>]*>(.*?)</form>'
        form = re.search(pattern, html, re.S)
        assert form, f"no form posting to {action}"
        return {
            name: value
            for name, value in re.findall(
                r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form.group(1)
            )
        }

    def form_token(self, base, html):
        """The CSRF token of the page's form; fetched the way the page's script does when the
        page carries none (a cached page for a reader without the CSRF cookie)."""
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]*)"', html).group(1)
        if not token:
            _, answer, _ = self.request(f"{base}/blog/comments/token/")
            token = json.loads(answer)["token"]
        return token


class Site:
    def __init__(self, env, urls):
        self.env = env
        self.urls = urls

    def post_comment(self, server, slug, *, name, email, body, forwarded_for):
        browser = Browser(forwarded_for)
        status, html, _ = browser.request(f"{self.urls[server]}/blog/{slug}/")
        assert status == 200, status
        action = f"/blog/{slug}/comments/"
        fields = browser.form_fields(html, action)
        if not fields["csrfmiddlewaretoken"]:
            # What the page's script does for a reader without a CSRF cookie.
            _, token, _ = browser.request(f"{self.urls[server]}/blog/comments/token/")
            fields["csrfmiddlewaretoken"] = json.loads(token)["token"]
        fields.update({"name": name, "email": email, "body": body, "website": ""})
        status, html, headers = browser.request(self.urls[server] + action, fields)
        return status, html, headers

    def post_recommendation(self, server, answers, *, forwarded_for):
        browser = Browser(forwarded_for)
        url = f"{self.urls[server]}/compare/recommend/"
        status, html, _ = browser.request(url)
        assert status == 200, status
        token = browser.form_token(self.urls[server], html)
        return browser.request(url, {"csrfmiddlewaretoken": token, **answers})

    def page(self, server, path):
        return Browser().request(self.urls[server] + path)

    def sign_in_staff(self, server):
        browser = Browser()
        login = f"{self.urls[server]}/admin/login/"
        status, html, _ = browser.request(login)
        fields = browser.form_fields(html, "/admin/login/")
        fields.update({"username": "staff", "password": STAFF_PASSWORD, "next": "/admin/"})
        status, _, _ = browser.request(login, fields)
        assert status == 302, "staff sign-in failed"
        return browser

    def write(self, statement, *params):
        """Change the servers' database behind their backs, as a raw SQL fix would: `%s`
        marks each parameter, on either database."""
        url = self.env["DATABASE_URL"]
        if url.startswith("sqlite"):
            import sqlite3

            with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
                connection.execute(statement.replace("%s", "?"), params)
            return
        import psycopg

        with psycopg.connect(url) as connection:
            connection.execute(statement, params)

    def sql(self, query):
        """Run one read query against the servers' database, for counting what they stored."""
        url = self.env["DATABASE_URL"]
        if url.startswith("sqlite"):
            import sqlite3

            with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
                return connection.execute(query).fetchall()
        import psycopg

        with psycopg.connect(url) as connection:
            return connection.execute(query).fetchall()


@contextmanager
def live_database(workdir):
    """A database of its own: a SQLite file in `workdir`, or a fresh PostgreSQL database on the
    test run's server (DATABASE_URL), dropped afterwards."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        yield f"sqlite:///{workdir / 'live.sqlite3'}"
        return
    import psycopg

    name = f"itguide_live_{secrets.token_hex(4)}"
    server = base.rsplit("/", 1)[0]
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def site_env(workdir, database_url, ports, workers=2, base=None, **settings):
    """The production-like environment (DEBUG off, no TLS redirects) of servers on `ports`.

    `base` is the environment it starts from (only PATH by default); `workers=None` leaves the
    gunicorn worker count to config/gunicorn.py (or to GUNICORN_WORKERS in `base`).
    """
    env = {
        **(base if base is not None else {"PATH": os.environ.get("PATH", "")}),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "live-" + secrets.token_urlsafe(40),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{ports[0]}",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
        "DJANGO_SUPERUSER_PASSWORD": STAFF_PASSWORD,
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        **({"GUNICORN_WORKERS": str(workers)} if workers is not None else {}),
        **{key: str(value) for key, value in settings.items()},
    }
    if os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = os.environ["REDIS_URL"]
        env["DJANGO_CACHE_PREFIX"] = "live-" + secrets.token_hex(4)
    return env


def prepare(env, *then):
    """Migrate, collect static files, sync the posts and create the `staff` superuser; then run
    each extra command of `then` (a list of arguments) in the same environment."""
    manage = [sys.executable, "manage.py"]
    for command in (
        [*manage, "migrate", "--noinput"],
        [*manage, "collectstatic", "--noinput"],
        [*manage, "sync_posts"],
        [
            *manage,
            "createsuperuser",
            "--noinput",
            "--username",
            "staff",
            "--email",
            "s@example.com",
        ],
        *then,
    ):
        subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)


@contextmanager
def gunicorn_servers(env, ports, workdir):
    """Run one gunicorn a port until the block ends; yields their base URLs once all answer
    /healthz. Their output is kept in `workdir`/server-logs.txt."""
    logs = [open(workdir / f"server-{n}.log", "w+") for n in range(len(ports))]  # noqa: SIM115
    processes = [
        subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "-c",
                "config/gunicorn.py",
                "config.wsgi",
            ],
            cwd=ROOT,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for port, log in zip(ports, logs, strict=True)
    ]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for url in urls:
            wait_for(f"{url}/healthz")
        yield urls
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)
        site_logs = []
        for log in logs:
            log.seek(0)
            site_logs.append(log.read())
            log.close()
        (workdir / "server-logs.txt").write_text("\n".join(site_logs))


@contextmanager
def running_site(workdir, servers=2, workers=2, **settings):
    """Start `servers` gunicorn instances sharing one database (and Redis, when configured)."""
    with live_database(workdir) as database_url:
        ports = [free_port() for _ in range(servers)]
        env = site_env(workdir, database_url, ports, workers, **settings)
        prepare(env)
        with gunicorn_servers(env, ports, workdir) as urls:
            yield Site(env, urls)


def wait_for(url, seconds=60):
    """Wait until `url` answers "ok" (the site's /healthz)."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not come up at {url}")
