"""hoi_text."""
