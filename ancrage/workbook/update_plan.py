"""What an update from a workbook changes, sheet by sheet: the preview and the write phase's
list (update.py builds it; docs/workbook.md, « Mettre à jour un programme »)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ancrage.programmes.models import Programme

from .schema import SHEETS_BY_NAME

CREATED, CHANGED, DELETED, KEPT = "created", "changed", "deleted", "kept"


@dataclass
class Change:
    kind: str  # CREATED, CHANGED, DELETED (with delete_missing) or KEPT (absent, kept)
    key: str
    fields: list[tuple[str, object, object]] = field(default_factory=list)  # column, old, new

    def __str__(self) -> str:
        label = {
            CREATED: _("créé"),
            CHANGED: _("modifié"),
            DELETED: _("supprimé"),
            KEPT: _("absent du fichier, gardé"),
        }[self.kind]
        details = " ; ".join(f"{c} : {_shown(old)} → {_shown(new)}" for c, old, new in self.fields)
        return f"{label} {self.key}" + (f" ({details})" if details else "")


def _shown(value) -> str:
    return _("(vide)") if value in (None, "") else str(value)


@dataclass
class SheetChanges:
    sheet: str
    changes: list[Change] = field(default_factory=list)
    untouched: int = 0
    absent: list[str] = field(default_factory=list)  # optional columns the file lacks, kept

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)

    # For templates.
    created = property(lambda self: self.count(CREATED))
    changed = property(lambda self: self.count(CHANGED))
    deleted = property(lambda self: self.count(DELETED))
    kept = property(lambda self: self.count(KEPT))


def absent_columns(sheet: str, said: set[str] | None) -> list[str]:
    """The sheet's declared columns the file lacks, in their order (`said`: the columns the
    file has, None when the sheet itself is absent). Such a column is left as it is: only an
    empty cell of a present column empties a value."""
    declared = SHEETS_BY_NAME[sheet].columns
    return [] if said is None else [c for c in declared if c not in said]


def changed_fields(old: dict, new: dict, absent) -> list[tuple[str, object, object]]:
    """Each column either row has (a response's answers are columns named by question) whose
    exported values differ, but the absent ones: (column, old, new)."""
    columns = [c for c in dict.fromkeys([*old, *new]) if c not in absent]
    return [
        (c, old.get(c, ""), new.get(c, "")) for c in columns if old.get(c, "") != new.get(c, "")
    ]


@dataclass
class UpdatePlan:
    programme: Programme
    sheets: list[SheetChanges]
    delete_missing: bool

    @property
    def has_changes(self) -> bool:
        return any(c.kind != KEPT for sheet in self.sheets for c in sheet.changes)

    def lines(self) -> list[str]:
        """The preview, as the command line prints it."""
        lines = []
        if not self.has_changes:
            kept = sum(s.count(KEPT) for s in self.sheets)
            nothing = (
                _(
                    "Programme « {name} » : rien à modifier ({kept} ligne(s) absente(s) du "
                    "fichier, gardée(s))."
                )
                if kept
                else _("Programme « {name} » : rien à modifier.")
            )
            lines.append(nothing.format(name=self.programme.name, kept=kept))
        for sheet in self.sheets:
            if sheet.absent:
                lines.append(
                    _(
                        "{sheet} : colonne(s) absente(s) du fichier, valeurs gardées : {columns}"
                    ).format(sheet=sheet.sheet, columns=", ".join(sheet.absent))
                )
            if not sheet.changes:
                continue
            if self.has_changes:
                rest = (
                    _("{count} supprimé(s)").format(count=sheet.count(DELETED))
                    if self.delete_missing
                    else _("{count} absent(s) gardé(s)").format(count=sheet.count(KEPT))
                )
                lines.append(
                    _(
                        "{sheet} : {created} créé(s), {changed} modifié(s), {untouched} "
                        "inchangé(s), {rest}"
                    ).format(
                        sheet=sheet.sheet,
                        created=sheet.count(CREATED),
                        changed=sheet.count(CHANGED),
                        untouched=sheet.untouched,
                        rest=rest,
                    )
                )
            lines += [f"  {sheet.sheet} : {change}" for change in sheet.changes]
        return lines
