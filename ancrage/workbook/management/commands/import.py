from pathlib import Path

from django.core.management.base import CommandError

from ancrage.audit.services import record_import, workbook_writes
from ancrage.core.commands import AncrageCommand
from ancrage.core.numbers import fr_int
from ancrage.indicators.quality import quality_refresh
from ancrage.workbook.importer import WorkbookInvalid, import_workbook, preview_workbook
from ancrage.workbook.services import record_update
from ancrage.workbook.update import update_workbook


class Command(AncrageCommand):
    help = (
        "Importe un classeur de programme (fichier .xlsx ou dossier de fichiers .csv) comme un "
        "nouveau programme, ou avec --update met à jour le programme existant. Tout ou rien : au "
        "moindre problème, rien n'est enregistré et chaque problème est affiché sous la forme "
        "feuille:ligne:colonne: message."
    )

    def add_arguments(self, parser):
        parser.add_argument("workbook", metavar="CLASSEUR", help="fichier .xlsx ou dossier de .csv")
        parser.add_argument(
            "--update",
            action="store_true",
            help="met à jour le programme du classeur (lignes reconnues par leurs identifiants) "
            "au lieu d'en créer un nouveau",
        )
        parser.add_argument(
            "--programme",
            metavar="NOM",
            help="avec --update : le programme à mettre à jour (par défaut : celui que nomme le "
            "classeur)",
        )
        parser.add_argument(
            "--delete-missing",
            action="store_true",
            dest="delete_missing",
            help="avec --update : supprime les lignes absentes du classeur (sinon gardées)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            dest="dry_run",
            help="vérifie et affiche ce qui serait créé, modifié ou supprimé, sans rien écrire",
        )
        parser.add_argument(
            "--sans-progression",
            action="store_true",
            dest="quiet",
            help="n'affiche pas la barre de progression",
        )

    def handle(self, *args, workbook: str, update: bool, quiet: bool, verbosity: int, **options):
        if not update and (options["programme"] or options["delete_missing"]):
            raise CommandError("--programme et --delete-missing vont avec --update")
        progress = not quiet and verbosity > 0
        try:
            if update:
                self._update(Path(workbook), progress=progress, **options)
            elif options["dry_run"]:
                result = preview_workbook(Path(workbook))
                self.stdout.write(f"Classeur valide (rien n'a été enregistré) : {_counts(result)}.")
            else:
                self._import(Path(workbook), progress)
        except WorkbookInvalid as invalid:
            for problem in invalid.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"import refusé : {len(invalid.problems)} problème(s), rien n'a été enregistré"
            ) from None

    def _import(self, path: Path, progress: bool) -> None:
        with workbook_writes():
            result = import_workbook(path, progress=progress)
        record_import(
            user=None, programme=result.programme, file_name=path.name, counts=result.counts
        )
        self.stdout.write(
            self.style.SUCCESS(f"Programme « {result.programme.name} » importé : ")
            + _counts(result)
            + "."
        )
        self._quality(result.programme)

    def _update(self, path: Path, *, progress: bool, programme, delete_missing, dry_run, **_):
        with workbook_writes():
            plan = update_workbook(
                path,
                programme=programme,
                delete_missing=delete_missing,
                dry_run=dry_run,
                progress=progress,
            )
        if not dry_run and plan.has_changes:
            record_update(plan, user=None, file_name=path.name)
        for line in plan.lines():
            self.stdout.write(line)
        if dry_run or not plan.has_changes:
            if plan.has_changes:
                self.stdout.write("Aperçu seulement (--dry-run) : rien n'a été enregistré.")
            return
        self.stdout.write(self.style.SUCCESS(f"Programme « {plan.programme.name} » mis à jour."))
        self._quality(plan.programme)

    def _quality(self, programme) -> None:
        warnings = quality_refresh(programme)
        if warnings:
            self.stdout.write(
                self.style.WARNING(f"{len(warnings)} alerte(s) qualité")
                + " : voir « ancrage check »."
            )


KINDS = [
    ("territory", "territoires"),
    ("commune", "communes"),
    ("structure", "structures"),
    ("person", "personnes"),
    ("action", "actions"),
    ("participation", "participations"),
]
# Said only when the workbook has them: a workbook of the contract alone has none.
OPTIONAL_KINDS = [
    ("questionnaire", "questionnaire(s)"),
    ("collection", "collecte(s)"),
    ("response", "réponse(s)"),
]


def _counts(result) -> str:
    counts = result.counts
    kinds = KINDS + [(key, label) for key, label in OPTIONAL_KINDS if counts.get(key)]
    return ", ".join(f"{fr_int(counts.get(key, 0))} {label}" for key, label in kinds)
