"""The REST API: every endpoint sits under a programme the user has a role in, and reads or
writes only within the user's territories, with the pages' rules (read-only roles see
aggregates, never per-person rows; small results hidden from them)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from ancrage.accounts.selectors import (
    is_read_only,
    programmes_for_user,
    scope_for_user,
    territories_for_user,
    territory_scope,
)
from ancrage.activities.models import Action, Participation, Structure
from ancrage.core.errors import NotFound
from ancrage.indicators.cache import cached_indicators
from ancrage.programmes.vocabulary import Modality
from ancrage.surveys.models import Questionnaire
from ancrage.surveys.models import Response as SurveyResponse

from . import serializers as s
from .writes import action_write, participation_add, participation_remove

TERRITORY = OpenApiParameter("territoire", str, description="Code du territoire")
YEAR = OpenApiParameter("annee", int, description="Année scolaire (année de la rentrée)")


class ProgrammeScoped(generics.GenericAPIView):
    """The programme of the URL (404 without a role in it) and the user's territories there.
    `per_person`: rows about people or single responses, which read-only roles never get."""

    per_person = False

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if getattr(self, "swagger_fake_view", False):
            return
        self.programme = get_object_or_404(
            programmes_for_user(request.user), pk=kwargs["programme"]
        )
        self.allowed = territory_scope(request.user, self.programme)
        self.read_only = is_read_only(request.user, self.programme)
        if self.read_only and request.method not in SAFE_METHODS:
            raise PermissionDenied(_("Votre rôle ne permet que la lecture."))
        if self.read_only and self.per_person:
            raise PermissionDenied(
                _("Les rôles en lecture voient les agrégats, jamais les lignes par personne.")
            )

    def in_scope(self, queryset, field: str = "territory"):
        queryset = queryset.filter(programme=self.programme)
        if self.allowed is not None:
            queryset = queryset.filter(**{f"{field}_id__in": self.allowed})
        return queryset

    def by_territory_and_year(self, queryset, field: str = "territory"):
        code, year = self.request.GET.get("territoire"), self.request.GET.get("annee")
        if code:
            queryset = queryset.filter(**{f"{field}__code": code})
        if year:
            if not year.isdigit():
                raise ValidationError({"annee": [_("Une année scolaire, par exemple 2023.")]})
            queryset = queryset.filter(school_year=int(year))
        return queryset


class ProgrammeList(generics.ListAPIView):
    """The programmes you have a role in."""

    serializer_class = s.ProgrammeSerializer

    def get_queryset(self):
        return programmes_for_user(self.request.user)


class ProgrammeDetail(generics.RetrieveAPIView):
    serializer_class = s.ProgrammeSerializer
    lookup_url_kwarg = "programme"

    def get_queryset(self):
        return programmes_for_user(self.request.user)


class TerritoryList(ProgrammeScoped, generics.ListAPIView):
    """The programme's territories within your scope."""

    serializer_class = s.TerritorySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return s.Territory.objects.none()
        return territories_for_user(self.request.user, self.programme)


@extend_schema(parameters=[TERRITORY])
class StructureList(ProgrammeScoped, generics.ListAPIView):
    """Structures of your territories (by their commune)."""

    serializer_class = s.StructureSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Structure.objects.none()
        queryset = Structure.objects.filter(programme=self.programme).select_related(
            "commune__territory"
        )
        if self.allowed is not None:
            queryset = queryset.filter(commune__territory_id__in=self.allowed)
        if code := self.request.GET.get("territoire"):
            queryset = queryset.filter(commune__territory__code=code)
        return queryset.order_by("code")


class ActionQueries(ProgrammeScoped):
    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Action.objects.none()
        return (
            self.in_scope(Action.objects)
            .select_related("territory", "commune")
            .prefetch_related("structures", "participations__person")
            .order_by("-start", "code")
        )

    def get_serializer_class(self):
        if self.request.method in SAFE_METHODS:
            return s.ActionSerializer
        return s.ActionWriteSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "read_only": getattr(self, "read_only", False)}


@extend_schema(
    parameters=[
        TERRITORY,
        YEAR,
        OpenApiParameter("modalite", str, enum=Modality.values, description="Modalité"),
    ]
)
class ActionList(ActionQueries, generics.ListCreateAPIView):
    """Actions of your territories; create one (the same checks as the action form)."""

    def get_queryset(self):
        queryset = self.by_territory_and_year(super().get_queryset())
        modality = self.request.GET.get("modalite")
        if modality:
            queryset = queryset.filter(modality=modality)
        return queryset

    @extend_schema(request=s.ActionWriteSerializer, responses={201: s.ActionSerializer})
    def post(self, request, *args, **kwargs):
        serializer = s.ActionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        action = action_write(self, None, serializer.validated_data)
        return Response(
            s.ActionSerializer(self.get_queryset().get(pk=action.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class ActionDetail(ActionQueries, generics.RetrieveUpdateAPIView):
    """One action; PUT or PATCH change it (participants: the whole list)."""

    lookup_url_kwarg = "pk"

    @extend_schema(request=s.ActionWriteSerializer, responses={200: s.ActionSerializer})
    def put(self, request, *args, **kwargs):
        return self._write(request, partial=False)

    @extend_schema(request=s.ActionWriteSerializer, responses={200: s.ActionSerializer})
    def patch(self, request, *args, **kwargs):
        return self._write(request, partial=True)

    def _write(self, request, *, partial: bool):
        action = self.get_object()
        serializer = s.ActionWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        action = action_write(self, action, serializer.validated_data, partial=partial)
        return Response(s.ActionSerializer(self.get_queryset().get(pk=action.pk)).data)


class ParticipationQueries(ProgrammeScoped):
    per_person = True

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Participation.objects.none()
        return (
            self.in_scope(Participation.objects)
            .select_related("action", "person", "territory")
            .order_by("action_id", "person__code")
        )


@extend_schema(
    parameters=[TERRITORY, YEAR, OpenApiParameter("action", int, description="Numéro de l'action")]
)
class ParticipationList(ParticipationQueries, generics.ListCreateAPIView):
    """Who took part in the actions of your territories; list someone at an action."""

    serializer_class = s.ParticipationSerializer

    def get_queryset(self):
        queryset = self.by_territory_and_year(super().get_queryset())
        action = self.request.GET.get("action")
        if action:
            if not action.isdigit():
                raise ValidationError({"action": [_("Un numéro d'action.")]})
            queryset = queryset.filter(action_id=int(action))
        return queryset

    @extend_schema(
        request=s.ParticipationWriteSerializer, responses={201: s.ParticipationSerializer}
    )
    def post(self, request, *args, **kwargs):
        serializer = s.ParticipationWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        participation = participation_add(self, serializer.validated_data)
        return Response(
            s.ParticipationSerializer(participation).data, status=status.HTTP_201_CREATED
        )


class ParticipationDetail(ParticipationQueries, generics.RetrieveDestroyAPIView):
    serializer_class = s.ParticipationSerializer
    lookup_url_kwarg = "pk"

    def perform_destroy(self, instance):
        participation_remove(self, instance)


class QuestionnaireQueries(ProgrammeScoped):
    serializer_class = s.QuestionnaireSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Questionnaire.objects.none()
        return (
            Questionnaire.objects.filter(programme=self.programme)
            .prefetch_related("questions__choices")
            .order_by("form_id")
        )


class QuestionnaireList(QuestionnaireQueries, generics.ListAPIView):
    """The programme's questionnaires with their questions and choices."""


class QuestionnaireDetail(QuestionnaireQueries, generics.RetrieveAPIView):
    lookup_url_kwarg = "pk"


@extend_schema(
    parameters=[
        TERRITORY,
        YEAR,
        OpenApiParameter("questionnaire", str, description="Identifiant du formulaire"),
    ]
)
class ResponseList(ProgrammeScoped, generics.ListAPIView):
    """Anonymous responses of your territories, one per filled questionnaire, with answers
    (free text already scrubbed of e-mails and phone numbers). Not for read-only roles."""

    serializer_class = s.ResponseSerializer
    per_person = True

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SurveyResponse.objects.none()
        queryset = self.by_territory_and_year(self.in_scope(SurveyResponse.objects))
        if form_id := self.request.GET.get("questionnaire"):
            queryset = queryset.filter(questionnaire__form_id=form_id)
        return (
            queryset.select_related("questionnaire", "collection__action", "territory")
            .prefetch_related("answers__question", "answers__choice")
            .order_by("pk")
        )


class Indicators(ProgrammeScoped):
    """The registry's figures, as `ancrage indicators --json` prints them, for your scope
    (filters: territory, school year); small results hidden from read-only roles."""

    @extend_schema(parameters=[TERRITORY, YEAR], responses={200: OpenApiTypes.OBJECT})
    def get(self, request, *args, **kwargs):
        code, year = request.GET.get("territoire", ""), request.GET.get("annee", "")
        if year and not (year.isdigit() and int(year) in self.programme.school_years):
            raise ValidationError({"annee": [_("Année scolaire inconnue pour ce programme.")]})
        try:
            scope, _territories = scope_for_user(request.user, self.programme, code, year)
        except NotFound as missing:
            raise ValidationError(
                {"territoire": [_("Territoire inconnu ou hors de votre périmètre.")]}
            ) from missing
        return Response(cached_indicators(scope, hide_small=self.read_only))
