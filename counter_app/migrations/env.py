"""Alembic environment: migrations run on a connection handed over by counter_app.models.db."""

from alembic import context
from sqlmodel import SQLModel

from counter_app import models  # noqa: F401  (the tables register on the metadata)

config = context.config
target_metadata = SQLModel.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        import sqlalchemy as sa

        connectable = sa.create_engine(config.get_main_option("sqlalchemy.url"))
        with connectable.begin() as conn:
            _run(conn)
    else:
        _run(connection)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
