"""Build only the decks: `python decks [build options]`, the same as
`make_materials.py build --only decks [build options]`.

The decks are made by the output kind in `bmr_materials/kinds/decks/`, from the
templates in `templates/decks/`.
"""

import sys

from bmr_materials.app.cli import main

sys.exit(main(["build", "--only", "decks", *sys.argv[1:]]))
