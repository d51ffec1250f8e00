"""The words of a recommendation: its reasons, the tradeoff sentence, warnings on unlikely
answers, what would change the answer, and the questions to ask a provider.

A pure module (no Django), used by comparisons/engine.py. Every sentence here is written
only when its rule fired for the answers given (docs/recommendation-rules.md); the answers
that would change the outcome are found by deciding again with comparisons/rules.py, so
each of those sentences is true when tried.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from comparisons import costs
from comparisons.rules import MAX_DOWNTIME_COST, MAX_PEOPLE, Profile, decide
from comparisons.vocabulary import BudgetPriority, CardPayments, Compliance, Growth, Option

SMB_MAX_PEOPLE = 500
# A duty by its name inside a sentence.
DUTY_NAMES = {
    Compliance.HIPAA: "HIPAA",
    Compliance.PCI: "PCI DSS",
    Compliance.OTHER: "your regulatory duty",
}


@dataclass(frozen=True)
class Reason:
    rule: str
    text: str


def usd(amount) -> str:
    return f"${costs.dollars(amount):,}"


def usd_range(cost: costs.Range) -> str:
    return f"{usd(cost.low)} to {usd(cost.high)}"


def explain(profile, decision, estimates) -> tuple[Reason, ...]:
    """One sentence per rule that fired for these answers, in rule order."""
    priced = "; ".join(
        f"{Option(option).in_sentence} about "
        f"{usd(estimate.three_years.typical)} (range {usd_range(estimate.three_years)})"
        for option, estimate in estimates.items()
    )
    reasons = [Reason("R1", f"Over three years, downtime included: {priced}.")]
    duty = DUTY_NAMES.get(profile.compliance)
    if decision.ruled_out.get(Option.BREAK_FIX) == "R2":
        reasons.append(
            Reason(
                "R2",
                f"{duty[0].upper()}{duty[1:]} needs security patches applied on a schedule "
                "and documented; with no IT staff of your own, paying per call leaves nobody "
                "to do it, so plain break/fix is ruled out.",
            )
        )
    elif profile.compliance == Compliance.PCI and profile.card_payments == CardPayments.OUTSOURCED:
        reasons.append(
            Reason(
                "R2",
                "You take cards only through standalone or P2PE terminals or a hosted "
                "checkout, which leaves little of your own IT in PCI DSS scope (SAQ B, B-IP, "
                "P2PE or A), so paying per call stays possible.",
            )
        )
    elif duty:
        reasons.append(
            Reason(
                "R2",
                f"Your own IT staff can keep the patching that {duty} needs on schedule, so "
                "outside help can be by the hour if that is cheaper.",
            )
        )
    unsure_of_card_scope = (
        profile.compliance == Compliance.PCI and profile.card_payments == CardPayments.UNKNOWN
    )
    if decision.ruled_out.get(Option.BREAK_FIX) == "R2" and unsure_of_card_scope:
        reasons.append(
            Reason(
                "R2",
                "If you take cards only through standalone or P2PE terminals or a hosted "
                "checkout, little of your IT is in scope: say so under Refine and break/fix "
                "is weighed again.",
            )
        )
    if decision.ruled_out.get(Option.BREAK_FIX) == "R3":
        reasons.append(
            Reason(
                "R3",
                f"With {plural(profile.employees, 'person', 'people')}, you are past the size "
                "at which any source calls plain break/fix viable (under 10 people), and past "
                "the providers' usual minimum; the pay-as-you-go choice is hybrid.",
            )
        )
    if profile.has_it_staff:
        reasons.append(
            Reason(
                "R4",
                "You have IT staff of your own, so the managed option is co-managed: a "
                "provider working beside them. Their pay is left out: you pay it either way.",
            )
        )
    allowance = usd(decision.allowance)
    preference_texts = {
        "R5": (
            "You want predictable bills: a flat monthly fee counts in managed services' favour"
            if profile.budget_priority == BudgetPriority.PREDICTABLE
            else "You want the lowest upfront cost: having no monthly fee counts for break/fix"
        ),
        "R6": (
            "Your headcount is growing: a per-user plan grows with you, which counts for it"
            if profile.growth == Growth.GROWING
            else "Your headcount is shrinking: options without a 12-36 month contract count for it"
        ),
        "R7": "Some staff work away from the office: monitoring and patching reach their "
        "devices anywhere, which counts for hybrid and managed options",
    }
    fired = sorted({rule for rules in decision.votes.values() for rule in rules})
    for rule in fired:
        reasons.append(Reason(rule, f"{preference_texts[rule]} (worth up to {allowance})."))
    return tuple(reasons)


def tradeoff(profile, decision, estimates) -> str | None:
    """Why the recommendation is not the cheapest option, in one sentence; None when it is."""
    chosen, cheapest = decision.outcome, decision.cheapest
    if chosen == cheapest:
        return None
    gap = estimates[chosen].three_years.typical - estimates[cheapest].three_years.typical
    figures = (
        f"{Option(cheapest).label} would cost about "
        f"{usd(estimates[cheapest].three_years.typical)} over three years against "
        f"{usd(estimates[chosen].three_years.typical)} for {Option(chosen).in_sentence}"
    )
    rule = decision.ruled_out.get(cheapest)
    if rule == "R2":
        why = (
            f"{DUTY_NAMES[profile.compliance]} needs patching on a schedule that paying per "
            "call does not give"
        )
    elif rule == "R3":
        why = (
            f"with {plural(profile.employees, 'person', 'people')} no source calls plain "
            "break/fix viable"
        )
    else:
        why = (
            f"your preferences, each worth up to {usd(decision.allowance)}, outweigh the "
            f"{usd(gap)} difference"
        )
    return f"{figures}, but {why}."


def warnings(profile: Profile) -> tuple[str, ...]:
    """Answers that are implausible or outside what the tool is built for."""
    found = []
    people, devices = profile.employees, profile.devices
    if people > SMB_MAX_PEOPLE:
        found.append(
            f"{people:,} people is more than most definitions of a small or midsize business "
            f"(under {SMB_MAX_PEOPLE}): the published prices used here are for smaller firms, "
            "so ask providers for quotes."
        )
    if devices == 0:
        found.append(
            "You said there are no devices to support, so security tools and plans are priced "
            "at nothing: check the answer."
        )
    elif devices > 10 * people:
        found.append(
            f"{devices:,} devices for {plural(people, 'person', 'people')} is unusual (more "
            "than ten each): check the answer, it drives the security costs."
        )
    if profile.downtime_cost_per_hour > 5000 * people:
        found.append(
            f"An hour offline costing ${profile.downtime_cost_per_hour:,} is more than $5,000 "
            "for each person: check the answer, it drives the downtime figures."
        )
    if profile.downtime_cost_per_hour == 0:
        found.append("You said an outage costs nothing, so downtime is left out of the figures.")
    if profile.incidents_per_month > 2 * people:
        found.append(
            "More than two problems a month needing outside help for each person is unusual: "
            "check the answer."
        )
    return tuple(found)


def what_would_change(profile: Profile, v, outcome) -> tuple[str, ...]:
    """The answers at which the recommendation would change, each found by re-deciding."""
    found = []

    def outcome_at(**change) -> str:
        return decide(replace(profile, **change), v).outcome

    def label(option) -> str:
        return Option(option).in_sentence

    # Problems a month, in hundredths, as the form takes them.
    now = int(profile.incidents_per_month * 100)
    at = threshold(lambda n: outcome_at(incidents_per_month=Decimal(n) / 100), now, 100_000)
    if at:
        value, other = at
        shown = f"{Decimal(value) / 100:f}"
        shown = shown.rstrip("0").rstrip(".") if "." in shown else shown
        direction = "or more" if value > now else "or fewer"
        found.append(f"At {shown} problems a month {direction}, {label(other)} would fit better.")
    now = profile.downtime_cost_per_hour
    at = threshold(lambda d: outcome_at(downtime_cost_per_hour=d), now, MAX_DOWNTIME_COST)
    if at:
        value, other = at
        direction = "or more" if value > now else "or less"
        found.append(
            f"If an hour offline cost ${value:,} {direction}, {label(other)} would fit better."
        )
    at = threshold(lambda n: outcome_at(employees=n), profile.employees, MAX_PEOPLE, lowest=1)
    if at:
        value, other = at
        direction = "or more" if value > profile.employees else "or fewer"
        found.append(
            f"With {plural(value, 'person', 'people')} {direction}, {label(other)} would fit "
            "better."
        )
    if profile.compliance == Compliance.NONE:
        other = outcome_at(compliance=Compliance.PCI)
        if other != outcome:
            found.append(
                f"A compliance duty such as HIPAA or PCI DSS would make it {label(other)}."
            )
    predictable = profile.budget_priority == BudgetPriority.PREDICTABLE
    flipped = BudgetPriority.LOWEST_UPFRONT if predictable else BudgetPriority.PREDICTABLE
    other = outcome_at(budget_priority=flipped)
    if other != outcome:
        wish = "the lowest upfront cost" if predictable else "predictable bills"
        found.append(f"If you preferred {wish}, {label(other)} would fit better.")
    return tuple(found)


def threshold(outcome_for, now: int, highest: int, lowest: int = 0):
    """The nearest whole value above or below `now` at which the outcome changes, with the
    new outcome; None when it never does within the bounds. The outcome is monotone in each
    answer searched here, so a bisection finds the edge."""
    current = outcome_for(now)
    nearest = None
    for end in (highest, lowest):
        if end == now or outcome_for(end) == current:
            continue
        same, different = now, end
        while abs(different - same) > 1:
            middle = (same + different) // 2
            if outcome_for(middle) == current:
                same = middle
            else:
                different = middle
        if nearest is None or abs(different - now) < abs(nearest - now):
            nearest = different
    if nearest is None:
        return None
    return nearest, outcome_for(nearest)


def questions_for(profile: Profile, outcome: str) -> tuple[str, ...]:
    """What to ask a provider before signing, for this business and this outcome."""
    asked = [
        "How fast do you respond to and fix a problem that stops the whole business, and a "
        "problem that stops one person? Put the times in writing (published targets for the "
        "worst problems: 15-60 minutes to respond, 4-8 hours to resolve).",
        "Cyber insurers now ask for multi-factor sign-in, endpoint detection and response, "
        "and backups that are tested: which of these do you provide, and can you show the "
        "last restore test?",
    ]
    if outcome in (Option.MANAGED, Option.CO_MANAGED, Option.HYBRID):
        asked += [
            "What does the monthly fee leave out: projects, hardware, licences, after-hours "
            "work, new-starter set-up?",
            "What is your minimum (users or dollars a month), how long is the contract, does "
            "it renew by itself, and how much notice ends it (12-36 months and 60-90 days are "
            "usual)?",
            "If we leave, how do we get our data, passwords and documentation back, and "
            "within how many days?",
        ]
    if outcome in (Option.BREAK_FIX, Option.HYBRID):
        asked.append(
            "What is your hourly rate, the minimum time you bill, the trip charge, and the "
            "rate for evenings, nights and weekends (1.5-2 times is common)?"
        )
    if profile.compliance == Compliance.HIPAA:
        asked.append(
            "Will you sign a HIPAA business associate agreement? Any provider who can reach "
            "patient data must, break/fix technicians included."
        )
    if profile.compliance == Compliance.PCI:
        asked.append(
            "How do you keep critical patches within one month (PCI DSS 6.3.3), and can you "
            "help us narrow what is in scope (for example with standalone or P2PE terminals)?"
        )
    if profile.remote_staff:
        asked.append("Do you cover laptops and phones used away from the office the same way?")
    return tuple(asked)


def plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"
