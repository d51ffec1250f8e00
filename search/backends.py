"""The two engines behind search.index, one per database: SQLite's FTS5 and PostgreSQL's
full-text search, over the same `search_document` table (search migration 0001).

Each takes the words of a search (search.text.words: letters and digits only), turns them into
its own query requiring every word, keeps only the posts in `published_sql` (the SQL of
`Post.objects.published()`, so the visibility rule is never written here), ranks title over
summary over body, and returns one page of `Match` rows with the number of matches, the
excerpts' matches between search.text.START and END:
- FTS5: an external-content FTS5 table over `search_document` (kept in step by triggers), each
  word an FTS5 string, `bm25()` with column weights, `snippet()` for the excerpts.
- PostgreSQL: a stored tsvector column (title weight A, summary B, body C) with a GIN index,
  `plainto_tsquery()` (which reads no operators at all), `ts_rank()`, and `ts_headline()` run
  only for the page's rows.
"""

from typing import NamedTuple

from search.text import END, START, fts5_query

# How much a match counts in each column: a word in the title says more than one in the body.
TITLE_WEIGHT, SUMMARY_WEIGHT, BODY_WEIGHT = 10.0, 4.0, 1.0
# Excerpt lengths: a summary is short enough to show whole; a body gives a few lines.
SNIPPET_TOKENS = 28
TEXT_SEARCH_CONFIG = "english"
# PostgreSQL's parser drops whatever is shaped like a tag, words and all ("<script>alert…"), so
# it reads angle brackets as these instead, in the index (search migration 0001) and in the
# excerpts, which get their brackets back here; indexed text never holds them (search.text).
ANGLE_BRACKETS = "\ue002\ue003"
_BACK_TO_ANGLE_BRACKETS = str.maketrans(ANGLE_BRACKETS, "<>")


class Match(NamedTuple):
    post_id: int
    summary_excerpt: str
    body_excerpt: str
    total: int


class SQLiteFTS5:
    def matches(self, cursor, words, published_sql, published_params, limit, offset):
        match = fts5_query(words)
        # FTS5's functions work only in the query that matches, not beside a window function:
        # the page is ranked and counted first, then only its rows are excerpted.
        cursor.execute(
            f"""
            SELECT post_id, COUNT(*) OVER () FROM (
                SELECT search_document_fts.rowid AS post_id,
                       bm25(search_document_fts, {TITLE_WEIGHT}, {SUMMARY_WEIGHT}, {BODY_WEIGHT})
                           AS rank
                FROM search_document_fts
                WHERE search_document_fts MATCH %s
                  AND search_document_fts.rowid IN ({published_sql})
            )
            ORDER BY rank, post_id DESC
            LIMIT %s OFFSET %s
            """,
            [match, *published_params, limit, offset],
        )
        page = cursor.fetchall()
        if not page:
            return []
        cursor.execute(
            f"""
            SELECT rowid,
                   snippet(search_document_fts, 1, %s, %s, '…', 64),
                   snippet(search_document_fts, 2, %s, %s, '…', {SNIPPET_TOKENS})
            FROM search_document_fts
            WHERE search_document_fts MATCH %s
              AND rowid IN ({", ".join(["%s"] * len(page))})
            """,
            [START, END, START, END, match, *(post_id for post_id, _ in page)],
        )
        excerpts = {post_id: (summary, body) for post_id, summary, body in cursor.fetchall()}
        return [Match(post_id, *excerpts.get(post_id, ("", "")), total) for post_id, total in page]


class PostgreSQL:
    def matches(self, cursor, words, published_sql, published_params, limit, offset):
        config = TEXT_SEARCH_CONFIG
        summary_options = f'StartSel="{START}", StopSel="{END}", HighlightAll=true'
        body_options = (
            f'StartSel="{START}", StopSel="{END}", MaxWords=20, MinWords=8, '
            'MaxFragments=2, FragmentDelimiter=" … "'
        )
        cursor.execute(
            f"""
            WITH asked AS (SELECT plainto_tsquery('{config}', %s) AS query),
            page AS (
                SELECT document.post_id,
                       ts_rank(document.document, asked.query) AS rank,
                       COUNT(*) OVER () AS total
                FROM search_document AS document, asked
                WHERE document.document @@ asked.query
                  AND document.post_id IN ({published_sql})
                ORDER BY rank DESC, document.post_id DESC
                LIMIT %s OFFSET %s
            )
            SELECT page.post_id,
                   ts_headline('{config}', translate(document.summary, '<>', %s), asked.query, %s),
                   ts_headline('{config}', translate(document.body, '<>', %s), asked.query, %s),
                   page.total
            FROM page
            JOIN search_document AS document ON document.post_id = page.post_id, asked
            ORDER BY page.rank DESC, page.post_id DESC
            """,
            [
                *(" ".join(words), *published_params, limit, offset),
                *(ANGLE_BRACKETS, summary_options, ANGLE_BRACKETS, body_options),
            ],
        )
        return [
            Match(post_id, _with_angle_brackets(summary), _with_angle_brackets(body), total)
            for post_id, summary, body, total in cursor.fetchall()
        ]


def _with_angle_brackets(excerpt):
    return excerpt.translate(_BACK_TO_ANGLE_BRACKETS)


def for_vendor(vendor: str):
    """The engine for a database vendor ("sqlite", "postgresql")."""
    engines = {"sqlite": SQLiteFTS5, "postgresql": PostgreSQL}
    if vendor not in engines:
        raise NotImplementedError(f"search on {vendor}")
    return engines[vendor]()
