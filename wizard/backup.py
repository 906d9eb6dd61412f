"""Backups and their proof: a consistent copy of the database, and a hash of its content to compare
after a restore (README, "Backups")."""

import hashlib
import json
import sqlite3
import subprocess
from datetime import date
from datetime import datetime

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from .extensions import db


def backup(path: str) -> None:
    """SQLite: the online backup API (a consistent copy while the app runs).
    PostgreSQL: pg_dump in its custom format (restore with pg_restore)."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(url.database) as source, sqlite3.connect(path) as target:
            source.backup(target)
        return
    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={path}", plain], check=True)


def content_hash() -> str:
    """SHA-256 over every table's rows in primary-key order, the schema version (if migrated) included."""
    digest = hashlib.sha256()
    tables = [(table, list(table.primary_key.columns))
              for table in sorted(db.metadata.tables.values(), key=lambda table: table.name)]
    if sa.inspect(db.engine).has_table("alembic_version"):
        version = sa.table("alembic_version", sa.column("version_num"))
        tables.append((version, [version.c.version_num]))
    for table, order in tables:
        digest.update(table.name.encode())
        for row in db.session.execute(sa.select(table).order_by(*order)):
            digest.update(json.dumps([_plain(value) for value in row], ensure_ascii=False, sort_keys=True).encode())
    return digest.hexdigest()


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


@click.command("backup")
@click.argument("path")
@with_appcontext
def backup_command(path):
    """Copy the database to PATH while the app runs (SQLite file, or a pg_dump archive)."""
    backup(path)
    click.echo(path)


@click.command("content-hash")
@with_appcontext
def content_hash_command():
    """Print a SHA-256 of every table's content: equal before a backup and after its restore."""
    click.echo(content_hash())
