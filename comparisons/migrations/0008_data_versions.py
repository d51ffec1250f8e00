"""Every write to what the matrix, the recommendation form and the results show beside a
result (service models, criteria, assessments, assumptions) moves the `comparisons` data
version, whatever made it (siteops.data_versions): the cached pages built from them get new
keys. Saved recommendations are not watched: a result never changes once stored."""

from django.db import migrations

from siteops.data_versions import WatchTable

COMPARISONS = "'comparisons'"


class Migration(migrations.Migration):
    dependencies = [
        ("comparisons", "0007_assessment_source_url"),
        ("siteops", "0001_data_versions"),
    ]

    operations = [
        WatchTable("comparisons_servicemodel", COMPARISONS),
        WatchTable("comparisons_criterion", COMPARISONS),
        WatchTable("comparisons_assessment", COMPARISONS),
        WatchTable("comparisons_assumption", COMPARISONS),
    ]
