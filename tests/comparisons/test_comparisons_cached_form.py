"""The recommendation form and a result's adjust form come on cached pages: a reader who only
reads gets no cookie and an empty token (the page's script fetches one once they start), and
a form sent without a usable token comes back whole, with a fresh token, never lost."""

import re

import pytest
from django.test import Client

from comparisons.models import Recommendation
from tests.support.recommendation_support import FORM, GROWING_FIRM

pytestmark = pytest.mark.django_db


def token_in(page):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]*)"', page).group(1)


def test_reading_the_form_sets_no_cookie_and_the_form_says_where_to_get_its_token():
    response = Client().get(FORM)
    page = response.content.decode()
    assert "Set-Cookie" not in response and not response.cookies
    assert token_in(page) == ""
    assert 'data-token-url="/blog/comments/token/"' in page
    assert "js/form-token" in page


def test_answers_sent_without_a_token_come_back_whole_and_sent_again_they_go_through():
    reader = Client(enforce_csrf_checks=True)
    response = reader.post(FORM, {**GROWING_FIRM, "employees": "17"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "Please send your answers again" in page
    assert 'name="employees" value="17"' in page
    assert Recommendation.objects.count() == 0
    sent_again = reader.post(
        FORM, {**GROWING_FIRM, "employees": "17", "csrfmiddlewaretoken": token_in(page)}
    )
    assert sent_again.status_code == 302
    assert Recommendation.objects.get().inputs["employees"] == 17


def test_figures_sent_to_adjust_without_a_token_come_back_whole():
    result = Client().post(FORM, GROWING_FIRM)["Location"]
    page = Client().get(result).content.decode()
    assert token_in(page) == ""
    field = re.search(r'name="([a-z_]+)" value="([0-9.]+)"[^>]*id="id_', page)
    assert field, "the adjust form has a figure to change"
    name = field.group(1)
    reader = Client(enforce_csrf_checks=True)
    response = reader.post(result + "adjust/", {name: "123"})
    adjusted = response.content.decode()
    assert response.status_code == 403
    assert "Please send your figures again" in adjusted
    assert f'name="{name}" value="123"' in adjusted
    assert token_in(adjusted)
    assert Recommendation.objects.count() == 1


def test_a_form_from_another_site_gets_the_plain_refusal():
    response = Client(enforce_csrf_checks=True).post(
        FORM, GROWING_FIRM, headers={"origin": "https://elsewhere.example"}
    )
    assert response.status_code == 403
    assert "Please send your answers again" not in response.content.decode()
