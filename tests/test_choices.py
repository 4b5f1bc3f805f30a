"""Vocabularies accept the code or the label, whatever the case, accents, hyphens and spaces."""

import pytest

from ancrage.core.choices import allowed_labels, match_choice, pairs
from ancrage.programmes.vocabulary import Modality, StructureType

MODALITIES = pairs(Modality)
STRUCTURE_TYPES = pairs(StructureType)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("formation", "formation"),
        ("Formation", "formation"),
        ("FORMATION ", "formation"),
        ("Co-intervention", "co_intervention"),
        ("co intervention", "co_intervention"),
        ("co_intervention", "co_intervention"),
        ("JEP", "jep"),
        ("Journée d'échange de pratiques", "jep"),
        ("journee d’echange de pratiques", "jep"),
        ("Action parentalité", "action_parentalite"),
        ("copil", "copil"),
    ],
)
def test_a_modality_is_read_from_its_code_or_label(typed, code):
    assert match_choice(typed, MODALITIES) == code


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("École publique", "ecole_publique"),
        ("ecole publique", "ecole_publique"),
        ("ALSH", "alsh"),
        ("Accueil de loisirs", "alsh"),
        ("Accueil de loisirs (ALSH)", "alsh"),
        ("médico-social et sanitaire", "medico_social"),
    ],
)
def test_a_structure_type_is_read_from_its_code_or_label(typed, code):
    assert match_choice(typed, STRUCTURE_TYPES) == code


@pytest.mark.parametrize("typed", ["atelier", "école", "", "  ", "co"])
def test_an_unknown_or_partial_value_matches_nothing(typed):
    assert match_choice(typed, MODALITIES) is None


def test_allowed_values_are_listed_as_the_labels_users_see():
    listed = allowed_labels(MODALITIES)
    assert listed.startswith("« Formation », « Co-intervention », « Accompagnement »")
    assert "« Journée d'échange de pratiques »" in listed
