"""The store's schema as the database describes it, and upgrading a store from an earlier revision."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from counter_app.models.db import Store, alembic_config, open_store


def schema(store: Store) -> dict:
    """The store's tables as the database itself describes them."""
    inspector = sa.inspect(store.engine)
    described = {}
    for table in inspector.get_table_names():
        if table == "alembic_version":
            continue
        described[table] = {
            # sorted: a column added by a later migration comes last, where create_all puts it in model order
            "columns": sorted((c["name"], str(c["type"]), c["nullable"], c["default"])
                              for c in inspector.get_columns(table)),
            "primary key": inspector.get_pk_constraint(table)["constrained_columns"],
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                              for i in inspector.get_indexes(table)),
            "unique": sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)),
            "foreign keys": sorted((tuple(f["constrained_columns"]), f["referred_table"])
                                   for f in inspector.get_foreign_keys(table)),
            "checks": sorted(c["name"] or "" for c in inspector.get_check_constraints(table)),
        }
    return described


def earlier_revisions() -> list[str]:
    """Every revision a branch may still run, oldest first: all but the newest."""
    script = ScriptDirectory.from_config(alembic_config())
    return sorted(r.revision for r in script.walk_revisions() if r.revision != script.get_current_head())


def migrate_to(url: str, revision: str) -> None:
    """An empty store at the URL, built by the migrations up to `revision`."""
    old = Store(url)
    cfg = alembic_config()
    with old.engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)
    old.dispose()


def assert_upgrades_like_new(old_url: str, new_url: str, revision: str) -> None:
    """A store built up to `revision` and opened by today's app has exactly the schema of a new store."""
    new = open_store(new_url)
    migrate_to(old_url, revision)
    upgraded = open_store(old_url)
    try:
        assert upgraded.check_schema() == "current"
        assert schema(upgraded) == schema(new)
    finally:
        upgraded.dispose()
        new.dispose()
