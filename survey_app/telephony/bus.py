"""The bus from the telephony pipeline to the operators' sockets: in-process, or Redis pub/sub.

Topics are "ext:<extension>" for one operator's pages, "all" for everyone (the PBX link
indicator), "floor:<language>" for the supervisors' floor pages, "debug:<extension>" for the raw AMI
events of an operator with debug on (JSON after DEBUG_MARK, logged in the browser console),
and "account:<user id>" for the end of a
user's sessions (ACCOUNT_CLOSED: disabled, or a new password). Other messages are HTML fragments,
rendered once per operator before publishing, so a socket only forwards bytes: no rendering
and no database on the socket threads.
"""
import logging
import queue
import threading
import time

log = logging.getLogger(__name__)

QUEUE_SIZE = 500  # per socket; a page that stops reading loses the oldest, never blocks others


def topic_for(extension: str, language: str = "") -> str:
    """An operator's pops, rendered in one language: each page reads the language it shows."""
    return f"ext:{extension}:{language}" if language else f"ext:{extension}"


def everyone(language: str) -> str:
    """What every page shows alike (the PBX link's state), in one language."""
    return f"all:{language}"


def debug_topic_for(extension: str) -> str:
    """Raw AMI events for an operator who switched debug on (JSON, not HTML)."""
    return f"debug:{extension}"


def floor_topic(language: str) -> str:
    """Operators' rows of the supervisors' live floor, rendered in one language."""
    return f"floor:{language}"


def account_topic(user_id: int) -> str:
    """A user's sockets, to close them when the user's sessions end."""
    return f"account:{user_id}"


ACCOUNT_CLOSED = "<!--account closed-->"  # never the text of a pop
RESEND = "<!--resend the state-->"  # to every socket: what it was sent may have been lost
DEBUG_MARK = "<!--ami-->"  # starts a raw-event message: the page logs it instead of swapping


class Subscription:
    """One socket's inbox: messages of its topics, in order."""

    def __init__(self, bus: "LocalBus", topics: tuple[str, ...]):
        self._bus, self.topics = bus, topics
        self._inbox: queue.Queue[str] = queue.Queue(QUEUE_SIZE)

    def deliver(self, message: str) -> None:
        try:
            self._inbox.put_nowait(message)
        except queue.Full:  # a stalled page: drop its oldest message, keep the newest state
            try:
                self._inbox.get_nowait()
            except queue.Empty:
                pass
            self._inbox.put_nowait(message)

    def get(self, timeout: float) -> str | None:
        """The next message, or None after `timeout` seconds (so the socket can check itself)."""
        try:
            return self._inbox.get(timeout=timeout)
        except queue.Empty:
            return None

    def close(self) -> None:
        self._bus.unsubscribe(self)

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        self.close()


class LocalBus:
    """Publish to the sockets of this process: the embedded default."""

    def __init__(self):
        self._lock = threading.Lock()
        self._subscribers: dict[str, list[Subscription]] = {}

    def subscribe(self, *topics: str) -> Subscription:
        subscription = Subscription(self, topics)
        with self._lock:
            for topic in topics:
                self._subscribers.setdefault(topic, []).append(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            for topic in subscription.topics:
                listeners = self._subscribers.get(topic, [])
                if subscription in listeners:
                    listeners.remove(subscription)
                if not listeners:
                    self._subscribers.pop(topic, None)

    def listened(self, topic: str) -> bool:
        """Whether a socket of this process reads the topic now: a pop in a language no
        page shows need not be rendered. (One that subscribes later reads the state from the
        database first, after this event's commit.)"""
        with self._lock:
            return bool(self._subscribers.get(topic))

    def topics(self) -> list[str]:
        """The topics a socket of this process reads now."""
        with self._lock:
            return list(self._subscribers)

    def publish(self, topic: str, message: str) -> int:
        """Deliver to every subscriber of the topic; how many there were."""
        with self._lock:
            listeners = list(self._subscribers.get(topic, ()))
        for subscription in listeners:
            subscription.deliver(message)
        return len(listeners)

    def publish_everywhere(self, message: str) -> None:
        """Deliver to every socket of this process, once each."""
        with self._lock:
            listeners = {id(s): s for subs in self._subscribers.values() for s in subs}
        for subscription in listeners.values():
            subscription.deliver(message)

    def close(self) -> None:
        with self._lock:
            self._subscribers.clear()

    def failing(self) -> str | None:
        """Why the bus cannot carry a pop now, or None: in-process, it always can."""
        return None


class RedisBus:
    """Publish through Redis so a pop reaches the socket whichever web process holds it.

    Every process runs one listener thread on a pattern subscription and hands messages to
    its own sockets through a LocalBus. Pub/sub drops what is published while Redis is out
    of reach; the state of every call is in the database, so when the listener subscribes
    again each socket of the process is told to send its page the state anew (RESEND), as a
    reconnecting page is sent it first (see web/socket.py). A publish that fails is logged
    and dropped: the pipeline and the requests go on, and the resend makes up for it.
    """

    PREFIX = "survey-app:"
    RETRY_SECONDS = 1.0
    # Topics whose listeners are marked in Redis, so a publisher in any process knows
    # whether to render at all: the floor's rows change on every survey and call, and are
    # read only while a supervisor has the floor open. A mark lives MARK_SECONDS unless the
    # listening process renews it (every MARK_SECONDS / 3).
    MARKED = ("floor:",)
    MARK_SECONDS = 30

    def __init__(self, url: str):
        try:
            import redis  # only needed when REDIS_URL is set: the `redis` extra
        except ModuleNotFoundError as missing:
            raise RuntimeError("REDIS_URL is set but the redis package is not installed: "
                               "pip install 'survey-app[redis]'") from missing

        self._errors = (redis.RedisError, OSError)
        self._redis = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5,
                                           health_check_interval=30)
        self._local = LocalBus()
        self._pubsub = self._redis.pubsub()  # its subscribe confirmations are wanted
        self._stopping = threading.Event()
        self._listened_before = False  # so a later subscription is a return after an outage
        self._marked_at = 0.0
        self._thread = threading.Thread(target=self._listen, name="redis-bus", daemon=True)
        self._thread.start()

    def _listen(self) -> None:
        """Subscribe, then hand every message to this process's sockets; after Redis was
        out of reach, subscribe again and have every socket resend its state."""
        subscribed = False
        while not self._stopping.is_set():
            try:
                if not subscribed:
                    self._pubsub.psubscribe(self.PREFIX + "*")
                    subscribed = True
                message = self._pubsub.get_message(timeout=self.RETRY_SECONDS)
                self._renew_marks()
            except self._errors as error:
                log.warning("Redis bus: %s; subscribing again", type(error).__name__)
                self._pubsub.reset()  # a new connection, subscribed from scratch
                subscribed = False
                self._stopping.wait(self.RETRY_SECONDS)
                continue
            self._handle(message)

    def _handle(self, message: dict | None) -> None:
        if message is None:
            return
        if message["type"] == "psubscribe":
            if self._listened_before:
                self._local.publish_everywhere(RESEND)
            self._listened_before = True
        elif message["type"] == "pmessage":
            topic = message["channel"].decode()[len(self.PREFIX):]
            self._local.publish(topic, message["data"].decode())

    def subscribe(self, *topics: str) -> Subscription:
        subscription = self._local.subscribe(*topics)
        self._mark([topic for topic in topics if topic.startswith(self.MARKED)])
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        self._local.unsubscribe(subscription)

    def listened(self, topic: str) -> bool:
        """A marked topic: whether a socket of any process reads it (its mark in Redis).
        Any other is unknown across processes (each listens to every topic by one
        pattern): yes."""
        if not topic.startswith(self.MARKED) or self._local.listened(topic):
            return True
        try:
            return bool(self._redis.exists(self._mark_key(topic)))
        except self._errors:
            return False  # the publish would be lost too; the resend makes up for it

    def _mark_key(self, topic: str) -> str:
        return f"{self.PREFIX}listened:{topic}"

    def _mark(self, topics: list[str]) -> None:
        if not topics:
            return
        try:
            with self._redis.pipeline(transaction=False) as marks:
                for topic in topics:
                    marks.set(self._mark_key(topic), 1, ex=self.MARK_SECONDS)
                marks.execute()
        except self._errors as error:
            log.warning("Redis bus: %s; a listener is not marked", type(error).__name__)

    def _renew_marks(self) -> None:
        """Every MARK_SECONDS / 3, renew the marks of the topics this process listens to."""
        if time.monotonic() - self._marked_at < self.MARK_SECONDS / 3:
            return
        self._marked_at = time.monotonic()
        self._mark([topic for topic in self._local.topics() if topic.startswith(self.MARKED)])

    def publish(self, topic: str, message: str) -> int:
        """How many processes listen; 0 when Redis is out of reach (the message is lost)."""
        try:
            return self._redis.publish(self.PREFIX + topic, message)
        except self._errors as error:
            log.warning("Redis bus: %s; a message to %s is lost", type(error).__name__,
                        topic.split(":")[0])
            return 0

    def failing(self) -> str | None:
        """Why Redis cannot carry a pop now (no answer to PING), or None."""
        try:
            self._redis.ping()
        except Exception as error:  # noqa: BLE001  (any failure is the answer)
            return f"redis: {type(error).__name__}"
        return None

    def close(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=2 * self.RETRY_SECONDS + 5)
        self._pubsub.close()
        self._redis.close()
        self._local.close()


def make_bus(redis_url: str | None):
    """Redis pub/sub when REDIS_URL is set (several web processes), else in-process."""
    return RedisBus(redis_url) if redis_url else LocalBus()
