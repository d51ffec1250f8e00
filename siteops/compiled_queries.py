"""A queryset compiled to SQL once, for the few queries on every request's path.

Composing a query with the ORM costs about ten times what the database spends answering a
primary-key lookup (docs/performance.md). For the query a cache hit needs, that cost is paid
once per process: the queryset is built by the model's own methods (so the rule it expresses,
such as `Post.objects.published()`, keeps one definition), compiled, and its parameters are
refilled on each call.

The slots are found by building the queryset with different sample values and seeing which
parameters change; each value is then prepared for the database by the slot's model field,
exactly as the ORM would.
"""

from collections.abc import Callable
from datetime import UTC, datetime

from django.db import connections
from django.db.models import Field, QuerySet

# Two samples per kind of field: distinct, and unlike anything a real query would hold.
_SAMPLES = {
    "CharField": ("\x01sample-a\x01", "\x01sample-b\x01"),
    "SlugField": ("\x01sample-a\x01", "\x01sample-b\x01"),
    "DateTimeField": (datetime(1901, 1, 1, tzinfo=UTC), datetime(1902, 2, 2, tzinfo=UTC)),
    "IntegerField": (-9_000_001, -9_000_002),
    "BigAutoField": (-9_000_001, -9_000_002),
    "AutoField": (-9_000_001, -9_000_002),
}


class CompiledQuery:
    """`build(**slots)` returns a queryset; `rows(alias, **values)` runs it as compiled SQL."""

    def __init__(self, build: Callable[..., QuerySet], **slots: Field):
        self.build = build
        self.slots = slots
        self._compiled = {}

    def _sql(self, queryset):
        return queryset.query.get_compiler(queryset.db).as_sql()

    def _built(self, alias, **values):
        return self.build(**values).using(alias)

    def _compile(self, alias):
        first = {name: _SAMPLES[field.get_internal_type()][0] for name, field in self.slots.items()}
        sql, params = self._sql(self._built(alias, **first))
        positions = {}
        for name, field in self.slots.items():
            changed = {**first, name: _SAMPLES[field.get_internal_type()][1]}
            other_sql, other_params = self._sql(self._built(alias, **changed))
            if other_sql != sql:
                raise ValueError(f"the SQL changes with {name}: it cannot be compiled once")
            for index, (a, b) in enumerate(zip(params, other_params, strict=True)):
                if a != b:
                    positions[index] = name
        return sql, tuple(params), positions

    def rows(self, alias="default", **values):
        if alias not in self._compiled:
            self._compiled[alias] = self._compile(alias)
        sql, params, positions = self._compiled[alias]
        connection = connections[alias]
        prepared = {
            name: field.get_db_prep_value(values[name], connection, prepared=False)
            for name, field in self.slots.items()
        }
        filled = [prepared[positions[i]] if i in positions else p for i, p in enumerate(params)]
        with connection.cursor() as cursor:
            cursor.execute(sql, filled)
            return cursor.fetchall()


class CompiledScalars(CompiledQuery):
    """Several one-value querysets read side by side: `build(**slots)` returns a list of
    querysets each selecting one value of at most one row, and `rows()` gives one row of
    their values (None for a queryset that finds nothing), in one query."""

    def _built(self, alias, **values):
        return [queryset.using(alias) for queryset in self.build(**values)]

    def _sql(self, querysets):
        parts, params = [], []
        for queryset in querysets:
            sql, subquery_params = super()._sql(queryset)
            parts.append(f"({sql})")
            params.extend(subquery_params)
        return "SELECT " + ", ".join(parts), tuple(params)
