"""Admin sign-in failures are counted by django-axes now (adminguard.lockout): the
hand-written table goes. Its rows were only the last 15 minutes' failures."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("adminguard", "0001_initial")]

    operations = [migrations.DeleteModel(name="LoginFailure")]
