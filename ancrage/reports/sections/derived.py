"""Derived figures the report words, read from the indicators layer (the registry's derived
figures and its « attendu et résultat » rows); nothing is recomputed here."""

from ancrage.indicators.registry import figure_value
from ancrage.indicators.selectors import objective_rows


def method_counts(figures: dict) -> dict:
    return {
        "questionnaires": len(figures["satisfaction"]["questionnaires"]),
        "respondents": figure_value(figures, "satisfaction.respondents"),
        "meetings": figure_value(figures, "governance.meetings_held"),
    }


def mean_coordination_days(figures: dict) -> float:
    return figure_value(figures, "coordination.days_per_year_mean") or 0


def expected_rows(figures: dict) -> list[dict]:
    """The programme-wide objectives (the seed's « Attendu / Résultat »), as the dashboard
    shows them."""
    return objective_rows(figures["objectives"], territory="*")
