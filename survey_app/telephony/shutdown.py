"""Stopping: close the operators' sockets with 1012 so their pages reconnect to the next process.

`closing` is set when this process is told to stop; each socket loop sees it within
POLL_SECONDS and closes with 1012 (Service Restart), one of the codes on which the htmx ws
extension reconnects. Without it a stopping gunicorn worker keeps the sockets (and itself)
for the whole graceful timeout.
"""
import os
import signal
import threading

closing = threading.Event()
_installed: set[int] = set()


def install(signals=(signal.SIGTERM, signal.SIGINT, signal.SIGQUIT)) -> None:
    """On these signals set `closing`, then do what the handler found in place did.

    Call it in the main thread after the server has installed its own handlers (gunicorn:
    the post_worker_init hook); calling it again changes nothing.
    """
    for signum in signals:
        if signum in _installed:
            continue
        previous = signal.getsignal(signum)

        def handler(sig, frame, previous=previous):
            closing.set()
            if callable(previous):
                previous(sig, frame)
            elif previous == signal.SIG_DFL:  # end the process as the signal would have
                signal.signal(sig, signal.SIG_DFL)
                os.kill(os.getpid(), sig)

        signal.signal(signum, handler)
        _installed.add(signum)
