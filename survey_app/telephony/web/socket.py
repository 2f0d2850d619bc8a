"""The operator's live socket, and what the pops' buttons do."""
from flask import abort, current_app, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from simple_websocket import ConnectionClosed

from survey_app.extensions import db, sock
from survey_app.models import Call, Role
from survey_app.telephony.bus import (
    ACCOUNT_CLOSED,
    RESEND,
    account_topic,
    debug_topic_for,
    everyone,
    floor_topic,
    topic_for,
)
from survey_app.telephony.shutdown import closing
from survey_app.telephony.web import bp

POLL_SECONDS = 1.0  # how soon a socket notices its page has gone
FLOOR_WATCHERS = (Role.SUPERVISOR, Role.ADMIN)
KEEP_ALIVE = "<!--connected-->"  # the first frame of a page with nothing live to show


def telephony():
    return current_app.extensions["telephony"]


def _refuse(ws, message: str) -> None:
    """Close at once with 1008, then let simple-websocket's reader thread (started with the
    socket) finish before the server closes the connection: a thread that reached the
    socket only after that died on a closed descriptor (EBADF; seen once in CI)."""
    ws.close(reason=1008, message=message)
    ws.thread.join(timeout=2)


@sock.route("/ws/calls", bp=bp)
def calls_socket(ws):
    """Every signed-in page holds this socket: it tells the floor the user has a page open.
    It pushes an operator's pops (and the PBX link state) to every open tab of theirs, and
    the operators' rows to a supervisor's floor page (?floor=1)."""
    if not current_user.is_authenticated:
        return _refuse(ws, _("Log in to receive calls."))
    pipeline, presence = telephony(), current_app.extensions["presence"]
    language = get_locale().language  # the language this page was opened in
    floor = request.args.get("floor") == "1" and current_user.has(*FLOOR_WATCHERS)
    topics = _topics(language, floor)
    # read now: the user's row is expired by the first commit below
    user_id = current_user.id
    extension = current_user.extension if current_user.telephony_on else None
    # Subscribed before the state is read: a pop published in between is not lost.
    with pipeline.bus.subscribe(*topics) as inbox:
        presence.opened(user_id)
        try:
            _serve(ws, inbox, lambda: _state(pipeline, extension, floor), presence)
        except (ConnectionClosed, OSError):  # the page went away mid-send
            pass
        finally:
            presence.closed(user_id)


def _topics(language: str, floor: bool) -> list[str]:
    topics = [account_topic(current_user.id)]
    if current_user.telephony_on:
        extension = current_user.extension
        topics += [topic_for(extension, language), everyone(language)]
        if current_user.telephony_debug:
            topics.append(debug_topic_for(extension))
    if floor:
        topics.append(floor_topic(language))
    return topics


def _serve(ws, inbox, state, presence) -> None:
    """Send the state, then what the bus brings, until the page goes or the process stops."""
    restarting, ended = _("Server restarting"), _("Your session has ended. Log in again.")
    ws.send(state())
    while ws.connected:
        message = inbox.get(timeout=POLL_SECONDS)
        if message == ACCOUNT_CLOSED:  # disabled, or a new password: as the session
            ws.close(reason=1008, message=ended)
        elif message == RESEND:  # the bus was out of reach: pops may have been lost
            ws.send(state())
        elif message is not None:
            ws.send(message)
        presence.beat()
        if closing.is_set():  # this process is stopping: the page reconnects elsewhere
            ws.close(reason=1012, message=restarting)


def _state(pipeline, extension: str | None, floor: bool) -> str:
    """What the page shows live, as it is now, read from the database: the PBX link and the
    operator's pops, the floor's rows. No connection is held afterwards, for the socket's
    whole life."""
    parts = []
    try:
        if extension:  # telephony on
            parts += [pipeline.status_html(), pipeline.pops_html(extension)]
        if floor:
            parts.append(current_app.extensions["floor"].rows_html())
        return "".join(parts) or KEEP_ALIVE
    finally:
        db.session.remove()


@bp.post("/calls/<int:call_id>/dismiss")
@login_required
def dismiss(call_id: int):
    """Close a pop; it stays closed after a reload and in every other tab."""
    call = own_call(call_id)
    call.dismissed = True
    db.session.commit()
    render = telephony().pops_renderer(call.extension)  # read once, for every language
    telephony().publish_to(call.extension, render)
    return render()


def own_call(call_id: int) -> Call:
    """The logged-in operator's own call row; 404 or 403 otherwise."""
    call = db.session.get(Call, call_id) or abort(404, _("There is no such call."))
    if call.extension != current_user.extension:
        abort(403, _("This call belongs to another operator."))
    return call


