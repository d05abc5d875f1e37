"""Tooling around the app rather than the app's job: synthetic SAR scenes.

:mod:`.synthetic` renders sea scenes with an exact oil truth mask for tests, benchmarks,
the bundled sample survey (``scripts/make_sample_survey.py``), the packaging smoke test
and the connection test's probe image. It lives outside :mod:`oilspill_desktop.core`
because no job ever uses it, and inside the package because the window's connection test
and the frozen program's smoke test need it installed.
"""
