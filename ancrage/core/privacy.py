"""Free text is scrubbed of e-mail addresses and phone numbers before it is stored."""

import re

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# French numbers (06 12 34 56 78, 06.12.34.56.78, +33 6 12 34 56 78) and long digit runs.
PHONE_RE = re.compile(r"(?:(?:\+|00)\d{2}[\s.-]?|\b0)[1-9](?:[\s.-]?\d{2}){4}\b")

EMAIL_MASK = "[courriel masqué]"
PHONE_MASK = "[téléphone masqué]"


def scrub(text: str) -> str:
    return PHONE_RE.sub(PHONE_MASK, EMAIL_RE.sub(EMAIL_MASK, text))
