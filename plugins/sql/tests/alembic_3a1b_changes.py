"""changes

Revision ID: 3a1b
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


def upgrade():
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), primary_key=True),
    )
    op.add_column("tags", sa.Column("label", sa.String(50), nullable=False))
    op.add_column("users", sa.Column("nickname", sa.String(50), nullable=True))
    op.add_column("users", sa.Column("plan", sa.String(20), nullable=False))
    op.add_column("users", sa.Column("tier", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("users", sa.Column("prefs", sa.JSON(), nullable=True))
    op.create_index(op.f("ix_users_email"), "users", ["email"], unique=False)
    op.drop_column("users", "legacy")
    op.alter_column("users", "age", type_=sa.BigInteger(), existing_type=sa.Integer())
    op.alter_column("users", "name", nullable=False)
    op.alter_column("users", "fullname", new_column_name="full_name")
    op.create_unique_constraint("uq_users_handle", "users", ["handle"])
    op.create_foreign_key("fk_orders_user", "orders", "users", ["user_id"], ["id"])
    op.drop_table("sessions")
    with op.get_context().autocommit_block():
        op.create_index("ix_orders_created", "orders", ["created_at"], postgresql_concurrently=True)


def downgrade():
    op.drop_table("tags")
    op.drop_column("users", "plan")
