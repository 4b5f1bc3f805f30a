"""Update a programme from a workbook (docs/workbook.md, « Mettre à jour un programme »).

The workbook is first loaded whole, with every check of a new import, as a staging programme in
the same transaction. Each sheet's rows are then matched with the programme's by their
identifiers: the large sheets in the database, reading only the rows that differ
(update_compare.py), the others from both programmes' rows. What differs is listed field by
field (the preview) and, unless it is a dry run, written through the same services as the pages
(actions: `activities.services`, which keep the participations' copied fields), reading the
changed rows only. Rows absent from the file are kept unless `delete_missing`. The staging
programme is dropped; a problem anywhere rolls everything back.
"""

import secrets
from pathlib import Path

from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from ancrage.activities.services import refresh_summaries
from ancrage.activities.summaries import reach_batch
from ancrage.core.deletion import delete_with_everything_owned
from ancrage.core.problems import Problem
from ancrage.programmes.models import Programme
from ancrage.programmes.versions import figures_changed

from .importer import WorkbookImporter, WorkbookInvalid, refresh_statistics
from .reader import open_source
from .schema import SHEETS
from .sheets_update import SHEET_SPECS as CORE_SPECS
from .sheets_update import SheetSpec, UpdateRefused, load_rows
from .sheets_update_surveys import SURVEY_SPECS
from .update_compare import COMPARED_IN_DATABASE, compare_in_database
from .update_plan import (
    CHANGED,
    CREATED,
    DELETED,
    KEPT,
    Change,
    SheetChanges,
    UpdatePlan,
    absent_columns,
    changed_fields,
)

__all__ = ["CHANGED", "CREATED", "DELETED", "KEPT", "UpdatePlan", "update_workbook"]

SHEET_SPECS = (*CORE_SPECS, *SURVEY_SPECS)


def _diff(
    spec: SheetSpec, target: dict, staged: dict, delete_missing: bool, said=None
) -> SheetChanges:
    """A small sheet's changes, from both programmes' rows. `said`: the columns the sheet has
    in the file, None when the sheet is absent. A declared column the file lacks (an older
    workbook, or a column the user deleted) is left as it is: only an empty cell of a present
    column empties a value."""
    absent = absent_columns(spec.sheet, said)
    result = SheetChanges(spec.sheet, absent=absent)
    for key, new in staged.items():
        old = target.get(key)
        if old is None:
            result.changes.append(Change(CREATED, key))
            continue
        fields = changed_fields(old, new, absent)
        if fields:
            result.changes.append(Change(CHANGED, key, fields))
        else:
            result.untouched += 1
    for key in target.keys() - staged.keys():
        result.changes.append(Change(DELETED if delete_missing else KEPT, key))
    return result


def said_columns(path) -> dict[str, set[str]]:
    """The columns of each sheet the workbook has: the update leaves the others as they are."""
    source = open_source(Path(path))
    try:
        present = set(source.sheet_names())
        said = {s.name: set(source.header(s.name)) for s in SHEETS if s.name in present}
        if "programme" in present:  # its keys are rows: a key row absent is a column absent
            said["programme keys"] = {
                str(row.get("cle") or "").strip() for _n, row in source.rows("programme")
            }
        return said
    finally:
        source.close()


def _resolve_target(name: str | None, file_name: str) -> Programme:
    wanted = name or file_name
    programme = Programme.objects.filter(name=wanted).first()
    if programme is None:
        column = "-" if name else "valeur"
        raise WorkbookInvalid(
            [
                Problem(
                    "programme",
                    "-",
                    column,
                    _(
                        "aucun programme nommé « {name} » à mettre à jour : pour le créer, "
                        "importez le classeur sans --update (« Nouveau programme » dans le "
                        "navigateur)"
                    ).format(name=wanted),
                )
            ]
        )
    return programme


def update_workbook(
    path: Path | str,
    *,
    programme: str | None = None,
    delete_missing: bool = False,
    dry_run: bool = False,
    progress: bool = False,
) -> UpdatePlan:
    """Compare the workbook with the programme (named by `programme`, else by the workbook's
    `nom`) and, unless `dry_run`, apply the differences; all or nothing."""
    with transaction.atomic():
        staging_name = f"~ mise à jour {secrets.token_hex(8)}"
        importer = WorkbookImporter(Path(path), progress=progress, staging=staging_name)
        staging = importer.run().programme
        staging.response_keys = importer.response_keys  # each response's number in the file
        staging.said = said_columns(path)
        target = _resolve_target(programme, importer.file_name)
        # The large sheets are compared in the database, the others from their rows.
        rows = {
            spec.sheet: (load_rows(spec, target), load_rows(spec, staging))
            for spec in SHEET_SPECS
            if spec.sheet not in COMPARED_IN_DATABASE
        }
        rows["programme"][1]["nom"]["valeur"] = importer.file_name  # not the staging name
        given = staging.said.get("programme keys", set())
        rows["programme"] = (
            rows["programme"][0],
            {k: v for k, v in rows["programme"][1].items() if k in given},
        )
        _match(rows, target, staging)
        plan = UpdatePlan(
            target,
            [_compare(spec, rows, target, staging, delete_missing) for spec in SHEET_SPECS],
            delete_missing,
        )
        if not plan.has_changes:
            transaction.set_rollback(True)
            return plan
        figures_changed(target.pk)
        # A dry run writes too, then rolls back: an edit the update refuses is refused in
        # the preview already.
        with reach_batch():  # the staging programme's deletion refreshes nothing one by one
            write_update(plan, target, staging, importer.file_name)
            if not dry_run:
                refresh_summaries(programme=target)
                delete_with_everything_owned(staging)  # no journal, no signal a row
        if dry_run:
            transaction.set_rollback(True)
            return plan
    refresh_statistics()
    return plan


def _compare(spec: SheetSpec, rows: dict, target, staging, delete_missing: bool) -> SheetChanges:
    said = staging.said.get(spec.sheet)
    if spec.sheet in COMPARED_IN_DATABASE:
        absent = absent_columns(spec.sheet, said)
        return compare_in_database(
            spec.sheet, spec.keys, target, staging, absent=absent, delete_missing=delete_missing
        )
    return _diff(spec, *rows[spec.sheet], delete_missing, said)


def _match(rows: dict, target: Programme, staging: Programme) -> None:
    for spec in SHEET_SPECS:
        if spec.match is None or spec.sheet not in rows:
            continue
        existing, staged = rows[spec.sheet]
        try:
            rows[spec.sheet] = (existing, spec.match(target, staging, staged))
        except UpdateRefused as refused:
            raise WorkbookInvalid([Problem(refused.sheet, "-", "-", refused.message)]) from None


def write_update(plan: UpdatePlan, target: Programme, staging: Programme, name: str) -> None:
    """The write phase: the plan's creations and changes sheet by sheet (referenced rows first),
    then its deletions in the reverse order (referencing rows first)."""
    by_sheet = {sheet.sheet: sheet for sheet in plan.sheets}
    for spec in SHEET_SPECS:
        changes = [c for c in by_sheet[spec.sheet].changes if c.kind in (CREATED, CHANGED)]
        if not changes:
            continue
        try:
            spec.apply(target, staging, {c.key: c for c in changes}, name)
        except UpdateRefused as refused:
            raise WorkbookInvalid([Problem(refused.sheet, "-", "-", refused.message)]) from None
    for spec in reversed(SHEET_SPECS):
        deleted = [c.key for c in by_sheet[spec.sheet].changes if c.kind == DELETED]
        if not deleted:
            continue
        try:
            spec.delete(target, deleted)
        except UpdateRefused as refused:
            raise WorkbookInvalid([Problem(refused.sheet, "-", "-", refused.message)]) from None
        except (ProtectedError, RestrictedError):
            raise WorkbookInvalid(
                [
                    Problem(
                        spec.sheet,
                        "-",
                        "-",
                        _(
                            "des lignes absentes du fichier ne peuvent être supprimées car "
                            "d'autres données en dépendent (réponses, évaluation…) : {rows}"
                        ).format(rows=", ".join(deleted[:10])),
                    )
                ]
            ) from None
