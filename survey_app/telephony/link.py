"""The state of the link to the PBX, as the bridge reports it. Pure: no Flask."""


class LinkStatus(str):
    """English text for the log, with a code and values that the page words in the
    operator's language: not_configured, connecting, connected, lost, login_refused,
    unreachable, stopped."""

    code: str
    params: dict

    def __new__(cls, code: str, text: str, **params):
        status = super().__new__(cls, text)
        status.code, status.params = code, params
        return status


NOT_CONFIGURED = LinkStatus("not_configured", "Telephony is not configured (no AMI_HOST).")
