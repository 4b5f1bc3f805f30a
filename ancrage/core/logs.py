"""Logging without personal data: every line carries the request id; messages and tracebacks
pass through `redact` (addresses, phone numbers, quoted values, query strings, link tokens); the
error e-mails to ADMINS carry the same redacted text, no request data nor local variables."""

import logging
import re
import traceback
from contextvars import ContextVar

from .privacy import scrub

request_id: ContextVar[str] = ContextVar("request_id", default="-")

_QUOTED = [
    (re.compile(r"«[^»]*»"), "«…»"),
    (re.compile(r'"[^"\n]*"'), '"…"'),
    (re.compile(r"'[^'\n]*'"), "'…'"),
    (re.compile(r"\)=\([^)\n]*\)"), ")=(…)"),  # PostgreSQL: Key (code)=(P-0042) already exists
]
# Paths: the query string may hold searches and filters; links hold secret tokens.
_PATHS = [
    (re.compile(r"(/[\w./%-]*)\?[^\s\"']*"), r"\1?…"),
    (re.compile(r"/r/[\w-]{8,}/"), "/r/…/"),
    (re.compile(r"/invitation/[\w-]+/[\w-]+/"), "/invitation/…/"),
]
_TRACEBACK_CODE = re.compile(r"^(\s|Traceback|The above exception|During handling)")


def redact(text: str) -> str:
    """A log line as it may be kept: no address, phone, path query, token nor quoted value."""
    text = scrub(text)
    for pattern, replacement in _PATHS:
        text = pattern.sub(replacement, text)
    return text


def redact_message(text: str) -> str:
    """An exception message: `redact`, and quoted values (codes, names, texts) removed."""
    text = redact(text)
    for pattern, replacement in _QUOTED:
        text = pattern.sub(replacement, text)
    return text


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id.get()
        return True


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then redacts the message and the traceback's exception lines (the
    code lines of the traceback are kept: they say where, not about whom)."""

    def format(self, record):
        record.request_id = getattr(record, "request_id", request_id.get())
        return super().format(record)

    def formatMessage(self, record):
        return redact(super().formatMessage(record))

    def formatException(self, ei):
        lines = "".join(traceback.format_exception(*ei)).rstrip("\n").split("\n")
        return "\n".join(
            line if _TRACEBACK_CODE.match(line) or not line else redact_message(line)
            for line in lines
        )


class AdminEmailHandler(logging.Handler):
    """Errors e-mailed to ADMINS (when set): the redacted log line and traceback only. Django's
    own handler would add the request's data, headers and each frame's local variables."""

    def emit(self, record):
        from django.conf import settings
        from django.core.mail import mail_admins

        if not settings.ADMINS:
            return
        first_line = redact(record.getMessage()).splitlines()[0] if record.msg else ""
        subject = f"{record.levelname} [{getattr(record, 'request_id', '-')}] {first_line}"
        mail_admins(subject[:200], self.format(record), fail_silently=True)
