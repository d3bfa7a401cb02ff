"""What one ``load_demo`` call shares between the events it builds: users, organizations, and
bulk writers for registrations, slots, bookings and survey answers."""

import random
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select

from app.database import Session
from app.models import (
    Answer,
    Audience,
    Booking,
    Candidate,
    Event,
    InterviewSlot,
    Organization,
    OrganizationKind,
    Participation,
    Partnership,
    Phase,
    Position,
    QuestionKind,
    Referral,
    Registration,
    Response,
    Role,
    Sector,
    Survey,
    User,
)
from app.models.registration import name_key
from app.services.demo.clock import CHICAGO, as_minutes
from app.services.demo.draws import SEED, ascii_letters, wage_range, weighted
from app.services.demo.employers import ROLES, SPANISH_TITLES
from app.services.demo.people import CITY_AREA_CODES, make_people
from app.services.demo.records import Booth, Registrant, ResponseData, Slot, interview_hours
from app.services.partnerships import REFERRAL_CODE_ALPHABET, REFERRAL_CODE_LENGTH
from app.services.surveys import add_default_surveys
from app.services.tokens import new_badge_code
from app.services.users import create_user

#: Staff and volunteer accounts the demo creates; ``make run`` prints them.
DEMO_LOGINS: list[tuple[str, str, Role]] = [
    ("staff@demo.hireday.org", "hireday-staff", Role.STAFF),
    ("volunteer@demo.hireday.org", "hireday-volunteer", Role.VOLUNTEER),
]


class DemoLoad:
    """What one ``load_demo`` call shares between the events it builds."""

    def __init__(self, session: Session, now: datetime) -> None:
        self.session = session
        self.now = now
        self.summary: Counter[str] = Counter()
        self.organizations: dict[tuple[OrganizationKind, str], Organization] = {
            (org.kind, org.name): org for org in session.scalars(select(Organization))
        }
        self.volunteer_id: int | None = None

    def ensure_users(self) -> None:
        for email, password, role in DEMO_LOGINS:
            user_id = self.session.scalar(select(User.id).where(User.email == email))
            if user_id is None:
                name = "Demo staff" if role == Role.STAFF else "Demo volunteer"
                user_id = create_user(self.session, email, role, password, name=name).id
                self.summary["users_created"] += 1
            else:
                self.summary["users_skipped"] += 1
            if role == Role.VOLUNTEER:
                self.volunteer_id = user_id

    def organization(
        self, kind: OrganizationKind, name: str, sector: Sector | None, created_at: datetime
    ) -> Organization:
        """The organization of this kind and name, created (with a fictional contact) if new."""
        org = self.organizations.get((kind, name))
        if org is None:
            # Seeded by name, so an organization's contact does not depend on which event made it.
            contact = make_people(random.Random(f"{SEED}:{kind}:{name}"), 1, 1, CITY_AREA_CODES)[0]  # nosec B311
            org = Organization(
                kind=kind,
                name=name,
                sector=sector,
                contact_name=f"{contact.first_name} {contact.last_name}",
                contact_email=f"{ascii_letters(contact.first_name)}.{ascii_letters(contact.last_name)}@example.org",
                contact_phone=contact.phone,
                created_at=created_at,
            )
            self.session.add(org)
            self.organizations[(kind, name)] = org
            self.summary["organizations_created"] += 1
        return org

    def add_booths(
        self,
        event: Event,
        rng: random.Random,
        employers: Sequence[tuple[str, Sequence[str]]],
        sector: Sector,
        *,
        minutes: dict[int, int],
        interviewers: dict[int, int],
        windows: Sequence[tuple[timedelta, timedelta]],
    ) -> list[Booth]:
        """One participation per (employer name, role keys), tables numbered in order, with slots."""
        set_up_at = event.created_at + timedelta(days=2)
        booths = []
        for table, (name, role_keys) in enumerate(employers, start=1):
            start_offset, end_offset = rng.choice(windows)
            participation = Participation(
                event=event,
                organization=self.organization(OrganizationKind.EMPLOYER, name, sector, set_up_at),
                table_number=str(table),
                interview_minutes=weighted(rng, minutes),
                interview_starts_at=event.starts_at + start_offset,
                interview_ends_at=event.ends_at - end_offset,
                interviewers=weighted(rng, interviewers),
                created_at=set_up_at,
            )
            positions = []
            for key in role_keys:
                title, unit, low, high, types, (fewest, most), requirements = ROLES[key]
                wage_min, wage_max = wage_range(rng, unit, low, high)
                positions.append(Position(
                    title=title,
                    title_es=SPANISH_TITLES.get(key, ""),
                    sector=sector,
                    openings=rng.randint(fewest, most),
                    wage_min_cents=wage_min,
                    wage_max_cents=wage_max,
                    wage_unit=unit,
                    employment_type=types[0] if rng.random() < 0.5 else rng.choice(types),
                    requirements=requirements,
                    created_at=set_up_at,
                ))
            participation.positions = positions
            self.session.add(participation)
            booths.append(Booth(participation, positions))
        self.session.flush()
        self.summary["participations_created"] += len(booths)
        self.summary["positions_created"] += sum(len(b.positions) for b in booths)
        self._add_slots(rng, booths)
        return booths

    def _add_slots(self, rng: random.Random, booths: list[Booth]) -> None:
        rows = []
        for booth in booths:
            p = booth.participation
            length = as_minutes(p.interview_minutes)
            lunch = rng.random() < 0.2
            start, closes = interview_hours(p)
            while start + length <= closes:
                # A booth that takes a lunch break blocks the slot starting in the 12 o'clock hour.
                blocked = (
                    lunch
                    and start.astimezone(CHICAGO).hour == 12
                    and not any(s.is_blocked for s in booth.slots)
                )
                booth.slots.append(Slot(start, start + length, blocked, p.interviewers))
                rows.append({"participation_id": p.id, "starts_at": start, "ends_at": start + length,
                             "capacity": p.interviewers, "is_blocked": blocked})
                start += length
        for slot, slot_id in zip(
            [s for b in booths for s in b.slots], self._insert(InterviewSlot, rows), strict=True
        ):
            slot.id = slot_id
        self.summary["interview_slots_created"] += len(rows)

    def add_partners(
        self, event: Event, rng: random.Random, partners: Sequence[tuple[str, OrganizationKind, int]]
    ) -> list[tuple[Partnership, int]]:
        """Partnerships with fresh referral codes; returns each with its referral weight."""
        taken = set(self.session.scalars(select(Partnership.referral_code)))
        set_up_at = event.created_at + timedelta(days=3)
        result = []
        for name, kind, weight in partners:
            code = ""
            while not code or code in taken:
                code = "".join(rng.choice(REFERRAL_CODE_ALPHABET) for _ in range(REFERRAL_CODE_LENGTH))
            taken.add(code)
            partnership = Partnership(
                event=event,
                organization=self.organization(kind, name, None, set_up_at),
                referral_code=code,
                created_at=set_up_at,
            )
            self.session.add(partnership)
            result.append((partnership, weight))
        self.session.flush()
        self.summary["partnerships_created"] += len(result)
        return result

    def register(self, event: Event, registrants: list[Registrant]) -> None:
        """Write candidates (reusing any with the same email), registrations and referrals; sets
        each registrant's ``id``. Registrations get ids in the order they were made."""
        registrants.sort(key=lambda r: r.created_at)
        candidate_ids = self._candidates(registrants)
        numbered = self.session.scalar(
            select(func.max(Registration.checkin_number)).where(Registration.event_id == event.id)
        ) or 0
        rows = [
            {
                "event_id": event.id,
                "candidate_id": candidate_ids[r.person.email],
                "status": r.status,
                "source": r.source,
                "badge_code": new_badge_code(),
                "checkin_number": numbered + n,
                "language": r.person.language,
                "employment_status": r.employment_status,
                "sectors_of_interest": r.sectors,
                "how_heard": r.how_heard,
                "accessibility_needs": r.accessibility_needs,
                "consent_share_profile": True,
                "consent_email": r.consent_email,
                "consent_sms": r.consent_sms,
                "created_at": r.created_at,
                "updated_at": r.cancelled_at or r.created_at,
                "cancelled_at": r.cancelled_at,
            }
            for n, r in enumerate(registrants, start=1)
        ]
        for registrant, registration_id in zip(registrants, self._insert(Registration, rows), strict=True):
            registrant.id = registration_id
        referrals = [
            {
                "event_id": event.id,
                "registration_id": r.id,
                "partnership_id": partnership_id,
                "created_at": r.created_at,
            }
            for r in registrants
            for partnership_id in r.partners
        ]
        if referrals:
            self.session.execute(insert(Referral), referrals)
        self.summary["registrations_created"] += len(rows)
        self.summary["referrals_created"] += len(referrals)

    def _candidates(self, registrants: list[Registrant]) -> dict[str, int]:
        """Email → candidate id, creating the people not met before. A phone number someone else
        already has is left out rather than shared."""
        emails = [r.person.email for r in registrants]
        ids: dict[str, int] = {}
        for chunk in _chunks(emails, 500):
            found = self.session.execute(
                select(Candidate.email, Candidate.id).where(Candidate.email.in_(chunk))
            )
            ids.update((email, candidate_id) for email, candidate_id in found if email)
        new = [r for r in registrants if r.person.email not in ids]
        taken_phones: set[str] = set()
        for chunk in _chunks([r.person.phone for r in new], 500):
            taken_phones.update(self.session.scalars(select(Candidate.phone).where(Candidate.phone.in_(chunk))))
        rows = [
            {
                "first_name": r.person.first_name,
                "last_name": r.person.last_name,
                "name_key": name_key(r.person.first_name, r.person.last_name),
                "email": r.person.email,
                "phone": None if r.person.phone in taken_phones else r.person.phone,
                "zip_code": r.person.zip_code,
                "language": r.person.language,
                "created_at": r.created_at,
            }
            for r in new
        ]
        ids.update(zip([r.person.email for r in new], self._insert(Candidate, rows), strict=True))
        self.summary["candidates_created"] += len(rows)
        self.summary["candidates_reused"] += len(registrants) - len(rows)
        return ids

    def add_bookings(self, rows: list[dict]) -> list[int]:
        self.summary["bookings_created"] += len(rows)
        return self._insert(Booking, rows)

    def add_responses(self, survey: Survey, responses: list[ResponseData]) -> None:
        """Write responses and their answers, checking every answer fits its question."""
        questions = {q.key: q for q in survey.questions}
        rows = [
            {
                "survey_id": survey.id,
                "registration_id": r.registration_id,
                "participation_id": r.participation_id,
                "language": r.language,
                "submitted_at": r.submitted_at,
                "updated_at": r.submitted_at,
            }
            for r in responses
        ]
        answers = []
        for response, response_id in zip(responses, self._insert(Response, rows), strict=True):
            for key, value in response.answers.items():
                question = questions[key]
                answer: dict[str, Any] = {
                    "response_id": response_id,
                    "question_id": question.id,
                    "number": None,
                    "choices": [],
                    "text": None,
                }
                if question.kind in (QuestionKind.SCALE_5, QuestionKind.RECOMMEND):
                    top = 5 if question.kind == QuestionKind.SCALE_5 else 10
                    low = 1 if question.kind == QuestionKind.SCALE_5 else 0
                    if not isinstance(value, int) or not low <= value <= top:
                        raise ValueError(f"{key}: {value!r} is outside {low}..{top}")
                    answer["number"] = value
                elif question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
                    allowed = {c["value"] for c in question.choices}
                    if not isinstance(value, list) or not value or not set(value) <= allowed:
                        raise ValueError(f"{key}: {value!r} is not among the question's choices")
                    if question.kind == QuestionKind.SINGLE_CHOICE and len(value) != 1:
                        raise ValueError(f"{key}: a single-choice answer holds one value")
                    answer["choices"] = value
                else:
                    answer["text"] = str(value)
                answers.append(answer)
        if answers:
            self.session.execute(insert(Answer), answers)
        self.summary["responses_created"] += len(rows)
        self.summary["answers_created"] += len(answers)

    def _insert(self, model: type[Any], rows: list[dict]) -> list[int]:
        """Bulk INSERT … RETURNING id, the ids in the order of ``rows``."""
        if not rows:
            return []
        statement = insert(model).returning(model.id, sort_by_parameter_order=True)
        return list(self.session.scalars(statement, rows))


def _chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def event_surveys(session: Session, event: Event) -> dict[tuple[Audience, Phase], Survey]:
    for survey in add_default_surveys(session, event):
        survey.created_at = event.created_at + timedelta(days=3)
    session.flush()
    return {
        (s.audience, s.phase): s for s in session.scalars(select(Survey).where(Survey.event_id == event.id))
    }
