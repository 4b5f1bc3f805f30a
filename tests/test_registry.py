"""The registry is the one declaration of a figure: where it comes from, its label on the
dashboard, its documentation, the target → figure mapping."""

import importlib
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.html import escape

from ancrage.core.numbers import fr_int
from ancrage.indicators.registry import (
    FIGURES,
    FIGURES_BY_KEY,
    HEADLINE_KEYS,
    TARGET_FIGURES,
    declared_values,
    figure_value,
)
from ancrage.indicators.selectors import headline_figures, objective_rows
from ancrage.programmes.vocabulary import OBJECTIVE_TARGETS

DOCS = Path(__file__).parent.parent / "docs"


@pytest.mark.parametrize("figure", FIGURES, ids=lambda f: f.key)
def test_every_figure_names_the_function_that_computes_it(figure):
    module = importlib.import_module(figure.module)
    assert callable(getattr(module, figure.function, None)), figure.source


def test_every_figure_is_documented():
    text = (DOCS / "figures.md").read_text(encoding="utf-8")
    missing = [f.key for f in FIGURES if f"`{f.key}`" not in text]
    assert not missing


def test_every_objective_target_names_a_declared_figure():
    assert set(TARGET_FIGURES) == set(OBJECTIVE_TARGETS)
    assert all(key in FIGURES_BY_KEY for key in TARGET_FIGURES.values())


def test_every_declared_figure_is_computed_for_the_programme_and_its_territories(demo_figures):
    values = declared_values(demo_figures)
    assert set(values) == {f.key for f in FIGURES}
    for figure in FIGURES:
        if figure.per_territory:
            for area in demo_figures["by_territory"].values():
                figure_value(area, figure.key)
    assert values["satisfaction.respondents"] == sum(
        q["respondents"] for q in demo_figures["satisfaction"]["questionnaires"]
    )
    assert values["governance.meetings_held"] == 16  # 5 COPIL and 11 COTECH, each recorded
    assert values["coordination.days_per_year_mean"] == 30  # 15 days × 2 territories


def test_the_headline_shows_the_registry_s_labels(client, demo_programme, demo_figures):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("admin", password="x"))
    page = client.get(reverse("dashboard")).content.decode()
    for row in headline_figures(demo_figures):
        label, explanation = escape(row["label"]), escape(row["explanation"])
        shown = f'<dt title="{explanation}">{label}</dt><dd>{row["shown"]}</dd>'
        assert shown in page
    assert [row["key"] for row in headline_figures(demo_figures)] == list(HEADLINE_KEYS)


def test_the_expected_and_achieved_rows_are_built_once(demo_figures):
    rows = objective_rows(demo_figures["objectives"], territory="*")
    children = next(r for r in rows if r["cible"] == "enfants")
    assert children["label"] == "Enfants"
    assert children["expected_range"] == f"{fr_int(3620)} sur le programme"
    assert (children["achieved"], children["status_label"]) == (4130, "au-dessus")
    pack = objective_rows(demo_figures["objectives"], territory="PCSG")
    coaching = next(r for r in pack if r["cible"] == "accompagnement")
    # As written (4 to 8 a year), with the total over the four school years compared.
    assert coaching["expected_range"] == "4 à 8 par an, soit 16 à 32 sur 4 années scolaires"
    assert coaching["expected"] == 16
