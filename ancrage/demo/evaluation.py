"""The demo programme's evaluation: the seed's 12 indicators in 6 themes, its governance and
anchoring, strengths and limits, action report sheets and the ASTAIRE grid.

Verdicts are computed where a figure exists (the rule and target below), otherwise they are the
evaluator's, with the justification the deck gives.
"""

import datetime as dt
import random

from ancrage.evaluation.models import (
    ActionReport,
    AstaireRating,
    ContextNote,
    EvaluationIndicator,
    EvaluationSettings,
    FrameworkItem,
    HealthContract,
    MeetingRecord,
    Milestone,
    Partner,
    Rating,
    Referent,
    ReportCriterion,
    Statement,
    Theme,
)
from ancrage.programmes.vocabulary import GOVERNANCE_MODALITIES

# The seed's history slide: the programme's roots, as a timeline.
MILESTONES = [
    (1998, 2000, "Expérimentation", "Premières séances CPS dans les écoles"),
    (2001, 2014, "Formation des enseignant·es", "Internalisation par l'Académie de Nantes"),
    (2015, 2017, "Programme ESAE", "Actions CPS en milieu scolaire et périscolaire"),
    (2022, 2025, "Déploiement sur 2 EPCI", "Tous les milieux de vie de l'enfant"),
]
STATEMENTS = {
    Statement.Kind.GENERAL_OBJECTIVE: [
        "Renforcer les CPS des enfants de 8 à 11 ans en déployant des actions dans tous les "
        "milieux de vie (école, loisirs, famille) sur 2 EPCI de Loire-Atlantique.",
    ],
    Statement.Kind.OPERATIONAL_OBJECTIVE: [
        "Proposer des interventions en direction des enfants.",
        "Améliorer les compétences des professionnel·les pour déployer des actions CPS.",
        "Créer un langage commun entre adultes dans les différents milieux de vie de l'enfant.",
        "Identifier les facteurs de réussite du déploiement du programme.",
    ],
    Statement.Kind.QUESTION: [
        "Est-ce que ça marche ? Les effets du déploiement sur les enfants et les adultes.",
        "Comment ça marche ? L'ancrage territorial et le respect du modèle de déploiement.",
        "Nos indicateurs sont-ils validés ?",
        "Comment ça peut marcher ailleurs ? Les conditions de transfert à un autre territoire.",
    ],
    Statement.Kind.RECOMMENDATION: [
        "Inscrire la démarche dans le contrat local de santé dès le lancement.",
        "Prévoir un·e suppléant·e pour chaque personne référente de territoire.",
    ],
    Statement.Kind.SUCCESS_CONDITION: [
        "Des élu·es motivé·es qui portent la démarche en COPIL.",
        "Une personne référente dédiée sur chaque territoire, avec du temps reconnu.",
        "Des professionnel·les formé·es puis accompagné·es dans leur structure.",
    ],
}

THEMES = [
    (
        1,
        "Mobilisation et maillage",
        [
            (
                "Mobilisation des partenaires des différents milieux de vie de l'enfant",
                ["OT3"],
                "A2",
                "reach.structure_kinds",
                "gte",
                6,
                None,
                4,
                "",
                "Tableau de répartition de l'activité",
            ),
            (
                "Il existe un maillage territorial",
                ["OT2"],
                "B2.4",
                "reach.communes_share",
                "gte",
                0.6,
                None,
                0.4,
                "",
                "Cartes des actions menées",
            ),
        ],
    ),
    (
        2,
        "Pilotage et portage politique",
        [
            (
                "Impulsion par un COPIL et suivi par un COTECH",
                ["OT1"],
                "B2.1",
                "governance.cotech",
                "gte",
                8,
                None,
                6,
                "",
                "Comptes rendus de COPIL et de COTECH",
            ),
            (
                "Élu·es et technicien·nes référent·es sur les territoires et articulation avec les "
                "CLS - CLSI",
                ["OT1"],
                "B2.2",
                "governance.elected_officials",
                "gte",
                10,
                None,
                5,
                "",
                "Comptes rendus de COPIL, CLS de PCSG, CLSI de Saint-Nazaire Agglo",
            ),
        ],
    ),
    (
        3,
        "Pratiques professionnelles",
        [
            (
                "Les pratiques et postures des professionnel·les évoluent",
                ["OT5"],
                "B1.5",
                "questionnaire.formation_professionnels.posture.favourable_rate",
                "gte",
                0.8,
                None,
                0.6,
                "",
                "Questionnaires de fin de formation",
            ),
            (
                "Les équipes s'emparent de la question des CPS",
                ["OT2"],
                "B2.3",
                "questionnaire.accompagnement_referents.quotidien.favourable_rate",
                "gte",
                0.75,
                None,
                0.5,
                "",
                "Questionnaires des personnes référentes, fiches bilan",
            ),
        ],
    ),
    (
        4,
        "Adaptation et déploiement",
        [
            (
                "Les actions ont été adaptées aux milieux et structures",
                ["OT2"],
                "B1.2",
                "",
                "",
                None,
                None,
                None,
                "valide",
                "Fiches bilan : adaptations décrites pour chaque type de structure.",
            ),
            (
                "Toutes les modalités sont déployées auprès des publics",
                ["OT4"],
                "B1.3",
                "deployment.modalities_delivered",
                "gte",
                5,
                None,
                3,
                "",
                "Tableau de répartition de l'activité",
            ),
        ],
    ),
    (
        5,
        "Ancrage dans les pratiques et les projets",
        [
            (
                "Il existe des pratiques informelles",
                ["OT2"],
                "C2",
                "",
                "",
                None,
                None,
                None,
                "partiel",
                "Observées par les chargées de projet, mais difficiles à objectiver (limite : "
                "difficulté à se rendre compte de l'impact des CPS).",
            ),
            (
                "Axe dans les projets communautaires (inscrit dans les projets, référent·e…)",
                ["OT3"],
                "B2.2",
                "questionnaire.accompagnement_referents.projet_structure.favourable_rate",
                "gte",
                0.75,
                None,
                0.5,
                "",
                "Questionnaires des personnes référentes, projets de structure",
            ),
        ],
    ),
    (
        6,
        "Qualité des interventions",
        [
            (
                "Espace d'échange intergroupes parents, enfants, décideurs",
                ["OT3"],
                "A3",
                "",
                "",
                None,
                None,
                None,
                "partiel",
                "Des ateliers parents existent sur 5 communes ; les décideurs y participent peu.",
            ),
            (
                "Les ateliers respectent les facteurs clés CPS",
                ["OT4"],
                "A4",
                "efficacy.EF1.present",
                "gte",
                0.7,
                None,
                0.5,
                "",
                "Fiches bilan (critères SAFE), conducteurs de séance",
            ),
        ],
    ),
]

STRENGTHS = [
    ("Des postures qui évoluent (meilleure prise en compte des enfants)", 3, None),
    ("Une envie de se lancer et l'utilisation des CPS au quotidien", 3, None),
    ("Des enfants qui se sentent mieux, qui identifient mieux leurs émotions", 6, None),
    ("L'investissement des élu·es", 2, "PCSG"),
    ("Équipes et directions impliquées dans le projet", 3, None),
    ("Ressources repérées et maillage territorial", 1, None),
    ("Inscription dans le projet politique (commission enfance jeunesse)", 2, "PCSG"),
    ("Articulation avec les instances et dispositifs existants (CLS, CTG)", 2, None),
    ("Pluralité et diversité des structures accompagnées", 1, None),
]
LIMITS = [
    ("Difficulté à se rendre compte de l'impact des CPS", 5, None),
    ("La taille des territoires", 1, "CARENE"),
    ("Changements de référent·es sur le projet", 2, "CARENE"),
    ("Toutes les communes n'ont pas participé", 1, "CARENE"),
]
PARTNERS = [
    ("ARS Pays de la Loire (DT et AT)", "financeur", "Financement du programme, COPIL"),
    ("DSDEN 44", "institution", "Éducation nationale : mobilisation des écoles publiques"),
    ("CAF 44", "institution", "Convention territoriale globale, accueils de loisirs"),
    ("DDEC 44", "institution", "Enseignement catholique : écoles privées"),
    ("Communautés de communes et communes", "collectivite", "Portage politique, COPIL"),
    ("Association Addictions France", "association", "Co-intervention"),
]
CONTRACTS = [
    ("PCSG", "CLS", "CLS de Pontchâteau Saint-Gildas-des-Bois"),
    ("CARENE", "CLSI", "CLSI de Saint-Nazaire Agglo"),
]
# Saint-Nazaire Agglo changed referent during the programme: a limit the seed names.
REFERENTS = [
    ("PCSG", "Référente technique enfance-jeunesse", dt.date(2022, 1, 10), None),
    ("CARENE", "Chargée de mission santé (1re)", dt.date(2022, 1, 10), dt.date(2023, 6, 30)),
    ("CARENE", "Chargée de mission santé (2e)", dt.date(2023, 9, 1), None),
]
ASTAIRE = [
    (
        "POP1",
        "Enfants de 8 à 11 ans de deux EPCI, dont quartiers prioritaires",
        False,
        "Adapter les outils à l'âge et au contexte social.",
    ),
    ("POP4", "Actions gratuites, bien acceptées (94 % de satisfaction)", True, ""),
    ("ENV1", "Élu·es investi·es, COPIL, inscription au CLS et au CLSI", True, ""),
    ("ENV2", "DSDEN, CAF, ARS, DDEC, collectivités", True, ""),
    ("ENV3", "Programme ESAE antérieur", False, "Sans antécédent : prévoir un plaidoyer."),
    ("MEO1", "Professionnel·les formé·es (3 jours) et accompagné·es", True, ""),
    ("MEO3", "Accompagnement complet des structures par Promotion Santé", True, ""),
    (
        "MEO4",
        "Formation, accompagnement, co-intervention, JEP, ateliers parents",
        False,
        "Le dosage de chaque modalité s'ajuste aux ressources.",
    ),
    (
        "MEO6",
        "Turnover des référent·es sur Saint-Nazaire Agglo",
        False,
        "Désigner un·e suppléant·e.",
    ),
    ("TRF1", "Fonctions clés : portage politique, référent dédié, facteurs d'efficacité", True, ""),
]


SETTINGS = {
    "description": "Renforcer les CPS des enfants de 8 à 11 ans en déployant des actions dans "
    "tous les milieux de vie (école, loisirs, famille) sur 2 EPCI de Loire-Atlantique ; "
    "outiller la communauté éducative.",
    "structures_approached": 57,
    "earlier_cps_actions": "Programme ESAE (2015-2017), formation internalisée par l'Académie.",
    "closing_title": "Merci de votre attention",
    "closing_text": "Équipe du programme CPS Loire-Atlantique",
}
# What every COPIL and COTECH record says, and every action report sheet, beside the drawn parts.
MEETING_DECISIONS = "Validation du plan d'actions de l'année"
REPORT_TEXTS = {
    "tools": "Roue des émotions, cartes des émotions, conducteur de séance",
    "worked": "Jeux de coopération, temps d'échange",
    "difficulties": "",
}
REPORT_ADAPTATION = "Séances raccourcies pour les plus jeunes"
# How often a sheet meets all SAFE letters, adds a session, notes an adaptation; ratings drawn.
SAFE_SHARE, EXTRA_SESSION_SHARE, ADAPTATION_SHARE = 0.85, 0.1, 0.3
RATINGS, RATING_WEIGHTS = [Rating.PRESENT, Rating.PARTIAL, Rating.ABSENT], [7, 2, 1]


def load_demo_evaluation(programme) -> None:
    themes = _load_themes(programme)
    territories = {t.code: t for t in programme.territories.all()}
    EvaluationSettings.objects.create(programme=programme, **SETTINGS)
    for start, end, title, detail in MILESTONES:
        Milestone.objects.create(
            programme=programme, start_year=start, end_year=end, title=title, detail=detail
        )
    for kind, texts in STATEMENTS.items():
        for position, text in enumerate(texts):
            Statement.objects.create(programme=programme, kind=kind, text=text, position=position)
    for kinds, rows in ((ContextNote.Kind.STRENGTH, STRENGTHS), (ContextNote.Kind.LIMIT, LIMITS)):
        for text, theme, territory in rows:
            ContextNote.objects.create(
                programme=programme,
                kind=kinds,
                text=text,
                theme=themes[theme],
                territory=territories.get(territory),
                evidence="Diaporama d'évaluation",
            )
    for name, kind, role in PARTNERS:
        Partner.objects.create(programme=programme, name=name, kind=kind, role=role)
    for territory, kind, name in CONTRACTS:
        HealthContract.objects.create(
            programme=programme,
            territory=territories[territory],
            kind=kind,
            name=name,
            written_in=True,
        )
    for territory, role, start, end in REFERENTS:
        Referent.objects.create(
            programme=programme,
            territory=territories[territory],
            kind=Referent.Kind.TECHNICAL,
            role=role,
            start=start,
            end=end,
        )
    for code, primary, key, adaptation in ASTAIRE:
        AstaireRating.objects.create(
            programme=programme,
            primary_value=primary,
            key_function=key,
            adaptation=adaptation,
            criterion=FrameworkItem.objects.get(framework__code="ASTAIRE", code=code),
        )
    _load_action_records(programme)


def _load_themes(programme) -> dict[int, Theme]:
    """The THEMES table: each theme and its indicators (rule, target, evaluator's verdict)."""
    ottawa = {i.code: i for i in FrameworkItem.objects.filter(framework__code="OTTAWA")}
    swiss = {i.code: i for i in FrameworkItem.objects.filter(framework__code="SMOC")}
    themes = {}
    for number, label, indicators in THEMES:
        theme = Theme.objects.create(programme=programme, number=number, label=label)
        themes[number] = theme
        for position, row in enumerate(indicators):
            text, areas, category, metric, rule, target, high, partly, verdict, note = row
            indicator = EvaluationIndicator.objects.create(
                theme=theme,
                position=position,
                label=text,
                swiss_category=swiss[category],
                metric=metric,
                rule=rule,
                target=target,
                target_max=high,
                partly_from=partly,
                evaluator_verdict=verdict,
                justification=note if verdict else "",
                sources=note if not verdict else "Fiches bilan, observations",
            )
            indicator.ottawa_areas.set([ottawa[a] for a in areas])
    return themes


def _load_action_records(programme) -> None:
    """A meeting record for every COPIL and COTECH, a report sheet for every other action;
    the drawn parts from a fixed seed, so the demo is the same each time."""
    rng = random.Random(44)
    criteria = list(
        FrameworkItem.objects.filter(framework__code="EFFICACITE", parent__isnull=True).exclude(
            code="EF1"
        )
    )
    for action in programme.actions.order_by("pk"):
        if action.modality in GOVERNANCE_MODALITIES:
            MeetingRecord.objects.create(
                action=action,
                technicians=rng.randint(3, 8),
                institutional_partners=rng.randint(1, 4),
                structures=rng.randint(2, 6),
                decisions=MEETING_DECISIONS,
            )
            continue
        planned = action.sessions or 1
        safe = rng.random() < SAFE_SHARE
        report = ActionReport.objects.create(
            action=action,
            planned_sessions=planned + (1 if rng.random() < EXTRA_SESSION_SHARE else 0),
            planned_hours=action.hours,
            progression=safe,
            experiential=True,
            safe_sequenced=safe or rng.random() < 0.5,
            safe_active=True,
            safe_focused=safe or rng.random() < 0.5,
            safe_explicit=safe,
            adaptations=REPORT_ADAPTATION if rng.random() < ADAPTATION_SHARE else "",
            **REPORT_TEXTS,
        )
        ReportCriterion.objects.bulk_create(
            ReportCriterion(
                report=report,
                criterion=criterion,
                rating=rng.choices(RATINGS, weights=RATING_WEIGHTS)[0],
            )
            for criterion in criteria
        )
