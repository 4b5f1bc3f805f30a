from pathlib import Path

from django.core.management.base import CommandError
from tqdm import tqdm

from ancrage.core.commands import AncrageCommand
from ancrage.programmes.commands import (
    add_programme_argument,
    add_scope_arguments,
    get_programme,
    get_scope,
)
from ancrage.reports.sections import step_count
from ancrage.reports.services import FORMATS, generate_report


class Command(AncrageCommand):
    help = (
        "Produit le rapport d'évaluation (diaporama PowerPoint, PDF, Word ou page HTML) à partir "
        "des données : tout le programme ou un territoire, sur une période d'années scolaires."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format",
            choices=sorted(FORMATS),
            default="pptx",
            help="format du rapport : pptx, pdf, docx ou html (par défaut : pptx)",
        )
        add_programme_argument(parser)
        add_scope_arguments(parser)
        parser.add_argument(
            "-o", "--output", required=True, metavar="FICHIER", help="fichier à écrire"
        )
        parser.add_argument(
            "--diffusable",
            action="store_true",
            dest="public",
            help=(
                "version à diffuser : masque les résultats de moins de 5 réponses et les "
                "verbatims (règles des rôles en lecture seule)"
            ),
        )

    def handle(self, *args, format, programme, territory, years, output, public, **options):
        scope = get_scope(get_programme(programme), territory, years)
        path = Path(output)
        if not path.parent.exists():
            raise CommandError(f"le dossier « {path.parent} » n'existe pas")
        # The number of steps is known before the first one: the bar starts at « 0/24 ».
        with tqdm(
            total=step_count(),
            desc="Rapport",
            bar_format="{desc} : {percentage:3.0f} % |{bar:20}| {n_fmt}/{total_fmt} parties"
            "{postfix}",
            file=self.stderr._out,
            disable=options["verbosity"] == 0,
        ) as bar:

            def progress(name: str, total: int) -> None:
                bar.set_postfix_str(name[:30], refresh=False)
                bar.update()

            generate_report(scope, format, path, hide_small=public, progress=progress)
        self.stdout.write(f"Rapport écrit : {path} ({path.stat().st_size // 1024} Ko)")
