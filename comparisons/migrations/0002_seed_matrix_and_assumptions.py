"""Seed the pros/cons matrix and the cost assumptions from the reviewed files in seed/.

The files are read as they stand when the migration runs, through the historical models,
so changing a seed file later changes only databases created afterwards; live data is
edited in the admin. Reversing removes exactly the rows this migration created (by their
keys and slugs), leaving anything added since in place.
"""

from pathlib import Path

import yaml
from django.db import migrations

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"


def load(name):
    with (SEED_DIR / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def seed(apps, schema_editor):
    ServiceModel = apps.get_model("comparisons", "ServiceModel")
    Criterion = apps.get_model("comparisons", "Criterion")
    Assessment = apps.get_model("comparisons", "Assessment")
    Assumption = apps.get_model("comparisons", "Assumption")

    matrix = load("matrix.yaml")
    models_by_key = {}
    for order, row in enumerate(matrix["service_models"], start=1):
        models_by_key[row["key"]] = ServiceModel.objects.create(
            key=row["key"], name=row["name"], summary=row["summary"], order=order
        )
    for order, row in enumerate(matrix["criteria"], start=1):
        criterion = Criterion.objects.create(
            slug=row["slug"],
            name=row["name"],
            question=row.get("question", ""),
            related_post_slug=row.get("post", ""),
            order=order,
        )
        Assessment.objects.bulk_create(
            Assessment(
                criterion=criterion,
                service_model=models_by_key[key],
                verdict=cell["verdict"],
                summary=cell["summary"],
                source=cell["source"],
            )
            for key, cell in row["assessments"].items()
        )
    Assumption.objects.bulk_create(
        Assumption(order=order, **row)
        for order, row in enumerate(load("assumptions-v1.yaml"), start=1)
    )


def unseed(apps, schema_editor):
    matrix = load("matrix.yaml")
    # Assessments go with their criterion (on_delete=CASCADE).
    apps.get_model("comparisons", "Criterion").objects.filter(
        slug__in=[row["slug"] for row in matrix["criteria"]]
    ).delete()
    apps.get_model("comparisons", "ServiceModel").objects.filter(
        key__in=[row["key"] for row in matrix["service_models"]]
    ).delete()
    apps.get_model("comparisons", "Assumption").objects.filter(
        key__in=[row["key"] for row in load("assumptions-v1.yaml")]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("comparisons", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
