# A candidate territory unlike the seed's (a large, populous one without a referent nor
# earlier CPS actions): the transfer assessment flags where it differs.
LARGE_CANDIDATE = {
    "name": "Grande agglomération",
    "population": 250_000,
    "communes": 24,
    "elected_commitment": True,
    "has_referent": False,
    "earlier_cps_actions": False,
    "partners": 5,
    "priority_neighbourhoods": 3,
}


def contract_governance(figures: dict) -> dict:
    """The governance keys of the workbook contract (the evaluation adds more beside them)."""
    return {key: figures["governance"][key] for key in ("copil", "cotech", "elected_officials")}


def grow_programme(programme) -> None:
    """More of everything figures read, in the same programme: a new territory with a commune
    and a structure, 28 actions of every public modality (with people listed, children and
    parents) and one more questionnaire. Query counts must not change with it."""
    import datetime as dt
    import io

    from openpyxl import load_workbook

    from ancrage.activities.models import Person, Structure
    from ancrage.activities.services import action_create, participations_add
    from ancrage.surveys.library import template_path
    from ancrage.surveys.services import questionnaire_create
    from ancrage.territories.models import Commune, Territory

    territory = Territory.objects.create(
        programme=programme, code="GROW", name="Territoire ajouté", population=5000
    )
    commune = Commune.objects.create(
        programme=programme, territory=territory, insee_code="99001", name="Ajoutée"
    )
    structure = Structure.objects.create(
        programme=programme,
        code="S-GROW",
        name="École ajoutée",
        kind="ecole_publique",
        commune=commune,
    )
    people = [
        Person.objects.create(programme=programme, code=f"P-GROW-{i}", profession="animateur")
        for i in range(12)
    ]
    modalities = ["formation", "accompagnement", "jep", "co_intervention", "action_parentalite"]
    for number in range(28):
        modality = modalities[number % len(modalities)]
        action = action_create(
            programme=programme,
            code=f"GROW-{number}",
            modality=modality,
            territory=territory,
            start=programme.start + dt.timedelta(days=30 * (number % 12)),
            commune=commune,
            structures=[structure],
            children=20 if modality == "co_intervention" else None,
            parents=8 if modality == "action_parentalite" else None,
        )
        if modality != "action_parentalite":
            participations_add(action=action, people=people[number % 4 : number % 4 + 6])
    book = load_workbook(template_path("parents"))
    book["settings"]["B2"] = "parents_ajoute"  # the form id: a seventh questionnaire
    data = io.BytesIO()
    book.save(data)
    questionnaire_create(programme=programme, xlsform=data.getvalue())
