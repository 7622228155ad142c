"""Content layer: safe YAML with line marks, the typed model, label catalogs, text markup,
loading with cross-checks (every problem at once, with file:line:column) and schema export."""
