"""What demo people answer and write: survey answers, comments, interview notes."""

import random

from app.models import Language
from app.services.demo.draws import weighted
from app.services.demo.records import Booth, Registrant
from app.services.surveys import PAIN_POINT_CHOICES

CANDIDATE_COMMENTS = {
    Language.EN: (
        "Great event, the employers were friendly and organized.",
        "I wish there were more full-time jobs with day shifts.",
        "The line to check in moved fast. Thank you!",
        "Booking interviews ahead of time saved me a lot of waiting.",
        "Some booths had very long lines; more interviewers would help.",
        "I got a conditional offer, very happy!",
        "Please hold one of these on the South Side too.",
        "Would like more information about training programs.",
    ),
    Language.ES: (
        "Muy buen evento, los empleadores fueron amables.",
        "Gracias por tener intérpretes en español.",
        "Me gustaría que hubiera más trabajos de tiempo completo.",
        "Algunas filas eran muy largas, pero valió la pena.",
        "Recibí una oferta condicional, ¡muy contenta!",
        "Fue fácil registrarse desde el teléfono.",
    ),
}


EMPLOYER_HARD_TO_FILL = {
    "hospitality": (
        "Line cooks and dishwashers",
        "Overnight room attendants",
        "Banquet servers for weekends",
        "Bartenders with BASSET",
        "Front desk agents who speak Spanish",
        "Sous chef",
        "Maintenance engineers with HVAC experience",
        "Game-day concessions staff",
    ),
    "it": (
        "Network technicians",
        "Help desk with bilingual Spanish",
        "Junior developers who can test their code",
        "Cloud support with Linux",
        "Security analysts with a Security+",
        "Data analysts strong in SQL",
    ),
}


EMPLOYER_SKILLS_GAPS = {
    "hospitality": ("Knife skills and kitchen safety.", "Reliability and showing up for the first shift.",
                    "Basic computer skills for the front desk.", "Food handler and BASSET certificates.",
                    "Customer service in tense situations."),
    "it": ("Troubleshooting methodically and writing it down.", "Networking basics: DNS, DHCP, subnets.",
           "Communicating with non-technical users.", "Version control and code review habits.",
           "SQL beyond simple SELECTs."),
}


EMPLOYER_OTHER_PAIN = (
    "Applicants apply online and never answer our calls.",
    "Our location is hard to reach before 6 a.m. by transit.",
    "Certification backlogs delay start dates.",
)


EMPLOYER_COMMENTS = (
    "Well organized; the booth tablet made recording outcomes easy.",
    "We would like a bigger table next time.",
    "Good turnout of qualified candidates.",
    "Fewer candidates came to our booth than we hoped.",
    "The pre-booked interviews were the most productive.",
    "Please send the candidate list a few days earlier.",
)


INTERVIEW_NOTES = (
    "Strong customer service background.",
    "Bring a resume to the second interview.",
    "Available nights and weekends.",
    "Prefers morning shifts.",
    "Bilingual English/Spanish, a plus for this role.",
    "Needs a reference from last employer.",
    "Good fit for the team; follow up this week.",
    "Has a food handler certificate.",
    "Has CompTIA A+; ask about Network+.",
    "Strong SQL; share the take-home exercise.",
)


SECOND_INTERVIEW_PLACES = (
    "At our office; details by email",
    "Video call",
    "Phone call with the hiring manager",
)


def count_range(n: int) -> str:
    """The ``COUNT_RANGE_CHOICES`` value a count falls in."""
    if n == 0:
        return "0"
    return "1_5" if n <= 5 else "6_10" if n <= 10 else "11_20" if n <= 20 else "21_plus"


def _openings_range(n: int) -> str:
    return (
        "1_5" if n <= 5 else "6_10" if n <= 10 else "11_25" if n <= 25 else "26_50" if n <= 50 else "51_plus"
    )


def candidate_pre_answers(rng: random.Random, reg: Registrant) -> dict[str, int | list[str] | str]:
    answers: dict[str, int | list[str] | str] = {}
    if reg.employment_status:
        answers["employment_status"] = [reg.employment_status]
    if rng.random() < 0.9:
        answers["education"] = [
            weighted(
                rng,
                {
                    "less_than_high_school": 14,
                    "high_school": 40,
                    "some_college": 24,
                    "associate": 9,
                    "bachelor": 10,
                    "graduate": 3,
                },
            )
        ]
    if reg.sectors:
        answers["sectors"] = list(reg.sectors)
    barriers = [b for b, share in (("transportation", 0.28), ("childcare", 0.18), ("background", 0.12),
                                   ("language", 0.09 if reg.person.language == Language.EN else 0.45),
                                   ("other", 0.04)) if rng.random() < share]
    if barriers:
        answers["barriers"] = barriers
    if reg.how_heard:
        answers["how_heard"] = [reg.how_heard]
    return answers


def employer_pre_answers(rng: random.Random, booth: Booth, sector: str) -> dict[str, int | list[str] | str]:
    pains = sorted(rng.sample([c["value"] for c in PAIN_POINT_CHOICES], rng.randint(1, 4)))
    answers: dict[str, int | list[str] | str] = {
        "openings": [_openings_range(sum(p.openings for p in booth.positions))],
        "pain_points": pains,
    }
    if rng.random() < 0.8:
        answers["hard_to_fill"] = rng.choice(EMPLOYER_HARD_TO_FILL[sector])
    if "other" in pains:
        answers["pain_points_other"] = rng.choice(EMPLOYER_OTHER_PAIN)
    if rng.random() < 0.7:
        answers["skills_gaps"] = rng.choice(EMPLOYER_SKILLS_GAPS[sector])
    return answers
