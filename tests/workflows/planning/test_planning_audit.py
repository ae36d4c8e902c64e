"""PMC's approvals are evidence: a month at the desk verifies, and a rush sign-off or a committed date changed
behind the app's back is named by `audit verify`."""

import json

import sqlalchemy as sa

from counter_app import paths
from counter_app.models.db import open_store
from counter_app.workflows.core import audit
from counter_app.workflows.replay.runner import run_scenario


def test_a_rush_sign_off_or_a_committed_date_rewritten_in_the_store_is_named(tmp_path):
    run_scenario(paths.scenarios_dir() / "pmc-month.json", tmp_path / "month")
    store = open_store(f"sqlite:///{tmp_path / 'month' / 'store.sqlite3'}")
    try:
        with store.read() as session:
            assert audit.verify(session).ok
        with store.engine.begin() as connection:
            rush_id = connection.execute(sa.text("SELECT min(id) FROM rush_approval")).scalar()
            connection.execute(sa.text("UPDATE rush_approval SET reason = 'nobody asked' WHERE id = :id"),
                               {"id": rush_id})
            overridden = connection.execute(sa.text(
                "SELECT data FROM event WHERE kind = 'sales_order_date_overridden' ORDER BY id LIMIT 1")).scalar()
            revision = json.loads(overridden)["revision"]
            connection.execute(sa.text("UPDATE order_date_revision SET day = '2030-01-01' WHERE id = :id"),
                               {"id": revision})
        with store.read() as session:
            named = audit.verify(session).records
        assert f"rush_approval {rush_id}" in named and f"order_date_revision {revision}" in named
    finally:
        store.dispose()
