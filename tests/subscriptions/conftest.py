"""Fixtures of the subscription tests: a series with its first part out, and the database
task queue (django-tasks' database backend) in place of running tasks at once."""

import pytest


@pytest.fixture
def series(make_series):
    return make_series(slug="it-models", title="Understanding IT service models")


@pytest.fixture
def part_one(make_post, series):
    return make_post(slug="part-one", title="Part one", series=series, part=1)


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
