"""The demo's career seekers: Chicago's communities, their names, e-mails, phones and ZIP codes."""

import random
from collections.abc import Sequence

from app.models import Language, OrganizationKind
from app.services.demo.draws import SEED, ascii_letters, weighted
from app.services.demo.records import Person

HOSPITALITY_REGISTRATIONS = 2500


#: Chicago's communities, as (share of demo career seekers, Spanish speakers among them, first
#: names, last names, ZIP codes they mostly live in).
COMMUNITIES: dict[str, tuple[float, float, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "hispanic": (
        0.44, 0.62,
        ("María", "José", "Juan", "Luis", "Carlos", "Ana", "Guadalupe", "Jesús", "Alejandro", "Rosa",
         "Francisco", "Miguel", "Sofía", "Valeria", "Jorge", "Ricardo", "Alejandra", "Fernanda", "Diego",
         "Daniela", "Javier", "Verónica", "Adriana", "Eduardo", "Marisol", "Yesenia", "Araceli", "Óscar",
         "Raúl", "Leticia", "Brenda", "Karla", "Héctor", "Rubén", "Citlali", "Ximena", "Mateo", "Santiago",
         "Isabella", "Camila", "Gabriela", "Yolanda", "Jacqueline", "Ernesto", "Iván", "Nayeli"),
        ("García", "Hernández", "Martínez", "López", "González", "Rodríguez", "Pérez", "Sánchez", "Ramírez",
         "Torres", "Flores", "Rivera", "Gómez", "Díaz", "Reyes", "Morales", "Cruz", "Ortiz", "Gutiérrez",
         "Chávez", "Ramos", "Vázquez", "Castillo", "Jiménez", "Mendoza", "Ruiz", "Álvarez", "Moreno",
         "Romero", "Herrera", "Medina", "Aguilar", "Vargas", "Castro", "Guzmán", "Juárez", "Domínguez",
         "Salazar", "Soto", "Delgado", "Núñez", "Ríos", "Contreras", "Estrada", "Figueroa", "Ocampo",
         "Zavala", "Arellano", "Velázquez", "Cervantes", "De la Cruz"),
        ("60623", "60608", "60632", "60629", "60639", "60647", "60609", "60651", "60617", "60638", "60618"),
    ),
    "black": (
        0.27, 0.01,
        ("Jamal", "Keisha", "DeShawn", "Aaliyah", "Tyrone", "Latoya", "Marcus", "Imani", "Darnell", "Jasmine",
         "Andre", "Tiana", "Malik", "Ebony", "Terrell", "Shanice", "Jalen", "Kiara", "Dominique", "Brandon",
         "Destiny", "Jerome", "Monique", "Cedric", "Tamika", "Xavier", "Nia", "Isaiah", "Aisha", "Darius",
         "Kendra", "Reginald", "Alicia", "Antoine", "Briana", "Lamar"),
        ("Washington", "Jackson", "Johnson", "Williams", "Brown", "Jones", "Davis", "Robinson", "Harris",
         "Thomas", "Walker", "Coleman", "Jenkins", "Bell", "Butler", "Freeman", "Simmons", "Banks", "Dixon",
         "Hayes", "Mitchell", "Gaines", "Booker", "Pryor", "Holloway", "Tillman", "McCoy", "Ware", "Lofton",
         "Whitfield", "Moseley", "Carter", "Franklin", "Graves", "Hollins", "Staples"),
        ("60619", "60620", "60621", "60628", "60636", "60637", "60644", "60624", "60649", "60653", "60615",
         "60612", "60652"),
    ),
    "polish": (
        0.09, 0.0,
        ("Katarzyna", "Piotr", "Agnieszka", "Tomasz", "Małgorzata", "Krzysztof", "Magdalena", "Paweł", "Anna",
         "Michał", "Joanna", "Marek", "Ewa", "Łukasz", "Dorota", "Grzegorz", "Monika", "Jakub", "Beata",
         "Marcin", "Zofia", "Wojciech", "Aleksandra", "Kamil", "Natalia", "Adam"),
        ("Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński",
         "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur", "Kwiatkowski", "Krawczyk",
         "Piotrowski", "Grabowski", "Pawłowski", "Michalski", "Nowicki", "Adamczyk", "Dudek", "Zając",
         "Wieczorek", "Jabłoński", "Majewski", "Olszewski", "Stępień", "Malinowski"),
        ("60634", "60641", "60630", "60638", "60656", "60646", "60618", "60631"),
    ),
    "asian": (
        0.09, 0.0,
        ("Wei", "Mei", "Jun", "Hui", "Xiao", "Minh", "Linh", "Thao", "Duc", "Hoa", "Ji-woo", "Min-jun",
         "Seo-yeon", "Hyun", "Priya", "Rahul", "Anjali", "Arjun", "Deepa", "Ravi", "Mariel", "Rowena",
         "Jericho", "Angelica", "Kevin", "Michelle", "Grace", "Andrew", "Vivian", "Eric"),
        ("Chen", "Wang", "Li", "Zhang", "Liu", "Huang", "Wu", "Lin", "Nguyen", "Tran", "Le", "Pham", "Vu",
         "Kim", "Lee", "Park", "Choi", "Patel", "Shah", "Desai", "Singh", "Reddy", "Santos", "Bautista",
         "Villanueva", "Dela Cruz", "Ong", "Cho"),
        ("60616", "60640", "60625", "60659", "60645", "60660", "60608"),
    ),
    "other": (
        0.11, 0.02,
        ("Michael", "Sarah", "Emily", "Ryan", "Megan", "Patrick", "Colleen", "Brian", "Kathleen", "Sean",
         "Erin", "Daniel", "Jessica", "Matthew", "Ashley", "Olena", "Andriy", "Yusuf", "Fatima", "Omar",
         "Layla", "Ahmed", "Mariam", "Nikolaos", "Eleni", "Giovanni", "Francesca", "Dmitri", "Svetlana"),
        ("O'Brien", "Murphy", "Sullivan", "Kelly", "Murray", "Walsh", "Schmidt", "Mueller", "Anderson",
         "Olson", "Peterson", "Miller", "Smith", "Russo", "Romano", "Papadopoulos", "Shevchenko", "Kovalenko",
         "Haddad", "Khalil", "Hussein", "Abdullah", "Novak", "Horvat", "Larson", "Becker", "Fitzgerald",
         "Quinn", "Hoffman"),
        ("60657", "60614", "60613", "60622", "60626", "60640", "60607", "60610", "60611", "60605"),
    ),
}


#: Polish first names that take the feminine form of a surname (Kowalski → Kowalska).
POLISH_FEMININE = frozenset(
    {
        "Katarzyna",
        "Agnieszka",
        "Małgorzata",
        "Magdalena",
        "Anna",
        "Joanna",
        "Ewa",
        "Dorota",
        "Monika",
        "Beata",
        "Zofia",
        "Aleksandra",
        "Natalia",
    }
)


#: Every Chicago ZIP a demo person may live in, besides their community's own.
CHICAGO_ZIPS = (
    "60601", "60602", "60603", "60604", "60605", "60606", "60607", "60608", "60609", "60610", "60611",
    "60612", "60613", "60614", "60615", "60616", "60617", "60618", "60619", "60620", "60621", "60622",
    "60623", "60624", "60625", "60626", "60628", "60629", "60630", "60631", "60632", "60633", "60634",
    "60636", "60637", "60638", "60639", "60640", "60641", "60643", "60644", "60645", "60646", "60647",
    "60649", "60651", "60652", "60653", "60655", "60656", "60657", "60659", "60660", "60661",
)


EMAIL_DOMAINS = ("example.com", "example.org", "example.net")


CITY_AREA_CODES = ("312", "773", "872")


#: Techapalooza draws from the suburbs too; distinct area codes keep its phones apart from Chicago's.
SUBURB_AREA_CODES = ("224", "630", "708", "847")


ACCESSIBILITY_NEEDS = (
    "Wheelchair access",
    "Sign language (ASL) interpreter",
    "Large-print materials",
    "A place to sit while waiting",
)


def make_people(rng: random.Random, count: int, first_number: int, area_codes: Sequence[str]) -> list[Person]:
    """``count`` career seekers with unique emails (``first.last+N@example.…``) and phones."""
    communities = list(COMMUNITIES)
    shares = [COMMUNITIES[c][0] for c in communities]
    phones = rng.sample(range(len(area_codes) * 10_000), count)
    people = []
    for i in range(count):
        community = rng.choices(communities, weights=shares)[0]
        _, spanish, first_names, last_names, zips = COMMUNITIES[community]
        first, last = rng.choice(first_names), rng.choice(last_names)
        if community == "polish" and first in POLISH_FEMININE and last.endswith("ki"):
            last = last[:-1] + "a"
        area, line = divmod(phones[i], 10_000)
        people.append(Person(
            first_name=first,
            last_name=last,
            email=f"{ascii_letters(first)}.{ascii_letters(last)}+{first_number + i}@"
            + rng.choices(EMAIL_DOMAINS, weights=(6, 3, 1))[0],
            phone=f"+1{area_codes[area]}555{line:04d}",
            zip_code=rng.choice(zips) if rng.random() < 0.7 else rng.choice(CHICAGO_ZIPS),
            language=Language.ES if rng.random() < spanish else Language.EN,
            community=community,
        ))
    return people


def chicago_people() -> list[Person]:
    """The 2,500 Hospitality Hires registrants; a few of them also came to Techapalooza."""
    return make_people(random.Random(f"{SEED}:people"), HOSPITALITY_REGISTRATIONS, 1, CITY_AREA_CODES)  # nosec B311


def draw_employment_status(rng: random.Random) -> str:
    return weighted(rng, {"unemployed": 50, "employed_part_time": 25, "employed_full_time": 12,
                           "student": 8, "other": 5})


def draw_how_heard(rng: random.Random, referred_by: OrganizationKind | None) -> str:
    if referred_by is not None:
        return referred_by.value
    return weighted(rng, {"social_media": 30, "friend_family": 25, "job_center": 10, "community_org": 8,
                           "employer": 6, "flyer": 8, "radio_tv": 8, "other": 5})
