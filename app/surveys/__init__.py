"""Pre- and post-event surveys for career seekers and employers."""
