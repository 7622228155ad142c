#!/usr/bin/env python3
"""Build the International Health Ruhr brochures and pitch decks: see --help."""

import sys

from bmr_materials.app.cli import main

if __name__ == "__main__":
    sys.exit(main())
