"""API writes, through the action form's rules and the activities services (the journal
records them like the browser's)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError

from ancrage.accounts.selectors import territories_for_user
from ancrage.activities.forms import CODE_RE, ActionForm
from ancrage.activities.models import Action, Participation, Structure
from ancrage.activities.selectors import next_action_code
from ancrage.activities.services import (
    participations_add,
    participations_set,
    people_for_codes,
)
from ancrage.audit.services import action_links, action_save_recorded, record_links
from ancrage.territories.models import Commune


def _form_data(view, action, data: dict, partial: bool) -> dict:
    """The action form's data from the API's codes (territory, commune, structures)."""
    programme = view.programme
    territories = territories_for_user(view.request.user, programme)
    form = ActionForm.initial_from(action) if action is not None and partial else {}
    if action is not None and not partial:
        form["code"] = action.code
    errors = {}
    for name in ("code", "modality", "start", "end", "title", "hours", "sessions", "children"):
        if name in data:
            form[name] = data[name]
    for name in ("adults", "parents", "elected", "parent_format"):
        if name in data:
            form[name] = data[name]
    if "territory" in data:
        territory = territories.filter(code=data["territory"]).first()
        if territory is None:
            errors["territory"] = [_("Territoire inconnu ou hors de votre périmètre.")]
        else:
            form["territory"] = territory.pk
    if data.get("commune"):
        commune = Commune.objects.filter(programme=programme, insee_code=data["commune"]).first()
        if commune is None:
            errors["commune"] = [_("Commune inconnue dans ce programme.")]
        else:
            form["commune"] = commune.pk
    elif "commune" in data:
        form["commune"] = ""
    if "structures" in data:
        codes = list(dict.fromkeys(data["structures"]))
        found = dict(
            Structure.objects.filter(programme=programme, code__in=codes).values_list("code", "pk")
        )
        unknown = [code for code in codes if code not in found]
        if unknown:
            errors["structures"] = [
                _("Structure inconnue : {codes}.").format(codes=", ".join(unknown[:10]))
            ]
        form["structures"] = [found[code] for code in codes if code in found]
    if "participants" in data:
        form["participants"] = "\n".join(
            f"{p['code']} ; {p['profession']}" if p.get("profession") else p["code"]
            for p in data["participants"]
        )
    if not form.get("code") and form.get("modality") and form.get("territory"):
        territory = territories.filter(pk=form["territory"]).first()
        # Chosen by the server (as the form's suggestion): made free in the programme at the save.
        form["code"] = form["code_suggested"] = next_action_code(
            programme, form["modality"], territory, territories=territories
        )
    if errors:
        raise ValidationError(errors)
    data = QueryDict(mutable=True)
    for name, value in form.items():
        if isinstance(value, list):
            data.setlist(name, [str(v) for v in value])
        else:
            data[name] = "" if value is None else str(value)
    return data


def action_write(view, action: Action | None, data: dict, *, partial: bool = False) -> Action:
    territories = territories_for_user(view.request.user, view.programme)
    form = ActionForm(
        view.programme, territories, data=_form_data(view, action, data, partial), action=action
    )
    if not form.is_valid():
        raise ValidationError({name: list(messages) for name, messages in form.errors.items()})
    return action_save_recorded(
        view.programme,
        action,
        fields=form.action_fields(),
        structures=list(form.cleaned_data["structures"]),
        participants=form.cleaned_data["participants"],
    )


@transaction.atomic
def participation_add(view, data: dict) -> Participation:
    action = view.in_scope(Action.objects).filter(pk=data["action"]).first()
    if action is None:
        raise NotFound(_("Action inconnue ou hors de votre périmètre."))
    code, profession = data["person"].strip(), data.get("profession", "").strip()
    if not CODE_RE.match(code):
        raise ValidationError(
            {
                "person": [
                    _("« {code} » n'est pas un code (lettres, chiffres, . - _).").format(code=code)
                ]
            }
        )
    if action.participations.filter(person__code=code).exists():
        raise ValidationError({"person": [_("Cette personne est déjà listée à cette action.")]})
    before = action_links(action)
    # Looked up in the action's territory only, as in the form (codes_resolve): whether the
    # code is taken in another territory changes nothing. Refused: unknown without a
    # profession, or created meanwhile by a concurrent request.
    try:
        people = people_for_codes(
            view.programme, [(code, profession)], territory=action.territory, action=action
        )
    except DjangoValidationError as error:
        raise ValidationError({"person": error.messages}) from None
    participations_add(action=action, people=people)
    record_links(action, before)
    return action.participations.select_related("person", "territory").get(person=people[0])


@transaction.atomic
def participation_remove(view, participation: Participation) -> None:
    action = participation.action
    before = action_links(action)
    others = [p.person for p in action.participations.exclude(pk=participation.pk)]
    participations_set(action=action, people=others)
    record_links(action, before)
