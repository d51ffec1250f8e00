"""The cost model: estimated annual cost of break/fix, managed and co-managed IT support.

A pure module (no Django) used by the recommendation engine, the result page's cost table
and chart, and the admin's check that an edited set of assumptions still makes sense.
Every figure it uses arrives in an `Assumptions` value, which the site loads from the
admin-editable `Assumption` rows (each with its published source); nothing here is a
hidden constant.

The model, per year, for a business with U users and I incidents a month:

* break/fix: 12 * I * hourly rate * hours per incident in fees, plus
  12 * I * downtime hours per incident * downtime cost per hour;
* managed: 12 * U * fee per user per month, plus 12 * I * (1 - prevented share) *
  downtime hours per incident with proactive care * downtime cost per hour, plus a
  one-time onboarding charge reported separately;
* co-managed: as managed, with the smaller co-managed fee. Pay for the business's own IT
  staff is left out because it is the same whichever option the business picks.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal

BREAK_FIX = "break_fix"
MANAGED = "managed"
CO_MANAGED = "co_managed"
MODELS = (BREAK_FIX, MANAGED, CO_MANAGED)

MONTHS = Decimal(12)
ONE_DOLLAR = Decimal(1)


class InvalidAssumptions(ValueError):
    """The assumptions are incomplete or contradict each other."""


@dataclass(frozen=True)
class Assumptions:
    """Figures the cost model needs; field names are the keys of the `Assumption` rows."""

    msp_fee_per_user_month: Decimal
    co_managed_fee_per_user_month: Decimal
    onboarding_share_of_monthly_fee: Decimal
    break_fix_hourly_rate: Decimal
    break_fix_hours_per_incident: Decimal
    break_fix_downtime_hours_per_incident: Decimal
    managed_downtime_hours_per_incident: Decimal
    managed_prevented_share: Decimal

    def __post_init__(self):
        for field in fields(self):
            value = getattr(self, field.name)
            if not isinstance(value, Decimal) or not value.is_finite():
                raise InvalidAssumptions(f"{field.name} must be a finite Decimal, got {value!r}")
            if value < 0:
                raise InvalidAssumptions(f"{field.name} cannot be negative")
        if self.managed_prevented_share > 1:
            raise InvalidAssumptions("managed_prevented_share is a share: at most 1 (100 %)")
        # Proactive care that made outages *longer* would make a costly outage an argument
        # for break/fix, which no source claims; refusing it keeps the engine's promise that
        # a higher downtime cost never moves the advice away from managed services.
        if self.managed_downtime_hours_per_incident > self.break_fix_downtime_hours_per_incident:
            raise InvalidAssumptions(
                "Downtime per incident with proactive care cannot exceed downtime per "
                "incident under break/fix."
            )

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(field.name for field in fields(cls))

    @classmethod
    def from_mapping(cls, values) -> Assumptions:
        """Build from any mapping of key to number; unknown keys are ignored."""
        missing = [key for key in cls.field_names() if key not in values]
        if missing:
            raise InvalidAssumptions("Missing assumptions: " + ", ".join(missing))
        try:
            return cls(**{key: Decimal(str(values[key])) for key in cls.field_names()})
        except ArithmeticError as error:
            raise InvalidAssumptions(f"Not a number: {error}") from error


@dataclass(frozen=True)
class CostEstimate:
    """One model's yearly cost, split so the reader can see where the money goes."""

    model: str
    fees: Decimal
    downtime_loss: Decimal
    one_time: Decimal

    @property
    def total(self) -> Decimal:
        """Running cost per year; the one-time onboarding charge is shown apart."""
        return self.fees + self.downtime_loss

    def to_dict(self) -> dict:
        return {
            "model": self.model,
            "fees": whole_dollars(self.fees),
            "downtime_loss": whole_dollars(self.downtime_loss),
            "total": whole_dollars(self.total),
            "one_time": whole_dollars(self.one_time),
        }


def whole_dollars(amount: Decimal) -> int:
    return int(amount.quantize(ONE_DOLLAR))


def per_incident_cost(model: str, downtime_cost_per_hour, assumptions: Assumptions) -> Decimal:
    """What each incident costs under `model`: the provider's labour plus the outage."""
    downtime_cost = Decimal(downtime_cost_per_hour)
    if model == BREAK_FIX:
        labour = assumptions.break_fix_hourly_rate * assumptions.break_fix_hours_per_incident
        outage = assumptions.break_fix_downtime_hours_per_incident * downtime_cost
        return labour + outage
    _check_model(model)
    not_prevented = 1 - assumptions.managed_prevented_share
    return not_prevented * assumptions.managed_downtime_hours_per_incident * downtime_cost


def monthly_fee_per_user(model: str, assumptions: Assumptions) -> Decimal:
    if model == MANAGED:
        return assumptions.msp_fee_per_user_month
    if model == CO_MANAGED:
        return assumptions.co_managed_fee_per_user_month
    _check_model(model)
    return Decimal(0)


def annual_cost(
    model: str,
    *,
    users: int,
    incidents_per_month,
    downtime_cost_per_hour,
    assumptions: Assumptions,
) -> CostEstimate:
    """The estimated yearly cost of one support model for this business."""
    _check_model(model)
    incidents_a_year = Decimal(str(incidents_per_month)) * MONTHS
    if incidents_a_year < 0 or users < 0 or downtime_cost_per_hour < 0:
        raise ValueError("users, incidents and downtime cost cannot be negative")
    monthly_fee = monthly_fee_per_user(model, assumptions) * users
    downtime_cost = Decimal(downtime_cost_per_hour)
    if model == BREAK_FIX:
        labour = assumptions.break_fix_hourly_rate * assumptions.break_fix_hours_per_incident
        fees = incidents_a_year * labour
        outage_hours = assumptions.break_fix_downtime_hours_per_incident
    else:
        fees = monthly_fee * MONTHS
        outage_hours = (
            1 - assumptions.managed_prevented_share
        ) * assumptions.managed_downtime_hours_per_incident
    return CostEstimate(
        model=model,
        fees=fees,
        downtime_loss=incidents_a_year * outage_hours * downtime_cost,
        one_time=monthly_fee * assumptions.onboarding_share_of_monthly_fee,
    )


def compare_costs(
    *, users: int, incidents_per_month, downtime_cost_per_hour, assumptions: Assumptions
) -> dict[str, CostEstimate]:
    """Every model's estimate, keyed by model, in the order of `MODELS`."""
    return {
        model: annual_cost(
            model,
            users=users,
            incidents_per_month=incidents_per_month,
            downtime_cost_per_hour=downtime_cost_per_hour,
            assumptions=assumptions,
        )
        for model in MODELS
    }


def break_even_incidents_per_month(
    model: str, *, users: int, downtime_cost_per_hour, assumptions: Assumptions
) -> Decimal | None:
    """Incidents a month at which break/fix costs as much per year as `model`.

    Below it break/fix is cheaper, above it `model` is. None when there is no such point
    (every extra incident costs no more under break/fix than under `model`).
    """
    if model == BREAK_FIX:
        raise ValueError("break/fix has no break-even point against itself")
    fixed = monthly_fee_per_user(model, assumptions) * users
    extra_per_incident = per_incident_cost(
        BREAK_FIX, downtime_cost_per_hour, assumptions
    ) - per_incident_cost(model, downtime_cost_per_hour, assumptions)
    if extra_per_incident <= 0:
        return None
    return fixed / extra_per_incident


def _check_model(model: str) -> None:
    if model not in MODELS:
        raise ValueError(f"Unknown support model {model!r}; expected one of {MODELS}")
