"""gunicorn settings: one worker process holds every operator's socket.

Run from the repository root: `gunicorn` (this file is read from the current folder; add
`-c gunicorn.conf.py` when starting elsewhere). Install with `pip install -e '.[serve]'`.
Each open operator page holds a WebSocket, and with flask-sock each socket holds one worker
thread for as long as the page is open, so threads are sized for sockets, not for requests.
"""
import os
import signal

wsgi_app = "wsgi:app"
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"

# Threads, not processes: one process keeps the in-process bus, the calls in progress and the
# AMI bridge (it logs in with the first request when AMI_HOST is set; AMI_BRIDGE_IN_WEB=1).
# gthread, less a cost per event that grew with the sockets held (survey_app/web_worker.py)
worker_class = "survey_app.web_worker.SocketsThreadWorker"
workers = int(os.environ.get("WEB_CONCURRENCY", "1"))
# A socket holds a thread: 1,000 operators' pages plus about 100 threads left for the pages'
# HTTP requests. A held socket costs about 75 KB of RSS (its thread and simple-websocket's
# reader thread; benchmarks/sockets_held.py --server gunicorn).
threads = 1100
# Open connections the worker accepts (sockets, requests and keep-alive ones); above `threads`
# so that HTTP keeps being accepted while every thread is busy.
worker_connections = 2000
# On SIGTERM the sockets close themselves with 1012 within a second (see
# survey_app/telephony/shutdown.py), so this only has to cover ordinary requests and the
# closing of many sockets: 1,000 took 2-6 s, and the worker was gone after 3-7 s, on a busy
# 2-core machine. (gunicorn's default is 30 s.)
graceful_timeout = 15
# `timeout` (30 s by default) is the worker's heartbeat, beaten by its main loop, so open
# sockets do not trip it. The app is loaded in the worker (no preload_app) so that it and
# its bus live where the sockets are.

# Several workers split the sockets: pops must then go through Redis (REDIS_URL), and the AMI
# events must be read by exactly one process, `flask ami-bridge`, with AMI_BRIDGE_IN_WEB=0 on
# the workers (each then keeps an actions-only AMI session for its operators' buttons).
if workers > 1:
    if not os.environ.get("REDIS_URL"):
        raise RuntimeError("WEB_CONCURRENCY > 1 needs REDIS_URL: each worker has its own "
                           "sockets and the pops must reach all of them.")
    if os.environ.get("AMI_HOST") and os.environ.get("AMI_BRIDGE_IN_WEB", "1") != "0":
        raise RuntimeError("WEB_CONCURRENCY > 1: set AMI_BRIDGE_IN_WEB=0 and run `flask "
                           "ami-bridge` once, else every worker publishes every call event.")


def post_worker_init(worker):
    """Make SIGTERM (and SIGINT, SIGQUIT) close the sockets with 1012 before the worker goes.

    gunicorn has no hook on a worker's SIGTERM (worker_int is for SIGINT/SIGQUIT only;
    worker_exit and on_exit run after the graceful wait), so the worker's own handlers,
    installed before this hook runs, are chained to.
    """
    from survey_app.telephony import shutdown
    shutdown.install()
    signal.siginterrupt(signal.SIGTERM, False)  # as gunicorn set it; signal.signal resets it
