"""The admin's writing desk for posts and pages: a large Markdown editor, its live preview
(rendered by the site's own pipeline, blog.markdown) and the warnings shown before and after
a save (blog.markdown_checks).

`LivePreviewMixin` goes on PostAdmin and PageAdmin: it adds the preview endpoint
(`<model>/preview/`, POST with the CSRF token, JSON in and out), the editor's widgets and the
script (static/js/admin-editor.js) that asks for a preview as the author types.
"""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime, RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.views.decorators.http import require_POST

from blog import markdown_checks

# Far above the longest article (about 16 KB), far below what a request can cost us.
PREVIEW_MAX_BYTES = 200 * 1024


class LabelledSplitDateTime(AdminSplitDateTime):
    """Django's date and time boxes, each named for screen readers ("Publish at, date").

    The admin's label for a split field points at neither box, so each gets its own name.
    """

    def __init__(self, label, attrs=None):
        super().__init__(attrs)
        date, time = self.widgets
        date.attrs["aria-label"] = f"{label}, date (YYYY-MM-DD)"
        time.attrs["aria-label"] = f"{label}, time (HH:MM:SS)"


class LabelledCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes in a group that carries the field's name, which the admin's label cannot."""

    def __init__(self, label, attrs=None, choices=()):
        super().__init__(attrs, choices)
        self.label = label

    def render(self, name, value, attrs=None, renderer=None):
        boxes = super().render(name, value, attrs, renderer)
        return format_html(
            '<div role="group" aria-label="{}" class="checkbox-group">{}</div>', self.label, boxes
        )


class LivePreviewMixin:
    """Editor, live preview and pre-save warnings for a ModelAdmin of a Markdown model."""

    markdown_field = "body_markdown"
    editor_rows = 30

    class Media:
        css = {"all": ["css/admin-editor.css"]}
        js = ["js/admin-editor.js"]

    def get_urls(self):
        view = self.admin_site.admin_view(self.preview_view)
        return [path("preview/", view, name=self._preview_url_name()), *super().get_urls()]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        label = capfirst(db_field.verbose_name)
        if db_field.name == self.markdown_field:
            kwargs["widget"] = forms.Textarea(
                attrs={
                    "rows": self.editor_rows,
                    "cols": 100,
                    "class": "vLargeTextField markdown-editor",
                    "spellcheck": "true",
                }
            )
        elif isinstance(db_field, models.DateTimeField):
            kwargs["widget"] = LabelledSplitDateTime(label)
        elif isinstance(db_field, models.ManyToManyField):
            kwargs["widget"] = LabelledCheckboxes(label)
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        widget = getattr(formfield, "widget", None)
        if isinstance(widget, RelatedFieldWidgetWrapper) and isinstance(
            widget.widget, LabelledCheckboxes
        ):
            # The admin's "add" pop-up can only put its new item into a <select>: with
            # checkboxes the new tag would not appear until the page was reloaded.
            widget.can_add_related = False
            formfield.help_text = (
                "Tick every one that fits. A new one is added under "
                f"{capfirst(db_field.related_model._meta.verbose_name_plural)} first."
            )
        return formfield

    # --- The preview endpoint -----------------------------------------------------------

    def preview_view(self, request):
        return require_POST(self._preview)(request)

    def _preview(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if not declared.isdigit() or int(declared) > PREVIEW_MAX_BYTES:
            return _refusal(f"The text is over {PREVIEW_MAX_BYTES // 1024} KB.", 413)
        try:
            source = json.loads(request.body or b"{}").get("markdown")
        except (ValueError, AttributeError):
            source = None
        if not isinstance(source, str):
            return _refusal('Send JSON: {"markdown": "…"}.', 400)
        checked = markdown_checks.check(source)
        return JsonResponse({"html": checked.html, "warnings": checked.warnings})

    # --- The preview box and the warnings on save ---------------------------------------

    @admin.display(description="Preview")
    def rendered_preview(self, obj):
        url = reverse(f"{self.admin_site.name}:{self._preview_url_name()}")
        saved = obj.pk is not None
        # body_html was sanitised with the nh3 allowlist when it was saved.
        html = mark_safe(obj.body_html) if saved else ""
        warnings = markdown_checks.warnings_for(obj.body_markdown) if saved else []
        status = (
            "The text as last saved. The preview follows your typing; nothing is saved until "
            "you press Save."
            if saved
            else "The preview appears here as you type; nothing is saved until you press Save."
        )
        return format_html(
            '<div class="live-preview" data-preview-url="{url}" data-source="id_{field}">'
            '<p class="live-preview-status" role="status" data-preview-status>{status}</p>'
            '<div class="live-preview-warnings" aria-live="polite" data-preview-warnings>'
            "{warnings}</div>"
            '<div class="post-preview" data-preview-body>{html}</div>'
            "</div>",
            url=url,
            field=self.markdown_field,
            status=status,
            warnings=warning_list(warnings),
            html=html,
        )

    def _preview_url_name(self):
        opts = self.model._meta
        return f"{opts.app_label}_{opts.model_name}_preview"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Shown on the next page, never blocking: the author may mean it (a link to a post
        # still to be written).
        for warning in markdown_checks.warnings_for(getattr(obj, self.markdown_field)):
            messages.warning(request, f"Saved, but check this: {warning}")


def warning_list(warnings):
    if not warnings:
        return ""
    return format_html(
        '<p class="live-preview-warnings-title">Before you save, check:</p><ul>{}</ul>',
        format_html_join("", "<li>{}</li>", ((warning,) for warning in warnings)),
    )


def _refusal(message, status):
    return JsonResponse({"error": message}, status=status)
