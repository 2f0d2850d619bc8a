"""gunicorn's gthread worker without a cost that grew with the sockets a process holds.

Each open operator page holds a WebSocket, which to gunicorn is a request in progress for as
long as the page is open. After every event (a connection accepted, a keep-alive connection
readable) gthread's loop called concurrent.futures.wait over every request in progress,
locking and unlocking each one's condition and hanging a waiter on each: with 250 sockets a
process that was about a seventh of its time (py-spy, 500 operators on 2 workers), and it
grows with the sockets (1,000 per process is what gunicorn.conf.py is sized for). Here a
request leaves the set of those in progress by its own done-callback, and the loop only
waits for room when every connection slot is taken.

gunicorn.conf.py names it as worker_class; the rest of gthread (accepting, keep-alive, the
thread pool, the graceful stop) is gunicorn's own. Written against gunicorn 23 (pinned in
pyproject.toml), whose ThreadWorker.run this replaces.
"""
import selectors
import threading
from concurrent import futures
from functools import partial

from gunicorn.workers.gthread import ThreadWorker


class SocketsThreadWorker(ThreadWorker):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.futures = set()  # the requests in progress (sockets included)
        self._room = threading.Event()  # set when a request ends

    def _wrap_future(self, fs, conn):
        fs.conn = conn
        self.futures.add(fs)
        fs.add_done_callback(self._ended)
        fs.add_done_callback(self.finish_request)

    def _ended(self, fs):
        self.futures.discard(fs)
        self._room.set()

    def run(self):
        for sock in self.sockets:
            sock.setblocking(False)
            # the listener's name, captured once: it may be gone during a graceful stop
            acceptor = partial(self.accept, sock.getsockname())
            self.poller.register(sock, selectors.EVENT_READ, acceptor)

        while self.alive:
            self.notify()  # tell the arbiter this worker is alive
            if self.nr_conns < self.worker_connections:
                for key, _ in self.poller.select(1.0):
                    key.data(key.fileobj)
            else:  # every connection slot taken: wait for a request to end
                self._room.wait(1.0)
                self._room.clear()
            if not self.is_parent_alive():
                break
            self.murder_keepalived()

        self.tpool.shutdown(False)
        self.poller.close()
        for sock in self.sockets:
            sock.close()
        futures.wait(list(self.futures), timeout=self.cfg.graceful_timeout)
