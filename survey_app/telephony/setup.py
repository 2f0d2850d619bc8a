"""Wire the telephony pipeline into the app; the AMI bridge starts in the serving process.

With AMI_BRIDGE_IN_WEB=0 (`flask ami-bridge` runs the bridge alone and feeds the bus), a
web process still logs in, with events off, so that its operators' actions reach Asterisk.
"""
import threading

from flask import Flask

from survey_app.telephony.control import CallControl
from survey_app.telephony.pipeline import Telephony
from survey_app.telephony.presence import Presence


def init_app(app: Flask) -> None:
    pipeline = Telephony(app)
    app.extensions["telephony"] = pipeline
    app.extensions["call_control"] = control = CallControl(pipeline, app.config)
    app.extensions["presence"] = Presence(app)
    # every page's header shows the PBX link and offers call control only when it can work
    app.jinja_env.globals.update(telephony=pipeline, call_control=control)
    if not app.config.get("AMI_HOST") or app.testing:
        return
    events = bool(app.config["AMI_BRIDGE_IN_WEB"])
    started, lock = [], threading.Lock()

    # Not at import: `flask db upgrade` and the reloader's parent must not log in to Asterisk.
    @app.before_request
    def _start_bridge_once():
        if not started:
            with lock:
                if not started:
                    pipeline.start_bridge(events=events)
                    started.append(True)
