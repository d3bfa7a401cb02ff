"""The directory of employers and referring partners, shared by every event."""
