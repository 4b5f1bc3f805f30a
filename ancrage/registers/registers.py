"""The registers users keep beside the actions: structures, people (pseudonymous codes),
partners and meetings. Each is declared once: what it lists, how it is scoped to the user's
territories, its columns and the form that adds to it."""

from dataclasses import dataclass, field

from django import forms
from django.db.models import Count, F
from django.utils.translation import gettext_lazy as _

from ancrage.activities.models import Action, Person, Structure
from ancrage.activities.selectors import people_in_reach, people_of_codes
from ancrage.core.privacy import PSEUDONYM_ERROR, is_pseudonym, scrub
from ancrage.evaluation.models import MeetingRecord, Partner
from ancrage.programmes.vocabulary import GOVERNANCE_MODALITIES
from ancrage.territories.models import Commune


class RegisterForm(forms.ModelForm):
    """A register's form: it knows the programme and the user's territories, and refuses in
    French a code the programme already uses (the database would refuse it too, without a
    message for the user)."""

    def __init__(self, *args, territories, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.territories = territories
        self.programme = programme

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        model = self._meta.model
        if model.objects.filter(programme=self.programme, code=code).exists():
            raise forms.ValidationError(_("Ce code est déjà utilisé dans le programme."))
        return code


class StructureForm(RegisterForm):
    class Meta:
        model = Structure
        fields = ["code", "name", "kind", "commune", "qpv"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.filter(territory__in=self.territories)


class PersonForm(RegisterForm):
    """A code belongs to a territory (activities.models.Person): it is checked there only, so
    that the form tells nothing about other territories' codes. Only the coordination adds
    people of the whole programme (territory left empty)."""

    class Meta:
        model = Person
        fields = ["code", "profession", "structure", "territory"]
        help_texts = {"code": _("Un code pseudonyme, jamais un nom.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = Structure.objects.filter(
            commune__territory__in=self.territories
        )
        territory = self.fields["territory"]
        territory.queryset = self.territories
        programme_wide = self.territories.count() >= self.programme.territories.count()
        territory.required = not programme_wide
        territory.empty_label = _("Tout le programme (plusieurs territoires)")
        territory.help_text = (
            _("Vide : une personne de tout le programme (plusieurs territoires).")
            if programme_wide
            else ""
        )

    def clean_code(self):
        # The same rule as the action form and the workbook: a code, never a name.
        code = self.cleaned_data["code"].strip()
        if not is_pseudonym(code):
            raise forms.ValidationError(PSEUDONYM_ERROR.format(code=code))
        return code

    def clean(self):
        data = super().clean()
        structure, territory = data.get("structure"), data.get("territory")
        if structure is not None and territory is None and self.fields["territory"].required:
            return data  # the territory's own error says it
        if structure is not None:
            if territory is not None and structure.commune.territory_id != territory.pk:
                self.add_error("structure", _("Cette structure n'est pas dans ce territoire."))
                return data
            territory = data["territory"] = territory or structure.commune.territory
        code = data.get("code")
        # The action form's lookup (people_of_codes): a code taken in another territory is free.
        if code and people_of_codes(self.programme, [code], territory=territory).exists():
            if territory is None:
                self.add_error("code", _("Ce code est déjà utilisé dans le programme."))
            else:
                self.add_error("code", _("Ce code est déjà utilisé dans ce territoire."))
        return data


class MeetingForm(RegisterForm):
    """Who attended a COPIL or COTECH already entered as an action, and what was decided."""

    class Meta:
        model = MeetingRecord
        fields = ["action", "technicians", "institutional_partners", "structures", "decisions"]
        widgets = {"decisions": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = (
            Action.objects.filter(
                territory__in=self.territories,
                modality__in=GOVERNANCE_MODALITIES,
                meeting_record__isnull=True,
            )
            .select_related("territory")
            .order_by("-start")
        )
        self.fields["action"].label_from_instance = lambda a: (
            f"{a.get_modality_display()} {a.start:%d/%m/%Y} – {a.territory.name} ({a.code})"
        )

    def clean_decisions(self):
        return scrub(self.cleaned_data["decisions"])


class PartnerForm(RegisterForm):
    class Meta:
        model = Partner
        fields = ["name", "kind", "role"]


@dataclass(frozen=True)
class Register:
    slug: str
    title: str
    columns: list[str]
    form: type | None
    # Who may add: "edit" (editors of their territories) or "coordinate" (coordination only).
    adds: str = "edit"
    search: list[str] = field(default_factory=list)
    # Columns of free text, blanked for read-only roles (funders read aggregates only).
    free_text: tuple[int, ...] = ()

    def rows(self, programme, territories, all_territories: bool):
        raise NotImplementedError


class StructureRegister(Register):
    def rows(self, programme, territories, all_territories):
        queryset = (
            Structure.objects.filter(programme=programme, commune__territory__in=territories)
            .select_related("commune")
            .annotate(actions=Count("actionstructure", distinct=True))
            .order_by("name")
        )
        return queryset, lambda s: [
            s.code,
            s.name,
            s.get_kind_display(),
            s.commune.name,
            _("oui") if s.qpv else _("non"),
            s.actions,
        ]


class PersonRegister(Register):
    def rows(self, programme, territories, all_territories):
        mine = None if all_territories else set(territories.values_list("pk", flat=True))
        queryset = (
            people_in_reach(programme, mine)
            .select_related("structure", "territory")
            .annotate(n=Count("participations", distinct=True))
            .order_by("code")
            .distinct()
        )

        def structure_name(p) -> str:
            # Another territory's structure is not this user's to know.
            if p.structure is None or (mine is not None and p.structure_territory not in mine):
                return "—"
            return p.structure.name

        queryset = queryset.annotate(structure_territory=F("structure__commune__territory_id"))

        def territory_name(p) -> str:
            if p.territory_id is None:
                return _("tout le programme")
            return p.territory.name if mine is None or p.territory_id in mine else "—"

        return queryset, lambda p: [
            p.code,
            territory_name(p),
            p.profession,
            structure_name(p),
            p.n,
        ]


class PartnerRegister(Register):
    def rows(self, programme, territories, all_territories):
        queryset = Partner.objects.filter(programme=programme).order_by("name")
        return queryset, lambda p: [p.name, p.get_kind_display(), p.role]


class MeetingRegister(Register):
    def rows(self, programme, territories, all_territories):
        queryset = (
            MeetingRecord.objects.filter(
                action__programme=programme, action__territory__in=territories
            )
            .select_related("action", "action__territory")
            .order_by("-action__start")
        )
        return queryset, lambda m: [
            m.action.get_modality_display(),
            m.action.start.strftime("%d/%m/%Y"),
            m.action.territory.name,
            m.action.elected or 0,
            m.technicians,
            m.institutional_partners,
            m.structures,
            m.decisions[:120],
        ]


REGISTERS = {
    r.slug: r
    for r in [
        StructureRegister(
            "structures",
            _("Structures"),
            [_("Code"), _("Nom"), _("Type"), _("Commune"), _("QPV"), _("Actions")],
            StructureForm,
            search=["code", "name"],
        ),
        PersonRegister(
            "personnes",
            _("Personnes (codes pseudonymes)"),
            [_("Code"), _("Territoire"), _("Profession"), _("Structure"), _("Participations")],
            PersonForm,
            search=["code", "profession"],
        ),
        PartnerRegister(
            "partenaires",
            _("Partenaires"),
            [_("Partenaire"), _("Type"), _("Rôle")],
            PartnerForm,
            adds="coordinate",
            search=["name"],
        ),
        MeetingRegister(
            "reunions",
            _("Réunions (COPIL et COTECH)"),
            [
                _("Instance"),
                _("Date"),
                _("Territoire"),
                _("Élu·es"),
                _("Technicien·nes"),
                _("Partenaires institutionnels"),
                _("Structures"),
                _("Décisions"),
            ],
            MeetingForm,
            free_text=(7,),
        ),
    ]
}
