"""The command line's options naming a programme and a part of it (--programme, --territory,
--years), read into a Programme or a Scope, or a French error (CommandError)."""

from django.core.management.base import CommandError, CommandParser

from ancrage.core.schoolyear import parse_school_year

from .models import Programme
from .scope import Scope, ScopeError, build_scope
from .selectors import programme_by_name


def add_programme_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--programme",
        metavar="NOM",
        help="nom du programme (par défaut : le dernier importé)",
    )


def get_programme(name: str | None) -> Programme:
    try:
        return programme_by_name(name)
    except Programme.DoesNotExist:
        if name:
            raise CommandError(f"aucun programme nommé « {name} »") from None
        raise CommandError(
            "aucun programme dans la base : importez un classeur (ancrage import) "
            "ou le programme de démonstration (ancrage demo)"
        ) from None


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


def get_scope(programme: Programme, territory: str | None, years: str | None) -> Scope:
    """The Scope named by --territory and --years (« 2022-2023:2024-2025 »), or a French error."""
    span = None
    if years:
        first, _, last = years.partition(":")
        start, end = parse_school_year(first), parse_school_year(last or first)
        if start is None or end is None or end < start:
            raise CommandError(
                f"années scolaires « {years} » illisibles : écrivez par exemple 2022-2023:2024-2025"
            )
        span = (start, end)
    try:
        return build_scope(programme, territory_code=territory or "", years=span)
    except ScopeError as error:
        raise CommandError(str(error)) from None
