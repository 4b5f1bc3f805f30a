"""What every API answer shares: pages and errors (kept apart from the views, which DRF's
settings would otherwise import while DRF itself loads)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import NotFound as ApiNotFound
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler

from ancrage.core.errors import NotFound


class Pagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "taille"
    max_page_size = 1000


def french_errors(exc, context):
    """DRF's errors (already French with the French locale), plus the model's own refusals,
    the selectors' « not found » and concurrent writes turned into answers a script can read,
    never a 500."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = ValidationError(detail)
    elif isinstance(exc, NotFound):  # a selector's « not found »: the API's own 404
        exc = ApiNotFound(str(exc) or None)
    elif isinstance(exc, IntegrityError):
        return Response(
            {"detail": _("Conflit : cet objet vient d'être créé ou modifié ; réessayez.")},
            status=status.HTTP_409_CONFLICT,
        )
    return exception_handler(exc, context)
