"""`python -m territory_watch` runs the command line."""

import sys

from territory_watch.cli.main import main

sys.exit(main())
