from pathlib import Path

from ancrage.core.commands import AncrageCommand
from ancrage.programmes.commands import add_programme_argument, get_programme
from ancrage.surveys.selectors import get_questionnaire
from ancrage.surveys.xlsform import write_xlsform


class Command(AncrageCommand):
    help = "Exporte un questionnaire en XLSForm (.xlsx), avec les libellés modifiés dans Ancrage."

    def add_arguments(self, parser):
        parser.add_argument("form_id", metavar="FORMULAIRE", help="identifiant du formulaire")
        parser.add_argument("out", metavar="SORTIE", help="fichier .xlsx à écrire")
        add_programme_argument(parser)

    def handle(self, *args, form_id: str, out: str, programme, **options):
        chosen = get_programme(programme)
        questionnaire = get_questionnaire(chosen, form_id)
        Path(out).write_bytes(write_xlsform(questionnaire))
        self.stdout.write(self.style.SUCCESS(f"Questionnaire « {form_id} » exporté : {out}"))
