"""What the report says: targets per their period with the programme total, a satisfaction
headline no late answer can move, charts chosen by the kind of question, every part of the
seed deck present with its data."""

import datetime as dt
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from pptx import Presentation

from ancrage.activities.models import Action
from ancrage.core import charts
from ancrage.core.numbers import fr_percent
from ancrage.indicators.selectors import compute_indicators
from ancrage.programmes.scope import Scope
from ancrage.reports.sections import build_report
from ancrage.reports.services import write_report
from ancrage.surveys.models import Questionnaire
from ancrage.surveys.selectors import _synthesis
from ancrage.workbook.importer import import_workbook

from .surveys_data import first_choice_response
from .test_reports import flat, slide_text
from .workbooks import minimal_sheets, write_xlsx


@pytest.fixture
def demo_deck(demo_programme, tmp_path):
    path = tmp_path / "rapport.pptx"
    write_report(build_report(Scope(demo_programme)), "pptx", path)
    return Presentation(path)


def deck_text(deck) -> str:
    return " || ".join(slide_text(slide) for slide in deck.slides)


def test_the_training_target_reads_2_per_year_beside_its_programme_total(demo_deck):
    text = deck_text(demo_deck)
    assert "Formation | 2 par an | soit 8 sur 4 années scolaires" in text
    assert "Accompagnement | 4 à 8 par an | soit 16 à 32 sur 4 années scolaires" in text
    assert "8 par an" not in text.replace("4 à 8 par an", "")


def test_the_json_keeps_targets_as_written_and_adds_their_totals(demo_programme, capsys):
    call_command("indicators", json=True)
    objectives = json.loads(capsys.readouterr().out)["objectives"]
    training = next(o for o in objectives if (o["territoire"], o["cible"]) == ("PCSG", "formation"))
    assert (training["min"], training["max"], training["periode"]) == (2, 2, "an")
    assert (training["years"], training["total_min"], training["total_max"]) == (4, 8, 8)
    assert training["status"] == "below"  # 7 delivered for 8 over the four years
    children = next(o for o in objectives if o["cible"] == "enfants")
    assert (children["min"], children["total_min"]) == (3620, 3620)


def test_the_dashboard_and_the_evaluation_page_say_per_year_and_programme(client, demo_programme):
    client.force_login(get_user_model().objects.create_superuser("coord", password="x"))
    dashboard = flat(client.get("/").content.decode())
    assert "2 par an, soit 8 sur 4 années scolaires" in dashboard
    assert "<td>Programme</td>" in dashboard and "<td>*</td>" not in dashboard
    page = flat(client.get(f"/evaluation/?programme={demo_programme.pk}").content.decode())
    assert "2 par an" in page and "soit 8 sur 4 années scolaires" in page
    assert 'class="toc"' in page  # a table of contents on the long evaluation page


def test_the_synthesis_weighs_each_school_year_by_its_answers():
    # Per school year: answers, favourable, respondents, respondents of each territory.
    counts = {("formation", "professionnels"): {2022: [190, 180, 190, [190]], 2025: [1, 0, 1, [1]]}}
    group = _synthesis(counts, hide_small=False)["by_modality"][0]
    assert group["rate"] == round(180 / 191, 4)  # not (180/190 + 0/1) / 2


def _late_unfavourable_answer(programme) -> None:
    """One answer, all unfavourable, to a training dated after the programme's end."""
    late = Action.objects.filter(programme=programme, modality="formation").first()
    late.pk, late.code = None, "FOR-TARDIVE"
    late.start, late.end, late.school_year = dt.date(2025, 10, 6), None, 2025
    late.save()
    questionnaire = Questionnaire.objects.get(programme=programme, modality="formation")
    first_choice_response(questionnaire, late)


def test_a_late_single_answer_does_not_move_the_headline(demo_programme):
    before = compute_indicators(Scope(demo_programme))["satisfaction"]["synthesis"]["overall"]
    _late_unfavourable_answer(demo_programme)
    after = compute_indicators(Scope(demo_programme))["satisfaction"]["synthesis"]["overall"]
    assert fr_percent(before) == fr_percent(after) == "94\u202f%"


def test_a_preference_question_is_not_drawn_on_the_agreement_scale(demo_figures, demo_deck):
    items = next(
        q["items"]
        for q in demo_figures["satisfaction"]["questionnaires"]
        if q["title"] == "Les ateliers et moi"
    )
    drawn = charts.item_charts("k", "Degré de satisfaction", items)
    preferred = [c for c in drawn if c.title.startswith("Qu'as-tu préféré")]
    assert len(preferred) == 1 and preferred[0].kind == "bar"
    counts = [row[1] for row in preferred[0].rows]
    assert counts == sorted(counts, reverse=True)  # sorted from the most chosen
    agreement = [c for c in drawn if c.kind == "diverging"]
    assert agreement and all("Les jeux" not in c.series for c in agreement)
    # In the deck: a bar chart of counts, not the red-to-green stacked scale.
    for slide in demo_deck.slides:
        for shape in slide.shapes:
            if shape.has_chart and shape.chart.chart_title.text_frame.text.startswith("Qu'as-tu"):
                assert shape.chart.chart_type.name == "BAR_CLUSTERED"
                break


def test_every_part_of_the_seed_is_in_the_deck_with_its_data(demo_deck):
    text = flat(deck_text(demo_deck))
    for number in ("01", "02", "03", "04", "05", "06"):
        assert f"{number} " in text or f"| {number}" in text or number in text
    expected = [
        # History as a dated timeline.
        "1998 – 2000",
        "2001 – 2014",
        "2015 – 2017",
        "2022 – 2025",
        "Expérimentation",
        # General and operational objectives.
        "Objectif général",
        "Renforcer les CPS des enfants de 8 à 11 ans",
        "Objectifs opérationnels",
        "Créer un langage commun entre adultes",
        # Evaluative questions.
        "Les questions évaluatives",
        "Est-ce que ça marche ?",
        # Recommendations and conditions of success from the transferability assessment.
        "Recommandations",
        "Conditions de réussite",
        "Une taille de territoire proche de 37400 habitant·es",
        "Une personne référente en poste sur chaque territoire",
        # Partners thanked, closing slide.
        "Merci à nos partenaires",
        "ARS Pays de la Loire",
        "Merci de votre attention",
        # Numbered section dividers, key figures with what was expected.
        "attendu 3620",
        "4130",
    ]
    for wanted in expected:
        assert wanted in text, wanted
    first, last = demo_deck.slides[0], demo_deck.slides[len(demo_deck.slides) - 1]
    assert "CPS Loire-Atlantique 2022-2025" in slide_text(first)
    assert "Années scolaires 2021-2022 à 2024-2025" in slide_text(first)
    assert "Merci de votre attention" in slide_text(last)


def test_an_action_after_the_programme_is_left_out_of_its_figures_and_listed(demo_programme):
    from ancrage.indicators.quality import quality_warnings

    _late_unfavourable_answer(demo_programme)
    figures = compute_indicators(Scope(demo_programme))
    assert figures["deliveries"]["formation"] == 14  # the late training is not counted
    formation = next(
        q for q in figures["satisfaction"]["questionnaires"] if q["modality"] == "formation"
    )
    assert formation["respondents"] == 190  # nor its answer
    (warning,) = [w for w in quality_warnings(demo_programme) if w.reference == "FOR-TARDIVE"]
    assert "exclue des chiffres du programme" in warning.message


def test_a_modality_without_action_gets_a_line_not_a_slide(db, tmp_path):
    # The small workbook holds trainings and co-interventions only.
    programme = import_workbook(write_xlsx(minimal_sheets(), tmp_path / "w.xlsx")).programme
    report = build_report(Scope(programme))
    titles = [section.title for section in report.sections]
    assert "Les formations" in titles and "Les co-interventions" in titles
    for empty in ("Les accompagnements", "Les journées d'échange de pratiques", "La parentalité"):
        assert empty not in titles
    footnotes = [n for section in report.sections for n in section.footnotes]
    assert (
        "Aucune action sur la période pour ces modalités, sans page dans ce rapport : les "
        "accompagnements, les journées d'échange de pratiques, la parentalité." in footnotes
    )
