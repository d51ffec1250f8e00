"""Bring the matrix's figures in line with the research notes of 2026-12-01 (onboarding of
1.0-1.4 months' fee, PCI DSS v4.0.1 wording, business associate agreements for any provider,
minimums, contract terms, dated downtime figures), listed in
comparisons/seed/matrix-corrections-2026-12.yaml.

Only cells that still hold the text first seeded are changed, so an owner's own edit in the
admin is never overwritten; a database created after the seed file was corrected already
has the new text and nothing changes. Reversing puts the old text back where the new text
is still in place.
"""

from pathlib import Path

import yaml
from django.db import migrations

CORRECTIONS = Path(__file__).resolve().parent.parent / "seed" / "matrix-corrections-2026-12.yaml"


def corrections():
    with CORRECTIONS.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def apply(apps, from_side, to_side):
    Assessment = apps.get_model("comparisons", "Assessment")
    for cell in corrections():
        Assessment.objects.filter(
            criterion__slug=cell["criterion"],
            service_model__key=cell["model"],
            summary=cell[f"{from_side}_summary"],
            source=cell[f"{from_side}_source"],
        ).update(summary=cell[f"{to_side}_summary"], source=cell[f"{to_side}_source"])


def correct(apps, schema_editor):
    apply(apps, "old", "new")


def restore(apps, schema_editor):
    apply(apps, "new", "old")


class Migration(migrations.Migration):
    dependencies = [("comparisons", "0005_assumption_ranges_and_hybrid")]

    operations = [migrations.RunPython(correct, restore)]
