"""The recommendation engine: which way of buying IT support fits a business, and why.

A pure module (no Django), used when a recommendation is saved. `recommend()` prices every
option that applies to a `Profile` with comparisons/costs.py, decides with the rules of
comparisons/rules.py (documented in docs/recommendation-rules.md), judges how firm the
answer is by moving each assumption to the ends of its published range, and gathers the
words of comparisons/explanations.py into one `RecommendationResult`, stored as JSON with
the saved result.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from comparisons import costs, explanations
from comparisons.explanations import Reason
from comparisons.rules import (
    BUDGET_PRIORITY,
    CARD_PAYMENTS,
    COMPLIANCE,
    GROWTH,
    IN_HOUSE_IT,
    MANAGED_RANK,
    Profile,
    decide,
)
from comparisons.vocabulary import OUTCOMES, Confidence, Option, band

__all__ = [
    "BUDGET_PRIORITY",
    "CARD_PAYMENTS",
    "COMPLIANCE",
    "GROWTH",
    "IN_HOUSE_IT",
    "MANAGED_RANK",
    "OUTCOMES",
    "Profile",
    "RecommendationResult",
    "recommend",
]


@dataclass(frozen=True)
class RecommendationResult:
    outcome: str
    cheapest: str
    tradeoff: str | None
    confidence: str
    confidence_reason: str
    costs: dict[str, costs.OptionCost]
    reference: dict[str, costs.OptionCost]
    reasons: tuple[Reason, ...]
    warnings: tuple[str, ...]
    would_change: tuple[str, ...]
    questions: tuple[str, ...]
    preference_allowance: int
    rules_fired: frozenset[str] = field(default=frozenset())

    def to_dict(self) -> dict:
        """A JSON-ready snapshot, stored with each saved recommendation (format 2)."""
        return {
            "version": 2,
            "outcome": self.outcome,
            "outcome_label": Option(self.outcome).label,
            "confidence": self.confidence,
            "confidence_reason": self.confidence_reason,
            "cheapest": self.cheapest,
            "tradeoff": self.tradeoff,
            "options": list(self.costs),
            "costs": {option: cost.to_dict() for option, cost in self.costs.items()},
            "reference": {option: cost.to_dict() for option, cost in self.reference.items()},
            "reasons": [asdict(reason) for reason in self.reasons],
            "warnings": list(self.warnings),
            "would_change": list(self.would_change),
            "questions": list(self.questions),
            "preference_allowance": self.preference_allowance,
        }


def recommend(profile: Profile, assumptions: costs.Assumptions) -> RecommendationResult:
    """Price every option, decide, and explain (see docs/recommendation-rules.md)."""
    typical = assumptions.values()
    decision = decide(profile, typical)
    business = profile.business()
    estimates = {
        option: costs.estimate(option, business, assumptions) for option in profile.options
    }
    confidence, confidence_reason = judge_confidence(profile, assumptions, decision.outcome)
    reasons = explanations.explain(profile, decision, estimates)
    return RecommendationResult(
        outcome=decision.outcome,
        cheapest=decision.cheapest,
        tradeoff=explanations.tradeoff(profile, decision, estimates),
        confidence=confidence,
        confidence_reason=confidence_reason,
        costs=estimates,
        reference={Option.IN_HOUSE: costs.estimate(Option.IN_HOUSE, business, assumptions)},
        reasons=reasons,
        warnings=explanations.warnings(profile),
        would_change=explanations.what_would_change(profile, typical, decision.outcome),
        questions=explanations.questions_for(profile, decision.outcome),
        preference_allowance=costs.dollars(decision.allowance),
        rules_fired=frozenset(reason.rule for reason in reasons),
    )


# How many figures may each, moved to an end of its range, change the answer: none for high
# confidence, one or two for medium, more for low.
CONFIDENCE_BANDS = ((1, Confidence.HIGH), (3, Confidence.MEDIUM))


def judge_confidence(profile, assumptions, outcome) -> tuple[str, str]:
    """High when no single figure moved to either end of its range changes the answer,
    medium when one or two do, low (a close call) when more do."""
    typical = assumptions.values()
    movers = []
    for key, figure in assumptions.figures.items():
        for end in ("low", "high"):
            value = getattr(figure, end)
            if value == figure.value:
                continue
            if decide(profile, {**typical, key: value}).outcome != outcome:
                movers.append((key, end))
                break
    level = band(len(movers), CONFIDENCE_BANDS, above=Confidence.LOW)
    if level == Confidence.HIGH:
        return level, (
            "The same answer whichever end of its published range we take for each figure."
        )
    names = [f"{ASSUMPTION_NAMES.get(key, key)} at the {end} end" for key, end in movers]
    if level == Confidence.MEDIUM:
        return level, "The answer would change with " + " or ".join(names) + "."
    return level, (
        f"A close call: {len(movers)} of the figures, each within its published range, "
        f"would change the answer (for example {names[0]})."
    )


ASSUMPTION_NAMES = {
    "msp_fee_per_user_month": "the managed fee per user",
    "msp_minimum_monthly": "the providers' monthly minimum",
    "msp_fee_per_server_month": "the fee per server",
    "onboarding_months_of_fee": "the onboarding charge",
    "co_managed_share_of_managed_fee": "the co-managed share of the fee",
    "break_fix_hourly_rate": "the break/fix hourly rate",
    "break_fix_minimum_hours": "the minimum billed time",
    "technician_hours_per_incident": "the technician's hours per problem",
    "break_fix_trip_charge": "the trip charge",
    "after_hours_share": "the share of after-hours calls",
    "after_hours_multiplier": "the after-hours rate",
    "self_security_per_device_month": "the cost of security tools you run yourself",
    "security_plan_per_device_month": "the security plan's price",
    "outage_share": "the share of problems that stop everyone",
    "managed_outage_hours": "the length of an outage",
    "managed_person_hours": "the time one person is stuck",
    "break_fix_wait_hours": "the wait for a break/fix technician",
    "staff_hour_cost": "the cost of a staff hour",
    "prevented_share": "the share of problems monitoring prevents",
    "in_house_salary": "a technician's salary",
    "in_house_overhead_multiplier": "a technician's overheads",
}
