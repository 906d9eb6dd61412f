"""users.role fits the association role (11 characters; PostgreSQL refused it in 10)

Revision ID: 5c1e0a9d2b7f
Revises: c1f0a9d2e7b4
Create Date: 2026-12-05 18:33:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c1e0a9d2b7f'
down_revision = 'c1f0a9d2e7b4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('role', existing_type=sa.String(length=10), type_=sa.String(length=20),
                              existing_nullable=False)


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('role', existing_type=sa.String(length=20), type_=sa.String(length=10),
                              existing_nullable=False)
