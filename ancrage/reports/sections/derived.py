"""Derived figures the report words but does not count.

They are read from the indicators layer when it provides them (the registry's derived figures),
and only shaped here otherwise; see the README's architecture section.
"""


def method_counts(figures: dict) -> dict:
    questionnaires = figures["satisfaction"]["questionnaires"]
    meetings = figures["governance"]["meetings"]
    return {
        "questionnaires": len(questionnaires),
        "respondents": sum(q["respondents"] for q in questionnaires),
        "meetings": sum(m["held"] for m in meetings.values()),
    }


def mean_coordination_days(figures: dict) -> float:
    days = figures["coordination"]["days_per_year"]
    return sum(days.values()) / len(days) if days else 0
