"""`python -m concertation ...`: the same as the `concertation` command."""

import sys

from concertation.cli import main

if __name__ == "__main__":
    sys.exit(main())
