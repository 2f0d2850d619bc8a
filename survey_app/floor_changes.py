"""Something an operator's row on the supervisors' live floor shows has changed, or who is on
the floor.

Sent after the commit by whatever changed it (the call log, the agent state, a survey started
or closed, a page opened or gone; an admin's change of a user), received by
supervision/floor_push.py, which re-reads the rows and pushes them. A signal, so that the
telephony pipeline and the survey service need not know the floor (the import contracts
keep them below supervision).
"""
from collections.abc import Iterable

from blinker import Namespace
from flask import Flask, current_app

_signals = Namespace()
operators_changed = _signals.signal("operators-changed")
roster_changed = _signals.signal("roster-changed")
ticked = _signals.signal("ticked")  # a presence beat: rows that change with time alone


def tell(app: Flask, user_ids: Iterable[int] = (), extensions: Iterable[str] = ()) -> None:
    """The rows of these operators (by user id or by phone extension) are to be shown anew."""
    user_ids, extensions = frozenset(user_ids), frozenset(e for e in extensions if e)
    if user_ids or extensions:
        operators_changed.send(app, user_ids=user_ids, extensions=extensions)


def tell_here(user_ids: Iterable[int] = (), extensions: Iterable[str] = ()) -> None:
    """The same, from a request or a command of the app."""
    tell(current_app._get_current_object(), user_ids, extensions)


def tell_roster_here() -> None:
    """Who is on the floor may have changed (a user made an operator or no longer one,
    renamed, disabled or enabled): every floor page gets the whole table anew, from a
    request or a command of the app."""
    roster_changed.send(current_app._get_current_object())


def tick(app: Flask) -> None:
    """Some seconds have passed (a presence beat of this process): a row may have changed
    with time alone (a survey left without a step is no longer shown as one)."""
    ticked.send(app)
