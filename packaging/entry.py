"""The frozen build's entry point: the same `main` as the `counter-app` command."""

import sys

from counter_app.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
