"""Choice lists that staff forms of several blueprints share: sectors and referring partners' kinds."""

from wtforms import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; its stubs are 3.2

from app.models import OrganizationKind, Sector


def choices(pairs) -> list[SelectChoice]:
    """Options from ``(value, label)`` pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


SECTOR_CHOICES = Sector.choices()
OPTIONAL_SECTOR_CHOICES = [("", "Not set"), *SECTOR_CHOICES]
PARTNER_KIND_CHOICES = [(kind.value, kind.label) for kind in OrganizationKind if kind.is_partner]
