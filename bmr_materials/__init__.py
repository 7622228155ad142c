"""The brochure and pitch-deck builder: a campaign's YAML content to print-ready PDFs and decks."""

__version__ = "0.1.0"
