"""``python -m oilspill_desktop`` is the same as the ``oilspill-desktop`` command."""

import sys

from .cli import main

sys.exit(main())
