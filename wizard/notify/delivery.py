"""Delivering the outbox: a job per message, started only after the transaction that wrote it commits.

Where the jobs run (MESSAGES_QUEUE): "rq" (the default with REDIS_URL) on RQ workers (`flask messages worker`, as
many processes and machines as needed); "thread" (the default without Redis) in a small pool of this process, after
the commit, so a page never waits for the provider; "eager" (tests) at once, in the committing thread.

An attempt first claims the message (queued → sending, in one UPDATE): two workers never send one message. A
provider's refusal fails it for good; a provider that cannot take it now leaves it queued for another attempt after
a backoff (RQ's Retry; the thread pool's timer), up to SMS_MAX_ATTEMPTS. `flask messages tick` sweeps up what a lost
job left behind."""

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask import has_app_context
from sqlalchemy.orm import Session

from .. import clock
from ..extensions import db
from ..models import Message
from . import providers
from .texts import SECRET_TEMPLATES
from .texts import redact

log = logging.getLogger(__name__)
QUEUE_NAME = "messages"
_PENDING = "notify_pending_ids"
LEASE = timedelta(minutes=10)  # a message still "sending" after this lost its worker: tick queues it again
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


class RetryLater(Exception):
    """Raised in an RQ job so that RQ's Retry runs it again after the backoff."""


def after_commit(session, ids: list[int]) -> None:
    """Deliver these messages once the session's transaction commits (forgotten if it rolls back)."""
    if ids:
        session.info.setdefault(_PENDING, []).extend(ids)


@sa.event.listens_for(Session, "after_commit")
def _committed(session):
    ids = session.info.pop(_PENDING, None)
    if ids and has_app_context():
        try:
            dispatch(ids)
        except Exception:  # a broken queue never breaks the page that committed: tick sends them later
            log.exception("could not start the delivery of messages %s", ids[:10])


@sa.event.listens_for(Session, "after_rollback")
def _rolled_back(session):
    session.info.pop(_PENDING, None)


def mode(config=None) -> str:
    config = config or current_app.config
    return config.get("MESSAGES_QUEUE") or ("rq" if config.get("REDIS_URL") else "thread")


def dispatch(ids: list[int], delay: float = 0) -> None:
    """Start the delivery of these (committed) messages the configured way."""
    app = current_app._get_current_object()
    how = mode(app.config)
    if how == "eager":
        if not delay:
            for message_id in ids:
                deliver(message_id)
        return  # an eager retry waits for the next tick
    if how == "rq":
        queue = rq_queue(app.config)
        retry = _rq_retry(app.config)
        with queue.connection.pipeline() as pipe:
            for message_id in ids:
                queue.enqueue("wizard.notify.job.run", message_id, retry=retry, pipeline=pipe,
                              result_ttl=0, failure_ttl=24 * 3600, job_timeout=120)
            pipe.execute()
        return
    if how != "thread":
        raise ValueError(f"unknown MESSAGES_QUEUE {how!r}: rq, thread or eager")
    if delay:
        timer = threading.Timer(delay, _submit, (app, ids))
        timer.daemon = True  # tick sends what a process that ended left behind
        timer.start()
    else:
        _submit(app, ids)


def _submit(app, ids):
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="messages")
    for message_id in ids:
        _pool.submit(_deliver_in, app, message_id)


def wait_for_pool() -> None:
    """Let the in-process deliveries under way finish (a process that stops; a test before its app goes)."""
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True)


def _deliver_in(app, message_id: int) -> None:
    with app.app_context():
        try:
            if deliver(message_id) == "retry":
                dispatch([message_id], delay=backoff(app.config, _attempts(message_id)))
        except Exception:
            log.exception("delivering message %s failed", message_id)


def _attempts(message_id: int) -> int:
    with Session(db.engine) as session:
        return session.scalar(sa.select(Message.attempts).where(Message.id == message_id)) or 1


def backoff(config, attempts: int) -> int:
    """Seconds before attempt number attempts + 1."""
    delays = list(config.get("SMS_RETRY_DELAYS") or (30,))
    return delays[min(attempts, len(delays)) - 1]


def rq_queue(config):
    from redis import Redis
    from rq import Queue

    return Queue(QUEUE_NAME, connection=Redis.from_url(config["REDIS_URL"]))


def _rq_retry(config):
    from rq import Retry

    delays = list(config.get("SMS_RETRY_DELAYS") or (30,))
    return Retry(max=config["SMS_MAX_ATTEMPTS"] - 1, interval=delays)


def deliver(message_id: int, provider=None) -> str:
    """One attempt at one message, in a session of its own: "sent", "delivered", "failed", "retry" (another attempt
    may succeed) or "skipped" (not queued: sent already, or another worker holds it)."""
    app = current_app
    now = clock.now()
    with Session(db.engine) as session:
        # The claim, then the provider outside any transaction (SQLite's write lock is not held while it answers),
        # then the outcome in a transaction that starts by writing.
        claimed = session.execute(
            sa.update(Message).where(Message.id == message_id, Message.status == "queued")
            .values(status="sending", attempts=Message.attempts + 1, next_attempt_at=now + LEASE))
        if claimed.rowcount != 1:
            session.rollback()
            return "skipped"
        mobile, text, attempts, template = session.execute(
            sa.select(Message.mobile, Message.text, Message.attempts, Message.template)
            .where(Message.id == message_id)).one()
        session.commit()
        provider = provider or providers.from_config(app.config, app.instance_path)
        values = {"provider": provider.name}
        try:
            receipt = provider.send(mobile, text, str(message_id))
        except providers.Rejected as refusal:
            values |= {"status": "failed", "last_error": str(refusal)[:500], "next_attempt_at": None}
        except providers.Unavailable as trouble:
            last = attempts >= app.config["SMS_MAX_ATTEMPTS"]
            values |= {"status": "failed" if last else "queued", "last_error": str(trouble)[:500],
                       "next_attempt_at": None if last else now + timedelta(seconds=backoff(app.config, attempts))}
        except Exception as error:  # a bug in a provider must not leave the message "sending" for ever
            log.exception("provider %s failed on message %s", provider.name, message_id)
            values |= {"status": "queued", "last_error": f"{type(error).__name__}: {error}"[:500],
                       "next_attempt_at": now + timedelta(seconds=backoff(app.config, attempts))}
        else:
            values |= {"status": "delivered" if receipt.delivered else "sent", "provider_id": receipt.provider_id,
                       "sent_at": clock.now(), "last_error": None, "next_attempt_at": None}
        if template in SECRET_TEMPLATES and values["status"] != "queued":
            values["text"] = redact(text)  # the code is not kept once it went (or never will)
        session.execute(sa.update(Message).where(Message.id == message_id).values(**values))
        session.commit()
    return "retry" if values["status"] == "queued" else values["status"]

