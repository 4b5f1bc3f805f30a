from ancrage.core.commands import AncrageCommand
from ancrage.programmes.commands import add_programme_argument, get_programme
from ancrage.workbook.exporter import export_workbook


class Command(AncrageCommand):
    help = (
        "Exporte un programme au format du classeur d'import : un fichier .xlsx, ou un dossier "
        "de fichiers .csv si la sortie ne se termine pas par .xlsx."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", metavar="SORTIE", help="fichier .xlsx ou dossier à écrire")
        add_programme_argument(parser)

    def handle(self, *args, out: str, programme: str | None, **options):
        chosen = get_programme(programme)
        path = export_workbook(chosen, out)
        self.stdout.write(self.style.SUCCESS(f"Programme « {chosen.name} » exporté : {path}"))
