"""Delivery jobs: in-process (eager and the thread pool) and on real RQ over Redis (database 7)."""

import os

import pytest
import sqlalchemy as sa

from tests.auth.test_limits import redis_available
from tests.conftest import make_app
from tests.notify.fake_gateway import API_KEY
from tests.notify.fake_gateway import FakeGateway
from tests.notify.helpers import sent
from wizard.extensions import db
from wizard.models import Message
from wizard.notify import send

REDIS_URL = "redis://127.0.0.1:6379/7"


def _queue(keys):
    for key in keys:
        send("receipt", mobile="09121234567", template="receipt", context={"office": "T1", "code": key}, key=key)
    db.session.commit()


def _statuses():
    db.session.commit()
    return dict(db.session.execute(sa.select(Message.key, Message.status)).all())


def test_the_thread_pool_sends_after_the_commit_without_blocking(tmp_path):
    from wizard.notify import delivery

    app = make_app(tmp_path, MESSAGES_QUEUE="thread")
    with app.app_context():
        _queue(["a", "b", "c"])  # returns once committed: the pool sends on its own threads
        delivery.wait_for_pool()  # every delivery has ended, its connection back in the pool
        assert sorted(line["text"][-1] for line in sent(app)) == ["a", "b", "c"]
        assert set(_statuses().values()) == {"delivered"}


def test_nothing_is_dispatched_twice_when_two_workers_race(app):
    """Two attempts at one message (a job and the sweep): the claim lets one send."""
    from wizard.notify import delivery

    with app.app_context():
        message = send("receipt", mobile="09121234567", template="receipt", context={"office": "T", "code": "1"},
                       key="once")
        db.session.commit()
        assert delivery.deliver(message.id) == "skipped"  # the commit's own delivery sent it already
        assert len(sent(app)) == 1


redis_only = pytest.mark.skipif(not redis_available() and not os.environ.get("CI"), reason="no Redis on 127.0.0.1:6379")


@pytest.fixture
def rq_app(tmp_path):
    import redis

    connection = redis.Redis.from_url(REDIS_URL)
    connection.flushdb()
    app = make_app(tmp_path, MESSAGES_QUEUE="rq", REDIS_URL=REDIS_URL, SMS_RETRY_DELAYS=(0,), SMS_MAX_ATTEMPTS=3)
    yield app
    connection.flushdb()
    connection.close()


def _work(app):
    from rq import SimpleWorker

    from wizard.notify.delivery import rq_queue

    queue = rq_queue(app.config)
    SimpleWorker([queue], connection=queue.connection).work(burst=True, logging_level="WARNING")
    return queue


@redis_only
@pytest.mark.xdist_group("redis-7")
def test_rq_jobs_are_enqueued_after_the_commit_and_a_worker_sends_them(rq_app):
    from wizard.notify.delivery import rq_queue

    with rq_app.app_context():
        queue = rq_queue(rq_app.config)
        send("receipt", mobile="09121234567", template="receipt", context={"office": "T", "code": "1"}, key="x")
        assert queue.count == 0  # not before the commit
        db.session.rollback()
        assert queue.count == 0  # and never for a rolled-back transaction
        _queue(["1", "2"])
        assert queue.count == 2
        _work(rq_app)
        assert _statuses() == {"1": "delivered", "2": "delivered"}
        assert len(sent(rq_app)) == 2


@redis_only
@pytest.mark.xdist_group("redis-7")
def test_rq_retries_a_provider_that_fails_then_answers(tmp_path):
    import redis

    connection = redis.Redis.from_url(REDIS_URL)
    connection.flushdb()
    try:
        with FakeGateway() as gateway:
            gateway.script = ["5xx", "5xx", "ok"]
            app = make_app(tmp_path, MESSAGES_QUEUE="rq", REDIS_URL=REDIS_URL, SMS_RETRY_DELAYS=(0,),
                           SMS_MAX_ATTEMPTS=3, SMS_PROVIDER="http", SMS_API_URL=gateway.url, SMS_API_KEY=API_KEY,
                           SMS_SENDER="3000", SMS_TIMEOUT=2)
            with app.app_context():
                _queue(["r"])
                _work(app)
                db.session.commit()
                message = db.session.scalar(sa.select(Message))
                assert (message.status, message.attempts, message.provider_id) == ("sent", 3, "1001")
            assert len(gateway.requests) == 3
    finally:
        connection.flushdb()
        connection.close()
