"""What every Ancrage command shares: French help and the --programme option."""

from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    DjangoHelpFormatter,
)

from ancrage.programmes.models import Programme

# Django's own options, said in French.
DJANGO_OPTION_HELP = {
    "help": "affiche cette aide et quitte",
    "verbosity": "niveau de détail : 0 silencieux, 1 normal, 2 et 3 très détaillé",
    "settings": "module de réglages Python (sinon DJANGO_SETTINGS_MODULE)",
    "pythonpath": "dossier à ajouter au chemin Python",
    "traceback": "affiche la pile d'appels en cas d'erreur",
    "no_color": "sortie sans couleurs",
    "force_color": "force les couleurs",
    "skip_checks": "ne lance pas les vérifications du système",
    "version": "affiche la version et quitte",
    "args": "étiquettes d'applications à vérifier",
    "tags": "ne lance que les vérifications de cette étiquette",
    "list_tags": "liste les étiquettes de vérification",
    "deploy": "vérifications des réglages de production (sécurité)",
    "fail_level": "niveau de message qui fait échouer la commande",
    "databases": "bases de données à vérifier",
}


class FrenchHelpMixin:
    """Argparse's own words ("usage", "options"…) in French, for `--help`."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser._positionals.title = "arguments"
        parser._optionals.title = "options"
        for action in parser._actions:
            action.help = DJANGO_OPTION_HELP.get(action.dest, action.help)
        parser.formatter_class = FrenchHelpFormatter
        return parser


class FrenchHelpFormatter(DjangoHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix="utilisation : ")


class AncrageCommand(FrenchHelpMixin, BaseCommand):
    pass


def add_programme_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--programme",
        metavar="NOM",
        help="nom du programme (par défaut : le dernier importé)",
    )


def get_programme(name: str | None) -> Programme:
    from ancrage.indicators.selectors import programme_by_name

    try:
        return programme_by_name(name)
    except Programme.DoesNotExist:
        if name:
            raise CommandError(f"aucun programme nommé « {name} »") from None
        raise CommandError(
            "aucun programme dans la base : importez un classeur (ancrage import) "
            "ou le programme de démonstration (ancrage demo)"
        ) from None


def get_questionnaire(programme: Programme, form_id: str):
    from ancrage.surveys.models import Questionnaire

    try:
        return Questionnaire.objects.get(programme=programme, form_id=form_id)
    except Questionnaire.DoesNotExist:
        raise CommandError(f"aucun questionnaire « {form_id} » dans « {programme} »") from None


def add_scope_arguments(parser: CommandParser) -> None:
    """--territory and --years: what part of the programme a command covers."""
    parser.add_argument(
        "--territory",
        metavar="CODE",
        help="code du territoire (par défaut : tous les territoires)",
    )
    parser.add_argument(
        "--years",
        metavar="DÉBUT:FIN",
        help="années scolaires, ex. 2022-2023:2024-2025 ou 2023-2024 (par défaut : toutes)",
    )


def get_scope(programme: Programme, territory: str | None, years: str | None):
    """The Scope named by --territory and --years, or a French error."""
    from ancrage.core.schoolyear import parse_school_year
    from ancrage.indicators.scope import Scope

    territory_ids = None
    if territory:
        found = list(programme.territories.filter(code=territory).values_list("pk", flat=True))
        if not found:
            raise CommandError(f"aucun territoire « {territory} » dans « {programme} »")
        territory_ids = tuple(found)
    school_years = None
    if years:
        first, _, last = years.partition(":")
        start, end = parse_school_year(first), parse_school_year(last or first)
        if start is None or end is None or end < start:
            raise CommandError(
                f"années scolaires « {years} » illisibles : écrivez par exemple 2022-2023:2024-2025"
            )
        school_years = tuple(range(start, end + 1))
    return Scope(programme, territory_ids=territory_ids, school_years=school_years)
