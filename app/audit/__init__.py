"""The audit trail staff read: who did what, and when."""
