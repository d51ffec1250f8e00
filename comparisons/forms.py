"""The recommendation form: the questions of DESIGN.md, grouped, explained and bounded.

Field names are part of the site's interface (DESIGN.md): the result page's "try another
answer" link pre-fills this form with them. The upper bounds are far above any small or
midsize business; they exist so that absurd input gets a clear error instead of
arithmetic on numbers nobody means.
"""

import dataclasses
from decimal import Decimal

from crispy_forms.bootstrap import AppendedText, PrependedAppendedText
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Field, Fieldset, Layout, Submit
from django import forms
from django.urls import reverse

from comparisons import costs
from comparisons.engine import Profile
from comparisons.vocabulary import BudgetPriority, CardPayments, Compliance, Growth, InHouseIT

MAX_EMPLOYEES = 100_000
MAX_DEVICES = 1_000_000
MAX_DOWNTIME_COST_PER_HOUR = 10_000_000
MAX_INCIDENTS_PER_MONTH = 1_000
MAX_SERVERS = 10_000
# No published figure of the cost model comes near these; they only keep arithmetic sane.
MAX_ASSUMPTION_VALUE = Decimal(10_000_000)


# Error messages say what the question wants, with an example, as the comment form's do: each
# is shown beside its field and, alone, in the list at the top of the page, so each names its
# question. A number box a browser cannot read is sent empty, so "required" and "invalid"
# share one message that fits both.
def number_errors(asking: str, *, too_low: str, too_high: str, **more: str) -> dict[str, str]:
    return {
        "required": asking,
        "invalid": asking,
        "min_value": too_low,
        "max_value": too_high,
        # Digits beyond the field's size: the number is too big, whatever its shape.
        "max_digits": too_high,
        "max_whole_digits": too_high,
        **more,
    }


def choice_errors(asking: str) -> dict[str, str]:
    return {"required": asking, "invalid_choice": asking}


class NumberField(forms.DecimalField):
    """A decimal answer with one message at a time: a huge number is past both its limit and
    the field's digits, and saying so twice helps nobody."""

    def run_validators(self, value):
        try:
            super().run_validators(value)
        except forms.ValidationError as problems:
            raise forms.ValidationError(problems.error_list[:1]) from None


def literal(text: str) -> str:
    """`text` safe as a message Django fills with %-parameters (min_value, max_digits...)."""
    return text.replace("%", "%%")


class RecommendationForm(forms.Form):
    employees = forms.IntegerField(
        label="People who use IT",
        min_value=1,
        max_value=MAX_EMPLOYEES,
        initial=10,
        help_text="Everyone who uses a computer, email or business software, part-timers too.",
        error_messages=number_errors(
            "Tell us how many people use IT in your business: a whole number, such as 12.",
            too_low="People who use IT must be 1 or more: count yourself too.",
            too_high=f"Enter {MAX_EMPLOYEES:,} people or fewer: this tool is made for small "
            "and midsize businesses.",
        ),
    )
    devices = forms.IntegerField(
        label="Devices to support",
        min_value=0,
        max_value=MAX_DEVICES,
        initial=15,
        help_text="Computers, servers, phones and network gear together.",
        error_messages=number_errors(
            "Tell us how many devices need support: a whole number, such as 15 (computers, "
            "servers, phones and network gear together).",
            too_low="Enter 0 or more devices to support.",
            too_high=f"Enter {MAX_DEVICES:,} devices or fewer.",
        ),
    )
    in_house_it = forms.ChoiceField(
        label="IT staff of your own",
        choices=InHouseIT.choices(),
        initial=InHouseIT.NONE.value,
        widget=forms.RadioSelect,
        help_text="People on your payroll whose job includes looking after your IT.",
        error_messages=choice_errors(
            "Choose whether you have IT staff of your own: none, someone part-time, or at least "
            "one full-time IT person."
        ),
    )
    remote_staff = forms.BooleanField(
        label="Some staff work outside the office (from home or on the road)",
        required=False,
    )
    growth = forms.ChoiceField(
        label="Where your headcount is going over the next year or two",
        choices=Growth.choices(),
        initial=Growth.STABLE.value,
        widget=forms.RadioSelect,
        error_messages=choice_errors(
            "Choose where your headcount is going: shrinking, stable or growing."
        ),
    )
    downtime_cost_per_hour = forms.IntegerField(
        label="Cost of one hour of IT outage",
        min_value=0,
        max_value=MAX_DOWNTIME_COST_PER_HOUR,
        initial=500,
        help_text="Lost sales and idle staff, in whole US dollars. A guess is fine: many "
        "small businesses have never worked it out.",
        error_messages=number_errors(
            "Tell us roughly what one hour of IT outage costs you, in whole US dollars, such as "
            "500. A guess is fine.",
            too_low="Enter 0 or more dollars for an hour of IT outage.",
            too_high=f"Enter ${MAX_DOWNTIME_COST_PER_HOUR:,} or less for an hour of IT outage.",
        ),
    )
    incidents_per_month = NumberField(
        label="IT problems needing outside help",
        min_value=Decimal(0),
        max_value=MAX_INCIDENTS_PER_MONTH,
        max_digits=6,
        decimal_places=2,
        initial=Decimal(1),
        help_text="On average today; 0.5 means one every two months.",
        error_messages=number_errors(
            "Tell us how many IT problems a month need outside help: a number such as 1, or 0.5 "
            "for one every two months.",
            too_low="Enter 0 or more IT problems a month.",
            too_high=f"Enter {MAX_INCIDENTS_PER_MONTH:,} IT problems a month or fewer.",
            max_decimal_places="Give the IT problems a month with two decimal places at most, "
            "such as 0.25.",
        ),
    )
    compliance = forms.ChoiceField(
        label="Regulatory duties",
        choices=Compliance.choices(),
        initial=Compliance.NONE.value,
        help_text="Rules about the data you hold: HIPAA for patient records, PCI DSS if you "
        "take card payments.",
        error_messages=choice_errors(
            "Choose the regulatory duties that apply to the data you hold, or None."
        ),
    )
    budget_priority = forms.ChoiceField(
        label="How you prefer to pay for IT",
        choices=BudgetPriority.choices(),
        initial=BudgetPriority.PREDICTABLE.value,
        widget=forms.RadioSelect,
        error_messages=choice_errors(
            "Choose how you prefer to pay for IT: a predictable monthly bill, or the lowest "
            "upfront cost."
        ),
    )

    servers = forms.IntegerField(
        label="Servers of your own",
        required=False,
        min_value=0,
        max_value=MAX_SERVERS,
        help_text="Machines in your office or a data centre that a provider would look after; "
        "leave empty if everything runs in the cloud. Managed plans charge for each.",
        error_messages=number_errors(
            "Give the servers of your own as a whole number, such as 2, or leave the box empty "
            "if everything runs in the cloud.",
            too_low="Enter 0 or more servers, or leave the box empty.",
            too_high=f"Enter {MAX_SERVERS:,} servers or fewer, or leave the box empty.",
        ),
    )

    card_payments = forms.ChoiceField(
        label="If you take card payments, how?",
        required=False,
        # "Not sure" is the empty answer; the engine reads it as unknown.
        choices=[
            ("" if key == CardPayments.UNKNOWN else key, label)
            for key, label in CardPayments.choices()
        ],
        widget=forms.RadioSelect,
        help_text="Terminals and hosted checkouts leave little of your IT in PCI DSS scope.",
        error_messages=choice_errors(
            "Choose how you take card payments from the list, or “Not sure”."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "recommendation-form"
        # The form comes on a cached page with no token for a reader without the CSRF cookie:
        # static/js/form-token.js fetches one from here once they start on it.
        self.helper.attrs = {"novalidate": "", "data-token-url": reverse("comments:token")}
        self.helper.layout = Layout(
            Fieldset(
                "Your business",
                "employees",
                "devices",
                "in_house_it",
                "remote_staff",
                "growth",
            ),
            Fieldset(
                "Risk",
                PrependedAppendedText("downtime_cost_per_hour", "$", "per hour"),
                AppendedText("incidents_per_month", "per month"),
                Field("compliance"),
            ),
            Fieldset("Paying for IT", "budget_priority"),
            # Open when it holds an answer or an error, so nothing typed is hidden.
            HTML(
                '<details class="recommend-refine"'
                "{% if form.servers.value or form.servers.errors or form.card_payments.value %}"
                " open{% endif %}><summary>Refine (optional)</summary>"
            ),
            Field("servers"),
            Field("card_payments"),
            HTML("</details>"),
            HTML(
                '<p class="form-text">We save your answers and the result under a hard-to-guess '
                "link you can share; we ask for nothing that identifies you.</p>"
            ),
            Submit("submit", "Get my recommendation"),
        )

    def profile(self) -> Profile:
        """The cleaned answers as the engine's input; call after `is_valid()`."""
        return Profile.from_mapping(self.cleaned_data)


class AssumptionsForm(forms.Form):
    """The result page's "adjust the assumptions" form: one field per figure of the cost
    model, pre-filled with the figures a saved result used."""

    def __init__(self, *args, rows: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        for row in rows:
            key = row["key"]
            bounds = {"min_value": Decimal(0), "max_value": MAX_ASSUMPTION_VALUE}
            if key in costs.SHARES:
                bounds["max_value"] = Decimal(1)
            if key in costs.MULTIPLIERS:
                bounds["min_value"] = Decimal(1)
            default = row.get("default", row["value"])
            self.fields[key] = NumberField(
                label=f"{row['label']} ({row['unit']})",
                initial=row["value"],
                max_digits=12,
                decimal_places=4,
                help_text=f"Published range {row['low']} to {row['high']}; our default {default}.",
                error_messages=figure_errors(key, row["label"], row["unit"], default),
                **bounds,
            )

    def adjusted(self) -> dict[str, Decimal]:
        """Every figure as the reader set it; call after `is_valid()`."""
        return dict(self.cleaned_data.items())


def figure_errors(key: str, label: str, unit: str, default) -> dict[str, str]:
    """The adjust form's messages for one figure, naming it and its unit."""
    # Labels come from the stored snapshot (admins write them), and Django fills the messages
    # of limits with %-parameters: a "%" in a label must reach the reader as a "%".
    name = literal(f"“{label}”")
    if key in costs.SHARES:
        too_low = too_high = (
            f"{name} is a share: enter a figure from 0 (none) to 1 (all), such as {default}."
        )
    elif key in costs.MULTIPLIERS:
        too_low = f"{name} multiplies a cost: enter 1 or more, such as {default}."
        too_high = f"Enter {MAX_ASSUMPTION_VALUE:,} or less for {name}."
    else:
        too_low = f"Enter 0 or more for {name}."
        too_high = f"Enter {MAX_ASSUMPTION_VALUE:,} or less for {name}."
    return number_errors(
        f"Give a number for “{label}” ({unit}), such as our default {default}.",
        too_low=too_low,
        too_high=too_high,
        max_decimal_places=f"Give {name} with four decimal places at most.",
    )


def prefill_query(inputs: dict) -> dict:
    """GET parameters that pre-fill the form with saved answers (a checkbox is absent)."""
    # In the order of the answers, not of the stored JSON (PostgreSQL keeps its own order).
    names = [field.name for field in dataclasses.fields(Profile)]
    query = {name: inputs[name] for name in names if name in inputs}
    # Optional answers left empty are left out, as the form would send them.
    if not query.get("servers"):
        query.pop("servers", None)
    if query.get("card_payments") in (None, "", CardPayments.UNKNOWN):
        query.pop("card_payments", None)
    if query.get("remote_staff"):
        query["remote_staff"] = "on"
    else:
        query.pop("remote_staff", None)
    return query


UNITS = {
    "downtime_cost_per_hour": "USD per hour",
    "incidents_per_month": "a month",
}


def describe_answers(inputs: dict) -> list[tuple[str, str]]:
    """Saved answers as (question, answer) pairs in words, for the result page."""
    described = []
    for name, field in RecommendationForm.base_fields.items():
        if name not in inputs:
            continue
        value = inputs[name]
        if isinstance(field, forms.BooleanField):
            text = "Yes" if value else "No"
        elif isinstance(field, forms.ChoiceField):
            # A stored "unknown" is the form's empty choice ("Not sure").
            choices = dict(field.choices)
            text = str(choices.get(value) or choices.get("", value))
        else:
            text = f"{value:,}" if isinstance(value, int) else str(value)
            if name in UNITS:
                text = f"{text} {UNITS[name]}"
        described.append((str(field.label), text))
    return described
