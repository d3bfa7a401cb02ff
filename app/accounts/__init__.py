"""Staff and door-volunteer accounts."""
