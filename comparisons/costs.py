"""The cost model: what each way of buying IT support would cost a business, as a range.

A pure module (no Django) used by the recommendation engine (comparisons/engine.py) and,
through the saved results, by the result page, its chart and its JSON twin. Every figure
arrives in an `Assumptions` value built from the admin-editable `Assumption` rows, each with
a typical value, a published low-high range and its source; nothing here is a hidden
constant. docs/recommendation-rules.md gives the formulas with their sources.

Per month, for U users, N devices, S servers, I problems needing outside help and a
business-wide outage costing D dollars an hour:

* a problem either stops one person (valued at a loaded staff hour, never more than D) or,
  for a share of problems, the whole business (valued at D);
* **break/fix** bills each problem (rate times the longer of the minimum and the work, with
  after-hours calls at a multiple, plus a trip charge), the business buys its own security
  tools per device, and every outage lasts the managed resolution time plus the wait for a
  technician, because break/fix promises no response time;
* **hybrid** is a security-and-monitoring plan per device plus the same pay-as-you-go hours;
* **managed** is a per-user fee with the providers' monthly minimum, a per-server fee and a
  one-time onboarding charge; problems are fixed within published service levels;
* **co-managed** (only beside IT staff of the business's own) is a share of the managed fee;
* **in-house** (a reference, never an outcome) is one technician's loaded pay.

Monitoring may prevent a share of problems under hybrid and managed; no independent figure
exists, so the typical value gives it no credit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from comparisons.vocabulary import OUTCOMES, Option

# The options and their names are defined in comparisons/vocabulary.py; these short names
# (and LABELS, SHORT_LABELS, read by the admin dashboard and the articles' tests) point there.
BREAK_FIX = Option.BREAK_FIX
HYBRID = Option.HYBRID
MANAGED = Option.MANAGED
CO_MANAGED = Option.CO_MANAGED
IN_HOUSE = Option.IN_HOUSE
OPTIONS = OUTCOMES
LABELS = {option.value: option.label for option in Option}
# The same names inside a sentence.
SHORT_LABELS = {option.value: option.in_sentence for option in Option}

ASSUMPTION_KEYS = (
    "msp_fee_per_user_month",
    "msp_minimum_monthly",
    "msp_fee_per_server_month",
    "onboarding_months_of_fee",
    "co_managed_share_of_managed_fee",
    "break_fix_hourly_rate",
    "break_fix_minimum_hours",
    "technician_hours_per_incident",
    "break_fix_trip_charge",
    "after_hours_share",
    "after_hours_multiplier",
    "self_security_per_device_month",
    "security_plan_per_device_month",
    "outage_share",
    "managed_outage_hours",
    "managed_person_hours",
    "break_fix_wait_hours",
    "staff_hour_cost",
    "prevented_share",
    "in_house_salary",
    "in_house_overhead_multiplier",
)
SHARES = frozenset(
    {"co_managed_share_of_managed_fee", "after_hours_share", "outage_share", "prevented_share"}
)
MULTIPLIERS = frozenset({"after_hours_multiplier", "in_house_overhead_multiplier"})
# Every figure raises some option's cost as it grows, except this one, which lowers it; the
# cheap end of an option's range takes each figure at the end that makes the option cheaper.
COST_REDUCING = frozenset({"prevented_share"})

MONTHS_A_YEAR = 12
MONTHS_IN_THREE_YEARS = 36
SCENARIOS = ("low", "typical", "high")
# The order of a Figure's numbers as rows store them.
SCENARIOS_ORDER = ("value", "low", "high")


class InvalidAssumptions(ValueError):
    """The assumptions are incomplete or contradict each other."""


@dataclass(frozen=True)
class Figure:
    """One assumption: its typical value and the published range around it."""

    key: str
    value: Decimal
    low: Decimal
    high: Decimal


class Assumptions:
    """The full set of figures, checked once, read by scenario ("low", "typical", "high")."""

    def __init__(self, figures: dict[str, Figure]):
        missing = [key for key in ASSUMPTION_KEYS if key not in figures]
        if missing:
            raise InvalidAssumptions("Missing assumptions: " + ", ".join(missing))
        self.figures = {key: figures[key] for key in ASSUMPTION_KEYS}
        for figure in self.figures.values():
            check_figure(figure)

    @classmethod
    def from_mapping(cls, rows) -> Assumptions:
        """From key -> {"value", "low", "high"} (strings or numbers); a bare number is a
        figure with no range. Unknown keys are ignored."""
        figures = {}
        for key in ASSUMPTION_KEYS:
            if key not in rows:
                continue
            row = rows[key]
            if not isinstance(row, dict):
                row = {"value": row, "low": row, "high": row}
            try:
                figures[key] = Figure(key, *(Decimal(str(row[end])) for end in SCENARIOS_ORDER))
            except (ArithmeticError, KeyError) as error:
                raise InvalidAssumptions(f"{key}: not a number ({error})") from error
        return cls(figures)

    def values(self, scenario: str = "typical", option: str | None = None) -> dict[str, Decimal]:
        """Point values: every figure's typical value, or the end of each range that makes
        costs low (or high)."""
        if scenario == "typical":
            return {key: figure.value for key, figure in self.figures.items()}
        cheap = scenario == "low"
        return {
            key: (figure.low if cheap != (key in COST_REDUCING) else figure.high)
            for key, figure in self.figures.items()
        }

    def with_values(self, chosen: dict[str, Decimal]) -> Assumptions:
        """A copy with other typical values; each range widens to hold its new value."""
        figures = dict(self.figures)
        for key, value in chosen.items():
            old = figures[key]
            figures[key] = Figure(key, value, min(old.low, value), max(old.high, value))
        return Assumptions(figures)


def check_figure(figure: Figure) -> None:
    for end in (figure.value, figure.low, figure.high):
        if not isinstance(end, Decimal) or not end.is_finite():
            raise InvalidAssumptions(f"{figure.key} must be a finite number, got {end!r}")
        if end < 0:
            raise InvalidAssumptions(f"{figure.key} cannot be negative")
        if figure.key in SHARES and end > 1:
            raise InvalidAssumptions(f"{figure.key} is a share: at most 1 (100 %)")
        if figure.key in MULTIPLIERS and end < 1:
            raise InvalidAssumptions(f"{figure.key} is a multiplier: at least 1")
    if not figure.low <= figure.value <= figure.high:
        raise InvalidAssumptions(
            f"{figure.key}: the range must hold the value (low <= value <= high)"
        )


@dataclass(frozen=True)
class Business:
    """What the cost model needs to know about the business."""

    users: int
    devices: int
    servers: int
    problems_per_month: Decimal
    downtime_cost_per_hour: Decimal

    def __post_init__(self):
        for name in ("users", "devices", "servers", "problems_per_month", "downtime_cost_per_hour"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} cannot be negative")


@dataclass(frozen=True)
class Monthly:
    """One option's running cost for a month, split so the reader sees where money goes."""

    fees: Decimal
    tools: Decimal
    downtime: Decimal

    @property
    def total(self) -> Decimal:
        return self.fees + self.tools + self.downtime


def call_out_charge(v: dict[str, Decimal]) -> Decimal:
    """What one break/fix call bills: the minimum or the work, after-hours calls at a
    multiple, plus the trip."""
    hours = max(v["break_fix_minimum_hours"], v["technician_hours_per_incident"])
    after_hours = 1 + v["after_hours_share"] * (v["after_hours_multiplier"] - 1)
    return v["break_fix_hourly_rate"] * hours * after_hours + v["break_fix_trip_charge"]


def downtime_per_month(business: Business, v: dict[str, Decimal], wait_hours: Decimal) -> Decimal:
    """Lost work a month: single-person problems at a staff hour (never more than the
    business's own hourly cost), business-wide outages at the business's hourly cost."""
    problems = business.problems_per_month
    outages = problems * v["outage_share"]
    single = problems - outages
    person_hour = min(business.downtime_cost_per_hour, v["staff_hour_cost"])
    return (
        outages * (v["managed_outage_hours"] + wait_hours) * business.downtime_cost_per_hour
        + single * (v["managed_person_hours"] + wait_hours) * person_hour
    )


def managed_fees_per_month(business: Business, v: dict[str, Decimal]) -> Decimal:
    per_users = max(v["msp_minimum_monthly"], business.users * v["msp_fee_per_user_month"])
    return per_users + business.servers * v["msp_fee_per_server_month"]


def monthly_cost(option: str, business: Business, v: dict[str, Decimal]) -> Monthly:
    """The running cost of one option for one month, at point values `v`."""
    kept = 1 - v["prevented_share"]
    if option == BREAK_FIX:
        return Monthly(
            fees=business.problems_per_month * call_out_charge(v),
            tools=business.devices * v["self_security_per_device_month"],
            downtime=downtime_per_month(business, v, v["break_fix_wait_hours"]),
        )
    if option == HYBRID:
        return Monthly(
            fees=kept * business.problems_per_month * call_out_charge(v)
            + business.devices * v["security_plan_per_device_month"],
            tools=Decimal(0),
            downtime=kept * downtime_per_month(business, v, v["break_fix_wait_hours"]),
        )
    if option in (MANAGED, CO_MANAGED):
        share = 1 if option == MANAGED else v["co_managed_share_of_managed_fee"]
        return Monthly(
            fees=share * managed_fees_per_month(business, v),
            tools=Decimal(0),
            downtime=kept * downtime_per_month(business, v, Decimal(0)),
        )
    if option == IN_HOUSE:
        pay = v["in_house_salary"] * v["in_house_overhead_multiplier"] / MONTHS_A_YEAR
        return Monthly(fees=pay, tools=Decimal(0), downtime=Decimal(0))
    raise ValueError(f"Unknown support option {option!r}")


def one_time_cost(option: str, business: Business, v: dict[str, Decimal]) -> Decimal:
    """Onboarding, charged once when a managed or co-managed contract starts."""
    if option in (MANAGED, CO_MANAGED):
        return v["onboarding_months_of_fee"] * monthly_cost(option, business, v).fees
    return Decimal(0)


def total_over(months: int, option: str, business: Business, v: dict[str, Decimal]) -> Decimal:
    return months * monthly_cost(option, business, v).total + one_time_cost(option, business, v)


def fees_over(months: int, option: str, business: Business, v: dict[str, Decimal]) -> Decimal:
    """What the provider bills over `months`, onboarding included, downtime left out."""
    monthly = monthly_cost(option, business, v)
    return months * (monthly.fees + monthly.tools) + one_time_cost(option, business, v)


@dataclass(frozen=True)
class Range:
    low: Decimal
    typical: Decimal
    high: Decimal

    def to_dict(self) -> dict[str, int]:
        return {
            "low": dollars(self.low),
            "typical": dollars(self.typical),
            "high": dollars(self.high),
        }


@dataclass(frozen=True)
class OptionCost:
    """One option's estimate: monthly, one-time, first-year and three-year, each a range."""

    option: str
    monthly: Range
    one_time: Range
    first_year: Range
    three_years: Range
    typical_month: Monthly

    def to_dict(self) -> dict:
        month = self.typical_month
        return {
            "label": Option(self.option).label,
            "monthly": self.monthly.to_dict(),
            "one_time": self.one_time.to_dict(),
            "first_year": self.first_year.to_dict(),
            "three_years": self.three_years.to_dict(),
            "typical_month": {
                "fees": dollars(month.fees),
                "tools": dollars(month.tools),
                "downtime": dollars(month.downtime),
            },
        }


def estimate(option: str, business: Business, assumptions: Assumptions) -> OptionCost:
    """The option's cost at the cheap end, the typical values and the dear end."""
    points = {scenario: assumptions.values(scenario) for scenario in SCENARIOS}

    def ranged(measure) -> Range:
        return Range(*(measure(points[scenario]) for scenario in SCENARIOS))

    return OptionCost(
        option=option,
        monthly=ranged(lambda v: monthly_cost(option, business, v).total),
        one_time=ranged(lambda v: one_time_cost(option, business, v)),
        first_year=ranged(lambda v: total_over(MONTHS_A_YEAR, option, business, v)),
        three_years=ranged(lambda v: total_over(MONTHS_IN_THREE_YEARS, option, business, v)),
        typical_month=monthly_cost(option, business, points["typical"]),
    )


def dollars(amount: Decimal) -> int:
    """Whole US dollars, halves rounded away from zero."""
    return int(Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))
