"""The programme's vocabularies, as the workbook spells them (docs/workbook.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Modality(models.TextChoices):
    FORMATION = "formation", _("Formation")
    CO_INTERVENTION = "co_intervention", _("Co-intervention")
    ACCOMPAGNEMENT = "accompagnement", _("Accompagnement")
    JEP = "jep", _("Journée d'échange de pratiques")
    PARENTALITE = "action_parentalite", _("Action parentalité")
    COPIL = "copil", _("COPIL")
    COTECH = "cotech", _("COTECH")


# Modalities whose participants are professionals (co-intervention: its adults).
PROFESSIONAL_MODALITIES = (
    Modality.FORMATION,
    Modality.ACCOMPAGNEMENT,
    Modality.JEP,
    Modality.CO_INTERVENTION,
)
# Adults who are trained and may replicate CPS sessions with children.
TRAINED_MODALITIES = (Modality.FORMATION, Modality.CO_INTERVENTION)
GOVERNANCE_MODALITIES = (Modality.COPIL, Modality.COTECH)


class StructureType(models.TextChoices):
    ECOLE_PUBLIQUE = "ecole_publique", _("École publique")
    ECOLE_PRIVEE = "ecole_privee", _("École privée")
    COLLEGE = "college", _("Collège")
    ALSH = "alsh", _("Accueil de loisirs (ALSH)")
    PERISCOLAIRE = "periscolaire", _("Accueil périscolaire")
    MEDICO_SOCIAL = "medico_social", _("Médico-social et sanitaire")
    PROTECTION_ENFANCE = "protection_enfance", _("Protection de l'enfance")
    CULTURE_SPORT = "culture_sport", _("Culture et sport")
    COLLECTIVITE = "collectivite", _("Collectivité")
    ASSOCIATION = "association", _("Association")
    AUTRE = "autre", _("Autre")


class ParentFormat(models.TextChoices):
    PARCOURS = "parcours", _("Parcours progressif")
    PONCTUEL = "ponctuel", _("Atelier ponctuel")


class ReachTarget(models.TextChoices):
    ENFANTS = "enfants", _("Enfants touchés")
    PROFESSIONNELS = "professionnels", _("Professionnel·les touché·es")
    STRUCTURES = "structures", _("Structures touchées")
    PARENTS = "parents", _("Parents touchés")


OBJECTIVE_TARGETS = [*Modality.values, *ReachTarget.values]


class Period(models.TextChoices):
    YEAR = "an", _("Par année scolaire")
    PROGRAMME = "programme", _("Sur le programme")
