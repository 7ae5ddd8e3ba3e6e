"""Credit reports: the PDF with its seal and QR code, its signature, and its verification."""
