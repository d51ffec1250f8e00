"""Data of the comparisons app: the pros/cons matrix, cost assumptions, saved results.

The matrix (service models by criteria, one assessment a cell) and the cost assumptions are seeded
by migration 0002 from the reviewed files in comparisons/seed/ and then edited in the
admin. Every claim and figure carries its source, which the pages show to the reader.
`Recommendation` keeps each submitted form with the result computed for it, including a
snapshot of the assumptions used and the chart's geometry, so a permalink never changes
after the fact.
"""

import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse

from comparisons import chart, costs, engine
from comparisons.vocabulary import OUTCOMES, outcome_choices


class ServiceModel(models.Model):
    """A way of buying IT support: a column of the matrix."""

    key = models.SlugField(
        unique=True,
        help_text="Stable identifier used by the recommendation engine: break_fix, managed "
        "or co_managed. Do not change it.",
    )
    name = models.CharField(max_length=80, help_text="Column heading, e.g. 'Break/fix'.")
    summary = models.TextField(
        blank=True, help_text="One or two sentences saying how this model works and is paid."
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Columns sort by this.")

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Criterion(models.Model):
    """Something a business weighs when choosing: a row of the matrix."""

    slug = models.SlugField(
        unique=True,
        help_text="Anchor of the row on the matrix page (/compare/#<slug>); the "
        "recommendation engine links its factors to these slugs.",
    )
    name = models.CharField(max_length=120, help_text="Row heading, e.g. 'Cost predictability'.")
    question = models.CharField(
        max_length=240,
        blank=True,
        help_text="The question this row answers, in the reader's words.",
    )
    related_post_slug = models.CharField(
        max_length=200,
        blank=True,
        help_text="Slug of the blog post that discusses this criterion; the row links to it "
        "once that post is published.",
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Rows sort by this.")

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "criteria"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("comparisons:matrix") + f"#{self.slug}"


class Assessment(models.Model):
    """How one service model fares on one criterion: a cell of the matrix."""

    class Verdict(models.TextChoices):
        PRO = "pro", "Pro"
        CON = "con", "Con"
        MIXED = "mixed", "Mixed"

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="assessments")
    service_model = models.ForeignKey(
        ServiceModel, on_delete=models.CASCADE, related_name="assessments"
    )
    verdict = models.CharField(max_length=5, choices=Verdict.choices)
    summary = models.CharField(
        max_length=400, help_text="One factual sentence in our own words, shown in the cell."
    )
    source = models.CharField(
        max_length=300,
        help_text="Where the claim comes from: page title and site. Mark MSP marketing.",
    )
    source_url = models.URLField(
        "source URL",
        max_length=300,
        blank=True,
        help_text="The page a reader can open to check the claim (the main one if the source "
        "names several); the source text links to it.",
    )

    class Meta:
        ordering = ["criterion__order", "service_model__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "service_model"], name="one_assessment_per_cell"
            )
        ]

    def __str__(self):
        return f"{self.service_model} / {self.criterion}: {self.get_verdict_display()}"


class AssumptionQuerySet(models.QuerySet):
    def as_cost_assumptions(self) -> costs.Assumptions:
        """The plain value the cost model and the engine take."""
        return costs.Assumptions.from_mapping(
            {row.key: {"value": row.value, "low": row.low, "high": row.high} for row in self}
        )

    def snapshot(self, used: costs.Assumptions) -> list[dict]:
        """Everything the result page shows about each assumption, frozen as JSON, with the
        figures actually `used` (a reader may have adjusted some)."""
        rows = []
        for row in self:
            figure = used.figures[row.key]
            rows.append(
                {
                    "key": row.key,
                    "label": row.label,
                    "value": plain(figure.value),
                    "low": plain(figure.low),
                    "high": plain(figure.high),
                    "default": plain(row.value),
                    "adjusted": figure.value != row.value,
                    "unit": row.unit,
                    "explanation": row.explanation,
                    "source": row.source,
                    "source_url": row.source_url,
                }
            )
        return rows


def plain(number: Decimal) -> str:
    """A decimal as people write it: 1.2500 -> "1.25", 60340.0000 -> "60340"."""
    return f"{number.normalize():f}"


class Assumption(models.Model):
    """One figure of the cost model: its typical value, published range, unit and source."""

    key = models.CharField(
        max_length=60,
        unique=True,
        choices=[(key, key) for key in costs.ASSUMPTION_KEYS],
        help_text="Which figure of the cost model this is (fixed; see comparisons/costs.py).",
    )
    label = models.CharField(max_length=120, help_text="Name shown to the reader.")
    value = models.DecimalField(
        "typical value",
        max_digits=12,
        decimal_places=4,
        validators=[MinValueValidator(Decimal(0))],
        help_text="The figure used in every new recommendation. Saved results keep theirs.",
    )
    low = models.DecimalField(
        max_digits=12,
        decimal_places=4,
        validators=[MinValueValidator(Decimal(0))],
        help_text="The low end of the published range (the cheap end of every estimate).",
    )
    high = models.DecimalField(
        max_digits=12,
        decimal_places=4,
        validators=[MinValueValidator(Decimal(0))],
        help_text="The high end of the published range.",
    )
    unit = models.CharField(max_length=60, help_text="e.g. 'USD per user per month'.")
    explanation = models.TextField(help_text="What the figure means and why this value.")
    source = models.CharField(
        max_length=300,
        help_text="Where the figure comes from (title, site, year); say 'our assumption' when "
        "no source exists.",
    )
    source_url = models.URLField(
        "source URL", max_length=300, help_text="The page a reader can open to check it."
    )
    order = models.PositiveSmallIntegerField(default=0)

    objects = AssumptionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "key"]

    def __str__(self):
        return f"{self.label}: {plain(self.value)} {self.unit}"

    def clean(self):
        # Check the whole set as it would be after this edit, so the admin cannot save a
        # combination the cost model rejects (which would break every new recommendation).
        if None in (self.value, self.low, self.high):
            return
        rows = {
            row["key"]: row
            for row in Assumption.objects.exclude(pk=self.pk).values("key", "value", "low", "high")
        }
        rows[self.key] = {"value": self.value, "low": self.low, "high": self.high}
        try:
            costs.check_figure(costs.Figure(self.key, self.value, self.low, self.high))
            if set(rows) >= set(costs.ASSUMPTION_KEYS):
                costs.Assumptions.from_mapping(rows)
        except costs.InvalidAssumptions as error:
            raise ValidationError({"value": str(error)}) from error


class RecommendationQuerySet(models.QuerySet):
    def prepare(
        self, profile: engine.Profile, ip_hash: str = "", adjusted: dict | None = None
    ) -> "Recommendation":
        """Run the engine with today's assumptions (some perhaps `adjusted` by the reader):
        answers, result, assumptions and chart, frozen together, not yet saved."""
        rows = Assumption.objects.all()
        used = rows.as_cost_assumptions().with_values(adjusted or {})
        result = engine.recommend(profile, used)
        stored = result.to_dict()
        stored["assumptions"] = rows.snapshot(used)
        stored["chart"] = chart.cumulative_chart(
            [
                {
                    "key": option,
                    "label": cost["label"],
                    "recommended": option == result.outcome,
                    "one_time": cost["one_time"],
                    "monthly": cost["monthly"],
                }
                for option, cost in stored["costs"].items()
            ]
        )
        return self.model(
            inputs=profile.to_dict(), outcome=result.outcome, result=stored, ip_hash=ip_hash
        )

    def record(
        self, profile: engine.Profile, ip_hash: str = "", adjusted: dict | None = None
    ) -> "Recommendation":
        """`prepare()` and save."""
        recommendation = self.prepare(profile, ip_hash=ip_hash, adjusted=adjusted)
        recommendation.save(force_insert=True)
        return recommendation

    def counts_by_outcome(self) -> dict[str, int]:
        """Number of recommendations per outcome, every outcome present (for the admin)."""
        counts = dict(self.order_by().values_list("outcome").annotate(n=models.Count("pk")))
        return {outcome.value: counts.get(outcome, 0) for outcome in OUTCOMES}


class Recommendation(models.Model):
    """One submitted form and what the engine made of it; shared by its UUID permalink."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    inputs = models.JSONField(help_text="The form's answers, by field name.")
    outcome = models.CharField(max_length=12, choices=outcome_choices(), db_index=True)
    result = models.JSONField(
        help_text="The engine's result with the assumptions used, as computed at the time."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    ip_hash = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="A keyed hash of the sender's network (never the address), to limit saves.",
    )

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["ip_hash", "created_at"], name="recommendation_sender_idx")]

    def __str__(self):
        return f"{self.get_outcome_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        return reverse("comparisons:result", kwargs={"pk": self.pk})

    def get_json_url(self):
        return reverse("comparisons:result_json", kwargs={"pk": self.pk})

    def profile(self) -> engine.Profile:
        return engine.Profile.from_mapping(self.inputs)

    @property
    def format_version(self) -> int:
        """1 for results saved before ranges and the hybrid option (see comparisons/legacy.py)."""
        return self.result.get("version", 1)
