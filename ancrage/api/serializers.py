"""What the API reads and writes. Writes of actions and participations go through the web
form's rules and the activities services, so an action saved by a script is held to the same
checks (code, territory, commune, pseudonymous codes) and recorded in the journal alike."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ancrage.activities.models import Action, Participation, Person, Structure
from ancrage.core import limits
from ancrage.programmes.models import Programme
from ancrage.programmes.vocabulary import Modality, ParentFormat
from ancrage.surveys.models import Answer, Choice, Question, Questionnaire, Response
from ancrage.territories.models import Territory


class ProgrammeSerializer(serializers.ModelSerializer):
    school_years = serializers.ListField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = Programme
        fields = ["id", "name", "start", "end", "school_years"]


class TerritorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Territory
        fields = ["id", "code", "name", "population", "commune_count"]


class StructureSerializer(serializers.ModelSerializer):
    commune = serializers.CharField(source="commune.insee_code", read_only=True)
    commune_name = serializers.CharField(source="commune.name", read_only=True)
    territory = serializers.CharField(source="commune.territory.code", read_only=True)

    class Meta:
        model = Structure
        fields = ["id", "code", "name", "kind", "commune", "commune_name", "territory", "qpv"]


class PersonSerializer(serializers.ModelSerializer):
    structure = serializers.CharField(source="structure.code", read_only=True, default=None)

    class Meta:
        model = Person
        fields = ["id", "code", "profession", "structure"]


class ActionSerializer(serializers.ModelSerializer):
    """An action as read; `participants` are pseudonymous codes, `structures` structure codes."""

    territory = serializers.CharField(source="territory.code", read_only=True)
    commune = serializers.CharField(source="commune.insee_code", read_only=True, default=None)
    structures = serializers.SerializerMethodField()
    participants = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "id",
            "code",
            "modality",
            "territory",
            "commune",
            "start",
            "end",
            "school_year",
            "title",
            "hours",
            "sessions",
            "children",
            "adults",
            "parents",
            "elected",
            "parent_format",
            "lists_people",
            "structures",
            "participants",
            "participant_count",
        ]

    participant_count = serializers.SerializerMethodField()

    def get_structures(self, action) -> list[str]:
        return [s.code for s in action.structures.all()]

    def get_participants(self, action) -> list[str] | None:
        """Codes of people: never for read-only roles (aggregates only, as on the pages)."""
        if self.context.get("read_only"):
            return None
        return sorted(p.person.code for p in action.participations.all())

    def get_participant_count(self, action) -> int:
        return len(action.participations.all())

    def to_representation(self, action):
        data = super().to_representation(action)
        if self.context.get("read_only"):
            data["title"] = None  # free text, hidden from read-only roles as in the registers
        return data


class ParticipantSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=64)
    profession = serializers.CharField(max_length=120, required=False, allow_blank=True)


def _number(model, name: str, field=serializers.IntegerField):
    """A number up to what its column keeps (core.limits), refused in the forms' words."""
    return field(min_value=0, required=False, allow_null=True, **limits.api_bounds(model, name))


class ActionWriteSerializer(serializers.Serializer):
    """An action to create or change. Codes name the territory (`T1`), the commune (INSEE code)
    and the structures; participants are codes, with a profession for a new person."""

    code = serializers.CharField(max_length=64, required=False)
    modality = serializers.ChoiceField(choices=Modality.choices)
    territory = serializers.CharField(max_length=64, help_text=_("Code du territoire."))
    commune = serializers.CharField(max_length=5, required=False, allow_blank=True, allow_null=True)
    start = serializers.DateField()
    end = serializers.DateField(required=False, allow_null=True)
    title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    hours = _number(Action, "hours", serializers.DecimalField)
    sessions = _number(Action, "sessions")
    children = _number(Action, "children")
    adults = _number(Action, "adults")
    parents = _number(Action, "parents")
    elected = _number(Action, "elected")
    parent_format = serializers.ChoiceField(
        choices=[("", "—"), *ParentFormat.choices], required=False, allow_blank=True
    )
    structures = serializers.ListField(
        child=serializers.CharField(max_length=64), required=False, max_length=1000
    )
    participants = ParticipantSerializer(many=True, required=False, max_length=5000)


class ParticipationSerializer(serializers.ModelSerializer):
    action_code = serializers.CharField(source="action.code", read_only=True)
    person = serializers.CharField(source="person.code", read_only=True)
    profession = serializers.CharField(source="person.profession", read_only=True)
    territory = serializers.CharField(source="territory.code", read_only=True)

    class Meta:
        model = Participation
        fields = [
            "id",
            "action",
            "action_code",
            "person",
            "profession",
            "territory",
            "modality",
            "school_year",
        ]


class ParticipationWriteSerializer(serializers.Serializer):
    """A person listed at an action: an existing code, or a new one with its profession."""

    action = serializers.IntegerField(min_value=1, **limits.api_bounds(Action, "id"))
    person = serializers.CharField(max_length=64)
    profession = serializers.CharField(max_length=120, required=False, allow_blank=True)


class ChoiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Choice
        fields = ["name", "label", "favorable"]


class QuestionSerializer(serializers.ModelSerializer):
    choices = ChoiceSerializer(many=True, read_only=True)

    class Meta:
        model = Question
        fields = ["name", "path", "group_label", "kind", "label", "required", "category", "choices"]


class QuestionnaireSerializer(serializers.ModelSerializer):
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Questionnaire
        fields = [
            "id",
            "form_id",
            "title",
            "version",
            "public",
            "modality",
            "pairing",
            "questions",
        ]


class AnswerSerializer(serializers.ModelSerializer):
    question = serializers.CharField(source="question.name", read_only=True)
    choice = serializers.CharField(source="choice.name", read_only=True, default=None)

    class Meta:
        model = Answer
        fields = ["question", "choice", "number", "text"]


class ResponseSerializer(serializers.ModelSerializer):
    """An anonymous response: never a name (nor the pairing code the respondent made up)."""

    questionnaire = serializers.CharField(source="questionnaire.form_id", read_only=True)
    action = serializers.CharField(source="collection.action.code", read_only=True)
    territory = serializers.CharField(source="territory.code", read_only=True)
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Response
        fields = [
            "id",
            "questionnaire",
            "action",
            "territory",
            "modality",
            "school_year",
            "source",
            "moment",
            "submitted_at",
            "answers",
        ]
