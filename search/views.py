"""The search page, /search/?q=: a thin view over search.index.search().

A search has one address: `?q=` in its normal form (search.text.normal_form) and `&page=N`
for N ≥ 2, spelled as the page's links spell it; anything else redirects there, so the page
cache (search/urls.py) stores one entry per search and page however it was typed. An empty
search shows the form and asks nothing of the index; one longer than MAX_QUERY_LENGTH is
answered with a polite word and no search either.
"""

import math
import re

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from search.index import PER_PAGE, search
from search.text import MAX_QUERY_LENGTH, normal_form

PAGE_NUMBER = re.compile(r"[2-9]|[1-9][0-9]{1,5}")
PAGE_NUMBER_SPELLING = re.compile(r"\s*0*([1-9][0-9]{0,5})\s*", re.ASCII)


def address(query="", page=1) -> str:
    """The one address of a search's page."""
    parameters = {"q": query} if query else {}
    if query and page > 1:
        parameters["page"] = page
    url = reverse("search:results")
    return f"{url}?{urlencode(parameters)}" if parameters else url


def _page_asked(request) -> int:
    values = request.GET.getlist("page")
    if not values:
        return 1
    spelling = PAGE_NUMBER_SPELLING.fullmatch(values[-1])
    if spelling is None:
        raise Http404("No such page of results.")
    return int(spelling.group(1))


def _spelled_as_its_address(request, query, page) -> bool:
    one_page = [str(page)] if query and page > 1 else []
    return request.GET.getlist("q") == ([query] if query else []) and (
        request.GET.getlist("page") == one_page
    )


def results(request):
    asked = request.GET.getlist("q")
    query = normal_form(asked[-1]) if asked else ""
    if len(query) > MAX_QUERY_LENGTH:
        return render(
            request,
            "search/results.html",
            {"query": query[:MAX_QUERY_LENGTH], "too_long": True, "limit": MAX_QUERY_LENGTH},
        )
    page = _page_asked(request)
    if not _spelled_as_its_address(request, query, page):
        return HttpResponseRedirect(address(query, page))
    context = {"query": query, "limit": MAX_QUERY_LENGTH}
    if query:
        found = search(query, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
        if page > 1 and not found.hits:
            raise Http404("No such page of results.")
        pages = math.ceil(found.total / PER_PAGE)
        context.update(
            results=found,
            page=page,
            pages=pages,
            first_number=(page - 1) * PER_PAGE + 1,
            last_number=(page - 1) * PER_PAGE + len(found.hits),
            previous_page=address(query, page - 1) if page > 1 else "",
            next_page=address(query, page + 1) if page < pages else "",
        )
    return render(request, "search/results.html", context)
