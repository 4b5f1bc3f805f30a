from pathlib import Path

from django.core.management.base import CommandError

from ancrage.core.commands import AncrageCommand
from ancrage.programmes.commands import add_programme_argument, get_programme
from ancrage.surveys.services import questionnaire_create
from ancrage.surveys.xlsform import XLSFormInvalid


class Command(AncrageCommand):
    help = (
        "Charge un questionnaire écrit en XLSForm (feuilles survey, choices, settings, comme "
        "dans Kobo ou ODK) dans un programme. La colonne « favorable » de choices marque les "
        "réponses qui comptent comme satisfaites ; « categorie » de survey vaut satisfaction "
        "ou effet ; settings porte « public » et « modalite ». Les métadonnées (start, end, "
        "today, deviceid…), notes et calculs sont laissés de côté ; positions, photos, sons, "
        "vidéos, fichiers et codes-barres ne sont jamais enregistrés (un avertissement les nomme)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "xlsform", metavar="XLSFORM", help="fichier .xlsx ou .xls du questionnaire"
        )
        add_programme_argument(parser)
        parser.add_argument("--public", default="", help="public (sinon celui de settings)")
        parser.add_argument("--modalite", default="", help="modalité (sinon celle de settings)")

    def handle(self, *args, xlsform: str, programme, public, modalite, **options):
        chosen = get_programme(programme)
        try:
            created = questionnaire_create(
                programme=chosen,
                xlsform=Path(xlsform).read_bytes(),
                public=public,
                modality=modalite,
            )
        except FileNotFoundError:
            raise CommandError(f"fichier introuvable : {xlsform}") from None
        except XLSFormInvalid as invalid:
            for problem in invalid.problems:
                self.stderr.write(problem)
            raise CommandError("questionnaire refusé, rien n'a été enregistré") from None
        for warning in created.load_warnings:
            self.stdout.write(self.style.WARNING(f"Avertissement : {warning}"))
        self.stdout.write(
            self.style.SUCCESS(f"Questionnaire « {created.title} » ({created.form_id}) chargé")
            + f" : {created.questions.count()} questions."
        )
