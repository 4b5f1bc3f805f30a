"""The reference grids French health-promotion evaluators use (docs/frameworks.md), as data.

A migration loads them into Framework and FrameworkItem rows, which users edit in the admin.
Items marked `to_confirm` were recalled from the primary document, not checked word for word.
"""

OTTAWA = (
    "OTTAWA",
    "Charte d'Ottawa (OMS, 1986) : les 5 axes d'action",
    "1986",
    [
        ("OT1", "Élaborer une politique publique saine", ""),
        ("OT2", "Créer des milieux favorables", ""),
        ("OT3", "Renforcer l'action communautaire", ""),
        ("OT4", "Développer les aptitudes individuelles", ""),
        ("OT5", "Réorienter les services de santé", ""),
    ],
)

SWISS = (
    "SMOC",
    "Modèle de catégorisation des résultats (Promotion Santé Suisse)",
    "",
    [
        ("A", "Activités de promotion de la santé", ""),
        ("A1", "Développement d'offres de promotion de la santé", "A"),
        ("A2", "Représentation d'intérêts, collaboration entre organisations", "A"),
        ("A3", "Mobilisation sociale", "A"),
        ("A4", "Développement de compétences personnelles", "A"),
        ("B", "Facteurs influençant les déterminants de la santé", ""),
        ("B1", "Offres en matière de promotion de la santé", "B"),
        ("B1.1", "Notoriété de l'offre", "B1"),
        ("B1.2", "Accessibilité et atteinte des groupes cibles", "B1"),
        ("B1.3", "Utilisation de l'offre et satisfaction", "B1"),
        ("B1.4", "Ancrage durable de l'offre", "B1"),
        ("B1.5", "Professionnalisation", "B1"),
        ("B2", "Stratégies de promotion de la santé dans la politique et les institutions", "B"),
        ("B2.1", "Engagement contraignant des décideurs", "B2"),
        ("B2.2", "Documents contraignants", "B2"),
        ("B2.3", "Changements organisationnels", "B2"),
        ("B2.4", "Coopération durable", "B2"),
        ("B3", "Potentiel social et engagement", "B"),
        ("B4", "Compétences individuelles favorables à la santé", "B"),
        ("C", "Déterminants de la santé", ""),
        ("C1", "Environnement physique favorable à la santé", "C"),
        ("C2", "Environnement social favorable à la santé", "C"),
        ("C3", "Ressources personnelles et comportements favorables à la santé", "C"),
        ("D", "Santé", ""),
        ("T", "Dimension transversale : empowerment, participation, égalité des chances", ""),
    ],
)

CPS_SPF = (
    "CPS_SPF",
    "Référentiel des compétences psychosociales (Santé publique France)",
    "2022",
    [
        ("COG", "Compétences cognitives", ""),
        ("C1", "Avoir conscience de soi", "COG"),
        ("C2", "Capacité de maîtrise de soi", "COG"),
        ("C3", "Prendre des décisions constructives", "COG"),
        ("EMO", "Compétences émotionnelles", ""),
        ("E1", "Avoir conscience de ses émotions et de son stress", "EMO"),
        ("E2", "Réguler ses émotions", "EMO"),
        ("E3", "Gérer son stress", "EMO"),
        ("SOC", "Compétences sociales", ""),
        ("S1", "Communiquer de façon constructive", "SOC"),
        ("S2", "Développer des relations constructives", "SOC"),
        ("S3", "Résoudre des difficultés", "SOC"),
    ],
)

EFFICACY = (
    "EFFICACITE",
    "Critères d'efficacité des interventions CPS",
    "",
    [
        ("EF1", "SAFE : séquencé, actif, focalisé, explicite (Durlak et al. 2011)", ""),
        ("EF1S", "Séquencé : activités coordonnées et progressives", "EF1"),
        ("EF1A", "Actif : apprentissage par l'expérience", "EF1"),
        ("EF1F", "Focalisé : temps dédié au développement des compétences", "EF1"),
        ("EF1E", "Explicite : compétences visées nommées", "EF1"),
        ("EF2", "Contenus fondés sur des données probantes", ""),
        ("EF3", "Ateliers intensifs et inscrits dans la durée (dosage)", ""),
        ("EF4", "Supports formalisés (manuel, conducteur de séance)", ""),
        ("EF5", "Pédagogie positive et expérientielle", ""),
        ("EF6", "Formation et supervision des animateur·rices (à confirmer)", ""),
        ("EF7", "Qualité de mise en œuvre, fidélité, soutien des décideurs (à confirmer)", ""),
        (
            "EF8",
            "Environnement favorable, pratiques informelles, implication des adultes et "
            "des parents (à confirmer)",
            "",
        ),
    ],
)

ASTAIRE = (
    "ASTAIRE",
    "ASTAIRE : transférabilité des interventions (Cambon et al., 2013)",
    "2013",
    [
        ("POP", "Population", ""),
        ("POP1", "Caractéristiques épidémiologiques et sociodémographiques", "POP"),
        ("POP2", "Caractéristiques cognitives, culturelles, sociales et éducatives", "POP"),
        ("POP3", "Besoins perçus", "POP"),
        ("POP4", "Acceptabilité de l'intervention", "POP"),
        ("POP5", "Motivation", "POP"),
        ("POP6", "Histoire et expériences antérieures", "POP"),
        ("POP7", "Confiance envers les intervenant·es", "POP"),
        ("POP8", "Participation", "POP"),
        ("ENV", "Environnement", ""),
        ("ENV1", "Contexte politique et institutionnel", "ENV"),
        ("ENV2", "Partenariats", "ENV"),
        ("ENV3", "Actions antérieures sur le territoire", "ENV"),
        ("MEO", "Conditions de mise en œuvre", ""),
        ("MEO1", "Compétences et adhésion des intervenant·es", "MEO"),
        ("MEO2", "Mode de mobilisation des intervenant·es", "MEO"),
        ("MEO3", "Soutien à l'adaptation et pendant la mise en œuvre", "MEO"),
        ("MEO4", "Modalités d'intervention", "MEO"),
        ("MEO5", "Ressources et leur accessibilité", "MEO"),
        ("MEO6", "Stabilité des équipes", "MEO"),
        ("TRF", "Accompagnement du transfert", ""),
        ("TRF1", "Fonctions clés identifiées et formes adaptables", "TRF"),
        ("TRF2", "Outils et formation pour le transfert", "TRF"),
    ],
)

REAIM = (
    "REAIM",
    "RE-AIM (Glasgow et al.)",
    "",
    [
        ("R", "Portée (reach) : participant·es ÷ population éligible", ""),
        ("E", "Efficacité : évolution des résultats, par sous-groupe", ""),
        ("A", "Adoption : lieux et équipes qui démarrent ÷ sollicités", ""),
        ("I", "Mise en œuvre : fidélité (séances réalisées ÷ prévues), adaptations, coût", ""),
        ("M", "Maintien : toujours actif ou effets six mois après", ""),
    ],
)

FRAMEWORKS = [OTTAWA, SWISS, CPS_SPF, EFFICACY, ASTAIRE, REAIM]


def load_frameworks(framework_model, item_model) -> None:
    """Create or refresh the reference grids (labels users edited are left as they are)."""
    for code, name, version, items in FRAMEWORKS:
        framework, _ = framework_model.objects.get_or_create(
            code=code, defaults={"name": name, "version": version}
        )
        by_code = {}
        for position, (item_code, label, parent) in enumerate(items):
            item, _ = item_model.objects.get_or_create(
                framework=framework,
                code=item_code,
                defaults={
                    "label": label,
                    "position": position,
                    "parent": by_code.get(parent),
                    "to_confirm": "(à confirmer)" in label,
                },
            )
            by_code[item_code] = item
