"""`flask messages …`: tick (cron), worker (RQ) and deliver (one message now)."""

import click
from flask import current_app
from flask.cli import AppGroup

from . import delivery
from .reminders import tick


@click.group("messages", cls=AppGroup)
def messages_group():
    """The SMS outbox: reminders, delivery workers."""


@messages_group.command("tick")
def tick_command():
    """Queue the reminders and round-opened messages that are due; hand lost messages to the queue again."""
    counts = tick()
    click.echo(f"round-opened={counts['opened']} reminders={counts['reminders']} retried={counts['retried']}")


@messages_group.command("worker")
@click.option("--burst", is_flag=True, help="stop once the queue is empty")
@click.option("--fork", is_flag=True, help="run each job in a forked process (RQ's Worker) instead of in this one")
def worker_command(burst, fork):
    """Run an RQ worker for the messages queue (REDIS_URL); start as many as needed, on any machine.

    By default jobs run in the worker's own process (RQ's SimpleWorker), which keeps its database connections:
    a delivery is two short updates and a provider call, and a fork per job would cost more than the job."""
    from rq import SimpleWorker
    from rq import Worker

    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: without Redis messages are sent inside the app")
    queue = delivery.rq_queue(current_app.config)
    worker_class = Worker if fork else SimpleWorker
    worker_class([queue], connection=queue.connection).work(burst=burst, logging_level="WARNING")


@messages_group.command("deliver")
@click.argument("message_id", type=int)
def deliver_command(message_id):
    """Make one attempt at one queued message now."""
    click.echo(delivery.deliver(message_id))
