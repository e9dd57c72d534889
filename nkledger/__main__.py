"""``python -m nkledger``: the same as the ``nkledger`` command."""

import sys

from .cli import main

sys.exit(main())
