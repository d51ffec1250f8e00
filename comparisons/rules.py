"""The decision rules of the recommendation: who may choose what, and which option wins.

A pure module (no Django). `Profile` is the form's answers; `decide()` applies the rules of
docs/recommendation-rules.md to one set of point values of the cost model and says which
option wins, which is cheapest and which rule ruled what out. comparisons/engine.py calls it
once for the result and again for the confidence; comparisons/explanations.py calls it to
find the answers that would change the outcome.

* R1 cost: the typical three-year cost of each option (downtime, problems, size, devices
  and servers count here and nowhere else);
* R2 compliance: with a regulatory duty that covers its own IT and no IT staff of its own,
  plain break/fix is ruled out (someone must patch on a schedule); card payments taken only
  through terminals or a hosted checkout leave little in scope;
* R3 size: break/fix is weighed only for a micro-business (under 10 people, and still
  under the providers' monthly minimum);
* R4 own IT staff: the managed option is co-managed, beside them;
* R5-R7 preferences (how the business likes to pay, where headcount is going, remote
  staff): each counts for up to a tenth of the managed option's three-year fees.

Because preferences are worth a fixed amount that depends on neither downtime nor problems,
and every option's cost rises more slowly with those the more managed it is, the outcome
can only move towards managed services as downtime, problems, duties or headcount grow.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

from comparisons import costs
from comparisons.vocabulary import (
    BudgetPriority,
    CardPayments,
    Compliance,
    Growth,
    InHouseIT,
    Option,
)

# The keys each answer may take (comparisons/vocabulary.py defines them with their labels).
IN_HOUSE_IT = InHouseIT.keys()
COMPLIANCE = Compliance.keys()
BUDGET_PRIORITY = BudgetPriority.keys()
GROWTH = Growth.keys()
# How a business takes cards decides how much of its IT PCI DSS covers: only through
# standalone or P2PE terminals or a hosted checkout ("outsourced"), little is in scope.
CARD_PAYMENTS = CardPayments.keys()

# How far each outcome leans towards managed services: more downtime, problems, duties or
# people may only ever move an outcome up this scale.
MANAGED_RANK = {Option.BREAK_FIX: 0, Option.HYBRID: 1, Option.CO_MANAGED: 2, Option.MANAGED: 2}

# R3: sources call break/fix viable for 1-3, 1-5 or under 10 users; the widest bound.
MICRO_BUSINESS_MAX_PEOPLE = 9
# R5-R7: one preference is worth up to this share of the managed option's three-year fees.
PREFERENCE_SHARE = Decimal("0.10")
# Bounds of the form, used to look for the answers that would change the outcome.
MAX_PEOPLE, MAX_PROBLEMS, MAX_DOWNTIME_COST = 100_000, Decimal(1000), 10_000_000


@dataclass(frozen=True)
class Profile:
    """One business's answers, named as the recommendation form's fields."""

    employees: int
    devices: int
    in_house_it: str
    downtime_cost_per_hour: int
    incidents_per_month: Decimal
    compliance: str
    budget_priority: str
    growth: str
    remote_staff: bool
    servers: int = 0
    card_payments: str = CardPayments.UNKNOWN.value

    def __post_init__(self):
        counts = {
            "employees": (self.employees, 1),
            "devices": (self.devices, 0),
            "downtime_cost_per_hour": (self.downtime_cost_per_hour, 0),
            "servers": (self.servers, 0),
        }
        for name, (value, minimum) in counts.items():
            if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
                raise ValueError(f"{name} must be a whole number of at least {minimum}")
        incidents = self.incidents_per_month
        if not isinstance(incidents, Decimal) or not incidents.is_finite() or incidents < 0:
            raise ValueError("incidents_per_month must be a finite Decimal of at least 0")
        choices = {
            "in_house_it": IN_HOUSE_IT,
            "compliance": COMPLIANCE,
            "budget_priority": BUDGET_PRIORITY,
            "growth": GROWTH,
            "card_payments": CARD_PAYMENTS,
        }
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {allowed}")
        if not isinstance(self.remote_staff, bool):
            raise ValueError("remote_staff must be True or False")

    @classmethod
    def from_mapping(cls, values) -> Profile:
        """Build from form data or stored JSON (numbers may arrive as strings)."""
        return cls(
            employees=int(values["employees"]),
            devices=int(values["devices"]),
            in_house_it=values["in_house_it"],
            downtime_cost_per_hour=int(values["downtime_cost_per_hour"]),
            incidents_per_month=Decimal(str(values["incidents_per_month"])),
            compliance=values["compliance"],
            budget_priority=values["budget_priority"],
            growth=values["growth"],
            remote_staff=bool(values["remote_staff"]),
            servers=int(values.get("servers") or 0),
            card_payments=values.get("card_payments") or CardPayments.UNKNOWN.value,
        )

    def to_dict(self) -> dict:
        """JSON-ready answers keyed by form field name (the decimal as a plain string)."""
        values = asdict(self)
        values["incidents_per_month"] = f"{self.incidents_per_month.normalize():f}"
        return values

    @property
    def has_it_staff(self) -> bool:
        return self.in_house_it != InHouseIT.NONE

    @property
    def needs_scheduled_patching(self) -> bool:
        """R2: a duty that puts the business's own IT in scope. Card payments taken only
        through standalone or P2PE terminals or a hosted checkout leave little in scope."""
        if self.compliance == Compliance.PCI:
            return self.card_payments != CardPayments.OUTSOURCED
        return self.compliance != Compliance.NONE

    @property
    def managed_option(self) -> str:
        """The managed-services outcome that fits: co-managed beside existing IT staff."""
        return Option.CO_MANAGED if self.has_it_staff else Option.MANAGED

    @property
    def options(self) -> tuple[str, ...]:
        """The options that apply to this business, least managed first."""
        return (Option.BREAK_FIX, Option.HYBRID, self.managed_option)

    def business(self) -> costs.Business:
        return costs.Business(
            users=self.employees,
            devices=self.devices,
            servers=self.servers,
            problems_per_month=self.incidents_per_month,
            downtime_cost_per_hour=Decimal(self.downtime_cost_per_hour),
        )


# --- The decision at one set of point values -------------------------------------------------


@dataclass(frozen=True)
class Decision:
    outcome: str
    cheapest: str
    three_years: dict[str, Decimal]
    ruled_out: dict[str, str]  # option -> the rule ("R2" or "R3") that took it off the table
    votes: dict[str, tuple[str, ...]]  # option -> the preference rules that count for it
    allowance: Decimal


def micro_business_limit(v: dict[str, Decimal]) -> int:
    """R3: the most people for whom break/fix is weighed: under 10, and few enough that a
    managed plan would still cost its monthly minimum."""
    fee = v["msp_fee_per_user_month"]
    if fee <= 0:
        return MICRO_BUSINESS_MAX_PEOPLE
    return min(MICRO_BUSINESS_MAX_PEOPLE, int(v["msp_minimum_monthly"] / fee))


def preference_votes(profile: Profile) -> dict[str, tuple[str, ...]]:
    """R5-R7: which options each stated preference counts for."""
    votes = {option: [] for option in profile.options}
    monitored = (Option.HYBRID, profile.managed_option)
    if profile.budget_priority == BudgetPriority.PREDICTABLE:
        votes[profile.managed_option].append("R5")
    else:
        votes[Option.BREAK_FIX].append("R5")
    if profile.growth == Growth.GROWING:
        votes[profile.managed_option].append("R6")
    elif profile.growth == Growth.SHRINKING:
        votes[Option.BREAK_FIX].append("R6")
        votes[Option.HYBRID].append("R6")
    if profile.remote_staff:
        for option in monitored:
            votes[option].append("R7")
    return {option: tuple(rules) for option, rules in votes.items()}


def decide(profile: Profile, v: dict[str, Decimal]) -> Decision:
    business = profile.business()
    three_years = {
        option: costs.total_over(costs.MONTHS_IN_THREE_YEARS, option, business, v)
        for option in profile.options
    }
    ruled_out = {}
    if profile.needs_scheduled_patching and not profile.has_it_staff:
        ruled_out[Option.BREAK_FIX] = "R2"
    elif profile.employees > micro_business_limit(v):
        ruled_out[Option.BREAK_FIX] = "R3"
    votes = preference_votes(profile)
    allowance = PREFERENCE_SHARE * costs.fees_over(
        costs.MONTHS_IN_THREE_YEARS, profile.managed_option, business, v
    )

    def effective(option):
        return (three_years[option] - allowance * len(votes[option]), three_years[option])

    allowed = [option for option in profile.options if option not in ruled_out]
    return Decision(
        outcome=min(allowed, key=effective),
        cheapest=min(profile.options, key=lambda option: three_years[option]),
        three_years=three_years,
        ruled_out=ruled_out,
        votes=votes,
        allowance=allowance,
    )
