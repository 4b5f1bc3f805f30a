"""The actions list (`/actions/`): its count is kept between views (at national scale counting
300,000 actions on every page was most of its time, issue #15), never stale after a write, and
the filters, the order, the page links and the readers' territories are what they were.

Runs on SQLite and on PostgreSQL (DATABASE_URL) alike."""

import re

import pytest
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ancrage.activities.models import Action
from ancrage.audit.models import Event, Kind
from ancrage.programmes.versions import figures_changed
from ancrage.workbook.importer import import_workbook
from ancrage.workbook.update import update_workbook

from .cast import make_cast
from .workbooks import minimal_sheets, write_xlsx

pytestmark = pytest.mark.django_db

TERRITORIES = ("PCSG", "CARENE")


def shown(client, programme, **params) -> tuple[int, list[str], list[str]]:
    """The list's count, the codes of its page, and the SQL of the queries that counted
    actions (the participants of the page are counted too: not those)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/actions/", {"programme": programme.pk, **params})
    assert response.status_code == 200
    counts = [
        q["sql"]
        for q in queries.captured_queries
        if "COUNT(" in q["sql"].upper() and "activities_participation" not in q["sql"]
    ]
    return response.context["total"], [a.code for a in response.context["page"]], counts


def recounted(counts: list[str]) -> set[int]:
    """The territories a grouped count read again (all of them: an empty set)."""
    (sql,) = counts
    found = re.search(r'"territory_id" IN \(([\d, ]+)\)', sql)
    return {int(pk) for pk in found.group(1).split(",")} if found else set()


def fresh(programme, condition: Q | None = None) -> list[str]:
    """The codes a fresh query lists, in the list's order."""
    actions = Action.objects.filter(condition or Q(), programme=programme)
    return list(actions.order_by("-start", "code").values_list("code", flat=True))


def form(territory, code: str, modality: str = "formation") -> dict:
    return {
        "code": code,
        "modality": modality,
        "territory": territory.pk,
        "start": "2024-10-02",
        "participants": "",
    }


@pytest.fixture
def cast(demo_programme):
    return make_cast(demo_programme, TERRITORIES)


def test_the_second_view_of_the_list_counts_no_action(client, demo_programme, cast):
    client.force_login(cast["coordination"])
    total, codes, counts = shown(client, demo_programme)
    everything = fresh(demo_programme)
    assert len(everything) > 50  # two pages at least
    assert (total, codes) == (len(everything), everything[:50])
    assert len(counts) == 1  # one grouped count, by territory
    assert shown(client, demo_programme) == (total, codes, [])
    assert shown(client, demo_programme, page=2) == (total, everything[50:100], [])
    # Each choice of the filters' lists is kept too; a text search is counted each time.
    chosen = {"modalite": "formation", "territoire": TERRITORIES[0]}
    assert len(shown(client, demo_programme, **chosen)[2]) == 1
    assert shown(client, demo_programme, **chosen)[2] == []
    assert len(shown(client, demo_programme, q="FOR")[2]) == 1


def test_an_action_added_moved_deleted_or_restored_moves_the_count_at_once(
    client, demo_programme, cast
):
    first, second = (demo_programme.territories.get(code=code) for code in TERRITORIES)
    client.force_login(cast["coordination"])
    start = {
        "all": shown(client, demo_programme)[0],
        "first": shown(client, demo_programme, territoire=first.code)[0],
        "second": shown(client, demo_programme, territoire=second.code)[0],
        "formation": shown(client, demo_programme, modalite="formation")[0],
    }
    created = client.post(
        f"/actions/nouvelle/?programme={demo_programme.pk}", form(first, "LISTE-1")
    )
    assert created.status_code == 302
    total, codes, counts = shown(client, demo_programme)
    assert (total, codes) == (start["all"] + 1, fresh(demo_programme)[:50])
    assert recounted(counts) == {first.pk}  # the written territory alone is counted again
    assert shown(client, demo_programme, territoire=first.code)[0] == start["first"] + 1
    assert shown(client, demo_programme, modalite="formation")[0] == start["formation"] + 1

    # Moved to the other territory and made a COPIL: both territories' counts move.
    action = Action.objects.get(programme=demo_programme, code="LISTE-1")
    moved = client.post(f"/actions/{action.pk}/modifier/", form(second, "LISTE-1", "copil"))
    assert moved.status_code == 302
    assert shown(client, demo_programme, territoire=first.code)[0] == start["first"]
    assert shown(client, demo_programme, territoire=second.code)[0] == start["second"] + 1
    assert shown(client, demo_programme, modalite="formation")[0] == start["formation"]
    assert shown(client, demo_programme)[0] == start["all"] + 1

    assert client.post(f"/actions/{action.pk}/supprimer/").status_code == 302
    assert shown(client, demo_programme)[0] == start["all"]
    assert shown(client, demo_programme, territoire=second.code)[0] == start["second"]

    event = Event.objects.get(model="activities.action", object_id=action.pk, kind=Kind.DELETE)
    assert client.post(f"/actions/supprimees/{event.pk}/restaurer/").status_code == 302
    assert shown(client, demo_programme)[0] == start["all"] + 1
    assert shown(client, demo_programme, territoire=second.code)[0] == start["second"] + 1


@pytest.mark.parametrize(
    ("params", "condition"),
    [
        ({}, Q()),
        ({"modalite": "formation"}, Q(modality="formation")),
        ({"annee": "2023"}, Q(school_year=2023)),
        ({"q": "co"}, Q(code__icontains="co") | Q(title__icontains="co")),
        (
            {"territoire": "CARENE", "modalite": "co_intervention"},
            Q(territory__code="CARENE", modality="co_intervention"),
        ),
        ({"modalite": "inconnue", "annee": "deux"}, Q()),  # ignored, as they always were
        ({"annee": "²"}, Q()),  # a digit for str.isdigit, not a year: ignored (was a 500)
    ],
)
def test_the_count_and_the_pages_follow_the_filters(
    client, demo_programme, cast, params, condition
):
    client.force_login(cast["coordination"])
    expected = fresh(demo_programme, condition)
    assert expected  # each filter keeps some actions
    pages = Paginator(expected, 50)
    for number in [1, 2, 99]:  # a page past the last shows the last, as before
        total, codes, _counts = shown(client, demo_programme, page=number, **params)
        assert (total, codes) == (len(expected), list(pages.get_page(number).object_list))


def test_a_reader_counts_only_their_territories(client, demo_programme, cast):
    first, second = (demo_programme.territories.get(code=code) for code in TERRITORIES)
    # The coordination's view keeps every territory's count first.
    client.force_login(cast["coordination"])
    shown(client, demo_programme)
    client.force_login(cast["cheffe_pcsg"])
    total, codes, _counts = shown(client, demo_programme)
    assert (total, codes) == (len(fresh(demo_programme, Q(territory=first))), codes)
    assert set(codes) <= set(fresh(demo_programme, Q(territory=first)))
    assert shown(client, demo_programme, territoire=second.code)[:2] == (0, [])


def test_an_update_from_a_workbook_moves_the_count_at_once(client, tmp_path):
    sheets = minimal_sheets()
    programme = import_workbook(write_xlsx(sheets, tmp_path / "v1.xlsx")).programme
    client.force_login(make_cast(programme)["coordination"])
    assert shown(client, programme)[0] == 3
    assert shown(client, programme, territoire="T2")[0] == 1

    # Bulk writes, without signals: one action more in T2, then A3 (T1) deleted.
    sheets["actions"].append(
        {"id": "A4", "modalite": "formation", "territoire": "T2", "debut": "2023-02-01"}
    )
    update_workbook(write_xlsx(sheets, tmp_path / "v2.xlsx"), programme=programme.name)
    assert shown(client, programme)[:2] == (4, fresh(programme))
    assert shown(client, programme, territoire="T2")[0] == 2

    sheets["actions"] = [row for row in sheets["actions"] if row["id"] != "A3"]
    update_workbook(
        write_xlsx(sheets, tmp_path / "v3.xlsx"), programme=programme.name, delete_missing=True
    )
    assert shown(client, programme)[:2] == (3, fresh(programme))
    assert shown(client, programme, territoire="T1")[0] == 1


def test_a_bulk_write_of_no_known_territory_moves_the_count_at_once(client, demo_programme, cast):
    """Bulk writers send no signal and say `figures_changed(programme)`: every territory's
    count is read again."""
    client.force_login(cast["coordination"])
    before = shown(client, demo_programme, modalite="formation")[0]
    first = Action.objects.filter(programme=demo_programme, modality="formation").first()
    with transaction.atomic():
        Action.objects.filter(pk=first.pk).update(modality="copil")
        figures_changed(demo_programme.pk)
    assert shown(client, demo_programme, modalite="formation")[0] == before - 1


def test_the_rows_links_and_the_territory_filter_are_written_escaped(client, demo_programme, cast):
    territory = demo_programme.territories.get(code="CARENE")
    territory.name = 'Côte <Nord> & "Sud"'
    territory.save(update_fields=["name"])
    action = Action.objects.filter(programme=demo_programme, territory=territory).first()
    Action.objects.filter(pk=action.pk).update(code="A<&>1")
    client.force_login(cast["coordination"])
    page = client.get(
        "/actions/", {"programme": demo_programme.pk, "territoire": "CARENE", "q": "A<&>1"}
    ).content.decode()
    escaped = "Côte &lt;Nord&gt; &amp; &quot;Sud&quot;"
    assert f'<option value="CARENE" selected>{escaped}</option>' in page
    for name, text, label in [
        ("activities:edit", "Modifier", "Modifier"),
        ("surveys:action_collections", "Questionnaires", "Questionnaires de"),
        ("activities:delete", "Supprimer", "Supprimer"),
    ]:
        href = reverse(name, args=[action.pk])
        assert f'<a href="{href}" aria-label="{label} A&lt;&amp;&gt;1">{text}</a>' in page
    assert "A<&>1" not in page and "<Nord>" not in page
