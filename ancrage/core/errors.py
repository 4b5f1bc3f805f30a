"""Errors the lower layers raise about what a user asked for; the web and the command line
each say them their own way, so selectors and services know neither HTTP nor the terminal."""


class NotFound(LookupError):
    """What was asked for does not exist, or is not the asker's to know of. The web answers
    404 (core.middleware, api.conventions), the command line a French error (core.commands).
    The message, when there is one, is already translated."""

    def __init__(self, message: str = ""):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)
