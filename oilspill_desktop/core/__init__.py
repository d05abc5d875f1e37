"""The Qt-free core: archives, images, segmenters, results, reports, settings.

Nothing under this package may import Qt; ``tests/test_core_is_qt_free.py`` proves it by
importing every module with the Qt bindings made unimportable.
"""
