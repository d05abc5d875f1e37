"""The Qt-free core: everything a job does, usable from the window, the CLI and ``serve``.

Nothing under this package may import Qt, nor anything above it (``scheduling``, ``ui``,
``server``, the CLI): ``tests/core/test_core_is_qt_free.py`` imports every module with the
Qt bindings made unimportable, and the import-linter contracts in ``pyproject.toml``
(``lint-imports`` in ``scripts/test.sh``) check the layering.

The sub-packages follow an image through a job:

* :mod:`.inputs` - what comes in: zip archives, member names, image decoding, packing of
  dropped folders.
* :mod:`.engines` - what looks at an image: the engine protocol, the classical, model and
  HTTP engines, and how an engine's answer becomes a mask.
* :mod:`.results` - what goes out: masks, overlays, the results zip and its report.
* :mod:`.jobs` - a job from start to resume: the per-image pipeline, the workspace and its
  journal, cancellation.
* :mod:`.config` - settings, credentials, the app's folders and bundled resources.

Three small modules stay at this top level because every sub-package uses them and none
owns them: :mod:`.model` (the plain data classes an image and its record are made of),
:mod:`.errors` (the exceptions that decide "this image failed" against "this job cannot
run") and :mod:`.atomic` (write-then-rename). A ``common`` sub-package for three modules
would add a level to every import without telling a reader anything.
"""
