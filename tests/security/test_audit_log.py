"""The audit log cannot be forged: whatever a visitor types as a user name (or an admin
writes as an object's name) stays inside its own line, control characters shown escaped."""

import logging

import pytest

pytestmark = pytest.mark.django_db


def audit_lines(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "audit"]


@pytest.mark.parametrize(
    "username",
    [
        "admin\nsign-in user=root ip=000000000000",
        "admin\r\nsign-in user=root",
        "admin\x1b[2Jcleared",
        "admin\u2028sign-in user=root",
    ],
)
def test_a_user_name_cannot_write_a_line_of_its_own(client, caplog, username):
    caplog.set_level(logging.INFO, logger="audit")
    client.post("/admin/login/", {"username": username, "password": "wrong"})
    lines = audit_lines(caplog)
    assert len(lines) == 1
    (line,) = lines
    assert line.startswith("failed sign-in user=")
    assert not any(ch in line for ch in "\n\r\x1b\u2028")
    assert "\\n" in line or "\\r" in line or "\\x1b" in line or "\\u2028" in line


def test_staff_changes_with_control_characters_in_names_stay_on_one_line(
    admin_client, caplog, make_post
):
    post = make_post(title="Plain")
    caplog.set_level(logging.INFO, logger="audit")
    change = f"/admin/blog/post/{post.pk}/change/"
    page = admin_client.get(change)
    assert page.status_code == 200
    admin_client.post(
        "/admin/blog/tag/add/", {"name": "Evil\nadmin delete user=root", "slug": "evil"}
    )
    lines = audit_lines(caplog)
    assert lines and all("\n" not in line for line in lines)
    assert any("Evil\\nadmin delete" in line for line in lines)
