"""The admin's forms as the tests send them: the sign-in form (`sign_in`, as the site owner of
the `site_owner` fixture by default) and a change form sent back unchanged (`admin_form_data`).
Used by the security tests and the editor's admin tests."""

from django.forms import MultiWidget
from django.urls import reverse

OWNER = "owner"
OWNER_PASSWORD = "correct-horse-battery"


def sign_in(client, username=OWNER, password=OWNER_PASSWORD, ip="203.0.113.7", **headers):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
        headers=headers,
    )


def admin_form_data(response):
    """What the admin's change form would send back unchanged, as the browser would post it."""
    data = {}
    for bound in response.context["adminform"].form:
        value = bound.value()
        widget = bound.field.widget
        if isinstance(widget, MultiWidget):
            for suffix, part in zip(widget.widgets_names, widget.decompress(value), strict=True):
                data[bound.html_name + suffix] = part if part is not None else ""
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        elif value is not None:
            data[bound.html_name] = value
    return data
