"""``python -m autograd explain ...``: the chainrule command line."""

import sys

from .cli import main

sys.exit(main())
