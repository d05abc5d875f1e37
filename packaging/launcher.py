"""Entry point of the frozen program: exactly the ``main`` the pip-installed command runs.

PyInstaller needs a script, and ``oilspill_desktop/__main__.py`` cannot be one (it imports
relatively), so this file stands in for it.
"""

import sys

from oilspill_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
