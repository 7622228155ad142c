"""Export the content model as JSON Schema, one file per kind of content file."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from bmr_materials.content.model import Campaign, Deck, Figures, Region, Site, Specialization

SCHEMAS: dict[str, type[BaseModel]] = {
    "campaign": Campaign,
    "figures": Figures,
    "region": Region,
    "site": Site,
    "field": Specialization,
    "deck": Deck,
}


def schema_text(model: type[BaseModel]) -> str:
    """The JSON Schema of `model`, as stable text."""
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into `folder`; return the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMAS.items():
        path = folder / f"{name}.schema.json"
        path.write_text(schema_text(model), encoding="utf-8")
        written.append(path)
    return written
