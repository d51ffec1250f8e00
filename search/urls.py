"""URLs of search, mounted at /search/ (see the URL map in docs/architecture.md).

The page comes from the shared page cache (siteops.page_cache), keyed on the content's data
version like every list of posts (any write to a post or to the index moves it; a scheduled
post going live ends the entry). Only a search's one spelling (search.views) is stored, and
only up to CACHED_QUERY_LENGTH characters: longer ones are searched for but never stored, so
no flood of long or oddly typed queries can fill the cache.
"""

import re

from django.urls import path

from blog.page_cache import content_version
from search import views
from siteops.page_cache import cached_for_readers

app_name = "search"

CACHED_QUERY_LENGTH = 100
CACHED_QUERY = {
    # The normal form: no control characters, single spaces between words, none at the ends.
    "q": re.compile(
        rf"(?=.{{1,{CACHED_QUERY_LENGTH}}}\Z)[^\s\x00-\x1f\x7f]+(?: [^\s\x00-\x1f\x7f]+)*"
    ),
    "page": views.PAGE_NUMBER,
}

urlpatterns = [
    path(
        "",
        cached_for_readers(content_version, allowed_query=CACHED_QUERY)(views.results),
        name="results",
    ),
]
