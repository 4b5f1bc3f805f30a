"""The PostgreSQL import path (COPY, staging tables, set-based inserts) gives what the streaming
path gives: the same rows and figures for a good workbook, the same problems, in the same order
and words, for a bad one."""

import copy
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection, transaction

from ancrage.activities.models import Action, ActionStructure, Participation, Person, Structure
from ancrage.indicators.selectors import compute_indicators
from ancrage.programmes.scope import Scope
from ancrage.territories.models import Commune
from ancrage.workbook import fastload
from ancrage.workbook.importer import WorkbookImporter, WorkbookInvalid
from ancrage.workbook.schema import COLUMNS

from .plans import nested_loops
from .workbooks import minimal_sheets, write_csv, write_xlsx

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the COPY path is PostgreSQL's only"
    ),
]
DATA = Path(__file__).parent / "data"
BENCHMARKS = Path(__file__).parent.parent / "benchmarks"


def _rows(programme) -> dict[str, list]:
    """Every row the import wrote, by codes (ids differ from one import to the next)."""
    copied = ("territory__code", "modality", "school_year")
    return {
        "communes": Commune.objects.filter(programme=programme).values_list(
            "insee_code", "name", "territory__code", "population"
        ),
        "structures": Structure.objects.filter(programme=programme).values_list(
            "code", "name", "kind", "commune__insee_code", "qpv"
        ),
        "people": Person.objects.filter(programme=programme).values_list(
            "code", "profession", "structure__code", "territory__code"
        ),
        "actions": Action.objects.filter(programme=programme).values_list(
            "code",
            "modality",
            "territory__code",
            "commune__insee_code",
            "start",
            "end",
            "school_year",
            "hours",
            "sessions",
            "children",
            "adults",
            "parents",
            "elected",
            "parent_format",
            "title",
            "lists_people",
        ),
        "links": ActionStructure.objects.filter(programme=programme).values_list(
            "action__code", "structure__code", "position", *copied
        ),
        "participations": Participation.objects.filter(programme=programme).values_list(
            "action__code", "person__code", *copied
        ),
    }


def outcome(path: Path, *, fast: bool):
    """What importing gives (rolled back): its problems, or its counts, rows and figures."""
    with transaction.atomic():
        try:
            result = WorkbookImporter(path, fast=fast).run()
        except WorkbookInvalid as invalid:
            return [str(problem) for problem in invalid.problems]
        rows = {name: sorted(query, key=str) for name, query in _rows(result.programme).items()}
        figures = compute_indicators(Scope(result.programme))
        transaction.set_rollback(True)
    return result.counts, rows, _without_ids(figures)


def _without_ids(value):
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if not str(k).endswith("id")}
    if isinstance(value, list | tuple):
        return [_without_ids(v) for v in value]
    return value


def assert_same(path: Path):
    streaming = outcome(path, fast=False)
    assert outcome(path, fast=True) == streaming
    return streaming


def test_the_generated_national_programme_in_small(tmp_path):
    sys.path.insert(0, str(BENCHMARKS))
    from generate import generate

    generate(tmp_path / "national", scale=0.001)
    counts, rows, _figures = assert_same(tmp_path / "national")
    assert counts["participation"] == len(rows["participations"]) > 2000
    assert any(lists_people for *_row, lists_people in rows["actions"])


@pytest.mark.parametrize(
    "name",
    ["workbook_excel_cp1252", "workbook_libreoffice.xlsx", "workbook_formula_libreoffice.xlsx"],
)
def test_real_files(name):
    assert isinstance(assert_same(DATA / name), tuple)


def test_cells_written_loosely_are_read_alike(tmp_path):
    """Codes with spaces around, labels for codes, French dates, a phone number in a free text:
    read by RowCells on both paths, to the same values."""
    sheets = minimal_sheets()
    sheets["personnes"][0].update(id=" P1 ", profession="infirmière 06 12 34 56 78")
    sheets["actions"][0].update(modalite="Formation", debut="03/10/2022", heures="18,5")
    sheets["actions"][1].update(structures=" S2 ; ", enfants=25.0, intitule="Contact : a@b.fr")
    sheets["structures"][1].update(type="Accueil de loisirs", qpv="Oui")
    sheets["participations"][0].update(action="A1 ", personne="P1")
    for write, name in ((write_xlsx, "ok.xlsx"), (write_csv, "ok")):
        counts, _rows_written, _figures = assert_same(write(sheets, tmp_path / name))
        assert counts["participation"] == 4


def test_people_take_the_same_territories(tmp_path):
    """Written with their territory, `*` (the whole programme), or none: their structure's
    (written so by the set-based insert), else the one where they took part (settled after)."""
    sheets = minimal_sheets()
    sheets["personnes"][0].update(territoire="T2")  # structure S1 is in T1
    sheets["personnes"][1].update(territoire="*")
    sheets["personnes"].append({"id": "P4", "profession": "animateur", "structure": "S1"})
    for write, name in ((write_xlsx, "ok.xlsx"), (write_csv, "ok")):
        _counts, rows, _figures = assert_same(write(sheets, tmp_path / name))
        territories = {code: territory for code, _p, _s, territory in rows["people"]}
        # P3, of no structure, took part in T2 only.
        assert territories == {"P1": "T2", "P2": None, "P3": "T2", "P4": "T1"}


def _broken(change) -> dict:
    sheets = copy.deepcopy(minimal_sheets())
    change(sheets)
    return sheets


BROKEN = {
    "duplicate codes": lambda s: (
        s["structures"].append(dict(s["structures"][0])),
        s["personnes"].append(dict(s["personnes"][0])),
        s["actions"].append(dict(s["actions"][0])),
        s["communes"].append(dict(s["communes"][0])),
    ),
    "unknown references": lambda s: (
        s["communes"][0].update(territoire="T9"),
        s["structures"][0].update(code_insee="99999"),
        s["personnes"][0].update(structure="S9"),
        s["actions"][0].update(territoire="T9", code_insee="44009", structures="S1;S9;S1"),
        s["participations"].append({"action": "A9", "personne": "P9"}),
    ),
    "participations": lambda s: s["participations"].extend(
        [{"action": "A1", "personne": "P1"}, {"action": "A1", "personne": "P é"}]
        + [{"action": "A2", "personne": f"X{i}"} for i in range(60)]  # past the column's cap
    ),
    "cells": lambda s: (
        s["communes"][1].update(code_insee="4400"),
        s["structures"][0].update(type="piscine", nom=""),
        s["personnes"][1].update(id="P 2", profession="x" * 130),
        s["actions"][0].update(debut="2022-10-03", fin="2022-09-01", heures=-1, seances="deux"),
        s["actions"][1].update(debut="", modalite="atelier", format="long"),
        s["actions"][2].update(debut="2023-02-30"),
    ),
    # Codes are sent to COPY as text: none may reach it with a character COPY would read.
    "codes with a tab, a backslash or a line break": lambda s: (
        s["personnes"].append({"id": "P\\4", "profession": "animateur"}),
        s["personnes"].append({"id": "P\t5", "profession": "animateur"}),
        s["structures"].append(
            {"id": "S\n3", "nom": "École", "type": "alsh", "code_insee": "44001"}
        ),
        s["participations"].append({"action": "A1", "personne": "P\\4"}),
        s["participations"].append({"action": "A\\1", "personne": "P1"}),
    ),
    # Past PositiveIntegerField's largest: a problem, not PostgreSQL's "integer out of range".
    "counts too large": lambda s: (
        s["territoires"][0].update(population=3_000_000_000),
        s["actions"][1].update(enfants="99999999999", seances=2_147_483_647),
    ),
    # Past numeric(8, 2): a problem, not PostgreSQL's "numeric field overflow".
    "hours too large": lambda s: (
        s["actions"][0].update(heures=1_234_567),
        s["actions"][1].update(heures="1234567.5"),
        s["actions"][2].update(heures="999999.995"),
    ),
}


@pytest.mark.parametrize("name", BROKEN)
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_the_same_problems_in_the_same_words(tmp_path, name, kind):
    sheets = _broken(BROKEN[name])
    path = (
        write_xlsx(sheets, tmp_path / "bad.xlsx")
        if kind == "xlsx"
        else write_csv(sheets, tmp_path / "bad")
    )
    problems = assert_same(path)
    assert isinstance(problems, list) and problems


def test_decimals_beyond_the_column_are_rounded_alike(tmp_path):
    """The fast path reads a plain number only within the column's digits and decimal places;
    the others are rounded by RowCells, as the streaming path rounds them."""
    sheets = minimal_sheets()
    sheets["actions"][0].update(heures="1.234")
    sheets["actions"][1].update(heures="999999.99")
    sheets["actions"][2].update(heures=2.345)
    for write, name in ((write_xlsx, "ok.xlsx"), (write_csv, "ok")):
        _counts, rows, _figures = assert_same(write(sheets, tmp_path / name))
        hours = {row[0]: row[7] for row in rows["actions"]}
        assert hours == {"A1": Decimal("1.23"), "A2": Decimal("999999.99"), "A3": Decimal("2.35")}


def test_short_long_and_blank_csv_rows_read_alike(tmp_path):
    """Rows read as lists of cells: a blank row, a row longer or shorter than its header, an
    apostrophe kept before a formula-like text (`restore`), alike on both paths."""
    folder = write_csv(minimal_sheets(), tmp_path / "ok")

    def add(sheet: str, lines: str) -> None:
        with open(folder / f"{sheet}.csv", "a", encoding="utf-8") as handle:
            handle.write(lines)

    add("participations", ";\nA3;P1;en trop\n")
    add("personnes", "P9;'=animatrice\n")
    counts, rows, _figures = assert_same(folder)
    assert counts["participation"] == 5
    assert ("P9", "=animatrice", None, None) in rows["people"]
    add("participations", "A3\n")
    add("personnes", "P8\n")
    assert assert_same(folder) == [
        "personnes:6:profession: valeur obligatoire manquante",
        "participations:8:personne: valeur obligatoire manquante",
    ]


def test_free_texts_with_tabs_backslashes_and_line_breaks_are_written_alike(tmp_path):
    sheets = minimal_sheets()
    sheets["structures"][0].update(nom="École \\ annexe\tnord")
    sheets["personnes"][0].update(profession="enseignante\\CP")
    sheets["actions"][0].update(intitule="Séance 1\nSéance 2\\N")
    for write, name in ((write_xlsx, "ok.xlsx"), (write_csv, "ok")):
        _counts, rows, _figures = assert_same(write(sheets, tmp_path / name))
        assert ("P1", "enseignante\\CP", "S1", "T1") in rows["people"]
        assert rows["actions"][0][14] == "Séance 1\nSéance 2\\N"


def test_a_list_of_structures_too_long_is_refused_alike(tmp_path):
    """The list is read by the fast path only within the column's declared length."""
    sheets = minimal_sheets()
    codes = [f"STRUCTURE_{i:04d}" for i in range(400)]
    sheets["structures"] += [
        {"id": code, "nom": "École", "type": "ecole_publique", "code_insee": "44001"}
        for code in codes
    ]
    sheets["actions"][0]["structures"] = ";".join(codes)  # every code known, 5,999 characters
    problems = assert_same(write_csv(sheets, tmp_path / "bad"))
    assert problems == ["actions:2:structures: texte trop long (5999 caractères, 5000 au plus)"]


def test_the_streaming_loaders_are_replaced_all_or_none():
    """The streaming actions and participations need the ids of communes, structures and
    people that the set-based inserts do not read back: a sheet this module does not follow
    keeps every streaming loader."""
    actions_columns = tuple(column.name for column in COLUMNS["actions"])
    assert len(fastload.replacements(actions_columns, ("action", "personne"))) == 5
    assert fastload.replacements((*actions_columns, "lieu"), ("action", "personne")) == {}
    assert fastload.replacements(actions_columns, ("action", "personne", "role")) == {}


def test_the_set_based_inserts_never_loop_over_whole_tables(tmp_path):
    """The tables an import writes first have no statistics yet when the next insert joins
    them: the planner, going by their size alone, chose nested loops over whole tables (a
    60,000-participation programme took 54 s instead of 5). Each insert's plan is read as it
    is about to run."""
    sys.path.insert(0, str(BENCHMARKS))
    from generate import generate

    generate(tmp_path / "national", scale=0.001)
    plans = []

    def explained(execute, sql, params, many, context):
        if sql.startswith("INSERT INTO") and " FROM ancrage_stage_" in sql:
            context["cursor"].execute("EXPLAIN (FORMAT JSON) " + sql, params)
            plans.append(context["cursor"].fetchone()[0][0]["Plan"])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explained):
        WorkbookImporter(tmp_path / "national", fast=True).run()
    assert len(plans) >= 6  # communes, structures, people, actions, their links, participations
    assert [t for plan in plans for t in nested_loops(plan, tables_only=True)] == []


def test_an_import_with_a_problem_sends_no_participation(tmp_path, monkeypatch):
    """Its rows are all checked (every problem listed), none is sent to PostgreSQL: the import
    will write nothing (3 million participations took 14 s to send for nothing)."""
    sent = []
    write_text = fastload.Stage.write_text

    def recorded(stage, lines):
        if stage.name.endswith("participations"):
            sent.extend(lines)
        write_text(stage, lines)

    monkeypatch.setattr(fastload.Stage, "write_text", recorded)
    sheets = minimal_sheets()
    WorkbookImporter(write_csv(sheets, tmp_path / "good"), fast=True).run(dry_run=True)
    assert len(sent) == len(sheets["participations"])
    sent.clear()
    sheets["actions"][0].update(debut="pas une date")
    sheets["participations"].append({"action": "A1", "personne": "P404"})
    with pytest.raises(WorkbookInvalid) as invalid:
        WorkbookImporter(write_csv(sheets, tmp_path / "bad"), fast=True).run()
    assert sent == []
    assert any("P404" in str(problem) for problem in invalid.value.problems)
