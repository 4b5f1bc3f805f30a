"""Load a programme workbook into the database: all or nothing.

Rows are read one at a time and written in batches, so memory stays flat whatever the size.
The first problem switches the import to "check only": every later row is still validated, so
that the user sees every problem at once, and the transaction is rolled back at the end.
"""

import sys
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils.translation import gettext as _
from tqdm import tqdm

from ancrage.activities.models import (
    Action,
    ActionStructure,
    Participation,
    Person,
    Reach,
    ReachTotal,
    Structure,
)
from ancrage.activities.services import refresh_summaries
from ancrage.core.problems import Problem
from ancrage.programmes.models import Programme
from ancrage.programmes.versions import figures_changed
from ancrage.territories.models import Commune, Territory

from . import fastload
from .reader import SourceError, open_source
from .rows import BATCH, Registry, RowCells
from .schema import SHEETS
from .sheets import (
    actions,
    evaluation,
    organisations,
    places,
    programme,
    questionnaires,
    targets,
)
from .staging import Background

MAX_ERRORS_PER_COLUMN = 50
# In the workbook's order: a sheet's references are loaded before it.
LOADERS = (
    programme.load_programme,
    places.load_territories,
    places.load_communes,
    organisations.load_structures,
    organisations.load_people,
    actions.load_actions,
    actions.load_participations,
    organisations.settle_people,
    targets.load_objectives,
    targets.load_coordination,
    targets.load_declared_totals,
    evaluation.load_records,
    questionnaires.load_questionnaires,
)


class WorkbookInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(_("{count} problème(s) dans le classeur").format(count=len(problems)))
        self.problems = problems


@dataclass
class ImportResult:
    programme: Programme | None
    counts: dict[str, int] = field(default_factory=dict)


class WorkbookImporter:
    def __init__(
        self,
        path: Path,
        *,
        progress: bool = False,
        staging: str | None = None,
        fast: bool | None = None,
    ):
        """With `staging`, the workbook is loaded as a programme of that name, whatever name it
        gives (`file_name`): an update compares it with the programme it updates. `fast`: the
        PostgreSQL path (None: whenever the database is PostgreSQL; False: streaming path)."""
        self.fast = fast
        self.stages: dict = {}  # fastload's staging tables kept from one sheet to the next
        self.background = Background()  # fastload's insert running while the next sheet is read
        self.programme_wide_people: list[str] = []  # codes whose territoire is `*`
        self.path = Path(path)
        self.progress = progress
        self.staging = staging
        self.file_name = ""
        self.problems: list[Problem] = []
        self._per_column: dict[tuple[str, str], int] = {}
        self.counts: dict[str, int] = {}
        self.programme: Programme | None = None
        self.territories = Registry(_("territoire"))
        self.communes = Registry(_("commune"))
        self.structures = Registry(_("structure"))
        self.people = Registry(_("personne"))
        self.actions = Registry(_("action"))
        # What participations copy from their action, by the action's sequence number.
        self.action_territory = array("q")
        self.action_modality = array("b")
        self.action_year = array("h")
        self.action_listed = bytearray()

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
                Problem(sheet, row, column, _("d'autres problèmes dans cette colonne (non listés)"))
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
                elif not self.staging:  # a staging programme is compared, then deleted
                    refresh_summaries(programme=self.programme)
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
                    self.problem(sheet.name, "-", "-", _("feuille absente du classeur"))
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
                    self.problem(sheet.name, 1, column, _("colonne obligatoire absente"))
            seen = set()
            for column in header:
                if column and column in seen:
                    self.problem(sheet.name, 1, column, _("colonne en double"))
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

    def rows(self, sheet: str):
        for number, values in self.numbered_rows(sheet):
            yield RowCells(self, sheet, number, values)

    def numbered_rows(self, sheet: str):
        """The sheet's rows as (row number, {column: cell}), with the progress bar."""
        if sheet in self.skipped:
            return
        yield from self._progress(sheet, self.source.rows(sheet))

    def value_rows(self, sheet: str) -> tuple[list[str], Iterator]:
        """The sheet's header, and its rows as (row number, [cells in the header's order]),
        with the progress bar: numbered_rows without a dict a row (fastload's large sheets)."""
        if sheet in self.skipped:
            return [], iter(())
        header, rows = self.source.value_rows(sheet)
        return header, self._progress(sheet, rows)

    def _progress(self, sheet: str, rows):
        with tqdm(
            rows,
            total=self.source.size(sheet),
            desc=f"{sheet:<15}",
            unit=" lignes",
            disable=not self.progress,
            file=sys.stderr,
            leave=True,
        ) as bar:
            yield from bar

    def _load(self) -> None:
        # On PostgreSQL the large sheets go through COPY and set-based inserts (fastload).
        fast = fastload.REPLACES if fastload.enabled(self.fast) else {}
        try:
            for load in LOADERS:
                loader = fast.get(load, load)
                if loader not in fastload.READERS:
                    self.background.wait()  # this loader uses the connection as it likes
                loader(self)
            self.background.wait()
        except BaseException:
            self.background.wait(quiet=True)  # then the transaction is rolled back
            raise

    def pid(self) -> int | None:
        return self.programme.pk if self.programme else None

    def new_code(self, row: RowCells, column: str, registry: Registry) -> str:
        code = row.code(column)
        if code and code in registry:
            row.problem(column, _("identifiant « {code} » en double").format(code=code))
            return ""
        return code

    def flush(self, model, batch: list, registry: Registry | None = None, seqs=None) -> None:
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


ANALYZED_TABLES = [
    model._meta.db_table
    for model in (Action, ActionStructure, Participation, Person, Structure, Commune, Territory)
] + [model._meta.db_table for model in (Reach, ReachTotal)]


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
