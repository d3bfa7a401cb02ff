"""Finding people by name, as the door and the booth both do: each word typed starts one of the
person's names (first or last, or a part of a hyphenated one), with case and accents ignored, so
"gomez mar" finds María Gómez and "garcia" finds Ana López-García.

Names are matched here rather than in SQL: neither database folds accents the same way, and one
event's names (a few thousand) are read and matched in a few milliseconds."""

from sqlalchemy import Select

from app.database import Session
from app.models.registration import folded

#: Words of a search that count; more narrow nothing down in a list of names.
MAX_WORDS = 6
#: Fewer letters than this find too many people to be a search.
MIN_LETTERS = 2


def name_words(text: str) -> list[str]:
    """The words of a name or a search, folded (case, accents) and split at spaces and hyphens."""
    return folded(text.replace("-", " ")).split()


def name_matches(words: list[str], first_name: str, last_name: str) -> bool:
    """Does each of the search's ``words`` start one of this person's names?"""
    names = name_words(f"{first_name} {last_name}")
    return all(any(name.startswith(word) for name in names) for word in words)


def is_name_search(query: str) -> bool:
    """Is ``query`` long enough to search names by?"""
    return sum(len(word) for word in name_words(query)) >= MIN_LETTERS


def registrations_named(session: Session, people: Select, query: str, *, limit: int) -> list[int]:
    """The ids of the rows of ``people`` (a SELECT of registration id, first name, last name) whose
    names match ``query``, by last name then first name (folded), at most ``limit`` of them."""
    if not is_name_search(query):
        return []
    words = name_words(query)[:MAX_WORDS]
    found = sorted(
        (folded(last), folded(first), registration_id)
        for registration_id, first, last in session.execute(people)
        if name_matches(words, first, last)
    )
    return [registration_id for *_, registration_id in found[:limit]]
