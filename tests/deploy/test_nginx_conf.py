"""deploy/render_nginx_conf.py: the one way deploy/nginx.conf becomes a working config.

A missing or misspelt value is refused with the file, line and placeholder named, so a
half-rendered file never reaches nginx.
"""

import subprocess
import sys

from tests.support.live_servers import ROOT

VALUES = {
    "SERVER_NAME": "example.com www.example.com",
    "HTTPS_LISTEN": "443",
    "HTTP_LISTEN": "80",
    "SITE_URL": "https://example.com",
    "CERTIFICATE": "/etc/letsencrypt/live/example.com/fullchain.pem",
    "CERTIFICATE_KEY": "/etc/letsencrypt/live/example.com/privkey.pem",
    "STATIC_ROOT": "/srv/itguide/staticfiles",
    "HSTS_SECONDS": "31536000",
    "APP_SERVERS": "10.0.0.11:8000,10.0.0.12:8000",
}


def render(values):
    command = [sys.executable, "deploy/render_nginx_conf.py"]
    command += [f"--set={name}={value}" for name, value in values.items()]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


def test_every_placeholder_is_filled_and_each_app_server_gets_its_line():
    result = render(VALUES)
    assert result.returncode == 0, result.stderr
    settings = [line for line in result.stdout.splitlines() if not line.lstrip().startswith("#")]
    assert not [line for line in settings if "{{" in line]
    assert "server 10.0.0.11:8000 " in result.stdout and "server 10.0.0.12:8000 " in result.stdout
    assert "ssl_certificate /etc/letsencrypt/live/example.com/fullchain.pem;" in result.stdout


def test_a_missing_value_names_the_file_line_and_placeholder():
    result = render({name: value for name, value in VALUES.items() if name != "CERTIFICATE"})
    assert result.returncode == 2 and result.stdout == ""
    assert "deploy/nginx.conf, line " in result.stderr
    assert "{{CERTIFICATE}}" in result.stderr and "--set CERTIFICATE=" in result.stderr


def test_a_misspelt_name_is_refused():
    result = render({**VALUES, "SERVERNAME": "example.com"})
    assert result.returncode == 2 and result.stdout == ""
    assert "SERVERNAME" in result.stderr and "no placeholder" in result.stderr
