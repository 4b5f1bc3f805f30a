"""Writes of the territories."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ancrage.programmes.models import Programme

from . import geography
from .models import Commune, Territory


@transaction.atomic
def territory_create_from_epci(programme: Programme, siren: str, code: str = "") -> Territory:
    """A territory and all its communes, from the EPCI chosen in the French geography:
    names, populations and membership come from INSEE, nothing is typed by hand."""
    epci = geography.epcis().get(siren)
    if epci is None:
        raise ValidationError(_("EPCI inconnu : {siren}.").format(siren=siren))
    code = (code or siren).strip()
    if Territory.objects.filter(programme=programme, code=code).exists():
        raise ValidationError(_("Le code de territoire « {code} » existe déjà.").format(code=code))
    taken = set(
        Commune.objects.filter(programme=programme, insee_code__in=epci.communes).values_list(
            "insee_code", flat=True
        )
    )
    if taken:
        raise ValidationError(
            _("Communes déjà rattachées à un territoire du programme : {codes}.").format(
                codes=", ".join(sorted(taken))
            )
        )
    territory = Territory.objects.create(
        programme=programme,
        code=code,
        name=epci.name,
        population=epci.population,
        commune_count=len(epci.communes),
    )
    communes = geography.communes()
    Commune.objects.bulk_create(
        Commune(
            programme=programme,
            territory=territory,
            insee_code=insee,
            name=communes[insee].name,
            population=communes[insee].population,
        )
        for insee in epci.communes
    )
    return territory
