"""Request ids, security headers Django 5.2 does not set itself, the client's address, and the
lower layers' errors said the web's way."""

import re
import uuid

from django.conf import settings
from django.http import Http404, HttpResponseBadRequest
from django.utils.translation import gettext as _

from .errors import NotFound
from .logs import request_id

INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Every request gets an id, in the X-Request-ID response header and in every log line it
    causes (so a user's « erreur 1f3a… » finds its traceback). A trusted proxy's own id
    (nginx's $request_id) is kept; a client's is not trusted."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        trusted = getattr(settings, "ANCRAGE_TRUSTED_PROXIES", 0) > 0
        value = incoming if trusted and INCOMING_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = value
        token = request_id.set(value)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = value
        return response


# Every script, style, font and image comes from the app itself (offline, no CDN); no inline
# script is allowed. Inline SVG (QR codes, charts) needs no source.
DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_CSP)

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.policy)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


def client_address(request) -> str:
    """The client's address for rate limits. Behind ANCRAGE_TRUSTED_PROXIES reverse proxies,
    each appends the address it received from to X-Forwarded-For: the client is the entry that
    many places from the right (entries further left can be forged by the client). Without a
    trusted proxy the header is ignored."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "ANCRAGE_TRUSTED_PROXIES", 0)
    if proxies <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [a for a in forwarded if a] + [remote]
    # chain[-1] is the nearest proxy, chain[-proxies] the outermost trusted one, which saw
    # the client at chain[-proxies - 1].
    return chain[-proxies - 1] if len(chain) > proxies else chain[0]


class RefuseNulCharactersMiddleware:
    """A NUL character in an address or its parameters is refused with a clear 400: PostgreSQL
    cannot compare text with it, so a filter such as `?q=%00` would otherwise end in a server
    error (found by schemathesis). Forms and API bodies already refuse it field by field."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.GET
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in query.getlist(key)) for key in query
        ):
            return HttpResponseBadRequest(
                _("Adresse refusée : elle contient un caractère nul."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class NotFoundMiddleware:
    """A selector's NotFound (core.errors) is the web's 404: selectors stay free of HTTP, and
    no view has to catch it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            raise Http404(str(exception)) from exception
        return None
