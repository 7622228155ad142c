"""Shared render helpers: number and date formats (i18n), charts, fonts, reproducible writes,
the output-kind plug-in interface (kind) and the PDF checks that PDF kinds share."""
