"""Errors that reach a user: each names the table, file, column or value at fault."""


class ZichtopError(Exception):
    """Base class: a message fit to show a user as-is (no traceback needed)."""


class SourceError(ZichtopError):
    """A table could not be obtained (missing file, HTTP error, timeout, bad encoding)."""


class SchemaError(ZichtopError):
    """A table does not have the shape we declared (missing column, wrong delimiter, empty)."""


class ValueProblem(ZichtopError):
    """A value could not be understood (unknown region title, period or number)."""


class SliceError(ZichtopError):
    """A truncated table was asked for rows outside its complete slice."""
