"""What a worker does with one part of a survey, for an engine that takes parts.

The images of the part are read and decoded one at a time and handed to the engine,
which sends them together and returns, for each image it sent, an engine that answers
that image from what came back. Each member is then finished by
:func:`~.pipeline.process_member`, exactly as with a per-image engine: the same decoding
(an image that cannot be decoded fails here the same way and is never sent), the same
reading of the answer, overlays, records and journal.

Once a part has come back, its images are finished and journalled even if the job is
cancelled meanwhile (a few seconds of local work): the server has done that work, and a
resumed job does not send them again.
"""

from __future__ import annotations

import dataclasses
import logging
import sys
from collections.abc import Iterator, Sequence

from ..engines.protocol import Engine, PartEngine
from ..errors import Cancelled, ItemError, OutputError
from ..inputs.archive import InputArchive
from ..inputs.images import decode_image
from ..messages import say
from ..model import ArchiveMember, EngineAnswer, ItemRecord, Limits, SourceImage
from .cancel import CancelToken
from .pipeline import process_member
from .workspace import JobWorkspace

log = logging.getLogger(__name__)


class _NotSent:
    """The engine of an image that was not in the part (it could not be decoded then)."""

    engine = "server"
    endpoint = None

    def segment(self, image: SourceImage, cancel: CancelToken) -> EngineAnswer:
        raise ItemError(say("item.unexpected", reason="the image was not sent to the server"))

    def close(self) -> None:
        """Nothing to release."""


def process_part(
    archive: InputArchive,
    members: Sequence[ArchiveMember],
    engine: PartEngine,
    workspace: JobWorkspace,
    limits: Limits,
    cancel: CancelToken,
) -> list[ItemRecord]:
    """Send the part, then finish each member; one record per member, in order."""
    sent: list[int] = []

    def images() -> Iterator[SourceImage]:
        for position, member in enumerate(members):
            cancel.raise_if_cancelled()
            try:
                image = decode_image(archive.read(member, cancel), member.path, limits)
            except (Cancelled, OutputError):
                raise
            except Exception:  # it fails again, and is recorded, below
                continue
            sent.append(position)
            yield image

    answered = engine.segment_part(images(), cancel)
    engines: dict[int, Engine] = dict(zip(sent, answered, strict=True))
    finishing = CancelToken()  # never cancelled: see the module's docstring
    not_sent = _NotSent()
    # A server takes whole images: a large scene is not cut into windows for it, and one
    # over the pixel limit fails with that reason, as it did when it was not sent.
    whole = dataclasses.replace(limits, large_scene_pixels=sys.maxsize)
    return [
        process_member(
            archive, member, engines.get(position, not_sent), workspace, whole, finishing
        )
        for position, member in enumerate(members)
    ]
