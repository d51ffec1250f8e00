"""Site-wide records: the data versions that database triggers move (siteops.data_versions)."""

from django.db import models


class DataVersion(models.Model):
    """A counter that grows on every write to the tables watched for its scope.

    Written only by triggers (siteops.data_versions.WatchTable); read by the page caches.
    """

    scope = models.CharField(max_length=100, primary_key=True)
    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = "data version"

    def __str__(self):
        return f"{self.scope} v{self.version}"
