"""Pitch decks: content -> slides on the master template's named layouts -> PPTX (and PDF)."""
