"""Which failures another try can mend, so that Retry is offered only where it can help.

An image that cannot be read or decoded (a corrupt PNG, a damaged or encrypted member, one
over the limits) fails the same way every time: its bytes and the decoder do not change.
Likewise an input that is not a zip, or holds no images. What another try may mend is
everything that depends on the moment: the engine and the endpoint (timeouts, 5xx, a
refused connection), memory, the output folder, a busy or missing input.
"""

from __future__ import annotations

from ..messages import Message

PERMANENT_FAMILIES = ("image.", "member.", "zip.")
"""Message code prefixes of failures inherent in the input's bytes."""
PERMANENT_CODES = frozenset({"input.no_images", "input.no_images_skipped", "input.folder"})
TRANSIENT_CODES = frozenset({"image.no_memory"})
"""Codes in a permanent family that depend on the moment all the same."""


def retry_can_mend(code: str | None) -> bool:
    """True unless the failure coded ``code`` would come back the same on another try.

    A failure without a code (an unexpected error) may be the moment's: it counts as
    mendable.
    """
    if code is None or code in TRANSIENT_CODES:
        return True
    return code not in PERMANENT_CODES and not code.startswith(PERMANENT_FAMILIES)


def notes_can_be_mended(notes: tuple[Message, ...]) -> bool:
    """True unless one of a failed job's reasons is permanent (not a zip, no images)."""
    return all(retry_can_mend(note.code) for note in notes)
