"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tests.conftest import drop_schema
from tests.conftest import make_app
from wizard.extensions import db


def test_init_db_migrates_an_empty_database_to_the_models(tmp_path):
    app = make_app(tmp_path, schema=False)
    with app.app_context():
        drop_schema()
        try:
            result = app.test_cli_runner().invoke(args=["init-db"])
            assert result.exit_code == 0, result.output
            with db.engine.connect() as connection:
                differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
            assert differences == []
            assert "alembic_version" in sa.inspect(db.engine).get_table_names()
        finally:
            drop_schema()
            db.engine.dispose()
