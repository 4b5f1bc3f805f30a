from django.http import HttpResponse
from django.utils.http import content_disposition_header


def attachment(payload: bytes, filename: str, content_type: str) -> HttpResponse:
    """A file to download, named for the user's disk."""
    response = HttpResponse(payload, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Content-Length"] = str(len(payload))
    return response
