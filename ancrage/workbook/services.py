"""The browser's import: keep the uploaded file, preview it, then import it on confirmation."""

import secrets
import time
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.db import transaction

from ancrage.accounts.models import Membership, Role
from ancrage.audit.services import (
    link_change,
    record_import,
    record_import_on_actions,
    workbook_writes,
)
from ancrage.indicators.quality import quality_refresh

from .importer import ImportResult, import_workbook, preview_workbook
from .sheets_update import SEPARATOR
from .update import CHANGED, CREATED, DELETED, UpdatePlan, update_workbook

UPLOADS = "imports"
SUFFIXES = {".xlsx"}


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / UPLOADS
    folder.mkdir(parents=True, exist_ok=True)
    return folder


STALE_SECONDS = 24 * 3600


def upload_keep(uploaded) -> str:
    """Store an uploaded workbook under a random token (never its own name); previews left
    unconfirmed for a day are deleted."""
    now = time.time()
    for old in _folder().glob("*.xlsx"):
        if now - old.stat().st_mtime > STALE_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(16)
    with open(_folder() / f"{token}.xlsx", "wb") as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
    return token


def upload_path(token: str) -> Path | None:
    if not token or not token.replace("-", "").replace("_", "").isalnum():
        return None
    path = _folder() / f"{token}.xlsx"
    return path if path.exists() else None


def upload_preview(token: str) -> ImportResult:
    return preview_workbook(upload_path(token))


def upload_import(token: str, user, file_name: str = "") -> ImportResult:
    """Import the kept workbook; the importing coordinator coordinates the new programme."""
    path = upload_path(token)
    with transaction.atomic(), workbook_writes():
        result = import_workbook(path)
        if not user.is_superuser:
            Membership.objects.create(user=user, programme=result.programme, role=Role.COORDINATOR)
        # One journal entry for the whole import: its file and what it wrote.
        record_import(
            user=user, programme=result.programme, file_name=file_name, counts=result.counts
        )
    quality_refresh(result.programme)
    path.unlink(missing_ok=True)
    return result


def upload_update_preview(token: str, programme, *, delete_missing: bool) -> UpdatePlan:
    """What updating `programme` from the kept workbook would change, writing nothing."""
    return update_workbook(
        upload_path(token), programme=programme.name, delete_missing=delete_missing, dry_run=True
    )


def upload_update(
    token: str, programme, *, delete_missing: bool, user=None, file_name: str = ""
) -> UpdatePlan:
    """Update `programme` from the kept workbook, all or nothing."""
    path = upload_path(token)
    with transaction.atomic():
        with workbook_writes():
            plan = update_workbook(path, programme=programme.name, delete_missing=delete_missing)
        if plan.has_changes:
            record_update(plan, user=user, file_name=file_name)
    if plan.has_changes:
        quality_refresh(programme)
    path.unlink(missing_ok=True)
    return plan


def record_update(plan: UpdatePlan, *, user, file_name: str) -> None:
    """An update from a workbook in the journal: one entry, its counts per sheet and changes."""
    counts = {
        sheet.sheet: {"créés": sheet.created, "modifiés": sheet.changed, "supprimés": sheet.deleted}
        for sheet in plan.sheets
        if sheet.created or sheet.changed or sheet.deleted
    }
    record_import(
        user=user,
        programme=plan.programme,
        file_name=file_name,
        counts=counts,
        changes=plan.lines(),
    )
    record_import_on_actions(
        user=user, programme=plan.programme, file_name=file_name, changes=_action_changes(plan)
    )


def _action_changes(plan: UpdatePlan) -> dict[str, list[dict]]:
    """Each action's changes in the plan, in the journal's form: its columns that changed, its
    participants added or removed (the sheet participations)."""
    changes: dict[str, list[dict]] = defaultdict(list)
    added, removed = defaultdict(list), defaultdict(list)
    for sheet in plan.sheets:
        for change in sheet.changes:
            if sheet.sheet == "actions" and change.kind == CHANGED:
                changes[change.key] += [
                    {"field": column, "label": column, "old": _said(old), "new": _said(new)}
                    for column, old, new in change.fields
                ]
            elif sheet.sheet == "participations" and change.kind in (CREATED, DELETED):
                action, _sep, person = change.key.partition(SEPARATOR)
                (added if change.kind == CREATED else removed)[action].append(person)
    for action in added.keys() | removed.keys():
        changes[action].append(link_change("participants", added[action], removed[action]))
    return dict(changes)


def _said(value) -> str:
    return "—" if value in (None, "") else str(value)
