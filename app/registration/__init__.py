"""Career seekers registering for an event and managing their registration."""
