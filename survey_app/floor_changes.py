"""Something an operator's row on the supervisors' live floor shows has changed.

Sent after the commit by whatever changed it (the call log, the agent state, a survey started
or closed, a page opened or gone), received by supervision/floor_push.py, which re-reads the
rows and pushes them. A signal, so that the telephony pipeline and the survey service need
not know the floor (the import contracts keep them below supervision).
"""
from collections.abc import Iterable

from blinker import Namespace
from flask import Flask, current_app

operators_changed = Namespace().signal("operators-changed")


def tell(app: Flask, user_ids: Iterable[int] = (), extensions: Iterable[str] = ()) -> None:
    """The rows of these operators (by user id or by phone extension) are to be shown anew."""
    user_ids, extensions = frozenset(user_ids), frozenset(e for e in extensions if e)
    if user_ids or extensions:
        operators_changed.send(app, user_ids=user_ids, extensions=extensions)


def tell_here(user_ids: Iterable[int] = (), extensions: Iterable[str] = ()) -> None:
    """The same, from a request or a command of the app."""
    tell(current_app._get_current_object(), user_ids, extensions)
