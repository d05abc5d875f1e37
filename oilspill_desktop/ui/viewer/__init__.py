"""The mask preview viewer: see what was found, image by image.

``ViewerWindow(results_zip)`` shows a results zip; ``ViewerWindow.follow(runner)`` follows a
running job. See :mod:`.window` for the parts.
"""

from .window import ViewerWindow

__all__ = ["ViewerWindow"]
