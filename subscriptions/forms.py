"""The follow form: an email address and what to follow (this series, or the whole site).

Field names (`follow-email`, `follow-topic`, `follow-series`: the prefix keeps them apart from
the comment form's on the same page) are part of the interface: the form on post and series
pages (`{% follow_form %}`) and the page at /follow/ post the same fields. The address
is checked after it is normalised (the domain lower-cased), since lower-casing can lengthen
it: an address too long to store is a form error, never a server error.
"""

from django import forms

from blog.models import Series
from subscriptions.models import MAX_EMAIL_LENGTH, normalise_email

SERIES, SITE = "series", "site"
PREFIX = "follow"
TOO_LONG = f"Keep your email address to {MAX_EMAIL_LENGTH} characters."


class FollowForm(forms.Form):
    email = forms.EmailField(
        label="Your email",
        # Django's guard for its validator; the stored limit is checked after normalising.
        max_length=320,
        error_messages={
            "required": "Enter your email address.",
            "max_length": TOO_LONG,
            "invalid": "Enter a valid email address, like name@example.com.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "class": "form-control"}),
    )
    topic = forms.ChoiceField(
        label="Email me about",
        choices=[(SERIES, "The next parts of this series"), (SITE, "Every new article")],
        initial=SERIES,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    series = forms.SlugField(required=False, widget=forms.HiddenInput)

    prefix = PREFIX

    def __init__(self, *args, series=None, **kwargs):
        """`series`: the series of the page the form is on, if any (None offers the site)."""
        super().__init__(*args, **kwargs)
        self.page_series = series
        if series is None:
            del self.fields["topic"]
        else:
            label = f"The next parts of “{series.title}”"
            self.fields["topic"].choices = [(SERIES, label), (SITE, "Every new article")]
            self.initial.setdefault("series", series.slug)

    def clean_email(self):
        address = normalise_email(self.cleaned_data["email"])
        if len(address) > MAX_EMAIL_LENGTH:
            raise forms.ValidationError(TOO_LONG)
        return address

    def clean(self):
        cleaned = super().clean()
        series = None
        if self.page_series is not None and cleaned.get("topic", SERIES) != SITE:
            series = self.page_series
        cleaned["followed_series"] = series
        return cleaned


def series_for(data):
    """The series a form's data names (its hidden field), or None for the whole site."""
    slug = data.get(f"{PREFIX}-series", "")
    if not slug:
        return None
    return Series.objects.filter(slug=slug).first()
