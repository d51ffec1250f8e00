"""Admin for the comparisons app: edit the matrix and assumptions, review recommendations.

Editors change the matrix (assessments inline under each criterion) and the cost
assumptions; keys the engine depends on are read-only, and assumptions can be neither
added nor deleted because the cost model needs exactly its own set. Saved recommendations
are read-only records with counts by outcome and a CSV export that links each result.
"""

import csv

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.http import HttpResponse
from django.utils import timezone

from comparisons.forms import RecommendationForm
from comparisons.models import Assessment, Assumption, Criterion, Recommendation, ServiceModel
from comparisons.vocabulary import OUTCOMES, Option


class AssessmentInline(admin.TabularInline):
    model = Assessment
    extra = 0
    fields = ("service_model", "verdict", "summary", "source", "source_url")
    ordering = ("service_model__order",)
    # Sources are public pages; a bare domain typed in means its https page.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(ServiceModel)
class ServiceModelAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "order")
    list_editable = ("order",)
    search_fields = ("name", "key", "summary")
    ordering = ("order",)

    def get_readonly_fields(self, request, obj=None):
        # The engine and the saved results refer to these keys.
        return ("key",) if obj else ()


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "related_post_slug", "order")
    list_editable = ("order",)
    search_fields = ("name", "slug", "question", "related_post_slug")
    prepopulated_fields = {"slug": ("name",)}
    ordering = ("order",)
    inlines = [AssessmentInline]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("criterion", "service_model", "verdict", "summary")
    list_filter = ("verdict", "service_model", "criterion")
    list_select_related = ("criterion", "service_model")
    search_fields = ("summary", "source", "criterion__name")
    fields = ("criterion", "service_model", "verdict", "summary", "source", "source_url")
    ordering = ("criterion__order", "service_model__order")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Assumption)
class AssumptionAdmin(admin.ModelAdmin):
    list_display = ("label", "value", "low", "high", "unit", "source")
    search_fields = ("label", "key", "explanation", "source")
    readonly_fields = ("key",)
    fields = (
        "key",
        "label",
        ("value", "low", "high"),
        "unit",
        "explanation",
        "source",
        "source_url",
        "order",
    )
    ordering = ("order",)
    # Sources are public pages; a bare domain typed in means its https page.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


CSV_INPUT_FIELDS = tuple(RecommendationForm.base_fields)


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    change_list_template = "comparisons/admin/recommendation_change_list.html"
    list_display = ("created_at", "outcome", "confidence", "employees", "devices", "compliance")
    list_filter = ("outcome", "created_at")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    readonly_fields = ("id", "created_at", "outcome", "inputs", "result")
    actions = ["export_csv"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="confidence")
    def confidence(self, obj):
        return confidence_of(obj.result)

    @admin.display(description="people")
    def employees(self, obj):
        return obj.inputs.get("employees")

    @admin.display(description="devices")
    def devices(self, obj):
        return obj.inputs.get("devices")

    @admin.display(description="compliance")
    def compliance(self, obj):
        return obj.inputs.get("compliance")

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            # Counted over the filtered list, so the counts follow the filters in use.
            counts = changelist.queryset.counts_by_outcome()
            response.context_data["outcome_counts"] = [
                (Option(outcome).label, count) for outcome, count in counts.items()
            ]
        return response

    @admin.action(description="Export selected recommendations as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="recommendations-{stamp}.csv"'
        writer = csv.writer(response)
        writer.writerow(
            ["id", "link", "created_at", "outcome", "confidence", "cheapest", *CSV_INPUT_FIELDS]
            + [f"three_year_cost_{option}" for option in OUTCOMES]
        )
        for row in queryset.order_by("-created_at").iterator():
            writer.writerow(
                [
                    row.pk,
                    settings.SITE_URL + row.get_absolute_url(),
                    row.created_at.isoformat(),
                    row.outcome,
                    confidence_of(row.result),
                    row.result.get("cheapest", ""),
                    *(row.inputs.get(name, "") for name in CSV_INPUT_FIELDS),
                    *(three_year_cost(row.result, option) for option in OUTCOMES),
                ]
            )
        return response


def confidence_of(result: dict) -> str:
    """The confidence word; results saved before format 2 kept it under another key."""
    if result.get("version", 1) == 1:
        return result.get("confidence_label", "")
    return result.get("confidence", "")


def three_year_cost(result: dict, option: str):
    """The typical three-year cost (format 2), or three times the yearly running cost plus
    onboarding for results saved before ranges existed; empty where the option was not
    priced."""
    cost = result.get("costs", {}).get(option)
    if not cost:
        return ""
    if "three_years" in cost:
        return cost["three_years"]["typical"]
    return 3 * cost["total"] + cost["one_time"]
