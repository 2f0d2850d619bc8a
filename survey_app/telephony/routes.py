"""The operator's live socket, and what the pops' buttons do."""
from flask import abort, current_app
from flask_login import current_user, login_required
from simple_websocket import ConnectionClosed

from survey_app.extensions import db, sock
from survey_app.models import Call
from survey_app.telephony import bp
from survey_app.telephony.bus import ALL, debug_topic_for, topic_for
from survey_app.telephony.shutdown import closing

POLL_SECONDS = 1.0  # how soon a socket notices its page has gone


def telephony():
    return current_app.extensions["telephony"]


@sock.route("/ws/calls", bp=bp)
def calls_socket(ws):
    """Push the operator's pops (and the PBX link state) to every open tab of theirs."""
    if not current_user.is_authenticated:
        ws.close(reason=1008, message="Log in to receive calls.")
        return
    if not current_user.telephony_on:
        ws.close(reason=1008, message="Telephony is off for this user.")
        return
    extension = current_user.extension
    pipeline = telephony()
    topics = [topic_for(extension), ALL]
    if current_user.telephony_debug:
        topics.append(debug_topic_for(extension))
    # Subscribed before the state is read: a pop published in between is not lost.
    with pipeline.bus.subscribe(*topics) as inbox:
        first = pipeline.status_html() + pipeline.pops_html(extension)
        db.session.remove()  # hold no database connection for the socket's whole life
        try:
            ws.send(first)
            while ws.connected:
                message = inbox.get(timeout=POLL_SECONDS)
                if message is not None:
                    ws.send(message)
                if closing.is_set():  # this process is stopping: the page reconnects elsewhere
                    ws.close(reason=1012, message="Server restarting")
        except (ConnectionClosed, OSError):  # the page went away mid-send
            pass


@bp.post("/calls/<int:call_id>/dismiss")
@login_required
def dismiss(call_id: int):
    """Close a pop; it stays closed after a reload and in every other tab."""
    call = _own_call(call_id)
    call.dismissed = True
    db.session.commit()
    html = telephony().pops_html(call.extension)
    telephony().bus.publish(topic_for(call.extension), html)
    return html


def _own_call(call_id: int) -> Call:
    call = db.session.get(Call, call_id) or abort(404, "There is no such call.")
    if call.extension != current_user.extension:
        abort(403, "This call belongs to another operator.")
    return call


