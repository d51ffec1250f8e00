"""Give every cell of the pros/cons matrix a link to its source.

Adds Assessment.source_url and fills it for each seeded cell (criterion slug + service model
key) from comparisons/seed/matrix.yaml, only where it is still empty, so a URL an owner has
already entered in the admin is kept. Cells an owner added that the seed file does not name
stay without a URL and show their source as plain text. Reversing drops the column (and the
URLs with it); there is no data to restore.
"""

from pathlib import Path

import yaml
from django.db import migrations, models

MATRIX = Path(__file__).resolve().parent.parent / "seed" / "matrix.yaml"


def seeded_urls():
    """{(criterion slug, service model key): source URL} for every seeded cell with one."""
    with MATRIX.open(encoding="utf-8") as handle:
        matrix = yaml.safe_load(handle)
    return {
        (row["slug"], key): cell["source_url"]
        for row in matrix["criteria"]
        for key, cell in row["assessments"].items()
        if cell.get("source_url")
    }


def fill_source_urls(apps, schema_editor):
    Assessment = apps.get_model("comparisons", "Assessment")
    for (slug, key), url in seeded_urls().items():
        Assessment.objects.filter(
            criterion__slug=slug, service_model__key=key, source_url=""
        ).update(source_url=url)


class Migration(migrations.Migration):
    dependencies = [("comparisons", "0006_matrix_figures_2026_12")]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="source_url",
            field=models.URLField(
                blank=True,
                default="",
                help_text="The page a reader can open to check the claim (the main one if the "
                "source names several); the source text links to it.",
                max_length=300,
                verbose_name="source URL",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_source_urls, migrations.RunPython.noop),
    ]
