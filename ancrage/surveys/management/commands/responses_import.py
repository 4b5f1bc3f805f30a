from django.core.management.base import CommandError

from ancrage.core.commands import AncrageCommand
from ancrage.core.numbers import fr_int
from ancrage.programmes.commands import add_programme_argument, get_programme
from ancrage.surveys.models import Source
from ancrage.surveys.responses import ResponsesInvalid, import_responses
from ancrage.surveys.selectors import get_questionnaire


class Command(AncrageCommand):
    help = (
        "Importe les réponses exportées de KoboToolbox, ODK Central ou LimeSurvey (CSV ou "
        "XLSX) pour un questionnaire. Tout ou rien : au moindre problème, rien n'est "
        "enregistré et chaque problème est affiché sous la forme fichier:ligne:colonne: message."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FICHIER", help="export des réponses (.csv, .xlsx)")
        parser.add_argument(
            "--questionnaire", required=True, metavar="FORMULAIRE", help="identifiant du formulaire"
        )
        add_programme_argument(parser)
        parser.add_argument(
            "--source",
            choices=[Source.KOBO, Source.ODK, Source.LIMESURVEY],
            default="",
            help="outil d'origine (sinon reconnu d'après les colonnes)",
        )
        parser.add_argument(
            "--enquete",
            default="",
            metavar="ENQUÊTE",
            help="identifiant de l'enquête d'origine (numéro d'enquête LimeSurvey, formulaire "
            "Kobo ou ODK) : une même réponse n'est importée qu'une fois par enquête ; sinon lu "
            "dans le fichier (results-survey482913.csv, colonne _xform_id_string)",
        )

    def handle(self, *args, file: str, questionnaire: str, programme, source: str, **options):
        enquete = options.get("enquete", "")
        chosen = get_programme(programme)
        form = get_questionnaire(chosen, questionnaire)
        try:
            created = import_responses(
                questionnaire=form, path=file, source=source, source_survey=enquete
            )
        except FileNotFoundError:
            raise CommandError(f"fichier introuvable : {file}") from None
        except ResponsesInvalid as invalid:
            for problem in invalid.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"import refusé : {len(invalid.problems)} problème(s), rien n'a été enregistré"
            ) from None
        self.stdout.write(self.style.SUCCESS(f"{fr_int(len(created))} réponse(s) importée(s)."))
