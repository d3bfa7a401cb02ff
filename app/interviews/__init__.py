"""Employer booths: interview slots, the walk-up queue, outcomes and offers."""
