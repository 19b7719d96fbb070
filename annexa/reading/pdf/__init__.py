"""Reading PDFs: PDFium first, pypdf behind guards where a file needs it."""
