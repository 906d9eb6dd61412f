"""Backup and restore: the restored database has the same content hash as the one backed up."""

import shutil
import subprocess

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tests.conftest import POSTGRES_URL
from tests.conftest import make_app
from tests.declaration.test_declaration import fill_all
from tests.declaration.test_declaration import review_version
from tests.declaration.test_declaration import url
from tests.conftest import office_id
from wizard.extensions import db
from wizard.models import Submission


def content_hash(app) -> str:
    result = app.test_cli_runner().invoke(args=["content-hash"])
    assert result.exit_code == 0, result.output
    return result.output.strip()


@pytest.fixture
def restored_url(demo_data, tmp_path):
    """Where the backup is restored: a fresh SQLite file or a fresh PostgreSQL database (dropped after)."""
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path / 'restored.sqlite'}"
        return
    source = make_url(demo_data.config["SQLALCHEMY_DATABASE_URI"])
    admin = sa.create_engine(source.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text("DROP DATABASE IF EXISTS wizard_restore_test"))
        connection.execute(sa.text("CREATE DATABASE wizard_restore_test"))
    yield source.set(database="wizard_restore_test").render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text("DROP DATABASE IF EXISTS wizard_restore_test WITH (FORCE)"))
    admin.dispose()


@pytest.mark.usefixtures("in_the_window")
def test_a_restored_backup_has_the_same_content(demo_data, holder_client, restored_url, tmp_path):
    office = office_id(demo_data, "P-1038")
    fill_all(holder_client, demo_data, office)
    holder_client.post(url(office, "submit"), data={"declare": "y", "version": review_version(holder_client, office)})
    before = content_hash(demo_data)
    archive = tmp_path / "backup.archive"
    assert demo_data.test_cli_runner().invoke(args=["backup", str(archive)]).exit_code == 0

    if POSTGRES_URL:
        plain = make_url(restored_url).set(drivername="postgresql").render_as_string(hide_password=False)
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={plain}", str(archive)], check=True)
    else:
        shutil.copy(archive, make_url(restored_url).database)
    restored = make_app(tmp_path / "restored", schema=False, SQLALCHEMY_DATABASE_URI=restored_url)
    assert content_hash(restored) == before
    with restored.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 1
        db.session.execute(sa.update(Submission).values(tracking_code="0000000000"))
        db.session.commit()
        db.engine.dispose()
    assert content_hash(restored) != before  # the hash sees a changed cell
