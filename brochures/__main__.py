"""Build only the brochures: `python brochures [build options]`, the same as
`make_materials.py build --only brochures [build options]`.

The brochures are made by the output kind in `bmr_materials/kinds/brochures/`, from the
templates in `templates/brochures/`.
"""

import sys

from bmr_materials.app.cli import main

sys.exit(main(["build", "--only", "brochures", *sys.argv[1:]]))
