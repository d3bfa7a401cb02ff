"""Choice lists that staff forms of several blueprints share: sectors and referring partners' kinds."""

from wtforms import SelectChoice

from app.models import OrganizationKind
from app.services.surveys import SECTOR_LABELS


def choices(pairs) -> list[SelectChoice]:
    """Options from ``(value, label)`` pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


SECTOR_CHOICES = [(sector.value, en) for sector, (en, _es) in SECTOR_LABELS.items()]
OPTIONAL_SECTOR_CHOICES = [("", "Not set")] + SECTOR_CHOICES
PARTNER_KIND_CHOICES = [
    (OrganizationKind.JOB_CENTER.value, "Job center"),
    (OrganizationKind.COMMUNITY_ORG.value, "Community organization"),
]
