"""Employers and referring partners, kept once and reused across events."""

import re
import unicodedata

import sqlalchemy as sa
from flask_babel import LazyString, lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, validates

from app.models.base import Base, LabelledEnum, TimestampMixin, enum_type


class OrganizationKind(LabelledEnum):
    EMPLOYER = "employer", _l("Employer")
    JOB_CENTER = "job_center", _l("Job center")
    COMMUNITY_ORG = "community_org", _l("Community organization")

    @property
    def is_partner(self) -> bool:
        """A referring partner (a job center or a community organization), not an employer."""
        return self != OrganizationKind.EMPLOYER


class Sector(LabelledEnum):
    """An industry, with its full label and a short one for narrow table cells and charts."""

    __columns__ = ("short_label",)
    short_label: LazyString

    HOSPITALITY = "hospitality", _l("Hospitality (hotels, restaurants, food service)"), _l("Hospitality")
    IT = "it", _l("Information technology"), _l("IT")
    HEALTHCARE = "healthcare", _l("Healthcare"), _l("Healthcare")
    TDL = "tdl", _l("Transportation, distribution and logistics"), _l("Transportation & logistics")
    CONSTRUCTION = "construction", _l("Construction"), _l("Construction")
    MANUFACTURING = "manufacturing", _l("Manufacturing"), _l("Manufacturing")
    CLEAN_ENERGY = "clean_energy", _l("Clean energy"), _l("Clean energy")


def name_key(name: str) -> str:
    """An organization's name as the directory compares it: case, accents, punctuation and spacing
    ignored, so "Code Forward Chicago", "code-forward  chicago" and "Códe Forward Chicago" are one."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


class Organization(TimestampMixin, Base):
    """An employer that interviews at events, or a job center / community organization that refers
    career seekers to them."""

    __tablename__ = "organizations"
    __table_args__ = (sa.UniqueConstraint("name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    #: ``name_key(name)``, unique whatever the kind: one directory entry per organization, so a
    #: partner added twice under two kinds cannot split its referrals' credit.
    name_key: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[OrganizationKind] = mapped_column(enum_type(OrganizationKind))
    sector: Mapped[Sector | None] = mapped_column(enum_type(Sector))
    website: Mapped[str | None] = mapped_column(sa.String(300))
    contact_name: Mapped[str | None] = mapped_column(sa.String(200))
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    contact_phone: Mapped[str | None] = mapped_column(sa.String(20))

    @validates("name")
    def _keep_name_key(self, _key: str, name: str) -> str:
        self.name_key = name_key(name)
        return name

    @property
    def is_employer(self) -> bool:
        return self.kind == OrganizationKind.EMPLOYER
