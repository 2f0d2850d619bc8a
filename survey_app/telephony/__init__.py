"""Telephony: the AMI client (ami/), the pure translation of its events into calls (calls/),
the glue that logs them and pushes pops (pipeline, call log, bus, shutdown), call control as a
service (control), and the web side (web/). This file imports nothing: importing the
translator must not drag Flask or a route along."""
