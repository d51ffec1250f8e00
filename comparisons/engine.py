"""The recommendation engine: which way of buying IT support fits a business, and why.

A pure module (no Django), used by the recommendation view and its tests. `recommend()`
scores a `Profile` (the form's answers) with one rule per answer plus the cost model of
`comparisons.costs`, then turns the score into an outcome and a confidence. Each rule, its
points and its published source are documented in docs/recommendation-rules.md under the
rule's id (R1, R2, ...); keep the two in step.

Points above zero argue for managed services, points below zero for break/fix. The
business's own IT staff do not change the score: they decide which managed option fits
(co-managed alongside them, fully managed without them).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal

from comparisons import costs
from comparisons.costs import BREAK_FIX, CO_MANAGED, MANAGED, Assumptions

OUTCOMES = (MANAGED, BREAK_FIX, CO_MANAGED)
IN_HOUSE_IT = ("none", "part_time", "full_time")
COMPLIANCE = ("none", "hipaa", "pci", "other")
BUDGET_PRIORITY = ("predictable", "lowest_upfront")
GROWTH = ("shrinking", "stable", "growing")

# How far each outcome leans towards managed services; a higher downtime cost or a new
# compliance duty may only ever move an outcome up this scale.
MANAGED_RANK = {BREAK_FIX: 0, CO_MANAGED: 1, MANAGED: 2}

# R10 scales the yearly cost gap by one year of a $100/user/month plan (the low end of the
# published $100-$200 range): a gap that large per user is worth the rule's full weight.
COST_GAP_FULL_WEIGHT_PER_USER = Decimal(1200)
COST_RULE_MAX_POINTS = 2.0
# A score this far from zero (about four rules agreeing strongly) earns the top confidence.
CONFIDENCE_FULL_AT = 8.0
MIN_CONFIDENCE, MAX_CONFIDENCE = 0.5, 0.95


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

    def __post_init__(self):
        counts = {
            "employees": (self.employees, 1),
            "devices": (self.devices, 0),
            "downtime_cost_per_hour": (self.downtime_cost_per_hour, 0),
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
        )

    def to_dict(self) -> dict:
        """JSON-ready answers keyed by form field name (the decimal as a plain string)."""
        values = asdict(self)
        values["incidents_per_month"] = f"{self.incidents_per_month.normalize():f}"
        return values

    @property
    def has_it_staff(self) -> bool:
        return self.in_house_it != "none"

    @property
    def managed_option(self) -> str:
        """The managed-services outcome that fits: co-managed beside existing IT staff."""
        return CO_MANAGED if self.has_it_staff else MANAGED


@dataclass(frozen=True)
class Factor:
    """One rule's contribution: points (above zero for managed, below for break/fix), why."""

    key: str
    label: str
    points: float
    explanation: str
    rule: str
    criterion: str

    def to_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "points": round(self.points, 2),
            "explanation": self.explanation,
            "rule": self.rule,
            "criterion": self.criterion,
        }


@dataclass(frozen=True)
class RecommendationResult:
    outcome: str
    confidence: float
    score: float
    factors: tuple[Factor, ...]
    costs: dict[str, costs.CostEstimate]
    break_even_incidents_per_month: Decimal | None
    overridden_by: str | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def confidence_label(self) -> str:
        if self.confidence >= 0.8:
            return "high"
        if self.confidence >= 0.65:
            return "medium"
        return "low"

    def to_dict(self) -> dict:
        """A JSON-ready snapshot, stored with each saved recommendation."""
        break_even = self.break_even_incidents_per_month
        return {
            "outcome": self.outcome,
            "confidence": round(self.confidence, 2),
            "confidence_label": self.confidence_label,
            "score": round(self.score, 2),
            "factors": [factor.to_dict() for factor in self.factors],
            "costs": {model: estimate.to_dict() for model, estimate in self.costs.items()},
            "break_even_incidents_per_month": (
                None if break_even is None else str(break_even.quantize(Decimal("0.01")))
            ),
            "overridden_by": self.overridden_by,
            "notes": list(self.notes),
        }


def recommend(profile: Profile, assumptions: Assumptions) -> RecommendationResult:
    """Score the profile rule by rule and pick an outcome (see docs/recommendation-rules.md)."""
    estimates = costs.compare_costs(
        users=profile.employees,
        incidents_per_month=profile.incidents_per_month,
        downtime_cost_per_hour=profile.downtime_cost_per_hour,
        assumptions=assumptions,
    )
    factors = (
        compliance_factor(profile),
        downtime_factor(profile),
        size_factor(profile),
        devices_factor(profile),
        incidents_factor(profile),
        budget_factor(profile),
        growth_factor(profile),
        remote_staff_factor(profile),
        in_house_it_factor(profile),
        cost_factor(profile, estimates),
    )
    score = sum(factor.points for factor in factors)
    leaning = profile.managed_option if score > 0 else BREAK_FIX
    confidence = MIN_CONFIDENCE + (MAX_CONFIDENCE - MIN_CONFIDENCE) * min(
        1.0, abs(score) / CONFIDENCE_FULL_AT
    )
    overridden_by = None
    notes = []
    if leaning == BREAK_FIX and profile.compliance != "none":
        # R11: a regulatory duty needs scheduled patching and a signed agreement with the
        # provider, which pay-per-call support does not give; the other answers still say
        # the need is small, so the confidence is the lowest we report.
        leaning, overridden_by, confidence = profile.managed_option, "compliance", MIN_CONFIDENCE
        notes.append(
            "Your other answers lean towards break/fix, but a compliance duty rules it out: "
            "look for the smallest managed plan that covers patching and the paperwork."
        )
    return RecommendationResult(
        outcome=leaning,
        confidence=confidence,
        score=score,
        factors=factors,
        costs=estimates,
        break_even_incidents_per_month=costs.break_even_incidents_per_month(
            profile.managed_option,
            users=profile.employees,
            downtime_cost_per_hour=profile.downtime_cost_per_hour,
            assumptions=assumptions,
        ),
        overridden_by=overridden_by,
        notes=tuple(notes),
    )


# --- The rules, one function each, in the order of docs/recommendation-rules.md ------------

COMPLIANCE_REASONS = {
    "hipaa": "HIPAA: a provider who can reach patient data must sign a business associate "
    "agreement, and security patches must be kept up; break/fix is ruled out.",
    "pci": "PCI DSS: critical and high-severity patches are due within a month, which needs "
    "someone on a schedule; break/fix is ruled out.",
    "other": "A regulatory duty needs documented, scheduled maintenance; break/fix is ruled out.",
}


def compliance_factor(profile: Profile) -> Factor:
    """R1: regulated data needs scheduled patching and a provider agreement."""
    if profile.compliance == "none":
        points, why = 0.0, "No regulatory duties: this answer pushes neither way."
    else:
        points, why = 3.0, COMPLIANCE_REASONS[profile.compliance]
    return Factor("compliance", "Compliance duties", points, why, "R1", "security-and-compliance")


DOWNTIME_BANDS = (
    # (lowest hourly cost in USD, points, explanation)
    (10_000, 3.0, "An hour offline costs ${:,}: fast, proactive support pays for itself."),
    (2_000, 2.0, "An hour offline costs ${:,}: every hour saved by monitoring counts."),
    (500, 1.0, "An hour offline costs ${:,}: long waits for a technician add up."),
    (100, 0.0, "An hour offline costs ${:,}: outages hurt, but not enough to decide."),
    (0, -1.0, "An hour offline costs ${:,}: waiting for a technician is affordable."),
)


def downtime_factor(profile: Profile) -> Factor:
    """R2: the costlier an hour of outage, the more proactive support is worth."""
    cost = profile.downtime_cost_per_hour
    points, template = next((p, t) for low, p, t in DOWNTIME_BANDS if cost >= low)
    return Factor(
        "downtime_cost",
        "Cost of downtime",
        points,
        template.format(cost),
        "R2",
        "downtime-risk",
    )


def size_factor(profile: Profile) -> Factor:
    """R3: break/fix is called viable for micro-businesses (1-3, 1-5 or under 10 users)."""
    people = plural(profile.employees, "person", "people") + " using IT"
    if profile.employees <= 3:
        points, why = -2.0, f"{people}: every source calls break/fix viable this small."
    elif profile.employees <= 9:
        points, why = -1.0, f"{people}: some sources still call break/fix viable."
    elif profile.employees <= 49:
        points, why = 1.0, f"{people}: past the size at which sources call break/fix viable."
    else:
        points, why = 2.0, f"{people}: too many to support one call at a time."
    return Factor("employees", "Number of people", points, why, "R3", "very-small-business-fit")


def devices_factor(profile: Profile) -> Factor:
    """R4: the more devices, the more there is to patch and watch."""
    devices = plural(profile.devices, "device", "devices")
    if profile.devices <= 5:
        points, why = -1.0, f"{devices}: simple IT with little to maintain."
    elif profile.devices <= 24:
        points, why = 0.0, f"{devices}: a modest estate; this answer pushes neither way."
    elif profile.devices <= 99:
        points, why = 1.0, f"{devices}: enough to need routine patching and monitoring."
    else:
        points, why = 2.0, f"{devices}: too many to keep patched without a routine."
    return Factor("devices", "Number of devices", points, why, "R4", "proactive-maintenance")


def incidents_factor(profile: Profile) -> Factor:
    """R5: rare problems favour paying per call; frequent ones favour a flat fee."""
    rate = profile.incidents_per_month
    shown = f"{rate.normalize():f}"
    if rate < Decimal("0.5"):
        points, why = -1.5, f"{shown} incidents a month: problems are rare; pay only for those."
    elif rate < 2:
        points, why = 0.0, f"{shown} incidents a month: occasional; pushes neither way."
    elif rate < 5:
        points, why = 1.0, f"{shown} incidents a month: recurring problems suggest root causes."
    else:
        points, why = 2.0, f"{shown} incidents a month: frequent calls add up fast by the hour."
    return Factor("incidents", "Incidents per month", points, why, "R5", "response-time")


def budget_factor(profile: Profile) -> Factor:
    """R6: a flat fee buys budget certainty; break/fix has no monthly fee at all."""
    if profile.budget_priority == "predictable":
        return Factor(
            "budget_priority",
            "How you like to pay",
            1.5,
            "You want predictable bills: a flat monthly fee gives budget certainty.",
            "R6",
            "cost-predictability",
        )
    return Factor(
        "budget_priority",
        "How you like to pay",
        -1.5,
        "You want the lowest upfront cost: break/fix has no monthly fee.",
        "R6",
        "upfront-cost",
    )


def growth_factor(profile: Profile) -> Factor:
    """R7: growth tips towards managed services; shrinking makes a contract a burden."""
    points, why = {
        "growing": (1.0, "Growing headcount: per-user plans scale with you."),
        "stable": (0.0, "Stable headcount: this answer pushes neither way."),
        "shrinking": (-1.0, "Shrinking headcount: a monthly contract may outlast the need."),
    }[profile.growth]
    return Factor("growth", "Where headcount is going", points, why, "R7", "scalability")


def remote_staff_factor(profile: Profile) -> Factor:
    """R8: devices outside the office still need patching, monitoring and a helpdesk."""
    if profile.remote_staff:
        points, why = 1.0, "Remote staff: remote monitoring and helpdesk reach them anywhere."
    else:
        points, why = 0.0, "Everyone works on site: this answer pushes neither way."
    return Factor("remote_staff", "Remote staff", points, why, "R8", "proactive-maintenance")


def in_house_it_factor(profile: Profile) -> Factor:
    """R9: own IT staff change which managed option fits, not whether one is needed."""
    why = {
        "none": "No IT staff of your own: a managed provider would do all of it.",
        "part_time": "A part-time IT person: the managed option is co-managed, beside them.",
        "full_time": "Full-time IT staff: the managed option is co-managed, beside them.",
    }[profile.in_house_it]
    return Factor("in_house_it", "Your own IT staff", 0.0, why, "R9", "access-to-expertise")


def cost_factor(profile: Profile, estimates: dict[str, costs.CostEstimate]) -> Factor:
    """R10: the estimated yearly gap between break/fix and the managed option that fits."""
    option = profile.managed_option
    gap = estimates[BREAK_FIX].total - estimates[option].total
    scale = COST_GAP_FULL_WEIGHT_PER_USER * profile.employees
    points = max(-COST_RULE_MAX_POINTS, min(COST_RULE_MAX_POINTS, float(gap / scale)))
    name = "co-managed" if option == CO_MANAGED else "managed services"
    amount = costs.whole_dollars(abs(gap))
    if gap > 0:
        why = f"Estimated ${amount:,} a year cheaper with {name}, downtime included."
    elif gap < 0:
        why = f"Estimated ${amount:,} a year cheaper with break/fix, downtime included."
    else:
        why = f"Break/fix and {name} cost about the same a year, downtime included."
    return Factor("annual_cost", "Estimated annual cost", points, why, "R10", "cost-predictability")


def plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"
