"""User settings: one readable JSON file in the config folder.

A missing file means defaults (the built-in engine). A corrupt file is moved aside to
``settings.json.corrupt-<time>`` and replaced by defaults, and the caller is told so it can
say it; the app never refuses to start over a settings file. The API token is kept out of
``repr`` so it cannot leak into logs by accident.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

from ..atomic import PRIVATE_MODE, write_bytes_atomic
from ..engines.upload import ENDPOINT_KINDS, EndpointKind
from ..model import Limits
from ..results.overlay_files import DEFAULT_OVERLAYS, OverlayFormat, overlay_format

DEFAULT_ENDPOINT = "http://localhost:8002/segment"
ENDPOINT_ENV = "ML_SERVICE_URL"

DEFAULT_SERVER = "http://localhost:8000"
"""The Oil Spill AI backend (FastAPI) as its own setup runs it."""

Engine = Literal["model", "classical", "http", "server"]
ENGINES: tuple[Engine, ...] = ("model", "classical", "http", "server")
ENGINE_ALIASES = {"builtin": "model"}
"""``builtin`` was the only offline engine's name; it still means the default offline one."""
SendMode = Literal["compatible", "original"]
OutputMode = Literal["beside", "folder"]


def default_endpoint() -> str:
    """The original backend's default, overridden by ``ML_SERVICE_URL`` as it was there."""
    return os.environ.get(ENDPOINT_ENV) or DEFAULT_ENDPOINT


@dataclass(frozen=True)
class Settings:
    engine: Engine = "model"
    model_path: str = ""
    """An ONNX model of the user's own (with its JSON sidecar); empty means the bundled one."""
    endpoint: str = field(default_factory=default_endpoint)
    api_token: str = field(default="", repr=False)
    connect_timeout: float = 5.0
    read_timeout: float = 60.0
    retries: int = 3
    backoff_base: float = 0.1
    """First pause before a retry, doubled each time with jitter (an outage is handled by
    the circuit breaker, so retries can be quick)."""
    workers: int = 4
    concurrent_jobs: int = 1
    output_mode: OutputMode = "beside"
    output_folder: str = ""
    send_mode: SendMode = "compatible"
    limits: Limits = field(default_factory=Limits)
    archive_encoding: str = "auto"
    language: str = "system"
    tls_verify: bool = True
    ca_bundle: str = ""
    keep_finished_days: int = 7
    max_outage_minutes: float = 30.0
    """How long a job waits for an endpoint that is down before failing its images."""
    endpoint_kind: EndpointKind = "auto"
    """What the endpoint reads and answers (see :mod:`.upload`): ``generic``,
    ``oilspill-ai`` (JPEG only), or ``auto`` (found out from its answers)."""
    more_endpoints: str = ""
    """Further ML endpoints used with ``endpoint`` at once, one per line (URL, then
    optionally ``kind=`` and ``token=``; see :mod:`..engines.endpoints.spec`)."""
    adaptive_concurrency: bool = True
    """Find how many requests the ML endpoint takes at once (see
    :mod:`..engines.endpoints.gate`), up to ``workers``, instead of sending ``workers``,
    a guess; always so with ``more_endpoints``."""
    server: str = DEFAULT_SERVER
    """The Oil Spill AI backend's base URL (``--engine server``; see :mod:`..engines.server`)."""
    part_size: int = 16
    """Images per part sent to the backend: one failure costs a part, progress moves by parts."""
    part_timeout_minutes: float = 30.0
    """How long a part may stay unfinished on the backend before its images fail."""
    overlays: OverlayFormat = DEFAULT_OVERLAYS
    """The overlay picture kept per image: ``jpeg``, ``png`` (lossless) or ``none`` (masks
    only); see :mod:`..results.overlay_files`."""

    def with_changes(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["limits"] = asdict(self.limits)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Settings:
        """Build settings from a dict, ignoring unknown keys and keeping defaults for bad ones."""
        defaults = cls()
        values: dict[str, Any] = {}
        for spec in fields(cls):
            if spec.name not in data:
                continue
            raw = data[spec.name]
            current = getattr(defaults, spec.name)
            if spec.name == "limits":
                values["limits"] = _limits_from_json(raw)
            elif isinstance(current, bool):
                if isinstance(raw, bool):
                    values[spec.name] = raw
            elif isinstance(current, int | float) and isinstance(raw, int | float):
                if not isinstance(raw, bool) and raw >= 0:
                    values[spec.name] = type(current)(raw)
            elif isinstance(current, str) and isinstance(raw, str):
                values[spec.name] = raw
        settings = replace(defaults, **values)
        return settings.validated()

    def validated(self) -> Settings:
        """Clamp values into their sane ranges rather than fail on a hand-edited file."""
        return replace(
            self,
            engine=normalise_engine(self.engine),
            send_mode=self.send_mode
            if self.send_mode in ("compatible", "original")
            else "compatible",
            output_mode=self.output_mode if self.output_mode in ("beside", "folder") else "beside",
            workers=min(max(1, self.workers), 64),
            concurrent_jobs=min(max(1, self.concurrent_jobs), 8),
            retries=min(max(0, self.retries), 20),
            connect_timeout=min(max(0.1, self.connect_timeout), 600.0),
            read_timeout=min(max(0.1, self.read_timeout), 3600.0),
            backoff_base=min(max(0.0, self.backoff_base), 30.0),
            endpoint_kind=self.endpoint_kind if self.endpoint_kind in ENDPOINT_KINDS else "auto",
            part_size=min(max(1, self.part_size), 1000),
            part_timeout_minutes=min(max(0.1, self.part_timeout_minutes), 24 * 60.0),
            overlays=overlay_format(self.overlays),
        )


def normalise_engine(name: str) -> Engine:
    """A known engine name, with old aliases resolved; anything else means the default."""
    name = ENGINE_ALIASES.get(name, name)
    for engine in ENGINES:
        if name == engine:
            return engine
    return "model"


def _limits_from_json(raw: object) -> Limits:
    base = Limits()
    if not isinstance(raw, dict):
        return base
    values: dict[str, Any] = {}
    for spec in fields(Limits):
        value = raw.get(spec.name)
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            values[spec.name] = type(getattr(base, spec.name))(value)
    return replace(base, **values)


@dataclass(frozen=True)
class LoadedSettings:
    settings: Settings
    problem: str | None = None
    """A sentence for the user when the file was unreadable and has been replaced."""


def load_settings(path: Path) -> LoadedSettings:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return LoadedSettings(Settings())
    except OSError as exc:
        return LoadedSettings(Settings(), f"Could not read the settings file {path}: {exc}.")
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("the file does not hold a JSON object")
    except ValueError as exc:
        backup = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            os.replace(path, backup)
        except OSError:
            backup = path
        return LoadedSettings(
            Settings(),
            f"The settings file was damaged ({exc}); it was kept as {backup.name} "
            "and default settings are in use.",
        )
    return LoadedSettings(Settings.from_json(data))


def save_settings(settings: Settings, path: Path) -> None:
    """Write atomically, readable by the user alone: the file may hold the API token."""
    text = json.dumps(settings.to_json(), indent=2, ensure_ascii=False) + "\n"
    write_bytes_atomic(path, text.encode("utf-8"), mode=PRIVATE_MODE)
    with contextlib.suppress(OSError):
        os.chmod(path, PRIVATE_MODE)  # a file saved by an older version may be wider
