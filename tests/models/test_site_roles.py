"""A branch server as docs/site-setup.md sets it up: the PCs connect as a role that is no superuser and owns
nothing; it reads and writes rows, creates no table, and cannot rewrite or delete the event log."""

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from counter_app.clock import VirtualClock
from counter_app.models.db import open_store
from counter_app.workflows.core import audit
from counter_app.workflows.queue import tickets
from counter_app.workflows.replay import demo

pytestmark = [pytest.mark.postgres_only,
              pytest.mark.skipif(shutil.which("psql") is None, reason="psql is not installed")]
SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def psql(url: sa.engine.URL, script: str, **variables: str) -> None:
    args = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", *(f"-v{k}={v}" for k, v in variables.items()),
            "-d", url.set(drivername="postgresql").render_as_string(hide_password=False), "-f", str(SCRIPTS / script)]
    subprocess.run(args, check=True, timeout=60, capture_output=True)


def test_the_pcs_role_works_the_queue_but_cannot_create_tables_or_rewrite_the_event_log(postgres):
    from counter_app.__main__ import main

    url = sa.engine.make_url(postgres.create())
    psql(url, "pg_roles.sql", app_password="'pc-secret-1'", owner_password="'owner-secret-1'")
    owner = url.set(username="counter_app_owner", password="owner-secret-1")
    app = url.set(username="counter_app", password="pc-secret-1")
    assert main(["--lang", "en", "--db", owner.render_as_string(hide_password=False), "db", "upgrade"]) == 0
    psql(owner, "pg_lock_event_log.sql")

    store = open_store(app.render_as_string(hide_password=False))
    try:
        clock = VirtualClock(dt.datetime(2026, 3, 2, 9, 5))
        with store.write() as session:
            demo.seed_demo(session, at=clock.now())
        with store.write() as session:
            assert tickets.issue_ticket(session, clock, service_code="BB").number == "A001"
        for statement in ("UPDATE event SET kind = 'forged'", "DELETE FROM event", "TRUNCATE event",
                          "CREATE TABLE intruder (id int)", "ALTER TABLE ticket ADD COLUMN x int"):
            with store.engine.connect() as connection, pytest.raises(sa.exc.ProgrammingError) as refused:
                connection.exec_driver_sql(statement)
            assert "permission denied" in str(refused.value) or "must be owner" in str(refused.value)
        with store.engine.connect() as connection:
            assert not connection.exec_driver_sql(
                "SELECT rolsuper OR rolcreatedb OR rolcreaterole FROM pg_roles WHERE rolname = current_user").scalar()
        with store.read() as session:
            assert audit.verify(session).ok
    finally:
        store.dispose()
