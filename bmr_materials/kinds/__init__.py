"""Output kinds: one package per kind (brochures, decks, ...), each exporting `KIND`; the
registry (`registry.REGISTRY`) lists them."""
