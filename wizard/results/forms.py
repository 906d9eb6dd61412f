"""The results pages have no forms of their own (printing needs none)."""
