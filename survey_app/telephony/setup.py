"""Wire the telephony pipeline into the app; the AMI bridge starts in the serving process."""
import threading

from flask import Flask

from survey_app.telephony.pipeline import Telephony


def init_app(app: Flask) -> None:
    pipeline = Telephony(app)
    app.extensions["telephony"] = pipeline
    if not app.config.get("AMI_HOST") or app.testing or not app.config["AMI_BRIDGE_IN_WEB"]:
        return
    started, lock = [], threading.Lock()

    # Not at import: `flask db upgrade` and the reloader's parent must not log in to Asterisk.
    @app.before_request
    def _start_bridge_once():
        if not started:
            with lock:
                if not started:
                    pipeline.start_bridge()
                    started.append(True)
