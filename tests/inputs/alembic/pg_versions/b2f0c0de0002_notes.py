"""notes

Revision ID: b2f0c0de0002
Revises: a1f0c0de0001
"""
import sqlalchemy as sa
from alembic import op

revision = "b2f0c0de0002"
down_revision = "a1f0c0de0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("account_id", sa.BigInteger(), sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("tags", sa.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False),
    )
    op.add_column("accounts", sa.Column("display_name", sa.String(100)))
    op.create_index("ix_notes_account_id", "notes", ["account_id"])


def downgrade():
    op.drop_index("ix_notes_account_id", table_name="notes")
    op.drop_column("accounts", "display_name")
    op.drop_table("notes")
