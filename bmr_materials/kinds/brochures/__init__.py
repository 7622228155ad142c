"""Brochures: model -> render context -> HTML (Jinja2) -> PDF (WeasyPrint), print and screen."""
