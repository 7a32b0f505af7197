"""Typed domain errors. The CLI turns each into one `Error:` line and an exit code."""


class CareopsError(Exception):
    """Input that is well-formed but refused: exit 1."""

    exit_code = 1


class NotFound(CareopsError):
    """A name, id or unit that matches no record."""


class Ambiguous(CareopsError):
    """A reference that matches several records; the message lists them."""


class Conflict(CareopsError):
    """The change would clash with what is recorded (a duplicate unit, say)."""


class InvalidInput(CareopsError):
    """A value that parses but makes no sense here (a callback in the past…)."""


class PolicyError(CareopsError):
    """A policy file that does not load or does not validate."""


class SchemaError(CareopsError):
    """A database that careops cannot open or upgrade."""
