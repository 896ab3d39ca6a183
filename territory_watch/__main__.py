"""`python -m territory_watch` runs the command line."""

import sys

from territory_watch.cli import main

sys.exit(main())
