"""Carry the finished images of one job's folder over to another's: switching engines.

A job that waits for a dead endpoint can run the rest of its images on the offline
engine. Its workspace is keyed by the engine (a resume must only reuse masks the same
engine made), so the new run gets a folder of its own; the images the endpoint already
answered are carried over into it rather than done again. Their files are hard-linked
(copied where links are not possible), their records appended to the new journal with a
warning that says which engine made them, so the report never passes them off as the
new engine's work.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from ..atomic import describe_os_error
from ..errors import OutputError
from ..messages import say
from .workspace import JobWorkspace


def engine_label(meta: dict[str, object]) -> str:
    """How a workspace's engine is named in a carried-over image's warning."""
    engine = str(meta.get("engine") or "?")
    endpoint = meta.get("endpoint")
    return f"{engine} {endpoint}" if isinstance(endpoint, str) and endpoint else engine


def carry_over(source: JobWorkspace, target: JobWorkspace) -> int:
    """Adopt ``source``'s finished images that ``target`` lacks; return how many.

    ``target`` must be locked by the caller; ``source`` is locked here for the reading
    (its own job must have stopped), and left alone if another process holds it, or if it
    is not a job of the same input (by the hash both folders' ``job.json`` give).
    """
    meta = source.meta()
    same_input = meta.get("sha256") is not None and meta.get("sha256") == target.meta().get(
        "sha256"
    )
    if source.root == target.root or not same_input or not source.lock():
        return 0
    note = say("warn.carried_over", engine=engine_label(meta))
    adopted = 0
    have = target.journalled_successes()
    done = source.journalled_successes()
    try:
        for index in done:
            if have.status(index) is not None:
                continue
            record = done[index]
            if not source.has_files(record):
                continue
            for name in (record.mask, record.overlay):
                if name:
                    _link_or_copy(source.file_for(name), target.file_for(name))
            record.warnings = [*record.warnings, note]
            target.journal.append(record)
            adopted += 1
    finally:
        done.close()
        have.close()
        source.unlock()
    target.journal.sync()
    return adopted


def _link_or_copy(source: Path, destination: Path) -> None:
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            destination.unlink()
        try:
            os.link(source, destination)
        except OSError:
            shutil.copyfile(source, destination)
    except OSError as exc:
        raise OutputError(describe_os_error(exc, destination)) from exc
