"""PDF checks shared by the kinds that make PDFs: what pages draw, print and screen rules."""
