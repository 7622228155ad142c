#!/usr/bin/env python3
"""Build a campaign's brochures, fact sheets and pitch decks from its content: see --help."""

import sys

from bmr_materials.app.cli import main

if __name__ == "__main__":
    sys.exit(main())
