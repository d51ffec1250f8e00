"""Cost model 2: every assumption gets a published range and a source URL, the figures are
replaced by the new model's set (comparisons/seed/assumptions.yaml), and recommendations
gain the hybrid outcome.

The first set's figures belong to a model that no longer exists (a 0.4-month onboarding
charge, one outage length for every problem), so its rows are replaced rather than mapped;
saved results keep the snapshot they were computed with. Reversing restores the first set
from assumptions-v1.yaml.
"""

from decimal import Decimal
from pathlib import Path

import yaml
from django.db import migrations, models
import django.core.validators

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"


def load(name):
    with (SEED_DIR / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def use_second_set(apps, schema_editor):
    Assumption = apps.get_model("comparisons", "Assumption")
    Assumption.objects.all().delete()
    Assumption.objects.bulk_create(
        Assumption(order=order, **row) for order, row in enumerate(load("assumptions.yaml"), 1)
    )


def use_first_set(apps, schema_editor):
    Assumption = apps.get_model("comparisons", "Assumption")
    Assumption.objects.all().delete()
    Assumption.objects.bulk_create(
        Assumption(order=order, low=Decimal(row["value"]), high=Decimal(row["value"]), **row)
        for order, row in enumerate(load("assumptions-v1.yaml"), 1)
    )


class Migration(migrations.Migration):
    dependencies = [("comparisons", "0004_freeze_v1_result_charts")]

    operations = [
        migrations.AddField(
            model_name="assumption",
            name="low",
            field=models.DecimalField(decimal_places=4, default=0, help_text="The low end of the published range (the cheap end of every estimate).", max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal("0"))]),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="assumption",
            name="high",
            field=models.DecimalField(decimal_places=4, default=0, help_text="The high end of the published range.", max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal("0"))]),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="assumption",
            name="source_url",
            field=models.URLField(default="", help_text="The page a reader can open to check it.", max_length=300, verbose_name="source URL"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name='assumption',
            name='key',
            field=models.CharField(choices=[('msp_fee_per_user_month', 'msp_fee_per_user_month'), ('msp_minimum_monthly', 'msp_minimum_monthly'), ('msp_fee_per_server_month', 'msp_fee_per_server_month'), ('onboarding_months_of_fee', 'onboarding_months_of_fee'), ('co_managed_share_of_managed_fee', 'co_managed_share_of_managed_fee'), ('break_fix_hourly_rate', 'break_fix_hourly_rate'), ('break_fix_minimum_hours', 'break_fix_minimum_hours'), ('technician_hours_per_incident', 'technician_hours_per_incident'), ('break_fix_trip_charge', 'break_fix_trip_charge'), ('after_hours_share', 'after_hours_share'), ('after_hours_multiplier', 'after_hours_multiplier'), ('self_security_per_device_month', 'self_security_per_device_month'), ('security_plan_per_device_month', 'security_plan_per_device_month'), ('outage_share', 'outage_share'), ('managed_outage_hours', 'managed_outage_hours'), ('managed_person_hours', 'managed_person_hours'), ('break_fix_wait_hours', 'break_fix_wait_hours'), ('staff_hour_cost', 'staff_hour_cost'), ('prevented_share', 'prevented_share'), ('in_house_salary', 'in_house_salary'), ('in_house_overhead_multiplier', 'in_house_overhead_multiplier')], help_text='Which figure of the cost model this is (fixed; see comparisons/costs.py).', max_length=60, unique=True),
        ),
        migrations.AlterField(
            model_name='assumption',
            name='source',
            field=models.CharField(help_text="Where the figure comes from (title, site, year); say 'our assumption' when no source exists.", max_length=300),
        ),
        migrations.AlterField(
            model_name='assumption',
            name='value',
            field=models.DecimalField(decimal_places=4, help_text='The figure used in every new recommendation. Saved results keep theirs.', max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='typical value'),
        ),
        migrations.AlterField(
            model_name='recommendation',
            name='outcome',
            field=models.CharField(choices=[('break_fix', 'Break/fix'), ('hybrid', 'Hybrid (security plan + hours)'), ('managed', 'Managed services'), ('co_managed', 'Co-managed')], db_index=True, max_length=12),
        ),
        migrations.RunPython(use_second_set, use_first_set),
    ]
