"""Build the engine the settings ask for; the only place that knows every kind."""

from __future__ import annotations

from pathlib import Path

from .builtin_segmenter import BuiltinSegmenter
from .http_segmenter import HttpSegmenter
from .onnx_segmenter import OnnxSegmenter, inference_threads
from .resources import bundled_model
from .segmenter import Segmenter
from .settings import Settings


def create_segmenter(settings: Settings, *, stop_when_unreachable: bool = False) -> Segmenter:
    """``stop_when_unreachable``: a job whose endpoint never answered and refuses
    connections stops rather than waits (the command line's choice; the window waits)."""
    if settings.engine == "http":
        verify: bool | str = settings.ca_bundle or settings.tls_verify
        return HttpSegmenter(
            settings.endpoint,
            connect_timeout=settings.connect_timeout,
            read_timeout=settings.read_timeout,
            retries=settings.retries,
            token=settings.api_token,
            send_mode=settings.send_mode,
            verify=verify,
            max_connections=max(settings.workers, 1) * max(settings.concurrent_jobs, 1),
            max_outage=settings.max_outage_minutes * 60,
            backoff_base=settings.backoff_base,
            endpoint_kind=settings.endpoint_kind,
            stop_when_unreachable=stop_when_unreachable,
        )
    if settings.engine == "classical":
        return BuiltinSegmenter()
    return create_model_segmenter(settings)


def create_model_segmenter(settings: Settings) -> OnnxSegmenter:
    """The learned engine, with threads shared out among the job's workers."""
    path = Path(settings.model_path) if settings.model_path else bundled_model()
    workers = max(settings.workers, 1) * max(settings.concurrent_jobs, 1)
    return OnnxSegmenter(path, threads=inference_threads(workers))
