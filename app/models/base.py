"""The declarative base: naming convention, UTC timestamps and enum columns shared by every model."""

import enum
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, ClassVar, Self

import sqlalchemy as sa
from flask_babel import LazyString
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry

#: Stable constraint names, so Alembic migrations name the same thing the same way on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware UTC timestamp on every database.

    PostgreSQL keeps ``timestamptz``; SQLite keeps the UTC wall time. Naive datetimes are
    refused, because a naive time at a hiring event is a bug waiting for daylight saving."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a timezone-aware one is required")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class LabelledEnum(enum.StrEnum):
    """An enum whose members are the rows of a small table: the value stored, then the label every
    page, export and report shows (Indico's ``RichEnum`` and its ``__titles__``), e.g.
    ``DRAFT = "draft", _l("Draft")``. The label is translated when it is shown. An enum that needs
    more columns names them in ``__columns__``; each row then gives them after its label."""

    _value_: str
    label: LazyString | str
    __columns__: ClassVar[tuple[str, ...]] = ()

    if TYPE_CHECKING:  # the stored value is the string (the label and columns are attributes)

        @property
        def value(self) -> str: ...

    if not TYPE_CHECKING:  # a member is looked up by its value alone, which is all type checkers should see

        def __new__(cls, value: str, label: LazyString | str, *columns: object) -> Self:
            member = str.__new__(cls, value)
            member._value_ = value
            member.label = label
            for name, column in zip(cls.__columns__, columns, strict=True):
                setattr(member, name, column)
            return member

    @classmethod
    def choices(cls) -> list[tuple[str, LazyString | str]]:
        """``(value, label)`` for each member, in order: what a form's select or radio offers."""
        return [(member.value, member.label) for member in cls]


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def enum_type(enum_cls: type[enum.StrEnum]) -> sa.Enum:
    """A VARCHAR holding the enum's values, guarded by a named CHECK constraint on every database."""
    return sa.Enum(
        enum_cls,
        name=_snake(enum_cls.__name__),
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
