"""The door: scanning badges, finding people, registering walk-ins."""
