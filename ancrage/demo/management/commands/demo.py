from django.core.management.base import CommandError
from django.db import transaction

from ancrage.core.commands import AncrageCommand
from ancrage.core.numbers import fr_int
from ancrage.demo.answers import load_demo_answers
from ancrage.demo.evaluation import load_demo_evaluation
from ancrage.demo.workbook import DEMO_NAME, DEMO_WORKBOOK
from ancrage.indicators.quality import quality_refresh
from ancrage.programmes.models import Programme
from ancrage.surveys.responses import ResponsesInvalid
from ancrage.surveys.xlsform import XLSFormInvalid
from ancrage.workbook.importer import WorkbookInvalid, import_workbook


class Command(AncrageCommand):
    help = (
        "Charge le programme de démonstration (celui du diaporama d'évaluation, livré avec "
        "Ancrage) comme le ferait « ancrage import »."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--si-absent",
            action="store_true",
            dest="if_missing",
            help="ne fait rien si le programme de démonstration est déjà chargé",
        )

    def handle(self, *args, if_missing: bool, verbosity: int, **options):
        if if_missing and Programme.objects.filter(name=DEMO_NAME).exists():
            self.stdout.write(f"Programme de démonstration « {DEMO_NAME} » déjà chargé.")
            return
        try:
            with transaction.atomic():
                result = import_workbook(DEMO_WORKBOOK, progress=verbosity > 1)
                answers = load_demo_answers(result.programme)
                load_demo_evaluation(result.programme)
        except (WorkbookInvalid, ResponsesInvalid, XLSFormInvalid) as invalid:
            # The shipped files are checked by the tests; this says what broke if one is edited.
            for problem in invalid.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                "la démonstration livrée est invalide, rien n'a été enregistré"
            ) from None
        warnings = quality_refresh(result.programme)
        self.stdout.write(
            self.style.SUCCESS(f"Programme de démonstration « {result.programme.name} » chargé")
            + f" ({fr_int(result.counts.get('action', 0))} actions, "
            f"{fr_int(result.counts.get('participation', 0))} participations, "
            f"{fr_int(sum(answers.values()))} réponses à {len(answers)} questionnaires, "
            f"{len(warnings)} alerte(s) qualité)."
        )
