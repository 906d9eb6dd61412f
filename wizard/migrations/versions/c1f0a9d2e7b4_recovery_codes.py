"""recovery codes: password recovery by the registered mobile

Revision ID: c1f0a9d2e7b4
Revises: f647bebac60a
Create Date: 2026-12-05 18:40:00

"""
from alembic import op
import sqlalchemy as sa
import wizard.models


# revision identifiers, used by Alembic.
revision = 'c1f0a9d2e7b4'
down_revision = 'f647bebac60a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('recovery_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', wizard.models.UTCDateTime(), nullable=False),
    sa.Column('expires_at', wizard.models.UTCDateTime(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('used_at', wizard.models.UTCDateTime(), nullable=True),
    sa.Column('address', sa.String(length=45), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_codes_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_codes_user_id'))
    op.drop_table('recovery_codes')
