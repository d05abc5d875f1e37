"""Offering to resume jobs a crash, a cancel or a power cut interrupted.

The job folders are listed on the intake pool (a slow disk must not freeze the window at
start-up); the banner then offers to queue them again, each with the engine it began with,
so that their journalled images are not processed twice with different engines.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from ...core.config.settings import Settings
from ...core.engines.urls import display_url
from ...core.jobs.job import JobRequest
from ...core.jobs.workspace import UnfinishedJob, unfinished_jobs
from ...scheduling.job_runner import JobRunner
from ...scheduling.pools import intake_pool
from ...scheduling.tasks import run_in_pool
from .. import formatting
from ..queue_model import JobRow

if TYPE_CHECKING:
    from ..main_window import MainWindow

log = logging.getLogger(__name__)


class ResumeController(QObject):
    """Finds interrupted jobs, offers them in the banner, and queues them on request."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._resumable: list[UnfinishedJob] = []

    def offer_resume(self) -> None:
        """Look for interrupted jobs off the GUI thread and offer, in the banner, to resume
        them."""
        jobs_dir = self.window.paths.jobs_dir
        run_in_pool(
            intake_pool(),
            lambda _handle: unfinished_jobs(jobs_dir),
            context=self,
            on_done=self._on_unfinished,
            on_error=lambda exc: log.warning("Could not list jobs: %s", exc),
            key="resume",
        )

    def _on_unfinished(self, found: list[UnfinishedJob]) -> None:
        window = self.window
        jobs = [job for job in found if not window.adding.already_queued(job.input_path)]
        self._resumable = jobs
        window.resumable_found.emit(len(jobs))
        if not jobs or window.guard.shut_down:
            return
        names = ", ".join(job.input_path.name for job in jobs[:3])
        if len(jobs) > 3:
            names += ", …"
        done = sum(job.finished for job in jobs)
        text = self.tr(
            "%n interrupted job(s) can be resumed where they stopped ({names}; {done} images "
            "already done).",
            "",
            len(jobs),
        ).format(names=names, done=formatting.integer(done))
        window.banner.show_message(text, "info", action=self.tr("Resume"))

    def resume_unfinished(self) -> list[JobRunner]:
        """Queue the interrupted jobs again, each with the engine and the overlays it
        started with."""
        window = self.window
        runners = []
        for job in self._resumable:
            settings = window.settings.with_changes(overlays=job.overlays)
            if job.engine in ("model", "classical", "builtin"):
                # "builtin" workspaces predate the learned model: they ran the classical one.
                engine = "classical" if job.engine == "builtin" else job.engine
                settings = settings.with_changes(engine=engine)
            elif job.engine == "server":
                server = settings.server
                if job.endpoint and display_url(server) != job.endpoint:
                    server = job.endpoint
                settings = settings.with_changes(engine="server", server=server)
            elif job.endpoint and " " in job.endpoint:  # several endpoints at once
                settings = _with_endpoints(settings, job.endpoint)
            elif display_url(settings.endpoint) != job.endpoint and job.endpoint:
                settings = settings.with_changes(engine="http", endpoint=job.endpoint)
            else:
                settings = settings.with_changes(engine="http")
            request = JobRequest(job.input_path, settings, window.paths)
            runner = window.queue.add(request, start=False)
            row = window.model.add_row(JobRow(name=job.input_path.name, source=job.input_path))
            window.model.attach(row, runner)
            log.info("Resuming %s (%d images already done)", job.input_path, job.finished)
            runners.append(runner)
        self._resumable = []
        window.queue.start_pending()
        return runners


def _with_endpoints(settings: Settings, endpoints: str) -> Settings:
    """The settings for a job that used several endpoints: the current list when it is
    the same one (with its kinds and tokens), else the job's own addresses."""
    now = settings.with_changes(engine="http")
    lines = [line.split()[0] for line in now.more_endpoints.splitlines() if line.strip()]
    if display_url(" ".join([now.endpoint, *lines])) == endpoints:
        return now
    first, *others = endpoints.split()
    return now.with_changes(endpoint=first, more_endpoints="\n".join(others))
