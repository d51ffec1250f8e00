"""/favicon.ico, which browsers and crawlers ask for whatever the page links, is an icon."""

from io import BytesIO

from PIL import Image


def test_the_favicon_is_an_icon_with_a_long_cache_life(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert "max-age=604800" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]
    icon = Image.open(BytesIO(response.content))
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32)} <= set(icon.info["sizes"])


def test_the_favicon_answers_head_and_refuses_a_post(client):
    assert client.head("/favicon.ico").status_code == 200
    assert client.post("/favicon.ico").status_code == 405
