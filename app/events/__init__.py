"""Event pages for the public and the staff list of events."""
