"""Exceptions that carry a message meant for the user.

Two kinds matter to the caller: an :class:`InputError` means the whole input cannot be
processed (the CLI exits 2, no results file is written); an :class:`ItemError` fails one
image and the job goes on.

Each carries a :class:`~.messages.Message`: ``str(error)`` is its English sentence, and
``error.message`` its code and parameters, which the window translates.
"""

from .messages import Message, plain


class OilSpillError(Exception):
    """Base class: ``str(error)`` is a complete sentence fit for a user."""

    def __init__(self, message: Message | str) -> None:
        self.message = message if isinstance(message, Message) else plain(message)
        super().__init__(self.message.text)


class InputError(OilSpillError):
    """The input archive as a whole cannot be processed (not a zip, truncated, no images)."""


class ModelError(InputError):
    """A segmentation model or its description cannot be used: no image could be segmented."""


class ItemError(OilSpillError):
    """One member failed: unreadable, too large, corrupt, or the engine refused it."""


class LimitExceeded(ItemError):
    """A member or image breaks a configured limit (bytes, pixels, compression ratio)."""


class EngineError(ItemError):
    """The segmentation engine did not give a usable answer for one image."""


class Cancelled(OilSpillError):
    """Work stopped because the user cancelled; not a failure of the item."""


class OutputError(OilSpillError):
    """Results could not be written (disk full, read-only folder)."""


class EndpointUnreachable(OilSpillError):
    """The endpoint has never answered and refuses connections (or its host is unknown):
    a wrong address or a service not started, so the whole job stops instead of waiting."""
