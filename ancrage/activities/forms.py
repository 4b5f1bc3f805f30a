"""The action form: every field of the workbook's actions sheet, and participants typed as
pseudonymous codes, one per line (keyboard entry, no mouse needed)."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ancrage.core.limits import form_bounds
from ancrage.core.privacy import PSEUDONYM_RE
from ancrage.programmes.vocabulary import Modality, ParentFormat
from ancrage.territories.models import Commune

from .models import Action, Person, Structure
from .selectors import action_code_free, codes_resolve
from .selectors import next_action_code as suggest_code

CODE_RE = PSEUDONYM_RE  # one rule for codes: the action form, the people register
PROFESSION_MAX = Person._meta.get_field("profession").max_length


class StructurePicker(forms.CheckboxSelectMultiple):
    """Structures ticked in a list (no Ctrl-click), filtered by typing (static/ancrage/js/
    picker.js, a progressive enhancement: without JavaScript the whole list stays usable)."""

    option_inherits_attrs = False


class ActionForm(forms.Form):
    code = forms.CharField(
        label=_("Identifiant"),
        max_length=64,
        help_text=_("Proposé d'après la modalité et le territoire ; tapez le vôtre si besoin."),
    )
    # The code the form proposed: while the code typed is still this one, it follows the
    # modality and territory chosen (in the page with htmx, and again when saving).
    code_suggested = forms.CharField(required=False, widget=forms.HiddenInput)
    modality = forms.ChoiceField(label=_("Modalité"), choices=Modality.choices)
    territory = forms.ModelChoiceField(label=_("Territoire"), queryset=None)
    commune = forms.ModelChoiceField(
        label=_("Commune"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": _("Cette commune n'est pas dans le territoire choisi.")},
    )
    start = forms.DateField(
        label=_("Début"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("Fin"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    title = forms.CharField(label=_("Intitulé"), max_length=300, required=False)
    structures = forms.ModelMultipleChoiceField(
        label=_("Structures"),
        queryset=None,
        required=False,
        widget=StructurePicker,
        help_text=_("Cochez les structures ; tapez une partie du nom pour filtrer la liste."),
    )
    # Each number up to what its column keeps (core.limits): beyond, a message, not a 500.
    hours = forms.DecimalField(
        label=_("Heures"),
        min_value=0,
        required=False,
        localize=True,
        **form_bounds(Action, "hours"),
    )
    sessions = forms.IntegerField(
        label=_("Séances"), min_value=0, required=False, **form_bounds(Action, "sessions")
    )
    children = forms.IntegerField(
        label=_("Enfants"), min_value=0, required=False, **form_bounds(Action, "children")
    )
    adults = forms.IntegerField(
        label=_("Adultes (si les participant·es ne sont pas listé·es)"),
        min_value=0,
        required=False,
        **form_bounds(Action, "adults"),
    )
    parents = forms.IntegerField(
        label=_("Parents"), min_value=0, required=False, **form_bounds(Action, "parents")
    )
    elected = forms.IntegerField(
        label=_("Élu·es"), min_value=0, required=False, **form_bounds(Action, "elected")
    )
    parent_format = forms.ChoiceField(
        label=_("Format (parentalité)"),
        choices=[("", "—"), *ParentFormat.choices],
        required=False,
    )
    participants = forms.CharField(
        label=_("Participant·es (codes pseudonymes, un par ligne)"),
        help_text=_(
            "Un code par ligne. Pour une personne nouvelle : « CODE ; profession ». Jamais de nom."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
    )

    def __init__(self, programme, territories, *args, action: Action | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.action = action
        self.territories = territories
        self.fields["territory"].queryset = territories
        chosen = self._chosen_territory(territories)
        communes = Commune.objects.filter(territory__in=territories).order_by("name")
        structures = Structure.objects.filter(commune__territory__in=territories)
        if chosen is not None:
            # Only the chosen territory's communes and structures are offered (the structures
            # already ticked stay, wherever they are).
            communes = communes.filter(territory=chosen)
            ticked = self._value_list("structures")
            structures = structures.filter(Q(commune__territory=chosen) | Q(pk__in=ticked))
        self.fields["commune"].queryset = communes
        self.fields["structures"].queryset = structures.select_related("commune").order_by("name")

    def _value_list(self, name: str) -> list[int]:
        if self.is_bound:
            values = self.data.getlist(self.add_prefix(name), [])
        else:
            values = self.initial.get(name) or []
        return [int(v) for v in values if str(v).isdigit()]

    def _chosen_territory(self, territories):
        """The territory chosen in the form (sent or initial), if it is one of the user's."""
        if self.is_bound:
            value = self.data.get(self.add_prefix("territory"))
        else:
            value = self.initial.get("territory")
        value = str(getattr(value, "pk", value) or "")
        return territories.filter(pk=int(value)).first() if value.isdigit() else None

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if code == self.data.get(self.add_prefix("code_suggested"), "").strip():
            return code  # the server's suggestion, left as it was: made free in clean()
        taken = Action.objects.filter(programme=self.programme, code=code)
        if self.action is not None:
            taken = taken.exclude(pk=self.action.pk)
        if taken.exists():
            raise forms.ValidationError(_("Ce code est déjà utilisé par une autre action."))
        return code

    def clean_participants(self) -> list[tuple[str, str]]:
        entries, errors = [], []
        for number, line in enumerate(self.cleaned_data["participants"].splitlines(), start=1):
            if not line.strip():
                continue
            code, _sep, profession = (part.strip() for part in line.partition(";"))
            if not CODE_RE.match(code):
                errors.append(
                    _(
                        "Ligne {n} : « {code} » n'est pas un code (lettres, chiffres, . - _)."
                    ).format(n=number, code=code)
                )
                continue
            if len(profession) > PROFESSION_MAX:
                errors.append(
                    _("Ligne {n} : profession trop longue ({max} caractères au plus).").format(
                        n=number, max=PROFESSION_MAX
                    )
                )
                continue
            entries.append((code, profession))
        # Codes are looked up in the action's territory only (activities.selectors.codes_resolve):
        # the answer never depends on codes of other territories.
        territory = self.cleaned_data.get("territory")
        if territory is not None:
            errors += codes_resolve(
                self.programme, entries, territory=territory, action=self.action
            )[1]
        if errors:
            raise forms.ValidationError(errors)
        return entries

    def clean(self):
        data = super().clean()
        territory, commune = data.get("territory"), data.get("commune")
        if territory and commune and commune.territory_id != territory.pk:
            self.add_error("commune", _("Cette commune n'est pas dans le territoire choisi."))
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("La fin précède le début."))
        code, suggested = data.get("code"), data.get("code_suggested")
        if code and suggested and code == suggested:
            # Not typed by the user: the code follows the modality and territory chosen, and
            # moves on if another action of the programme uses it.
            if territory and data.get("modality"):
                code = suggest_code(
                    self.programme, data["modality"], territory, territories=self.territories
                )
            data["code"] = action_code_free(self.programme, code, action=self.action)
        return data

    def action_fields(self) -> dict:
        names = [
            "code",
            "modality",
            "territory",
            "commune",
            "start",
            "end",
            "title",
            "hours",
            "sessions",
            "children",
            "adults",
            "parents",
            "elected",
            "parent_format",
        ]
        return {name: self.cleaned_data[name] for name in names}

    @staticmethod
    def initial_from(action: Action) -> dict:
        participants = "\n".join(
            action.participations.select_related("person")
            .order_by("person__code")
            .values_list("person__code", flat=True)
        )
        return {
            "code": action.code,
            "modality": action.modality,
            "territory": action.territory_id,
            "commune": action.commune_id,
            "start": action.start,
            "end": action.end,
            "title": action.title,
            "structures": list(action.structures.values_list("pk", flat=True)),
            "hours": action.hours,
            "sessions": action.sessions,
            "children": action.children,
            "adults": action.adults,
            "parents": action.parents,
            "elected": action.elected,
            "parent_format": action.parent_format,
            "participants": participants,
        }
