"""What the kinds that write PDFs with WeasyPrint share: the URL fetcher that serves only the
project's files, and the print finish (crop marks outside the bleed, no annotations, clean
font names, the output condition named)."""
