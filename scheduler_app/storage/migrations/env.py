"""Alembic environment: ``Store.open`` passes its own connection in ``config.attributes``.

Run from the command line (``alembic -x url=sqlite:///file.db upgrade head`` with a config that
points ``script_location`` here) it opens a connection from that URL instead.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from scheduler_app.storage.tables import metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("give the database as: alembic -x url=<SQLAlchemy URL> upgrade head")
    with create_engine(url).begin() as fresh:
        _run(fresh)
