"""The comment form and the comment edit form, with the form-level spam defences.

Field names (`name`, `email`, `body`, `website`, and the boxes `remember` and
`notify_on_reply`) are part of the interface. Besides the fields people see, the form carries
a honeypot (`homepage`, hidden by CSS; people leave it empty, form-filling robots do not) and
a signed timestamp (`timestamp`; a form sent within seconds of being served is a robot, one
older than days has expired, and one that has posted a comment posts no other). Every error
keeps what was typed: the form is re-rendered from the submitted data.
"""

import secrets
import time
import unicodedata
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import URLValidator

from comments.models import Comment
from comments.moderation import Submission

TIMESTAMP_SALT = "blog.comments.form-timestamp"

TOO_FAST = (
    "That was quicker than people usually type, so we could not tell you from a robot. "
    "Please check your comment and send it again."
)
EXPIRED = (
    "This page was open for a long time and the form expired. Your comment is still here: "
    "please send it again."
)
UNVERIFIABLE = (
    "The form could not be checked (perhaps it was changed on the way). Your comment is still "
    "here: please send it again."
)
HONEYPOT = (
    "This looked like an automated submission, so it was not sent. If you are a person, please "
    "send it again; your comment is still here."
)
FORM_USED = (
    "This form has already been used to post a comment, so it was not sent again. Your text is "
    "still here: please check it and send it again."
)
PARENT_GONE = (
    "The comment you were replying to is no longer available. Your reply is still here and will "
    "be posted as a new comment if you send it again."
)


def issue_timestamp(post_pk) -> str:
    """A signed token of the post's id and the time the form was served, with a random part:
    each token posts one comment (comments.moderation), so no two forms may share one."""
    return signing.TimestampSigner(salt=TIMESTAMP_SALT).sign(
        f"{post_pk}.{secrets.token_urlsafe(9)}"
    )


def timestamp_problem(token: str, post) -> str:
    """Why the form's timestamp is unacceptable, or "" if it is fine."""
    signer = signing.TimestampSigner(salt=TIMESTAMP_SALT)
    try:
        value = signer.unsign(token or "", max_age=settings.COMMENTS_FORM_MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        return EXPIRED
    except signing.BadSignature:
        return UNVERIFIABLE
    # Tokens served before they had a random part are "<post>" alone: good until they expire.
    if value.split(".")[0] != str(post.pk):
        return UNVERIFIABLE
    # The token is "<post>:<time>:<signature>" and its signature is valid, so <time> is ours.
    signed_at = signing.b62_decode(token.split(signer.sep)[1])
    if time.time() - signed_at < settings.COMMENTS_FORM_MIN_SECONDS:
        return TOO_FAST
    return ""


# Markdown's link syntax costs time growing with the square of the brackets in a text: 5,000
# "[" take seconds to render. A person's comment holds a few; this many is a generous bound
# that keeps any comment's rendering to a few milliseconds.
MAX_BRACKETS = 100
TOO_MANY_BRACKETS = (
    "This comment has more than %(limit)d square brackets, more than any comment needs. "
    "Please use fewer: your text is still here."
)


class CommentTextField(forms.CharField):
    """Text whose line breaks count once: browsers send CRLF, people type one key."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value

    def validate(self, value):
        super().validate(value)
        if value and value.count("[") > MAX_BRACKETS:
            raise forms.ValidationError(
                TOO_MANY_BRACKETS, code="too_many_brackets", params={"limit": MAX_BRACKETS}
            )


class SingleLineField(forms.CharField):
    """A one-line value: runs of whitespace (including pasted line breaks) become one space."""

    def to_python(self, value):
        return " ".join(super().to_python(value).split())


# Letters of these alphabets look alike (Cyrillic U+0430 beside Latin "a"): a host name label
# that mixes two of them is a look-alike of another address, never an honest name.
LOOK_ALIKE_SCRIPTS = {"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE"}
USER_INFO = (
    "Enter the website's address without anything before an “@” (a name there hides where the "
    "link leads)."
)
BACKSLASH = "Enter the website's address with forward slashes (/) only, no backslash (\\)."
MIXED_SCRIPTS = (
    "The website's name mixes letters of different alphabets (like Latin and Cyrillic), as "
    "look-alike addresses do. Please type it as it is spelled."
)
EMAIL_TOO_LONG = (
    "Keep your email address to %(limit)d characters once written in small letters "
    "(it has %(length)d)."
)


def _scripts(label: str) -> set[str]:
    return {
        unicodedata.name(char, "").split(" ")[0] for char in label if char.isalpha()
    } & LOOK_ALIKE_SCRIPTS


def deception_in(url: str) -> str:
    """Why a website address hides where it leads (a user name before the host, a backslash
    that browsers read as a slash, a look-alike host name), or "" if it does not."""
    if "\\" in url:
        return BACKSLASH
    try:
        parts = urlsplit(url)
        hostname = parts.hostname or ""
    except ValueError:  # URLValidator refuses these first; never a 500 if one gets here
        return ""
    if "@" in parts.netloc:
        return USER_INFO
    for label in hostname.split("."):
        try:
            shown = label.encode("ascii").decode("idna") if label.startswith("xn--") else label
        except UnicodeError:
            return MIXED_SCRIPTS  # a punycode label that does not decode: nobody's real name
        if len(_scripts(shown)) > 1:
            return MIXED_SCRIPTS
    return ""


class WebsiteField(forms.URLField):
    """An http(s) address that leads where it says: checked once (one message per problem)."""

    default_validators = [URLValidator(schemes=["http", "https"])]

    def run_validators(self, value):
        super().run_validators(value)  # a well-formed http(s) address first
        problem = deception_in(value) if value else ""
        if problem:
            raise forms.ValidationError(problem, code="deceptive")


def _text(required, too_long):
    return {"required": required, "max_length": too_long + " (it has %(show_value)d)."}


class CommentForm(forms.Form):
    name = SingleLineField(
        label="Name",
        max_length=100,
        error_messages=_text("Enter your name.", "Keep your name to %(limit_value)d characters"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Email",
        max_length=254,
        help_text="Never shown publicly.",
        error_messages={
            **_text(
                "Enter your email address.", "Keep your email address to %(limit_value)d characters"
            ),
            "invalid": "Enter a valid email address, like name@example.com.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    body = CommentTextField(
        label="Comment",
        max_length=5000,
        help_text="Up to 5,000 characters. You can use *emphasis*, **bold**, "
        "[links](https://example.com) and `code`.",
        error_messages=_text(
            "Write your comment.", "Keep your comment to %(limit_value)d characters"
        ),
        widget=forms.Textarea(attrs={"rows": 7}),
    )
    website = WebsiteField(
        label="Website",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={
            **_text("", "Keep your website address to %(limit_value)d characters"),
            "invalid": "Enter a website address starting with http:// or https://.",
        },
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    remember = forms.BooleanField(
        label="Save my name, email, and website in this browser for the next time I comment.",
        required=False,
    )
    notify_on_reply = forms.BooleanField(
        label="Email me when someone replies",
        required=False,
        help_text="One email per reply to your comment, with a link to it; nothing else.",
    )
    parent = forms.IntegerField(
        required=False, widget=forms.HiddenInput, error_messages={"invalid": PARENT_GONE}
    )
    timestamp = forms.CharField(required=False, widget=forms.HiddenInput)
    homepage = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, post, **kwargs):
        super().__init__(*args, **kwargs)
        self.post = post
        if self.is_bound:
            # A private copy, so a bad timestamp or parent can be replaced when re-rendering.
            self.data = self.data.copy()
        else:
            self.initial.setdefault("timestamp", issue_timestamp(post.pk))
        for field in self.fields.values():
            # No maxlength in the page: a browser would silently cut a pasted comment short.
            # The server says how long it is instead, and keeps every character.
            field.widget.attrs.pop("maxlength", None)
            if not isinstance(field.widget, forms.CheckboxInput | forms.HiddenInput):
                field.widget.attrs.setdefault("class", "form-control")
        for name in ("remember", "notify_on_reply"):
            self.fields[name].widget.attrs["class"] = "form-check-input"

    def clean_email(self):
        """Lower-cased when stored, which can lengthen it ("İ" becomes two characters): the
        column's limit is checked on what will be stored."""
        email = self.cleaned_data["email"]
        limit = Comment._meta.get_field("email").max_length
        if len(email.lower()) > limit:
            raise forms.ValidationError(
                EMAIL_TOO_LONG, params={"limit": limit, "length": len(email.lower())}
            )
        return email

    def clean_parent(self):
        """Replies go one level deep: a reply to a reply joins its top-level comment."""
        pk = self.cleaned_data.get("parent")
        if pk is None:
            return None
        parent = (
            Comment.objects.public().filter(post=self.post, pk=pk).select_related("parent").first()
        )
        if parent is None:
            raise forms.ValidationError(PARENT_GONE)
        return parent.parent or parent

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("homepage"):
            self.data["homepage"] = ""
            raise forms.ValidationError(HONEYPOT)
        problem = timestamp_problem(cleaned.get("timestamp", ""), self.post)
        if problem:
            if problem != TOO_FAST:
                # A fresh token, so sending the re-rendered form again works; a token that was
                # merely too young is kept, as it will have aged enough by then.
                self.data["timestamp"] = issue_timestamp(self.post.pk)
            raise forms.ValidationError(problem)
        return cleaned

    def add_error(self, field, error):
        # Hidden fields have nowhere to show an error: their problems are the form's. A reply
        # whose parent is gone becomes a new comment if sent again.
        if field == "parent":
            self.data["parent"] = ""
        if field in {"parent", "timestamp"}:
            field = None
        super().add_error(field, error)

    def submission(self, ip_hash: str) -> Submission:
        data = self.cleaned_data
        return Submission(
            post=self.post,
            name=data["name"],
            email=data["email"].lower(),
            website=data["website"],
            body=data["body"],
            parent=data["parent"],
            ip_hash=ip_hash,
            notify_on_reply=data["notify_on_reply"],
            form_token=data["timestamp"],
        )

    def author_details(self) -> dict:
        return {key: self.cleaned_data[key] for key in ("name", "email", "website")}


class CommentEditForm(forms.ModelForm):
    """What an author may change in their own comment for a short while: its text."""

    body = CommentTextField(
        label="Comment",
        max_length=5000,
        help_text=CommentForm.base_fields["body"].help_text,
        error_messages=CommentForm.base_fields["body"].error_messages,
        widget=forms.Textarea(attrs={"rows": 7, "class": "form-control"}),
    )

    class Meta:
        model = Comment
        fields = ["body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs.pop("maxlength", None)


class SiteReplyForm(forms.Form):
    """A reply written in the admin, published at once as the site's."""

    name = forms.CharField(
        label="Shown as",
        max_length=100,
        help_text="The name readers see above the reply, which is marked “Author”.",
    )
    body = CommentTextField(
        label="Reply",
        max_length=5000,
        help_text=CommentForm.base_fields["body"].help_text,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
    )
    approve = forms.BooleanField(
        label="Approve the comment too (a reply shows only under an approved comment)",
        required=False,
        initial=True,
    )

    def __init__(self, *args, may_approve, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_approve:
            del self.fields["approve"]
