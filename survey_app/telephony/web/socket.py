"""The operator's live socket, and what the pops' buttons do."""
from flask import abort, current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from simple_websocket import ConnectionClosed

from survey_app.extensions import db, sock
from survey_app.models import Call
from survey_app.telephony.bus import (
    ACCOUNT_CLOSED,
    RESEND,
    account_topic,
    debug_topic_for,
    everyone,
    topic_for,
)
from survey_app.telephony.shutdown import closing
from survey_app.telephony.web import bp

POLL_SECONDS = 1.0  # how soon a socket notices its page has gone


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
    """Push the operator's pops (and the PBX link state) to every open tab of theirs."""
    if not current_user.is_authenticated:
        return _refuse(ws, _("Log in to receive calls."))
    if not current_user.telephony_on:
        return _refuse(ws, _("Telephony is off for this user."))
    extension = current_user.extension
    pipeline = telephony()
    language = get_locale().language  # the language this page was opened in
    topics = [topic_for(extension, language), everyone(language), account_topic(current_user.id)]
    if current_user.telephony_debug:
        topics.append(debug_topic_for(extension))
    # Subscribed before the state is read: a pop published in between is not lost.
    with pipeline.bus.subscribe(*topics) as inbox:
        restarting, ended = _("Server restarting"), _("Your session has ended. Log in again.")
        try:
            ws.send(_state(pipeline, extension))
            while ws.connected:
                message = inbox.get(timeout=POLL_SECONDS)
                if message == ACCOUNT_CLOSED:  # disabled, or a new password: as the session
                    ws.close(reason=1008, message=ended)
                elif message == RESEND:  # the bus was out of reach: pops may have been lost
                    ws.send(_state(pipeline, extension))
                elif message is not None:
                    ws.send(message)
                if closing.is_set():  # this process is stopping: the page reconnects elsewhere
                    ws.close(reason=1012, message=restarting)
        except (ConnectionClosed, OSError):  # the page went away mid-send
            pass


def _state(pipeline, extension: str) -> str:
    """The PBX link and the operator's pops as they are now, read from the database; no
    connection is held afterwards, for the socket's whole life."""
    try:
        return pipeline.status_html() + pipeline.pops_html(extension)
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


