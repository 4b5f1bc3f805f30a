"""Updating a large programme: its large sheets (territories, communes, structures, people,
actions and their structures, participations) are compared in the database, and only the rows
that differ are read, whatever the programme's size; the comparison finds exactly what
comparing both programmes' exported rows in Python finds."""

import csv
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from ancrage.activities.models import Action, Participation, Person
from ancrage.activities.services import action_create
from ancrage.programmes.models import Programme
from ancrage.workbook import update
from ancrage.workbook.exporter import export_workbook
from ancrage.workbook.importer import WorkbookImporter, import_workbook
from ancrage.workbook.sheets_update import SHEET_SPECS, load_rows
from ancrage.workbook.update import KEPT, update_workbook
from ancrage.workbook.update_compare import COMPARED_IN_DATABASE, compare_in_database
from ancrage.workbook.update_plan import absent_columns

from .plans import nested_loops

pytestmark = pytest.mark.django_db

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
LARGE_TABLES = {
    "territories_territory",
    "territories_commune",
    "activities_structure",
    "activities_person",
    "activities_action",
    "activities_actionstructure",
    "activities_participation",
}


class RowsRead:
    """Counts the rows each query hands back to Python, by the table it reads (its first
    FROM), once `counting` is set."""

    def __init__(self):
        self.counts: Counter = Counter()
        self.counting = False

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not self.counting:
            return result
        found = re.search(r'FROM "(\w+)"', sql)
        table = found.group(1) if found else ""
        cursor = context["cursor"]
        for name in ("fetchone", "fetchmany", "fetchall"):
            fetch = getattr(cursor.cursor, name)

            def counted(*args, _fetch=fetch, _one=name == "fetchone"):
                rows = _fetch(*args)
                self.counts[table] += (rows is not None) if _one else len(rows)
                return rows

            setattr(cursor, name, counted)
        return result


def generated_programme(tmp_path) -> Programme:
    sys.path.insert(0, str(BENCHMARKS))
    from generate import generate

    generate(tmp_path / "data", scale=0.001)  # 1,000 people, 300 actions, 3,000 participations
    return import_workbook(tmp_path / "data").programme


def edit_csv(folder: Path, sheet: str, edit) -> None:
    """Rewrite one CSV sheet of a workbook folder: `edit(rows)` changes the list of row dicts."""
    path = folder / f"{sheet}.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = reader.fieldnames, list(reader)
    edit(rows)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        writer.writerows(rows)


def test_only_the_rows_that_differ_are_read(tmp_path, monkeypatch):
    """Both programmes' rows were read into Python to compare them (1.4 GB for a programme of
    890,000 rows), and every row of a sheet to write one of its changes: after the workbook's
    staging import, the update now reads a few rows per change, not the programme."""
    programme = generated_programme(tmp_path)
    export = export_workbook(programme, tmp_path / "export")
    action = Action.objects.filter(programme=programme).order_by("pk")[5]
    person = Person.objects.filter(programme=programme).order_by("pk")[7]
    outsider = Person.objects.filter(programme=programme, territory=action.territory)
    outsider = outsider.exclude(participations__action=action).order_by("pk")[0]
    edit_csv(export, "actions", lambda rows: rows[5].update(heures="19,5"))
    edit_csv(export, "personnes", lambda rows: rows[7].update(profession="infirmière"))
    edit_csv(
        export,
        "participations",
        lambda rows: rows.append({"action": action.code, "personne": outsider.code}),
    )
    read = RowsRead()

    class CountedAfterLoading(WorkbookImporter):
        def run(self):
            result = super().run()
            read.counting = True
            return result

    monkeypatch.setattr(update, "WorkbookImporter", CountedAfterLoading)
    with connection.execute_wrapper(read):
        plan = update_workbook(export)

    assert [str(c) for s in plan.sheets for c in s.changes if c.kind != KEPT] == [
        f"modifié {person.code} (profession : {person.profession} → infirmière)",
        f"modifié {action.code} (heures : 18 → 19.5)",
        f"créé {action.code} / {outsider.code}",
    ]
    assert Participation.objects.filter(action=action, person=outsider).exists()
    in_programme = sum(
        model.objects.filter(programme=programme).count()
        for model in (Person, Action, Participation)
    )
    assert in_programme > 4000
    large = {table: n for table, n in read.counts.items() if table in LARGE_TABLES}
    assert sum(large.values()) < 100, large


def test_the_workbook_is_loaded_without_the_programmes_actions_as_objects(tmp_path, monkeypatch):
    """An exported workbook always has the sheets of collections and responses, most often
    empty: loading it read every action of the programme as an object for them (600 MB of the
    1.1 GB an update took at national scale). Only the actions their rows cite are read."""
    programme = generated_programme(tmp_path)
    export = export_workbook(programme, tmp_path / "export")
    assert (export / "collectes.csv").exists() and (export / "reponses.csv").exists()
    loaded, from_db = [], Action.from_db.__func__

    def counted(cls, db, field_names, values):
        loaded.append(values)
        return from_db(cls, db, field_names, values)

    monkeypatch.setattr(Action, "from_db", classmethod(counted))
    plan = update_workbook(export, dry_run=True)
    assert plan.lines() == [f"Programme « {programme.name} » : rien à modifier."]
    assert Action.objects.filter(programme=programme).count() == 300
    assert loaded == []


def edit_every_kind_of_value(folder: Path) -> None:
    """Edits of an exported demo programme touching each column kind of the large sheets:
    texts, numbers (decimals, emptied), dates, choices, yes/no, references changed or emptied,
    an action's structures reordered or cut, rows added and rows left out."""

    def actions(rows):
        linked = [row for row in rows if ";" in row["structures"]]
        first, second = linked[0], linked[1]
        first["structures"] = ";".join(reversed(first["structures"].split(";")))
        second["structures"] = second["structures"].split(";")[0]
        ended = next(r for r in rows[2:] if r["fin"] and r["code_insee"] and r not in linked[:2])
        ended.update(fin="", code_insee="", heures="2,5", intitule="Revue")
        rows[3].update(debut="2023-01-05", fin="", modalite="jep", enfants="")
        rows.append({**rows[0], "id": "NOUVELLE-1"})

    def people(rows):
        rows[0].update(profession="éducatrice", structure="")
        rows[1].update(territoire="*")
        rows[2].update(structure=rows[5]["structure"])
        rows.append({**rows[0], "id": "NOUVEAU-1"})

    def structures(rows):
        rows[0].update(qpv="" if rows[0]["qpv"] else "oui", nom="Renommée")
        rows[1].update(type="association")

    def participations(rows):
        del rows[0]  # left out of the file
        rows.append({"action": "NOUVELLE-1", "personne": "NOUVEAU-1"})

    edit_csv(folder, "actions", actions)
    edit_csv(folder, "personnes", people)
    edit_csv(folder, "structures", structures)
    edit_csv(folder, "participations", participations)
    edit_csv(folder, "communes", lambda rows: rows[0].update(population="", nom="Autre nom"))
    edit_csv(folder, "territoires", lambda rows: rows[0].update(population="12", nb_communes="3"))


def drop_csv_column(folder: Path, sheet: str, column: str) -> None:
    def dropped(rows):
        for row in rows:
            del row[column]

    path = folder / f"{sheet}.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = [c for c in reader.fieldnames if c != column], list(reader)
    dropped(rows)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        writer.writerows(rows)


def seen(changes) -> tuple[list, set]:
    """Created and changed rows in order, with their fields; absent rows as a set (their order
    was a Python set's)."""
    kept = {(c.kind, c.key) for c in changes if c.kind in (KEPT, "deleted")}
    return [(c.kind, c.key, c.fields) for c in changes if c.kind in ("created", "changed")], kept


@pytest.mark.parametrize(
    "delete_missing, dropped",
    [(False, {}), (True, {"actions": ["structures", "intitule"], "structures": ["qpv"]})],
)
def test_the_database_finds_what_comparing_the_rows_in_python_finds(
    demo_programme, tmp_path, delete_missing, dropped
):
    """The large sheets' changes, found in the database, are those the update found by reading
    both programmes' exported rows into Python (update._diff over load_rows): same rows, same
    fields with the same old and new values, same counts."""
    folder = export_workbook(demo_programme, tmp_path / "export")
    edit_every_kind_of_value(folder)
    # Rows of the programme the file does not have.
    action = Action.objects.filter(programme=demo_programme).order_by("pk")[0]
    action_create(
        programme=demo_programme,
        code="ABSENTE-1",
        modality=action.modality,
        territory=action.territory,
        start=action.start,
        structures=list(action.structures.all()),
    )
    Person.objects.create(programme=demo_programme, code="ABSENT-1", profession="infirmier")
    for sheet, columns in dropped.items():
        for column in columns:
            drop_csv_column(folder, sheet, column)
    staging = WorkbookImporter(folder, staging="~ comparaison").run().programme
    said = update.said_columns(folder)
    specs = {spec.sheet: spec for spec in SHEET_SPECS}
    found = {}
    for sheet in COMPARED_IN_DATABASE:
        spec = specs[sheet]
        in_python = update._diff(
            spec,
            load_rows(spec, demo_programme),
            load_rows(spec, staging),
            delete_missing,
            said.get(sheet),
        )
        in_database = compare_in_database(
            sheet,
            spec.keys,
            demo_programme,
            staging,
            absent=absent_columns(sheet, said.get(sheet)),
            delete_missing=delete_missing,
        )
        assert seen(in_database.changes) == seen(in_python.changes), sheet
        assert (in_database.untouched, in_database.absent) == (
            in_python.untouched,
            in_python.absent,
        ), sheet
        found[sheet] = in_database
    # Every edit was seen: created, changed, and all changes with the rows absent. An action
    # whose structures alone were reordered or cut is unchanged when the file has no such column.
    relinked = 0 if dropped else 1
    assert {s: (found[s].created, found[s].changed, len(found[s].changes)) for s in found} == {
        "territoires": (0, 1, 1),
        "communes": (0, 1, 1),
        "structures": (0, 2, 2),
        "personnes": (1, 3, 5),
        "actions": (1, 2 + 2 * relinked, 4 + 2 * relinked),
        "participations": (1, 0, 2),
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_the_grouped_comparisons_never_loop_over_rows(tmp_path, monkeypatch):
    """The staging programme's rows are written in the update's own transaction and have no
    statistics yet: from the target's alone the planner took them for a handful and chose to
    read the target's rows once for each of them. Each grouped comparison's plan is read as
    it is about to run."""
    programme = generated_programme(tmp_path)
    export = export_workbook(programme, tmp_path / "export")
    edit_csv(export, "actions", lambda rows: rows[5].update(heures="19,5"))
    plans, loaded = [], []

    def explained(execute, sql, params, many, context):
        if loaded and sql.startswith("SELECT") and "EXISTS(" in sql:
            with connection.connection.cursor() as cursor:  # not the query's own cursor
                cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
                plans.append(cursor.fetchone()[0][0]["Plan"])
        return execute(sql, params, many, context)

    class ExplainedAfterLoading(WorkbookImporter):
        def run(self):
            result = super().run()
            loaded.append(True)
            return result

    monkeypatch.setattr(update, "WorkbookImporter", ExplainedAfterLoading)
    with connection.execute_wrapper(explained):
        plan = update_workbook(export, dry_run=True)
    assert {s.sheet: s.changed for s in plan.sheets}["actions"] == 1
    # Rows created and absent on six sheets, changed on five, the actions' structures both ways.
    assert len(plans) == 6 * 2 + 5 + 2
    assert [table for found in plans for table in nested_loops(found)] == []
