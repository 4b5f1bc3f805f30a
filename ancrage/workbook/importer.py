"""Load a programme workbook into the database: all or nothing.

Rows are read one at a time and written in batches, so memory stays flat whatever the size.
The first problem switches the import to "check only": every later row is still validated, so
that the user sees every problem at once, and the transaction is rolled back at the end.
"""

import functools
import sys
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from tqdm import tqdm

from ancrage.activities.models import Action, ActionStructure, Participation, Person, Structure
from ancrage.core import cells
from ancrage.core.choices import allowed_labels, match_choice, pairs
from ancrage.core.privacy import scrub
from ancrage.core.problems import Problem
from ancrage.core.schoolyear import parse_school_year, school_year_of
from ancrage.programmes.models import CoordinationDays, DeclaredTotal, Objective, Programme
from ancrage.programmes.versions import figures_changed
from ancrage.programmes.vocabulary import (
    Modality,
    ParentFormat,
    Period,
    ReachTarget,
    StructureType,
)
from ancrage.territories.models import Commune, Territory

from .reader import SourceError, open_source
from .schema import ALL_TERRITORIES, PROGRAMME_KEYS, SHEETS

BATCH = 5000
MAX_ERRORS_PER_COLUMN = 50
MODALITIES = list(Modality.values)
CODE_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.")


class WorkbookInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problème(s) dans le classeur")
        self.problems = problems


@dataclass
class ImportResult:
    programme: Programme | None
    counts: dict[str, int] = field(default_factory=dict)


@functools.cache
def vocabularies() -> dict[str, list[tuple[str, str]]]:
    """Each column's vocabulary as (code, French label) pairs, built once translations are ready."""
    return {
        "modality": pairs(Modality),
        "structure_type": pairs(StructureType),
        "yes_no": [("oui", "oui"), ("non", "non")],
        "parent_format": pairs(ParentFormat),
        "target": pairs(Modality, ReachTarget),
        "period": pairs(Period),
    }


class Registry:
    """Codes seen in a sheet → a sequence number, with the database ids kept in compact arrays."""

    def __init__(self, label: str):
        self.label = label
        self.seq: dict[str, int] = {}
        self.ids = array("q")
        # When its sheet is absent or unreadable, references to it are not checked: the user
        # sees that sheet's own problem, not one per row that cites it.
        self.unchecked = False

    def knows(self, code: str) -> bool:
        return self.unchecked or code in self.seq

    def add(self, code: str) -> int:
        self.seq[code] = len(self.ids)
        self.ids.append(0)
        return self.seq[code]

    def __contains__(self, code: str) -> bool:
        return code in self.seq

    def id_of(self, code: str) -> int | None:
        return self.ids[self.seq[code]] or None if code in self.seq else None


class RowCells:
    """Typed access to one row; each problem is recorded against the sheet, row and column."""

    def __init__(self, importer: "WorkbookImporter", sheet: str, number: int, values: dict):
        self.importer, self.sheet, self.line, self.values = importer, sheet, number, values
        self.ok = True

    def problem(self, column: str, message: str) -> None:
        self.ok = False
        self.importer.problem(self.sheet, self.line, column, message)

    def raw(self, column: str) -> Any:
        return self.values.get(column)

    def _read(self, column: str, required: bool, parse: Callable[[Any], Any]) -> Any:
        value = self.values.get(column)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(column, "valeur obligatoire manquante")
            return None
        try:
            return parse(value)
        except cells.CellError as exc:
            self.problem(column, str(exc))
            return None

    def text(self, column: str, required: bool = False, max_length: int = 200) -> str:
        value = self._read(column, required, cells.text) or ""
        if len(value) > max_length:
            self.problem(column, f"texte trop long ({len(value)} caractères, {max_length} au plus)")
            return ""
        return value

    def code(self, column: str, required: bool = True) -> str:
        value = self.text(column, required, max_length=64)
        if value and not set(value) <= CODE_CHARS:
            self.problem(
                column,
                f"« {value} » n'est pas un identifiant : lettres sans accent, chiffres, « _ », "
                "« - » ou « . » seulement",
            )
            return ""
        return value

    def count(self, column: str, required: bool = False) -> int | None:
        value = self._read(column, required, cells.integer)
        if value is not None and value < 0:
            self.problem(column, "le nombre doit être positif ou nul")
            return None
        return value

    def number(self, column: str, required: bool = False, maximum: Decimal | None = None):
        value = self._read(column, required, cells.decimal)
        if value is not None and value < 0:
            self.problem(column, "le nombre doit être positif ou nul")
            return None
        if value is not None and maximum is not None and value > maximum:
            self.problem(column, f"le nombre doit être au plus {maximum}")
            return None
        return value

    def date(self, column: str, required: bool = False):
        return self._read(column, required, cells.date)

    def choice(self, column: str, vocabulary: str, required: bool = False) -> str:
        """A vocabulary's code, typed as its code or its label (see core.choices)."""
        value = self.text(column, required)
        if not value:
            return ""
        allowed = vocabularies()[vocabulary]
        code = match_choice(value, allowed)
        if code is None:
            self.problem(
                column, f"« {value} » inconnu : valeurs possibles {allowed_labels(allowed)}"
            )
            return ""
        return code

    def ref(self, column: str, registry: Registry, required: bool = True) -> str:
        value = self.text(column, required, max_length=64)
        if value and not registry.knows(value):
            self.problem(column, f"{registry.label} « {value} » inconnu(e)")
            return ""
        return value


class WorkbookImporter:
    def __init__(self, path: Path, *, progress: bool = False, staging: str | None = None):
        """With `staging`, the workbook is loaded as a programme of that name, whatever name it
        gives (`file_name`): an update compares it with the programme it updates."""
        self.path = Path(path)
        self.progress = progress
        self.staging = staging
        self.file_name = ""
        self.problems: list[Problem] = []
        self._per_column: dict[tuple[str, str], int] = {}
        self.counts: dict[str, int] = {}
        self.programme: Programme | None = None
        self.territories = Registry("territoire")
        self.communes = Registry("commune")
        self.structures = Registry("structure")
        self.people = Registry("personne")
        self.actions = Registry("action")
        # What participations copy from their action, by the action's sequence number.
        self.action_territory = array("q")
        self.action_modality = array("b")
        self.action_year = array("h")
        self.action_listed = bytearray()
        self.commune_territory: dict[str, str] = {}

    # -- problems ------------------------------------------------------------------------------
    @property
    def writing(self) -> bool:
        return not self.problems

    def problem(self, sheet: str, row: int | str, column: str, message: str) -> None:
        # Cap repeats of one problem per column so that a wrong column does not print a million
        # lines; the summary line still counts them all.
        key = (sheet, column)
        self._per_column[key] = self._per_column.get(key, 0) + 1
        if self._per_column[key] <= MAX_ERRORS_PER_COLUMN:
            self.problems.append(Problem(sheet, row, column, message))
        elif self._per_column[key] == MAX_ERRORS_PER_COLUMN + 1:
            self.problems.append(
                Problem(sheet, row, column, "d'autres problèmes dans cette colonne (non listés)")
            )

    # -- entry point ---------------------------------------------------------------------------
    def run(self, *, dry_run: bool = False) -> ImportResult:
        """Import, or with dry_run check and count everything then roll it all back (the
        browser's preview before the user confirms)."""
        try:
            source = open_source(self.path)
        except SourceError as exc:
            raise WorkbookInvalid([Problem(exc.sheet, exc.row, "-", exc.message)]) from None
        try:
            self.source = source
            self._check_structure()
            with transaction.atomic():
                figures_changed()  # bulk writes send no signal
                self._load()
                if self.problems:
                    raise WorkbookInvalid(self.problems)  # leaving the block rolls back
                if dry_run:
                    transaction.set_rollback(True)
            return ImportResult(programme=None if dry_run else self.programme, counts=self.counts)
        except SourceError as exc:
            raise WorkbookInvalid(
                [*self.problems, Problem(exc.sheet, exc.row, "-", exc.message)]
            ) from None
        finally:
            source.close()

    def _check_structure(self) -> None:
        """Check each sheet's header. A sheet absent or with a broken header is skipped, and
        the references to it unchecked, so that every other sheet's problems are still listed."""
        present = self.source.sheet_names()
        self.skipped: set[str] = set()
        for sheet in SHEETS:
            if sheet.name not in present:
                if sheet.mandatory:
                    self.problem(sheet.name, "-", "-", "feuille absente du classeur")
                self.skipped.add(sheet.name)
                continue
            before = len(self.problems)
            try:
                header = self.source.header(sheet.name)
            except SourceError as exc:
                self.problem(exc.sheet, exc.row, "-", exc.message)
                header = list(sheet.required)
            for column in sheet.required:
                if column not in header:
                    self.problem(sheet.name, 1, column, "colonne obligatoire absente")
            seen = set()
            for column in header:
                if column and column in seen:
                    self.problem(sheet.name, 1, column, "colonne en double")
                seen.add(column)
            if len(self.problems) > before:
                self.skipped.add(sheet.name)
        registries = {
            "territoires": self.territories,
            "communes": self.communes,
            "structures": self.structures,
            "personnes": self.people,
            "actions": self.actions,
        }
        for name in self.skipped & set(registries):
            registries[name].unchecked = True

    def _rows(self, sheet: str):
        if sheet in self.skipped:
            return
        rows = self.source.rows(sheet)
        with tqdm(
            rows,
            total=self.source.size(sheet),
            desc=f"{sheet:<15}",
            unit=" lignes",
            disable=not self.progress,
            file=sys.stderr,
            leave=True,
        ) as bar:
            for number, values in bar:
                yield RowCells(self, sheet, number, values)

    def _load(self) -> None:
        self._load_programme()
        self._load_territories()
        self._load_communes()
        self._load_structures()
        self._load_people()
        self._load_actions()
        self._load_participations()
        self._load_objectives()
        self._load_coordination()
        self._load_declared_totals()

    def _flush(self, model, batch: list, registry: Registry | None = None, seqs=None) -> None:
        """Write a batch while the import is clean, keeping the new ids for later references."""
        if self.writing and batch:
            created = model.objects.bulk_create(batch, batch_size=BATCH)
            if registry is not None:
                for seq, obj in zip(seqs, created, strict=True):
                    registry.ids[seq] = obj.pk
        self.counts[model._meta.model_name] = self.counts.get(model._meta.model_name, 0) + len(
            batch
        )
        batch.clear()
        if seqs is not None:
            seqs.clear()

    # -- sheets --------------------------------------------------------------------------------
    def _load_programme(self) -> None:
        values: dict[str, tuple[RowCells, Any]] = {}
        for row in self._rows("programme"):
            key = row.text("cle", required=True)
            if not key:
                continue
            if key not in PROGRAMME_KEYS:
                row.problem(
                    "cle", f"clé « {key} » inconnue : clés possibles {', '.join(PROGRAMME_KEYS)}"
                )
            elif key in values:
                row.problem("cle", f"clé « {key} » en double")
            else:
                values[key] = (row, row.raw("valeur"))
        for key, required in PROGRAMME_KEYS.items():
            if required and key not in values and "programme" not in self.skipped:
                self.problem("programme", "-", "cle", f"clé obligatoire « {key} » absente")

        def read(key: str, how: Callable[[RowCells], Any]) -> Any:
            if key not in values:
                return None
            row = values[key][0]
            return how(row)

        name = read("nom", lambda r: r.text("valeur", required=True))
        start = read("debut", lambda r: r.date("valeur", required=True))
        end = read("fin", lambda r: r.date("valeur", required=True))
        if start and end and end < start:
            values["fin"][0].problem("valeur", "la fin du programme précède son début")
        one = Decimal(1)
        fields = {
            "replication_rate": read("taux_replication", lambda r: r.number("valeur", maximum=one)),
            "children_per_adult": read("enfants_par_adulte", lambda r: r.number("valeur")),
            "multimodal_share": read(
                "part_multimodalite", lambda r: r.number("valeur", maximum=one)
            ),
            "days_per_fte": read("jours_par_etp", lambda r: r.count("valeur")),
        }
        if fields["days_per_fte"] == 0:
            values["jours_par_etp"][0].problem(
                "valeur", "le nombre de jours par ETP doit être positif"
            )
        if name and not self.staging and Programme.objects.filter(name=name).exists():
            values["nom"][0].problem(
                "valeur",
                f"un programme nommé « {name} » existe déjà : pour le mettre à jour depuis ce "
                "classeur, choisissez « Mettre à jour le programme » (ligne de commande : "
                "ancrage import CLASSEUR --update)",
            )
        self.file_name = name or ""
        if self.writing:
            self.programme = Programme.objects.create(
                name=self.staging or name,
                start=start,
                end=end,
                **{
                    k: float(v) if k != "days_per_fte" else v
                    for k, v in fields.items()
                    if v is not None
                },
            )
        self.programme_period = (start, end)

    def _pid(self) -> int | None:
        return self.programme.pk if self.programme else None

    def _new_code(self, row: RowCells, column: str, registry: Registry) -> str:
        code = row.code(column)
        if code and code in registry:
            row.problem(column, f"identifiant « {code} » en double")
            return ""
        return code

    def _load_territories(self) -> None:
        batch, seqs = [], []
        for row in self._rows("territoires"):
            code = self._new_code(row, "code", self.territories)
            if code == ALL_TERRITORIES:
                row.problem("code", "« * » est réservé à « tout le programme »")
            name = row.text("nom", required=True)
            population = row.count("population")
            commune_count = row.count("nb_communes")
            if not code:
                continue
            seq = self.territories.add(code)
            if row.ok:
                batch.append(
                    Territory(
                        programme_id=self._pid(),
                        code=code,
                        name=name,
                        population=population,
                        commune_count=commune_count,
                    )
                )
                seqs.append(seq)
        self._flush(Territory, batch, self.territories, seqs)

    def _load_communes(self) -> None:
        batch, seqs = [], []
        for row in self._rows("communes"):
            code = self._new_code(row, "code_insee", self.communes)
            if code and (
                len(code) != 5 or not code[:2].replace("A", "0").replace("B", "0").isdigit()
            ):
                row.problem("code_insee", f"« {code} » n'est pas un code INSEE (5 caractères)")
                code = ""
            name = row.text("nom", required=True)
            territory = row.ref("territoire", self.territories)
            population = row.count("population")
            if not code:
                continue
            seq = self.communes.add(code)
            self.commune_territory[code] = territory
            if row.ok:
                batch.append(
                    Commune(
                        programme_id=self._pid(),
                        insee_code=code,
                        name=name,
                        territory_id=self.territories.id_of(territory),
                        population=population,
                    )
                )
                seqs.append(seq)
            if len(batch) >= BATCH:
                self._flush(Commune, batch, self.communes, seqs)
        self._flush(Commune, batch, self.communes, seqs)

    def _load_structures(self) -> None:
        batch, seqs = [], []
        for row in self._rows("structures"):
            code = self._new_code(row, "id", self.structures)
            name = row.text("nom", required=True)
            kind = row.choice("type", "structure_type", required=True)
            commune = row.ref("code_insee", self.communes)
            qpv = row.choice("qpv", "yes_no") == "oui"
            if not code:
                continue
            seq = self.structures.add(code)
            if row.ok:
                batch.append(
                    Structure(
                        programme_id=self._pid(),
                        code=code,
                        name=scrub(name),
                        kind=kind,
                        commune_id=self.communes.id_of(commune),
                        qpv=qpv,
                    )
                )
                seqs.append(seq)
            if len(batch) >= BATCH:
                self._flush(Structure, batch, self.structures, seqs)
        self._flush(Structure, batch, self.structures, seqs)

    def _load_people(self) -> None:
        batch, seqs = [], []
        for row in self._rows("personnes"):
            code = self._new_code(row, "id", self.people)
            profession = row.text("profession", required=True, max_length=120)
            structure = row.ref("structure", self.structures, required=False)
            if not code:
                continue
            seq = self.people.add(code)
            if row.ok:
                batch.append(
                    Person(
                        programme_id=self._pid(),
                        code=code,
                        profession=profession,
                        structure_id=self.structures.id_of(structure) if structure else None,
                    )
                )
                seqs.append(seq)
            if len(batch) >= BATCH:
                self._flush(Person, batch, self.people, seqs)
        self._flush(Person, batch, self.people, seqs)

    def _load_actions(self) -> None:
        batch, seqs, links = [], [], []
        for row in self._rows("actions"):
            code = self._new_code(row, "id", self.actions)
            modality = row.choice("modalite", "modality", required=True)
            territory = row.ref("territoire", self.territories)
            start = row.date("debut", required=True)
            end = row.date("fin")
            if start and end and end < start:
                row.problem("fin", "la date de fin précède la date de début")
            commune = row.ref("code_insee", self.communes, required=False)
            structure_codes = []
            for part in (row._read("structures", False, cells.text) or "").split(";"):
                part = part.strip()
                if not part:
                    continue
                if not self.structures.knows(part):
                    row.problem("structures", f"structure « {part} » inconnue")
                elif part in structure_codes:
                    row.problem("structures", f"structure « {part} » citée deux fois")
                else:
                    structure_codes.append(part)
            fields = {
                "hours": row.number("heures"),
                "sessions": row.count("seances"),
                "children": row.count("enfants"),
                "adults": row.count("adultes"),
                "parents": row.count("parents"),
                "elected": row.count("elus"),
                "parent_format": row.choice("format", "parent_format"),
                "title": scrub(row.text("intitule", max_length=300)),
            }
            if not code:
                continue
            seq = self.actions.add(code)
            year = school_year_of(start) if start else 0
            self.action_territory.append(self.territories.id_of(territory) or 0 if territory else 0)
            self.action_modality.append(MODALITIES.index(modality) if modality else -1)
            self.action_year.append(year)
            self.action_listed.append(0)
            if not row.ok:
                continue
            action = Action(
                programme_id=self._pid(),
                code=code,
                modality=modality,
                territory_id=self.territories.id_of(territory),
                commune_id=self.communes.id_of(commune) if commune else None,
                start=start,
                end=end,
                school_year=year,
                **fields,
            )
            batch.append(action)
            seqs.append(seq)
            links.append(structure_codes)
            if len(batch) >= BATCH:
                self._flush_actions(batch, seqs, links)
        self._flush_actions(batch, seqs, links)

    def _flush_actions(self, batch: list, seqs: list, links: list) -> None:
        actions = list(batch)
        self._flush(Action, batch, self.actions, seqs)
        if self.writing:
            link_rows = [
                ActionStructure(
                    action_id=action.pk,
                    structure_id=self.structures.id_of(code),
                    programme_id=action.programme_id,
                    territory_id=action.territory_id,
                    modality=action.modality,
                    school_year=action.school_year,
                    position=position,
                )
                for action, codes in zip(actions, links, strict=True)
                for position, code in enumerate(codes)
            ]
            self._flush(ActionStructure, link_rows)
        links.clear()

    def _load_participations(self) -> None:
        batch = []
        seen: set[int] = set()
        people_count = len(self.people.ids) + 1
        for row in self._rows("participations"):
            action = row.ref("action", self.actions)
            person = row.ref("personne", self.people)
            if not (action in self.actions and person in self.people):
                continue  # unknown, or its sheet is absent
            action_seq, person_seq = self.actions.seq[action], self.people.seq[person]
            pair = action_seq * people_count + person_seq
            if pair in seen:
                row.problem(
                    "personne", f"« {person} » est déjà listé(e) pour l'action « {action} »"
                )
                continue
            seen.add(pair)
            self.action_listed[action_seq] = 1
            if not self.writing:
                continue
            modality = self.action_modality[action_seq]
            batch.append(
                Participation(
                    action_id=self.actions.ids[action_seq],
                    person_id=self.people.ids[person_seq],
                    programme_id=self._pid(),
                    territory_id=self.action_territory[action_seq],
                    modality=MODALITIES[modality],
                    school_year=self.action_year[action_seq],
                )
            )
            if len(batch) >= BATCH:
                self._flush(Participation, batch)
        self._flush(Participation, batch)
        self._mark_listed_actions()

    def _mark_listed_actions(self) -> None:
        if not self.writing:
            return
        ids = [self.actions.ids[seq] for seq, listed in enumerate(self.action_listed) if listed]
        for start in range(0, len(ids), BATCH):
            Action.objects.filter(pk__in=ids[start : start + BATCH]).update(lists_people=True)

    def _territory_or_all(self, row: RowCells) -> int | None:
        """A territory's id, or None for `*` (the whole programme)."""
        code = row.text("territoire", required=True, max_length=64)
        if code == ALL_TERRITORIES or not code:
            return None
        if not self.territories.knows(code):
            row.problem(
                "territoire", f"territoire « {code} » inconnu (ou « * » pour tout le programme)"
            )
            return None
        return self.territories.id_of(code)

    def _load_objectives(self) -> None:
        batch = []
        for position, row in enumerate(self._rows("objectifs")):
            territory = self._territory_or_all(row)
            target = row.choice("cible", "target", required=True)
            minimum, maximum = row.count("min"), row.count("max")
            if minimum is not None and maximum is not None and maximum < minimum:
                row.problem("max", "le maximum est inférieur au minimum")
            period = row.choice("periode", "period", required=True)
            if row.ok:
                batch.append(
                    Objective(
                        programme_id=self._pid(),
                        territory_id=territory,
                        target=target,
                        minimum=minimum,
                        maximum=maximum,
                        period=period,
                        position=position,
                    )
                )
        self._flush(Objective, batch)

    def _load_coordination(self) -> None:
        batch, seen = [], set()
        for row in self._rows("coordination"):
            territory = row.ref("territoire", self.territories)
            label = row.text("annee_scolaire", required=True)
            year = parse_school_year(label) if label else None
            if label and year is None:
                row.problem(
                    "annee_scolaire", f"« {label} » n'est pas une année scolaire (ex. 2023-2024)"
                )
            days = row.number("jours", required=True)
            if territory and year is not None:
                if (territory, year) in seen:
                    row.problem(
                        "annee_scolaire", f"{label} déjà donnée pour le territoire « {territory} »"
                    )
                seen.add((territory, year))
            if row.ok:
                batch.append(
                    CoordinationDays(
                        programme_id=self._pid(),
                        territory_id=self.territories.id_of(territory),
                        school_year=year,
                        days=days,
                    )
                )
        self._flush(CoordinationDays, batch)

    def _load_declared_totals(self) -> None:
        batch = []
        for row in self._rows("totaux_declares"):
            territory = self._territory_or_all(row)
            target = row.choice("cible", "target", required=True)
            value = row.count("valeur", required=True)
            source = scrub(row.text("source", max_length=300))
            if row.ok:
                batch.append(
                    DeclaredTotal(
                        programme_id=self._pid(),
                        territory_id=territory,
                        target=target,
                        value=value,
                        source=source,
                    )
                )
        self._flush(DeclaredTotal, batch)


ANALYZED_TABLES = [
    model._meta.db_table
    for model in (Action, ActionStructure, Participation, Person, Structure, Commune, Territory)
]


def refresh_statistics() -> None:
    """After a bulk load, refresh the planner's statistics (and PostgreSQL's visibility map,
    without which index-only scans read every row again): figures are then fast at once."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            cursor.execute(f"{command} {', '.join(ANALYZED_TABLES)}")
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")


def import_workbook(path: Path | str, *, progress: bool = False) -> ImportResult:
    """Import a workbook as a new programme; raises WorkbookInvalid and writes nothing on error."""
    result = WorkbookImporter(Path(path), progress=progress).run()
    refresh_statistics()
    return result


def preview_workbook(path: Path | str) -> ImportResult:
    """What importing the workbook would create (counts per table), writing nothing; raises
    WorkbookInvalid with every problem, as the import itself would."""
    return WorkbookImporter(Path(path)).run(dry_run=True)
