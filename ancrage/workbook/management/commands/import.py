from pathlib import Path

from django.core.management.base import CommandError

from ancrage.core.commands import AncrageCommand
from ancrage.core.numbers import fr_int
from ancrage.indicators.quality import quality_refresh
from ancrage.workbook.importer import WorkbookInvalid, import_workbook


class Command(AncrageCommand):
    help = (
        "Importe un classeur de programme (fichier .xlsx ou dossier de fichiers .csv) comme un "
        "nouveau programme. Tout ou rien : au moindre problème, rien n'est enregistré et chaque "
        "problème est affiché sous la forme feuille:ligne:colonne: message."
    )

    def add_arguments(self, parser):
        parser.add_argument("workbook", metavar="CLASSEUR", help="fichier .xlsx ou dossier de .csv")
        parser.add_argument(
            "--sans-progression",
            action="store_true",
            dest="quiet",
            help="n'affiche pas la barre de progression",
        )

    def handle(self, *args, workbook: str, quiet: bool, verbosity: int, **options):
        try:
            result = import_workbook(Path(workbook), progress=not quiet and verbosity > 0)
        except WorkbookInvalid as invalid:
            for problem in invalid.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"import refusé : {len(invalid.problems)} problème(s), rien n'a été enregistré"
            ) from None
        warnings = quality_refresh(result.programme)
        counts = {key: fr_int(n) for key, n in result.counts.items()}
        kinds = [
            ("territory", "territoires"),
            ("commune", "communes"),
            ("structure", "structures"),
            ("person", "personnes"),
            ("action", "actions"),
            ("participation", "participations"),
        ]
        self.stdout.write(
            self.style.SUCCESS(f"Programme « {result.programme.name} » importé : ")
            + ", ".join(f"{counts.get(key, '0')} {label}" for key, label in kinds)
            + "."
        )
        if warnings:
            self.stdout.write(
                self.style.WARNING(f"{len(warnings)} alerte(s) qualité")
                + " : voir « ancrage check »."
            )
