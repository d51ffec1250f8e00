"""The recommendation's vocabulary: every key it stores and the words it shows for each, once.

A pure module (no Django). The ways of buying IT support (`Option`) with their names, the
answers the form offers (`InHouseIT`, `Growth`, `Compliance`, `BudgetPriority`,
`CardPayments`) with their labels, and the confidence levels are defined here and nowhere
else: the cost model (comparisons/costs.py), the rules and the engine (rules.py, engine.py,
explanations.py), the chart (chart.py), the models, admin and form, and the templates (through
the filters of templatetags/comparisons.py) all read them from this module. Members are
strings, so they compare equal to, and are stored and serialised as, their plain keys.

`band()` is the one way a number is put into a named band (confidence by how many figures
would change the answer, the chart's dollar units by size).

Results saved in format 1 keep their own frozen words (comparisons/legacy.py,
templates/comparisons/result_v1.html): those pages must never change when these do.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Choice(StrEnum):
    """A key with a label for people, declared as `NAME = "key", "Label"`."""

    def __new__(cls, key: str, label: str):
        member = str.__new__(cls, key)
        member._value_ = key
        member.label = label
        return member

    @classmethod
    def keys(cls) -> tuple[str, ...]:
        """The plain keys, in declaration order."""
        return tuple(member.value for member in cls)

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(key, label) pairs, as a form field or a model field takes them."""
        return [(member.value, member.label) for member in cls]


# --- The ways of buying IT support -----------------------------------------------------------


@dataclass(frozen=True)
class Words:
    """What an option is called, and said about it, where people read it."""

    label: str  # a heading or table row: "Managed services"
    in_sentence: str  # the same name inside a sentence: "managed services"
    short_label: str  # where room is short (the chart's line ends): "Managed"
    summary: str = ""  # the result page's lead when this is the recommendation
    note: str = ""  # how it is paid, beneath its row of the cost table


class Option(StrEnum):
    """Every way of buying IT support the cost model prices."""

    BREAK_FIX = "break_fix"
    HYBRID = "hybrid"
    MANAGED = "managed"
    CO_MANAGED = "co_managed"
    IN_HOUSE = "in_house"  # a reference on the result page, never an outcome

    @property
    def words(self) -> Words:
        return WORDS[self]

    @property
    def label(self) -> str:
        return WORDS[self].label

    @property
    def in_sentence(self) -> str:
        return WORDS[self].in_sentence

    @property
    def short_label(self) -> str:
        return WORDS[self].short_label


WORDS = {
    Option.BREAK_FIX: Words(
        label="Break/fix",
        in_sentence="break/fix",
        short_label="Break/fix",
        summary="Paying a break/fix provider by the hour when something goes wrong fits your "
        "answers best.",
        note="pay per call, plus security tools you run yourself",
    ),
    Option.HYBRID: Words(
        label="Hybrid (security plan + hours)",
        in_sentence="hybrid",
        short_label="Hybrid",
        summary="A security-and-monitoring plan from a provider, with other help paid by the "
        "hour when you need it, fits your answers best.",
        note="a security-and-monitoring plan per device, other help by the hour",
    ),
    Option.MANAGED: Words(
        label="Managed services",
        in_sentence="managed services",
        short_label="Managed",
        summary="A managed services provider looking after your IT for a monthly fee fits your "
        "answers best.",
        note="a monthly fee per user (with the usual minimum), onboarding once",
    ),
    Option.CO_MANAGED: Words(
        label="Co-managed",
        in_sentence="co-managed",
        short_label="Co-managed",
        summary="A provider working alongside your own IT staff (co-managed IT) fits your answers "
        "best.",
        note="a provider beside your IT staff; their pay not included",
    ),
    Option.IN_HOUSE: Words(
        label="In-house technician",
        in_sentence="an in-house technician",
        short_label="In-house",
    ),
}

# What a recommendation can come to, least managed first (the order of the admin's counts and
# CSV columns).
OUTCOMES = (Option.BREAK_FIX, Option.HYBRID, Option.MANAGED, Option.CO_MANAGED)


def outcome_choices() -> list[tuple[str, str]]:
    """(key, label) of every outcome, for the saved recommendation's field."""
    return [(option.value, option.label) for option in OUTCOMES]


# --- The answers of the recommendation form --------------------------------------------------


class InHouseIT(Choice):
    NONE = "none", "None"
    PART_TIME = "part_time", "Someone part-time (for example an office manager who does IT)"
    FULL_TIME = "full_time", "At least one full-time IT person"


class Growth(Choice):
    SHRINKING = "shrinking", "Shrinking"
    STABLE = "stable", "Stable"
    GROWING = "growing", "Growing"


class Compliance(Choice):
    NONE = "none", "None"
    HIPAA = "hipaa", "HIPAA (patient health information)"
    PCI = "pci", "PCI DSS (card payments)"
    OTHER = "other", "Another regulation (for example financial or legal records)"


class BudgetPriority(Choice):
    PREDICTABLE = "predictable", "A predictable monthly bill"
    LOWEST_UPFRONT = "lowest_upfront", "The lowest upfront cost: pay only when something breaks"


class CardPayments(Choice):
    # The form sends an empty answer for "unknown"; results store "unknown".
    UNKNOWN = "unknown", "Not sure, or no card payments"
    OWN_SYSTEMS = "own_systems", "Through our own computers, till software or website"
    OUTSOURCED = "outsourced", "Only standalone or P2PE card terminals, or a hosted checkout page"


# --- How firm the answer is, and bands in general --------------------------------------------


class Confidence(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


def band(value, bands, above):
    """The name of the first band whose limit `value` is below, or `above` past them all.

    `bands` is ((limit, name), ...) with limits rising: band(2, ((1, "none"), (3, "few")),
    "many") is "few".
    """
    for limit, name in bands:
        if value < limit:
            return name
    return above
