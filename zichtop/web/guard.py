"""Hostile or stale input never becomes a server error: callbacks that cannot use their input
do not update, and pages that cannot be built show a Dutch message instead of a traceback."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from dash.exceptions import PreventUpdate

from zichtop.core.errors import ZichtopError
from zichtop.web.params import BadParameter

log = logging.getLogger("zichtop.web")
F = TypeVar("F", bound=Callable[..., Any])
# What malformed input raises in our code: a wrong type, an unknown key, a bad value.
INPUT_ERRORS = (BadParameter, TypeError, ValueError, KeyError, IndexError, AttributeError)


def callback_guard(func: F) -> F:
    """For a Dash callback: input it cannot use means 'no update', logged in one line."""
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PreventUpdate:
            raise
        except INPUT_ERRORS as error:
            log.warning("%s: unusable input (%s: %s)", func.__name__, type(error).__name__,
                        str(error)[:120])
            raise PreventUpdate from error
    return wrapper  # type: ignore[return-value]


def page_guard(func: F) -> F:
    """For a page layout: a Dutch message for bad parameters or a missing database."""
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from zichtop.web.pages.common import problem

        clean = {k: v for k, v in kwargs.items() if isinstance(v, str) or v is None}
        try:
            return func(*args, **clean)
        except BadParameter as error:
            return problem(str(error))
        except ZichtopError as error:
            log.error("page %s: %s", func.__module__, error)
            return problem("De gegevens zijn niet beschikbaar. Vraag de beheerder om "
                           "`zichtop build` uit te voeren.")
        except INPUT_ERRORS as error:
            log.warning("page %s: unusable parameters (%s)", func.__module__, error)
            return problem("Deze link klopt niet. Controleer de gemeente, regio, het thema, de "
                           "indicator en het jaar.")
    return wrapper  # type: ignore[return-value]
