"""accounts and notes

Revision ID: a1f0c0de0001
Revises:
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "a1f0c0de0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "accounts",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("settings", postgresql.JSONB(), server_default=sa.text("'{}'::jsonb"), nullable=False),
        sa.Column("opens_at", sa.Time(), server_default=sa.text("'09:30:00'"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("email LIKE '%@%'", name="accounts_email_check"),
    )
    op.create_index("ix_accounts_email", "accounts", ["email"], unique=True)
    op.execute("COMMENT ON TABLE accounts IS 'who signs in: one row per \\:login'")
    op.execute("GRANT SELECT ON accounts TO PUBLIC")


def downgrade():
    op.drop_index("ix_accounts_email", table_name="accounts")
    op.drop_table("accounts")
