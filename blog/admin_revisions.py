"""Every saved state of a post or page, kept by django-reversion: the list of revisions, the
difference between any two, and restoring one.

Posts and pages are registered with reversion here, before their admins are built (an admin
that inherits `VersionAdmin` would otherwise register its model itself); blog.admin imports
this module first. Each admin save is a revision (VersionAdmin), and so is each post or page
that sync_posts writes (blog.content, blog.page_content). `RevisionsMixin` adds
`<id>/revisions/` (pick two revisions, see the difference, made with difflib and escaped) and
`<id>/revisions/<version>/restore/` (POST: the revision's text saved again, so the HTML is
rendered anew, and recorded as a revision of its own).
"""

import difflib

import reversion
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format, localize
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.timezone import template_localtime
from reversion.models import Version

from blog.models import Page, Post

# Kept out of revisions: written by the sync and by comments, not by authors. A revision that
# restored them would tell the next sync that an old file is still the post's source.
BOOKKEEPING = ("source_hash", "synced_fingerprint", "comments_changed_at")
# Shown line by line; the other fields an author edits are shown as "before → after".
TEXT_FIELDS = ("title", "slug", "summary", "body_markdown")

reversion.register(Post, exclude=BOOKKEEPING)  # its tags are in each revision (a pk list)
reversion.register(Page, exclude=BOOKKEEPING)


def authored_fields(model):
    """The fields an author edits in the admin: the ones a revision shows and restores."""
    return [
        field
        for field in model._meta.get_fields()
        if field.concrete and field.editable and not field.primary_key and not field.auto_created
    ]


def line_diff(old: str, new: str) -> str:
    """A unified diff of two texts as escaped HTML, lines marked <ins>/<del>; "" if equal."""
    lines = difflib.unified_diff(
        (old or "").splitlines(), (new or "").splitlines(), lineterm="", n=3
    )
    rows = []
    for line in lines:
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            rows.append(('<span class="diff-hunk">{}</span>', line))
        elif line.startswith("+"):
            rows.append(('<ins class="diff-add">+ {}</ins>', line[1:]))
        elif line.startswith("-"):
            rows.append(('<del class="diff-del">- {}</del>', line[1:]))
        else:
            rows.append(('<span class="diff-same">  {}</span>', line[1:]))
    if not rows:
        return ""
    # One block per line (styled in admin-editor.css), so no newlines between them.
    body = format_html_join("", "{}", ((format_html(pattern, text),) for pattern, text in rows))
    return format_html('<pre class="revision-diff">{}</pre>', body)


def _shown_value(field, value):
    if value is None or value == "":
        return "(empty)"
    if field.many_to_many:
        names = field.related_model.objects.filter(pk__in=value).order_by("pk")
        return ", ".join(str(item) for item in names) or "(none)"
    if field.is_relation:
        related = field.related_model.objects.filter(pk=value).first()
        return str(related) if related else f"#{value} (deleted)"
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if hasattr(value, "tzinfo"):
        return localize(template_localtime(value))
    return str(value)


def compare(model, old: Version, new: Version):
    """The text fields' diffs and the other authored fields that differ, old to new."""
    before, after = old.field_dict, new.field_dict
    texts, others = [], []
    for field in authored_fields(model):
        key = field.attname
        if key not in before or key not in after:
            continue  # a field added since the older revision was made
        old_value, new_value = before[key], after[key]
        if field.many_to_many:
            old_value, new_value = sorted(old_value), sorted(new_value)
        label = capfirst(field.verbose_name)
        if field.name in TEXT_FIELDS:
            texts.append((label, line_diff(old_value, new_value)))
        elif old_value != new_value:
            others.append((label, _shown_value(field, old_value), _shown_value(field, new_value)))
    return texts, others


def restore(obj, version):
    """Put a revision's authored fields back and save: `save()` renders the HTML again."""
    data = version.field_dict
    many = {}
    for field in authored_fields(type(obj)):
        if field.attname not in data:
            continue
        value = data[field.attname]
        if field.many_to_many:
            many[field.name] = field.related_model.objects.filter(pk__in=value)
        elif field.is_relation and value is not None:
            if not field.related_model.objects.filter(pk=value).exists():
                raise ValidationError(
                    f"its {field.verbose_name} has been deleted since; set it by hand instead"
                )
            setattr(obj, field.attname, value)
        else:
            setattr(obj, field.attname, value)
    obj.full_clean()
    obj.save()
    for name, items in many.items():
        getattr(obj, name).set(items)


def revision_label(version):
    # To the second: an author's saves are often a minute apart or less.
    return date_format(template_localtime(version.revision.date_created), "j M Y, H:i:s")


class RevisionsMixin:
    """Revisions list, difference and restore, for a VersionAdmin of posts or pages."""

    # Django's own lookup (admin/blog/<model>/object_history.html, which extends
    # reversion's), instead of the one template VersionAdmin names.
    object_history_template = None
    revisions_template = None

    def get_urls(self):
        opts = self.model._meta
        info = f"{opts.app_label}_{opts.model_name}"
        return [
            path(
                "<path:object_id>/revisions/",
                self.admin_site.admin_view(self.revisions_view),
                name=f"{info}_revisions",
            ),
            path(
                "<path:object_id>/revisions/<int:version_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name=f"{info}_restore",
            ),
            *super().get_urls(),
        ]

    def _url(self, name, *args):
        opts = self.model._meta
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_{name}", args=args
        )

    def _object_or_404(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(f"No {self.model._meta.verbose_name} with this id.")
        return obj

    def revisions_view(self, request, object_id):
        obj = self._object_or_404(request, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = list(
            Version.objects.get_for_object(obj).select_related("revision__user").order_by("-pk")
        )
        by_id = {version.pk: version for version in versions}
        new, old = self._chosen(request, versions, by_id)
        rows = []
        for index, version in enumerate(versions):
            previous = versions[index + 1] if index + 1 < len(versions) else None
            rows.append(
                {
                    "version": version,
                    "label": revision_label(version),
                    "previous": previous,
                    "is_old": version == old,
                    "is_new": version == new,
                }
            )
        texts, others = compare(self.model, old, new) if old and new else ([], [])
        can_restore = self.has_change_permission(request, obj)
        restorable = [
            (version, revision_label(version), self._url("restore", quote(obj.pk), version.pk))
            for version in dict.fromkeys([old, new])
            if can_restore and version is not None and version != versions[0]
        ]
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": f"Revisions of “{obj}”",
            "subtitle": None,
            "opts": opts,
            "original": obj,
            "rows": rows,
            "old": old,
            "new": new,
            "old_label": revision_label(old) if old else "",
            "new_label": revision_label(new) if new else "",
            "texts": texts,
            "others": others,
            "unchanged": bool(old and new) and not others and not any(d for _, d in texts),
            "restorable": restorable,
            "has_view_permission": self.has_view_permission(request, obj),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request,
            self.revisions_template or f"admin/{opts.app_label}/{opts.model_name}/revisions.html",
            context,
        )

    @staticmethod
    def _chosen(request, versions, by_id):
        """The two revisions to compare: ?old=&new= (version ids), or the latest change."""
        try:
            new_id = int(request.GET.get("new") or (versions[0].pk if versions else 0))
            new = by_id[new_id] if new_id else None
            position = versions.index(new) if new else 0
            fallback = versions[position + 1].pk if position + 1 < len(versions) else 0
            old_id = int(request.GET.get("old") or fallback)
            old = by_id[old_id] if old_id else None
        except (KeyError, ValueError):
            raise Http404("No such revision of this object.") from None
        return new, old

    def restore_view(self, request, object_id, version_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self._object_or_404(request, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        version = Version.objects.get_for_object(obj).filter(pk=version_id).first()
        if version is None:
            raise Http404("No such revision of this object.")
        message = f"Restored the revision of {revision_label(version)}."
        try:
            with transaction.atomic(), reversion.create_revision():
                restore(obj, version)
                reversion.set_user(request.user)
                self.log_change(request, obj, message)  # also the new revision's comment
        except ValidationError as error:
            messages.error(request, "This revision cannot be restored: " + " ".join(error.messages))
            return redirect(self._url("revisions", quote(obj.pk)) + f"?old={version.pk}")
        messages.success(request, message + " The HTML was rendered again from its text.")
        return redirect(self._url("change", quote(obj.pk)))
