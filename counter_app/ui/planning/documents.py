"""The planning desk's printed documents on screen: drawn from the store, written beside the archive, previewed.

They are not archived documents (no ticket, no customer signature): the review record can be drawn again at any
time from the store, so each print writes a fresh file under documents/planning/ and opens the shared preview
(print or save as PDF).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from counter_app import paths
from counter_app.i18n import _
from counter_app.ui.common.backend import Backend
from counter_app.workflows.core import files
from counter_app.workflows.paperwork.render import planning_docs

KINDS = {
    "review_record": (planning_docs.review_record, planning_docs.render_review_record),
    "commitment_letter": (planning_docs.commitment_letter, planning_docs.render_commitment_letter),
}


def draw(backend: Backend, kind: str, *, order_id: int, language: str) -> tuple[str, bytes] | None:
    """(order number, PDF) of one document, or None when the store cannot be read. A refusal (no committed date
    for a letter) is raised as the workflow's AppError."""
    gather, render = KINDS[kind]
    record = backend.query(lambda session, clock: gather(session, order_id, language=language, at=clock.now()))
    if record is None:
        return None
    return record.number, render(record, language=language)


def write(number: str, kind: str, language: str, pdf: bytes) -> Path:
    folder = paths.documents_dir() / "planning"
    folder.mkdir(parents=True, exist_ok=True)
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in number)
    return files.write_bytes_atomically(folder / f"{safe}-{kind}-{language}.pdf", pdf)


def preview(path: Path, kind: str, parent: QWidget | None):
    from counter_app.ui.paperwork.preview import PreviewDialog

    title = _("Order review record") if kind == "review_record" else _("Delivery commitment")
    return PreviewDialog(path, title, parent, ("print", "save"))
