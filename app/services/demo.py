"""Demo data: two staff logins, an upcoming Hospitality Hires Chicago (2,500 registrations, 60
employers, 150 positions, 12 referring partners), a Techapalooza two weeks past with everything
that happened at it (check-ins, interviews, offers, hires, survey answers; its booth links still
confirm hires) and a Techapalooza Express happening today, relative to the clock (arrivals, lines
at the booths, interviews under way, a few outcomes), so every role can be tried at once.

Deterministic: every name, number and outcome comes from a ``random.Random`` seeded per event, so
two databases loaded on the same day hold the same people; only secrets (badge codes, manage
tokens) are truly random. Idempotent: an event whose slug exists is skipped, users and
organizations that exist are reused. The big tables are written with bulk inserts, so the whole
load takes seconds, not minutes."""

import random
import unicodedata
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.models import (
    Answer,
    Audience,
    Booking,
    Candidate,
    CheckIn,
    CheckInKind,
    EmploymentType,
    Event,
    EventKind,
    EventStatus,
    HireStatus,
    Interview,
    InterviewSlot,
    InterviewSource,
    Language,
    Organization,
    OrganizationKind,
    Outcome,
    Participation,
    Partnership,
    Phase,
    Position,
    QuestionKind,
    Referral,
    Registration,
    RegistrationSource,
    RegistrationStatus,
    Response,
    Role,
    Sector,
    Survey,
    User,
    WageUnit,
    position_interests,
)
from app.models.registration import name_key
from app.services import audit
from app.services.surveys import PAIN_POINT_CHOICES, add_default_surveys
from app.services.tokens import new_badge_code
from app.services.users import create_user

#: Staff and volunteer accounts the demo creates; ``make run`` prints them.
DEMO_LOGINS: list[tuple[str, str, Role]] = [
    ("staff@demo.hireday.org", "hireday-staff", Role.STAFF),
    ("volunteer@demo.hireday.org", "hireday-volunteer", Role.VOLUNTEER),
]

HOSPITALITY_SLUG = "hospitality-hires-chicago"

T = TypeVar("T")

#: Changing the seed changes every demo person; bump it only on purpose. (The seeded ``random``
#: makes repeatable fake people, which bandit's B311 flags; every secret comes from tokens.py. The
#: B105 marks are on ``recorded_by_token_id``/``device_token_id`` keys, which are not passwords.)
SEED = "hireday-demo-1"
CHICAGO = ZoneInfo("America/Chicago")
HOSPITALITY_REGISTRATIONS = 2500

FT, PT = EmploymentType.FULL_TIME, EmploymentType.PART_TIME
SEASONAL, TEMPORARY, CONTRACT = EmploymentType.SEASONAL, EmploymentType.TEMPORARY, EmploymentType.CONTRACT
HOUR, YEAR = WageUnit.HOUR, WageUnit.YEAR
JOB_CENTER, COMMUNITY_ORG = OrganizationKind.JOB_CENTER, OrganizationKind.COMMUNITY_ORG

# --- People -------------------------------------------------------------------------------------

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
    {"Katarzyna", "Agnieszka", "Małgorzata", "Magdalena", "Anna", "Joanna", "Ewa", "Dorota", "Monika", "Beata",
     "Zofia", "Aleksandra", "Natalia"}
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

# --- Employers, jobs and partners ---------------------------------------------------------------

#: key: (title, wage unit, lowest, highest (dollars an hour, or thousands a year), employment types,
#: openings range, requirements).
ROLES: dict[str, tuple[str, WageUnit, float, float, tuple[EmploymentType, ...], tuple[int, int], str]] = {
    "room_attendant": ("Room Attendant", HOUR, 17.5, 21, (FT, PT), (4, 15),
                       "No experience needed; paid training. Able to lift 25 lb and stand for a full shift."),
    "front_desk": ("Front Desk Agent", HOUR, 18, 22.5, (FT, PT), (2, 6),
                   "Six months of customer service; comfortable with computers. Bilingual English/Spanish a plus."),
    "housekeeping_supervisor": ("Housekeeping Supervisor", HOUR, 22, 26, (FT,), (1, 3),
                                "Two years of hotel housekeeping, one as a lead."),
    "banquet_server": ("Banquet Server", HOUR, 17, 20, (PT, SEASONAL), (5, 15),
                       "Evening and weekend availability; food handler certificate within 30 days of hire."),
    "line_cook": ("Line Cook", HOUR, 19, 24.5, (FT, PT), (2, 8),
                  "One year on a line; food handler certificate."),
    "prep_cook": ("Prep Cook", HOUR, 17.5, 20, (FT, PT), (2, 6),
                  "Basic knife skills, or we will teach you. Food handler certificate within 30 days."),
    "dishwasher": ("Dishwasher / Steward", HOUR, 17, 19, (FT, PT), (2, 8),
                   "No experience needed. Able to lift 40 lb."),
    "bartender": ("Bartender", HOUR, 17, 21, (PT, FT), (1, 4),
                  "21 or older; BASSET certification (we can help you get it)."),
    "barista": ("Barista", HOUR, 17, 19, (PT, FT), (2, 6), "Friendly and quick; early mornings. We train."),
    "server": ("Server", HOUR, 17, 18.5, (PT, FT), (3, 10), "Restaurant experience preferred; evenings and weekends."),
    "host": ("Host", HOUR, 17, 18, (PT,), (1, 4), "A great first job; we train."),
    "bell_attendant": ("Bell Attendant", HOUR, 17, 19, (FT, PT), (1, 4), "Able to lift 50 lb; guest-facing."),
    "night_auditor": ("Night Auditor", HOUR, 20, 24, (FT,), (1, 2),
                      "Overnight shifts; basic bookkeeping and cash handling."),
    "maintenance_engineer": ("Maintenance Engineer", HOUR, 24, 30, (FT,), (1, 3),
                             "Two years of building maintenance; HVAC or electrical experience a plus."),
    "laundry_attendant": ("Laundry Attendant", HOUR, 17, 18.5, (FT, PT), (2, 6), "No experience needed."),
    "banquet_captain": ("Banquet Captain", HOUR, 22, 27, (FT,), (1, 2),
                        "Two years of banquet service, one leading a team."),
    "catering_driver": ("Catering Driver", HOUR, 19, 23, (FT, PT), (1, 5),
                        "Valid Illinois driver's license and a clean driving record."),
    "event_setup": ("Event Setup Crew", HOUR, 17.5, 20.5, (PT, SEASONAL, TEMPORARY), (4, 12),
                    "Able to lift 50 lb; early mornings and late nights."),
    "concessions_cashier": ("Concessions Cashier", HOUR, 17, 18, (PT, SEASONAL), (5, 15),
                            "Game-day and event shifts; cash handling."),
    "stand_lead": ("Concessions Stand Lead", HOUR, 19.5, 22.5, (SEASONAL, PT), (2, 6),
                   "One year of food service; able to lead a small team."),
    "suite_attendant": ("Suite Attendant", HOUR, 18, 21, (PT, SEASONAL), (2, 8),
                        "Polished guest service; food handler certificate."),
    "warehouse_runner": ("Warehouse Runner", HOUR, 18, 20, (PT, SEASONAL), (2, 6),
                         "Able to lift 50 lb; pallet jack experience a plus."),
    "food_court": ("Food Service Team Member", HOUR, 17, 19, (FT, PT), (4, 15),
                   "Must pass a background check for an airport (SIDA) badge."),
    "shift_supervisor": ("Shift Supervisor", HOUR, 21, 25, (FT,), (1, 3),
                         "One year supervising in food service; ServSafe Manager certificate or willing to get it."),
    "flight_kitchen_packer": ("Flight Kitchen Food Packer", HOUR, 18, 20.5, (FT,), (5, 15),
                              "Must pass an airport background check; early shifts."),
    "cocktail_server": ("Cocktail Server", HOUR, 17, 19, (PT, FT), (3, 8), "21 or older; BASSET certification."),
    "count_team": ("Count Team Member", HOUR, 19, 22, (FT,), (1, 4),
                   "Accurate cash handling; Illinois Gaming Board license (we sponsor it)."),
    "security_officer": ("Security Officer", HOUR, 20, 24, (FT,), (2, 6), "Illinois PERC card, or willing to get one."),
    "guest_services_rep": ("Guest Services Representative", HOUR, 18, 21.5, (FT, PT), (2, 5),
                           "Customer service experience; bilingual a plus."),
    "dietary_aide": ("Dietary Aide", HOUR, 17.5, 19.5, (FT, PT), (2, 6),
                     "Food handler certificate; patient and kind with older adults."),
    "cook": ("Cook", HOUR, 19, 23, (FT,), (1, 4), "Institutional or restaurant cooking experience."),
    "food_service_supervisor": ("Food Service Supervisor", HOUR, 21, 25, (FT,), (1, 2),
                                "Two years in food service, one supervising."),
    "guest_services_manager": ("Guest Services Manager", YEAR, 55, 68, (FT,), (1, 1),
                               "Three years in hotel operations, one managing a team."),
    "assistant_front_office_manager": ("Assistant Front Office Manager", YEAR, 48, 58, (FT,), (1, 2),
                                       "Two years at a front desk; Opera PMS a plus."),
    "sous_chef": ("Sous Chef", YEAR, 52, 65, (FT,), (1, 2),
                  "Three years in a high-volume kitchen; ServSafe Manager certificate."),
    "restaurant_gm": ("Restaurant General Manager", YEAR, 62, 75, (FT,), (1, 1),
                      "Four years of restaurant management; P&L responsibility."),
    "kitchen_manager": ("Kitchen Manager", YEAR, 50, 60, (FT,), (1, 1),
                        "Ordering, inventory and scheduling for a busy kitchen."),
    "banquet_manager": ("Banquet Manager", YEAR, 58, 72, (FT,), (1, 1),
                        "Three years running banquets of 300+ guests."),
    "catering_sales": ("Catering Sales Coordinator", YEAR, 48, 55, (FT,), (1, 2),
                       "Organized, good on the phone; catering or event experience a plus."),
    "restaurant_manager": ("Restaurant Manager", YEAR, 55, 68, (FT,), (1, 2),
                           "Two years managing a quick-service or full-service restaurant."),
    # Information technology.
    "help_desk": ("Help Desk Technician", HOUR, 22, 28, (FT,), (1, 4),
                  "CompTIA A+ or equivalent experience; patient on the phone."),
    "junior_developer": ("Junior Developer", YEAR, 65, 85, (FT,), (1, 3),
                         "A portfolio or bootcamp projects in Python, JavaScript or C#; Git."),
    "network_technician": ("Network Technician", HOUR, 25, 33, (FT, CONTRACT), (1, 3),
                           "CompTIA Network+ or CCNA in progress; able to lift 40 lb."),
    "data_analyst": ("Data Analyst", YEAR, 62, 80, (FT,), (1, 2), "SQL and Excel; Power BI or Tableau a plus."),
    "qa_tester": ("QA Tester", HOUR, 24, 32, (FT, CONTRACT), (1, 3),
                  "Attention to detail and clear bug reports; test automation a plus."),
    "cloud_support": ("Cloud Support Associate", YEAR, 58, 72, (FT,), (1, 3),
                      "AWS or Azure fundamentals certification; Linux basics."),
    "cyber_analyst": ("Cybersecurity Analyst", YEAR, 72, 92, (FT,), (1, 2),
                      "Security+ and a year in IT support or a SOC."),
    "desktop_support": ("Desktop Support Specialist", HOUR, 23, 29, (FT, CONTRACT, TEMPORARY), (1, 5),
                        "Windows 11, imaging and Microsoft 365 support."),
    "it_apprentice": ("IT Support Apprentice", HOUR, 20, 23, (FT,), (2, 6),
                      "High school diploma or GED; no experience needed. Paid 12-month apprenticeship."),
    "sysadmin": ("Junior Systems Administrator", YEAR, 62, 78, (FT,), (1, 2),
                 "Windows Server and Active Directory; PowerShell or Bash scripting."),
}

#: Job titles on Spanish pages, by role key. The IT roles keep their English titles, as the Chicago
#: IT employers advertise them; Spanish pages mark those lang="en".
SPANISH_TITLES: dict[str, str] = {
    "room_attendant": "Camarista", "front_desk": "Recepcionista",
    "housekeeping_supervisor": "Supervisor(a) de limpieza", "banquet_server": "Mesero(a) de banquetes",
    "line_cook": "Cocinero(a) de línea", "prep_cook": "Ayudante de cocina",
    "dishwasher": "Lavaplatos / Steward", "bartender": "Bartender", "barista": "Barista",
    "server": "Mesero(a)", "host": "Anfitrión(a)", "bell_attendant": "Botones",
    "night_auditor": "Auditor(a) nocturno(a)", "maintenance_engineer": "Técnico(a) de mantenimiento",
    "laundry_attendant": "Asistente de lavandería", "banquet_captain": "Capitán(a) de banquetes",
    "catering_driver": "Chofer de catering", "event_setup": "Equipo de montaje de eventos",
    "concessions_cashier": "Cajero(a) de concesiones", "stand_lead": "Líder de puesto de concesiones",
    "suite_attendant": "Asistente de palcos", "warehouse_runner": "Auxiliar de almacén",
    "food_court": "Miembro del equipo de servicio de comida", "shift_supervisor": "Supervisor(a) de turno",
    "flight_kitchen_packer": "Empacador(a) de cocina de vuelos", "cocktail_server": "Mesero(a) de cócteles",
    "count_team": "Miembro del equipo de conteo", "security_officer": "Oficial de seguridad",
    "guest_services_rep": "Representante de servicio a huéspedes", "dietary_aide": "Auxiliar de dietética",
    "cook": "Cocinero(a)", "food_service_supervisor": "Supervisor(a) de servicio de comida",
    "guest_services_manager": "Gerente de servicio a huéspedes",
    "assistant_front_office_manager": "Subgerente de recepción", "sous_chef": "Sous chef",
    "restaurant_gm": "Gerente general de restaurante", "kitchen_manager": "Gerente de cocina",
    "banquet_manager": "Gerente de banquetes", "catering_sales": "Coordinador(a) de ventas de catering",
    "restaurant_manager": "Gerente de restaurante",
}

#: The roles each kind of hospitality employer hires for.
HOSPITALITY_ROLES: dict[str, tuple[str, ...]] = {
    "hotel": ("room_attendant", "front_desk", "housekeeping_supervisor", "banquet_server", "line_cook", "dishwasher",
              "bell_attendant", "night_auditor", "maintenance_engineer", "laundry_attendant", "bartender",
              "guest_services_manager", "assistant_front_office_manager", "sous_chef"),
    "restaurant": ("line_cook", "prep_cook", "dishwasher", "server", "host", "bartender", "barista", "sous_chef",
                   "restaurant_gm", "kitchen_manager"),
    "catering": ("banquet_server", "catering_driver", "event_setup", "prep_cook", "banquet_captain",
                 "catering_sales", "dishwasher"),
    "concessions": ("concessions_cashier", "stand_lead", "suite_attendant", "warehouse_runner", "line_cook",
                    "bartender", "shift_supervisor"),
    "airport": ("food_court", "barista", "line_cook", "shift_supervisor", "flight_kitchen_packer",
                "restaurant_manager"),
    "casino": ("cocktail_server", "line_cook", "room_attendant", "count_team", "security_officer",
               "guest_services_rep", "banquet_manager"),
    "institutional": ("dietary_aide", "cook", "dishwasher", "food_service_supervisor"),
}

IT_ROLES = ("help_desk", "junior_developer", "network_technician", "data_analyst", "qa_tester", "cloud_support",
            "cyber_analyst", "desktop_support", "it_apprentice", "sysadmin")

HOSPITALITY_EMPLOYERS: tuple[tuple[str, str], ...] = (
    ("Lakeshore Grand Hotel", "hotel"),
    ("Magnificent Mile Suites", "hotel"),
    ("River North Hotel Collective", "hotel"),
    ("Gold Coast Plaza Hotel", "hotel"),
    ("The Wabash Hotel", "hotel"),
    ("Union Station Inn & Suites", "hotel"),
    ("South Loop Conference Hotel", "hotel"),
    ("Fulton Market Hotel", "hotel"),
    ("Millennium Parkview Hotel", "hotel"),
    ("Riverwalk Hotel & Spa", "hotel"),
    ("Streeterville Extended Stay", "hotel"),
    ("McCormick Square Hotel", "hotel"),
    ("Hyde Park Lakeside Inn", "hotel"),
    ("O'Hare Gateway Hotel", "hotel"),
    ("Midway Airport Lodge", "hotel"),
    ("Lincoln Park Guest House", "hotel"),
    ("Maxwell Street Grill Co.", "restaurant"),
    ("Sol de Pilsen Restaurant Group", "restaurant"),
    ("Deep Dish Dynasty Pizzeria", "restaurant"),
    ("Chinatown Dumpling House", "restaurant"),
    ("Bronzeville Soul Kitchen", "restaurant"),
    ("Greektown Taverna Group", "restaurant"),
    ("Andersonville Brunch Co.", "restaurant"),
    ("Wicker Park Hospitality", "restaurant"),
    ("Loop Lunch Counters", "restaurant"),
    ("Devon Avenue Tandoor", "restaurant"),
    ("Logan Square Brewing & Kitchen", "restaurant"),
    ("Ukrainian Village Bistro", "restaurant"),
    ("Little Italy Trattoria Group", "restaurant"),
    ("Windy City Burger Bar", "restaurant"),
    ("Windy City Catering", "catering"),
    ("Second City Banquets", "catering"),
    ("Prairie Avenue Events & Catering", "catering"),
    ("Lakefront Banquet Services", "catering"),
    ("Big Shoulders Catering Co.", "catering"),
    ("Chicago Celebrations Catering", "catering"),
    ("Blue Line Event Staffing", "catering"),
    ("Cook County Caterers", "catering"),
    ("Navy Pier Hospitality Group", "concessions"),
    ("Northside Ballpark Concessions", "concessions"),
    ("South Side Stadium Foods", "concessions"),
    ("Lakefront Arena Hospitality", "concessions"),
    ("Chicago Convention Food Services", "concessions"),
    ("Riverside Theater Concessions", "concessions"),
    ("Grant Park Festival Vendors", "concessions"),
    ("Midway Plaisance Event Foods", "concessions"),
    ("O'Hare Terminal Dining Group", "airport"),
    ("Midway Concourse Eats", "airport"),
    ("SkyGate Airport Food Service", "airport"),
    ("Jetway Provisions", "airport"),
    ("Aviation Catering of Illinois", "airport"),
    ("Runway Coffee Company", "airport"),
    ("Lakeside Casino Chicago", "casino"),
    ("Golden Shores Casino & Hotel", "casino"),
    ("Calumet River Casino", "casino"),
    ("Prairie State Gaming & Resort", "casino"),
    ("Midwest Campus Dining", "institutional"),
    ("Healthy Plate Hospital Food Service", "institutional"),
    ("Lincoln Square Senior Living Dining", "institutional"),
    ("Great Lakes Corporate Cafés", "institutional"),
)

IT_EMPLOYERS = (
    "Loop Logic Software",
    "Prairie Cloud Services",
    "Midway Managed IT",
    "Lakeview Data Labs",
    "Great Lakes Health Systems IT",
    "Second City Cyber Defense",
    "Fulton Market Fintech",
    "Union Station Software Co.",
    "Riverbend Logistics Technology",
    "Cook County Civic Tech Partners",
    "Northside Network Solutions",
    "Wabash Avenue Analytics",
)

#: Referring partners, with how many of an event's referrals each tends to bring (a weight).
HOSPITALITY_PARTNERS: tuple[tuple[str, OrganizationKind, int], ...] = (
    ("American Job Center – Pilsen", JOB_CENTER, 14),
    ("American Job Center – South Shore", JOB_CENTER, 11),
    ("American Job Center – Northwest Side", JOB_CENTER, 9),
    ("Workforce Center – Garfield Park", JOB_CENTER, 8),
    ("Workforce Center – Roseland", JOB_CENTER, 7),
    ("Little Village Jobs Collaborative", COMMUNITY_ORG, 12),
    ("Back of the Yards Neighborhood Works", COMMUNITY_ORG, 8),
    ("Bronzeville Career Pathways", COMMUNITY_ORG, 7),
    ("Humboldt Park Family Alliance", COMMUNITY_ORG, 6),
    ("Englewood Second Chance Network", COMMUNITY_ORG, 6),
    ("Albany Park Newcomer Services", COMMUNITY_ORG, 4),
    ("Chinatown Community Opportunity Center", COMMUNITY_ORG, 3),
)

TECH_PARTNERS: tuple[tuple[str, OrganizationKind, int], ...] = (
    ("American Job Center – Pilsen", JOB_CENTER, 5),
    ("American Job Center – Northwest Side", JOB_CENTER, 4),
    ("Code Forward Chicago", COMMUNITY_ORG, 6),
    ("Bronzeville Digital Skills Center", COMMUNITY_ORG, 3),
)

#: Partner-code alphabet: no 0/O or 1/I, so a code read aloud over the phone survives.
REFERRAL_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

# --- What people write ----------------------------------------------------------------------------

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
    "hospitality": ("Line cooks and dishwashers", "Overnight room attendants", "Banquet servers for weekends",
                    "Bartenders with BASSET", "Front desk agents who speak Spanish", "Sous chef",
                    "Maintenance engineers with HVAC experience", "Game-day concessions staff"),
    "it": ("Network technicians", "Help desk with bilingual Spanish", "Junior developers who can test their code",
           "Cloud support with Linux", "Security analysts with a Security+", "Data analysts strong in SQL"),
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

SECOND_INTERVIEW_PLACES = ("At our office; details by email", "Video call", "Phone call with the hiring manager")


# --- Plain data the loader passes around --------------------------------------------------------


@dataclass
class _Person:
    first_name: str
    last_name: str
    email: str
    phone: str
    zip_code: str
    language: Language
    community: str


@dataclass
class _Registrant:
    """A registration about to be written, and what the demo knows about the person's day."""

    person: _Person
    created_at: datetime
    status: RegistrationStatus = RegistrationStatus.REGISTERED
    source: RegistrationSource = RegistrationSource.ONLINE
    cancelled_at: datetime | None = None
    employment_status: str | None = None
    sectors: list[str] = field(default_factory=list)
    how_heard: str | None = None
    accessibility_needs: str = ""
    consent_email: bool = False
    consent_sms: bool = False
    #: Partnership ids that referred this person.
    partners: list[int] = field(default_factory=list)
    #: When they walked in, for those who came.
    arrived_at: datetime | None = None
    id: int = 0


@dataclass
class _Slot:
    starts_at: datetime
    ends_at: datetime
    is_blocked: bool
    capacity: int
    #: Seats already booked (seat numbers are 1..capacity).
    seats_taken: int = 0
    id: int = 0


@dataclass
class _Booth:
    """An employer at the event with its positions and, once added, its slots."""

    participation: Participation
    positions: list[Position]
    slots: list[_Slot] = field(default_factory=list)


@dataclass
class _ResponseData:
    registration_id: int | None
    participation_id: int | None
    language: Language
    submitted_at: datetime
    #: Question key → a number (scale, recommend), a list of choice values, or a text.
    answers: dict[str, int | list[str] | str]


# --- Small helpers --------------------------------------------------------------------------------


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Chicago on ``day``, as UTC."""
    return datetime.combine(day, time(hour, minute), tzinfo=CHICAGO).astimezone(UTC)


def _between(rng: random.Random, start: datetime, end: datetime, skew: float = 1.0) -> datetime:
    """A time in [start, end], whole seconds; ``skew`` < 1 leans towards the end."""
    if end <= start:
        return start
    offset = (end - start).total_seconds() * rng.random() ** skew
    return start + timedelta(seconds=int(offset))


def _minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def _ascii(text: str) -> str:
    """``Núñez`` → ``nunez``, ``O'Brien`` → ``obrien``: letters only, for an email address."""
    folded = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    return "".join(c for c in folded if c.isascii() and c.isalpha()).lower()


def _weighted(rng: random.Random, options: dict[T, float]) -> T:
    """One key of ``options``, drawn in proportion to its value."""
    return rng.choices(list(options), weights=list(options.values()))[0]


def _wage_range(rng: random.Random, unit: WageUnit, low: float, high: float) -> tuple[int, int]:
    """(min, max) in cents: quarters of a dollar an hour, or whole thousands a year."""
    if unit == HOUR:
        step, scale = 25, 100
    else:
        step, scale = 100_000, 100_000
    lo, hi = int(low * scale), int(high * scale)
    minimum = rng.randrange(lo, (lo + hi) // 2 + 1, step) if hi > lo else lo
    maximum = minimum if rng.random() < 0.25 else rng.randrange(minimum, hi + 1, step)
    return minimum, maximum


def _season(day: date) -> str:
    return ("winter", "spring", "summer", "fall")[(day.month % 12) // 3]


def _count_range(n: int) -> str:
    """The ``COUNT_RANGE_CHOICES`` value a count falls in."""
    if n == 0:
        return "0"
    return "1_5" if n <= 5 else "6_10" if n <= 10 else "11_20" if n <= 20 else "21_plus"


def _openings_range(n: int) -> str:
    return "1_5" if n <= 5 else "6_10" if n <= 10 else "11_25" if n <= 25 else "26_50" if n <= 50 else "51_plus"


def _first_gap(start: datetime, length: timedelta, busy: list[tuple[datetime, datetime]]) -> datetime:
    """The earliest time at or after ``start`` when ``length`` fits between the busy intervals."""
    for busy_start, busy_end in sorted(busy):
        if start + length <= busy_start:
            break
        if start < busy_end:
            start = busy_end
    return start


def _overlaps(start: datetime, end: datetime, busy: list[tuple[datetime, datetime]]) -> bool:
    return any(start < b_end and b_start < end for b_start, b_end in busy)


def _nonce(rng: random.Random) -> str:
    return uuid.UUID(int=rng.getrandbits(128), version=4).hex


def _people(rng: random.Random, count: int, first_number: int, area_codes: Sequence[str]) -> list[_Person]:
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
        people.append(_Person(
            first_name=first,
            last_name=last,
            email=f"{_ascii(first)}.{_ascii(last)}+{first_number + i}@"
            + rng.choices(EMAIL_DOMAINS, weights=(6, 3, 1))[0],
            phone=f"+1{area_codes[area]}555{line:04d}",
            zip_code=rng.choice(zips) if rng.random() < 0.7 else rng.choice(CHICAGO_ZIPS),
            language=Language.ES if rng.random() < spanish else Language.EN,
            community=community,
        ))
    return people


def _chicago_people() -> list[_Person]:
    """The 2,500 Hospitality Hires registrants; a few of them also came to Techapalooza."""
    return _people(random.Random(f"{SEED}:people"), HOSPITALITY_REGISTRATIONS, 1, CITY_AREA_CODES)  # nosec B311


def _employment_status(rng: random.Random) -> str:
    return _weighted(rng, {"unemployed": 50, "employed_part_time": 25, "employed_full_time": 12,
                           "student": 8, "other": 5})


def _how_heard(rng: random.Random, referred_by: OrganizationKind | None) -> str:
    if referred_by is not None:
        return referred_by.value
    return _weighted(rng, {"social_media": 30, "friend_family": 25, "job_center": 10, "community_org": 8,
                           "employer": 6, "flyer": 8, "radio_tv": 8, "other": 5})


def _candidate_pre_answers(rng: random.Random, reg: _Registrant) -> dict[str, int | list[str] | str]:
    answers: dict[str, int | list[str] | str] = {}
    if reg.employment_status:
        answers["employment_status"] = [reg.employment_status]
    if rng.random() < 0.9:
        answers["education"] = [_weighted(rng, {"less_than_high_school": 14, "high_school": 40, "some_college": 24,
                                                "associate": 9, "bachelor": 10, "graduate": 3})]
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


# --- The loader -----------------------------------------------------------------------------------


class _DemoLoad:
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
            contact = _people(random.Random(f"{SEED}:{kind}:{name}"), 1, 1, CITY_AREA_CODES)[0]  # nosec B311
            org = Organization(
                kind=kind,
                name=name,
                sector=sector,
                contact_name=f"{contact.first_name} {contact.last_name}",
                contact_email=f"{_ascii(contact.first_name)}.{_ascii(contact.last_name)}@example.org",
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
    ) -> list[_Booth]:
        """One participation per (employer name, role keys), tables numbered in order, with slots."""
        set_up_at = event.created_at + timedelta(days=2)
        booths = []
        for table, (name, role_keys) in enumerate(employers, start=1):
            start_offset, end_offset = rng.choice(windows)
            participation = Participation(
                event=event,
                organization=self.organization(OrganizationKind.EMPLOYER, name, sector, set_up_at),
                table_number=str(table),
                interview_minutes=_weighted(rng, minutes),
                interview_starts_at=event.starts_at + start_offset,
                interview_ends_at=event.ends_at - end_offset,
                interviewers=_weighted(rng, interviewers),
                created_at=set_up_at,
            )
            positions = []
            for key in role_keys:
                title, unit, low, high, types, (fewest, most), requirements = ROLES[key]
                wage_min, wage_max = _wage_range(rng, unit, low, high)
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
            booths.append(_Booth(participation, positions))
        self.session.flush()
        self.summary["participations_created"] += len(booths)
        self.summary["positions_created"] += sum(len(b.positions) for b in booths)
        self._add_slots(rng, booths)
        return booths

    def _add_slots(self, rng: random.Random, booths: list[_Booth]) -> None:
        rows = []
        for booth in booths:
            p = booth.participation
            length = _minutes(p.interview_minutes)
            lunch = rng.random() < 0.2
            start = p.interview_starts_at
            while start + length <= p.interview_ends_at:
                # A booth that takes a lunch break blocks the slot starting in the 12 o'clock hour.
                blocked = lunch and start.astimezone(CHICAGO).hour == 12 and not any(s.is_blocked for s in booth.slots)
                booth.slots.append(_Slot(start, start + length, blocked, p.interviewers))
                rows.append({"participation_id": p.id, "starts_at": start, "ends_at": start + length,
                             "capacity": p.interviewers, "is_blocked": blocked})
                start += length
        for slot, slot_id in zip([s for b in booths for s in b.slots], self._insert(InterviewSlot, rows), strict=True):
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
                code = "".join(rng.choice(REFERRAL_CODE_ALPHABET) for _ in range(8))
            taken.add(code)
            partnership = Partnership(event=event, organization=self.organization(kind, name, None, set_up_at),
                                      referral_code=code, created_at=set_up_at)
            self.session.add(partnership)
            result.append((partnership, weight))
        self.session.flush()
        self.summary["partnerships_created"] += len(result)
        return result

    def register(self, event: Event, registrants: list[_Registrant]) -> None:
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
            {"event_id": event.id, "registration_id": r.id, "partnership_id": partnership_id, "created_at": r.created_at}
            for r in registrants
            for partnership_id in r.partners
        ]
        if referrals:
            self.session.execute(insert(Referral), referrals)
        self.summary["registrations_created"] += len(rows)
        self.summary["referrals_created"] += len(referrals)

    def _candidates(self, registrants: list[_Registrant]) -> dict[str, int]:
        """Email → candidate id, creating the people not met before. A phone number someone else
        already has is left out rather than shared."""
        emails = [r.person.email for r in registrants]
        ids: dict[str, int] = {}
        for chunk in _chunks(emails, 500):
            found = self.session.execute(select(Candidate.email, Candidate.id).where(Candidate.email.in_(chunk)))
            ids.update({email: candidate_id for email, candidate_id in found})
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

    def add_responses(self, survey: Survey, responses: list[_ResponseData]) -> None:
        """Write responses and their answers, checking every answer fits its question."""
        questions = {q.key: q for q in survey.questions}
        rows = [
            {"survey_id": survey.id, "registration_id": r.registration_id, "participation_id": r.participation_id,
             "language": r.language, "submitted_at": r.submitted_at, "updated_at": r.submitted_at}
            for r in responses
        ]
        answers = []
        for response, response_id in zip(responses, self._insert(Response, rows), strict=True):
            for key, value in response.answers.items():
                question = questions[key]
                answer = {"response_id": response_id, "question_id": question.id, "number": None, "choices": [],
                          "text": None}
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

    def _insert(self, model: type, rows: list[dict]) -> list[int]:
        """Bulk INSERT … RETURNING id, the ids in the order of ``rows``."""
        if not rows:
            return []
        statement = insert(model).returning(model.id, sort_by_parameter_order=True)
        return list(self.session.scalars(statement, rows))


def _chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _surveys(session: Session, event: Event) -> dict[tuple[Audience, Phase], Survey]:
    for survey in add_default_surveys(session, event):
        survey.created_at = event.created_at + timedelta(days=3)
    session.flush()
    return {(s.audience, s.phase): s for s in session.scalars(select(Survey).where(Survey.event_id == event.id))}


# --- Hospitality Hires Chicago: upcoming, registrations open --------------------------------------


def _hospitality_hires(load: _DemoLoad) -> Event:
    session, now = load.session, load.now
    rng = random.Random(f"{SEED}:{HOSPITALITY_SLUG}")  # nosec B311
    day = now.astimezone(CHICAGO).date() + timedelta(days=21)
    day += timedelta(days=(2 - day.weekday()) % 7)  # hiring days fall on a Wednesday
    event = Event(
        slug=HOSPITALITY_SLUG,
        name="Hospitality Hires Chicago",
        kind=EventKind.HOSPITALITY_HIRES,
        series="hospitality-hires",
        sectors=[Sector.HOSPITALITY.value],
        status=EventStatus.PUBLISHED,
        description=(
            "Chicago's biggest hospitality hiring day. Meet 60 hotels, restaurants, caterers, stadium and "
            "airport food-service companies and casinos with about 150 kinds of positions to fill — room "
            "attendants, line cooks, banquet servers, front desk agents, bartenders, supervisors and "
            "managers. Many employers interview on the spot and make conditional offers the same day.\n\n"
            "Register ahead to get your badge and book interviews; walk-ins are welcome too. Bring a few "
            "copies of your resume if you have one (not required). Free; job center staff on site to help. "
            "Habrá intérpretes de español."
        ),
        description_es=(
            "El día de contratación de hotelería más grande de Chicago. Conozca 60 hoteles, restaurantes, empresas "
            "de catering, de servicio de comida en estadios y aeropuertos, y casinos con unos 150 tipos de puestos "
            "por cubrir: camaristas, cocineros de línea, meseros de banquetes, recepcionistas, bartenders, "
            "supervisores y gerentes. Muchos empleadores entrevistan en el momento y hacen ofertas condicionales "
            "el mismo día.\n\n"
            "Regístrese con anticipación para recibir su gafete y reservar entrevistas; también puede llegar sin "
            "registro. Traiga algunas copias de su currículum si tiene uno (no es obligatorio). Es gratis; habrá "
            "personal de los centros de empleo para ayudarle. Habrá intérpretes de español."
        ),
        venue="McCormick Place, Hall F3",
        address="2301 S. Dr. Martin Luther King Jr. Dr., Chicago, IL 60616",
        starts_at=_local(day, 10),
        ends_at=_local(day, 15),
        timezone="America/Chicago",
        registration_opens_at=_local(now.astimezone(CHICAGO).date() - timedelta(days=35), 9),
        registration_closes_at=_local(day, 10),
        capacity=3000,
        max_bookings_per_candidate=3,
        created_at=_local(now.astimezone(CHICAGO).date() - timedelta(days=49), 11),
    )
    session.add(event)
    session.flush()

    role_counts = [3] * 30 + [2] * 30  # 150 positions
    rng.shuffle(role_counts)
    employers = [
        (name, rng.sample(HOSPITALITY_ROLES[kind], count))
        for (name, kind), count in zip(HOSPITALITY_EMPLOYERS, role_counts, strict=True)
    ]
    booths = load.add_booths(
        event, rng, employers, Sector.HOSPITALITY,
        minutes={10: 5, 12: 2, 15: 3}, interviewers={1: 3, 2: 4, 3: 2},
        windows=[(_minutes(0), _minutes(0)), (_minutes(0), _minutes(30)), (_minutes(30), _minutes(30)),
                 (_minutes(30), _minutes(60))],
    )
    partners = load.add_partners(event, rng, HOSPITALITY_PARTNERS)
    surveys = _surveys(session, event)

    registrants = []
    opens = event.registration_opens_at
    cancelled = set(rng.sample(range(HOSPITALITY_REGISTRATIONS), 40))
    for i, person in enumerate(_chicago_people()):
        created = _between(rng, opens, now, skew=0.6)
        reg = _Registrant(person, created)
        if rng.random() < 0.35:
            first = rng.choices(partners, weights=[w for _, w in partners])[0][0]
            reg.partners = [first.id]
            if rng.random() < 0.12:
                second = rng.choice([p for p, _ in partners if p is not first])
                reg.partners.append(second.id)
            if rng.random() < 0.25:
                reg.source = RegistrationSource.PARTNER_IMPORT
            reg.how_heard = _how_heard(rng, first.organization.kind)
        else:
            reg.how_heard = _how_heard(rng, None) if rng.random() < 0.9 else None
        reg.employment_status = _employment_status(rng)
        reg.sectors = [Sector.HOSPITALITY.value] + sorted(
            rng.sample([s.value for s in Sector if s != Sector.HOSPITALITY], rng.choice((0, 0, 1, 1, 2)))
        )
        reg.consent_email = rng.random() < 0.82
        reg.consent_sms = rng.random() < 0.55
        if rng.random() < 0.015:
            reg.accessibility_needs = rng.choice(ACCESSIBILITY_NEEDS)
        if i in cancelled:
            reg.status = RegistrationStatus.CANCELLED
            reg.cancelled_at = _between(rng, created + _minutes(5), now)
        registrants.append(reg)
    load.register(event, registrants)

    # What people said they were interested in.
    positions = [p for b in booths for p in b.positions]
    interests = [
        {"registration_id": r.id, "position_id": p.id}
        for r in registrants if rng.random() < 0.4
        for p in rng.sample(positions, rng.randint(1, 3))
    ]
    session.execute(insert(position_interests), interests)
    load.summary["position_interests_created"] += len(interests)

    # Booked interview slots: a few hundred, at most three a person, never overlapping.
    booking_rows = []
    live = [r for r in registrants if r.status == RegistrationStatus.REGISTERED]
    for reg in rng.sample(live, 330) + rng.sample([r for r in registrants if r.cancelled_at], 6):
        taken: list[tuple[datetime, datetime]] = []
        employers: set[int] = set()  # one booking per employer, as the database requires
        for _ in range(_weighted(rng, {1: 5, 2: 3, 3: 2})):
            for _attempt in range(20):
                booth = rng.choice(booths)
                slot = rng.choice(booth.slots)
                if (not slot.is_blocked and slot.seats_taken < booth.participation.interviewers
                        and booth.participation.id not in employers
                        and not _overlaps(slot.starts_at, slot.ends_at, taken)):
                    break
            else:
                continue
            slot.seats_taken += 1
            employers.add(booth.participation.id)
            taken.append((slot.starts_at, slot.ends_at))
            booked_at = _between(rng, reg.created_at, reg.cancelled_at or now)
            booking_rows.append({"slot_id": slot.id, "slot_capacity": slot.capacity,
                                 "participation_id": booth.participation.id, "registration_id": reg.id,
                                 "seat": slot.seats_taken,
                                 "created_at": booked_at, "cancelled_at": reg.cancelled_at})
    load.add_bookings(booking_rows)

    # Pre-event surveys: most career seekers answer while registering; two thirds of employers.
    survey = surveys[(Audience.CANDIDATE, Phase.PRE)]
    load.add_responses(survey, [
        _ResponseData(r.id, None, r.person.language,
                      min(now, r.created_at + timedelta(seconds=rng.randint(60, 600))),
                      _candidate_pre_answers(rng, r))
        for r in registrants if rng.random() < 0.58
    ])
    load.add_responses(surveys[(Audience.EMPLOYER, Phase.PRE)], [
        _ResponseData(None, b.participation.id, Language.EN, _between(rng, opens, now),
                      _employer_pre_answers(rng, b, "hospitality"))
        for b in booths if rng.random() < 0.67
    ])
    return event


def _employer_pre_answers(rng: random.Random, booth: _Booth, sector: str) -> dict[str, int | list[str] | str]:
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


# --- Techapalooza: two weeks ago, with everything that happened; and one happening today -----------


def _it_walk_in(rng: random.Random, person: _Person, arrived: datetime) -> _Registrant:
    """Someone registered at an IT fair's door a few minutes before being checked in."""
    return _Registrant(
        person, arrived - _minutes(rng.uniform(2, 5)), source=RegistrationSource.WALK_IN,
        employment_status=_employment_status(rng), sectors=[Sector.IT.value], how_heard=_how_heard(rng, None),
        consent_email=True, arrived_at=arrived,
    )


def _techapalooza_day(now: datetime) -> date:
    """The Thursday 12 to 18 days before ``now``: over, yet recent enough that its booth links (valid
    ``BOOTH_LINK_DAYS`` after it) still confirm hires."""
    day = now.astimezone(CHICAGO).date() - timedelta(days=12)
    return day - timedelta(days=(day.weekday() - 3) % 7)


def _techapalooza_slug(day: date) -> str:
    return f"techapalooza-{_season(day)}-{day.year}"


def _techapalooza(load: _DemoLoad) -> Event:
    session, now = load.session, load.now
    day = _techapalooza_day(now)
    slug = _techapalooza_slug(day)
    rng = random.Random(f"{SEED}:{slug}")  # nosec B311
    event = Event(
        slug=slug,
        name=f"Techapalooza {_season(day).title()} {day.year}",
        kind=EventKind.TECHAPALOOZA,
        series="techapalooza",
        sectors=[Sector.IT.value],
        status=EventStatus.CLOSED,
        description=(
            "An evening IT job fair: help desk, networking, cloud, data, QA, security and junior developer "
            "roles with a dozen Chicago-area employers, many of them open to career changers, bootcamp and "
            "community college graduates. Book a 15- or 20-minute interview ahead, or queue at the booths."
        ),
        description_es=(
            "Una feria de empleo de tecnología por la tarde: puestos de mesa de ayuda, redes, nube, datos, control "
            "de calidad, seguridad y desarrollo para principiantes con una docena de empleadores del área de "
            "Chicago, muchos abiertos a personas que cambian de carrera y a egresados de bootcamps y colegios "
            "comunitarios. Reserve una entrevista de 15 o 20 minutos con anticipación o haga fila en los stands."
        ),
        venue="Harold Washington Library Center, Winter Garden",
        address="400 S. State St., Chicago, IL 60605",
        starts_at=_local(day, 16),
        ends_at=_local(day, 19),
        timezone="America/Chicago",
        registration_opens_at=_local(day - timedelta(days=45), 9),
        registration_closes_at=_local(day, 16),
        capacity=150,
        max_bookings_per_candidate=3,
        created_at=_local(day - timedelta(days=59), 11),
    )
    session.add(event)
    session.flush()
    starts, ends = event.starts_at, event.ends_at

    role_counts = [3] * 6 + [2] * 6
    rng.shuffle(role_counts)
    employers = [(name, rng.sample(IT_ROLES, count)) for name, count in zip(IT_EMPLOYERS, role_counts, strict=True)]
    booths = load.add_booths(
        event, rng, employers, Sector.IT,
        minutes={15: 2, 20: 1}, interviewers={1: 1, 2: 2},
        windows=[(_minutes(15), _minutes(15)), (_minutes(0), _minutes(30)), (_minutes(15), _minutes(0))],
    )
    partners = load.add_partners(event, rng, TECH_PARTNERS)
    surveys = _surveys(session, event)

    # 100 pre-registered (a dozen of them also register for Hospitality Hires) and 8 walk-ins.
    chicago = _chicago_people()
    newcomers = _people(rng, 96, 5001, SUBURB_AREA_CODES)
    pre_people = [chicago[i] for i in sorted(rng.sample(range(len(chicago)), 12))] + newcomers[:88]
    rng.shuffle(pre_people)
    registrants: list[_Registrant] = []
    opens = event.registration_opens_at
    for i, person in enumerate(pre_people):
        reg = _Registrant(person, _between(rng, opens, starts - timedelta(hours=2), skew=0.7))
        if rng.random() < 0.35:
            first = rng.choices(partners, weights=[w for _, w in partners])[0][0]
            reg.partners = [first.id]
            if rng.random() < 0.15:
                reg.partners.append(rng.choice([p for p, _ in partners if p is not first]).id)
            if rng.random() < 0.2:
                reg.source = RegistrationSource.PARTNER_IMPORT
            reg.how_heard = _how_heard(rng, first.organization.kind)
        else:
            reg.how_heard = _how_heard(rng, None)
        reg.employment_status = _employment_status(rng)
        reg.sectors = [Sector.IT.value] + ([Sector.MANUFACTURING.value] if rng.random() < 0.1 else [])
        reg.consent_email = rng.random() < 0.85
        reg.consent_sms = rng.random() < 0.5
        if i < 3:
            reg.status = RegistrationStatus.CANCELLED
            reg.cancelled_at = _between(rng, reg.created_at + _minutes(10), starts)
        elif rng.random() < 0.72:
            reg.arrived_at = starts + _minutes(min(140.0, rng.expovariate(1 / 30)) - 10)
        registrants.append(reg)
    for person in newcomers[88:]:
        registrants.append(_it_walk_in(rng, person, starts + _minutes(rng.uniform(20, 120))))
    load.register(event, registrants)
    attendees = sorted((r for r in registrants if r.arrived_at), key=lambda r: r.arrived_at)

    _techapalooza_checkins(load, rng, event, registrants, attendees)
    interviews = _techapalooza_interviews(load, rng, event, booths, registrants, attendees)

    # Surveys: before (at registration) and after (in the days that followed).
    load.add_responses(surveys[(Audience.CANDIDATE, Phase.PRE)], [
        _ResponseData(r.id, None, r.person.language, r.created_at + timedelta(seconds=rng.randint(60, 600)),
                      _candidate_pre_answers(rng, r))
        for r in registrants if rng.random() < 0.6
    ])
    post = []
    for reg in attendees:
        if rng.random() >= 0.5:
            continue
        mine = [row for row in interviews if row["registration_id"] == reg.id and row["started_at"]]
        offers = sum(row["offer_wage_cents"] is not None for row in mine)
        answers: dict[str, int | list[str] | str] = {
            "satisfaction": rng.randint(4, 5) if offers else _weighted(rng, {2: 1, 3: 3, 4: 5, 5: 3}),
            "usefulness": rng.randint(4, 5) if offers else _weighted(rng, {1: 1, 2: 2, 3: 3, 4: 4, 5: 2}),
            "interviews": [str(len(mine)) if len(mine) < 3 else "3_plus"],
            "offers": [str(offers) if offers < 2 else "2_plus"],
            "recommend": rng.randint(8, 10) if offers else _weighted(rng, {3: 1, 5: 1, 6: 2, 7: 3, 8: 4, 9: 3, 10: 3}),
        }
        if rng.random() < 0.3:
            answers["comments"] = rng.choice(CANDIDATE_COMMENTS[reg.person.language])
        post.append(_ResponseData(reg.id, None, reg.person.language, _between(rng, ends + timedelta(hours=2),
                                                                              ends + timedelta(days=6)), answers))
    load.add_responses(surveys[(Audience.CANDIDATE, Phase.POST)], post)

    load.add_responses(surveys[(Audience.EMPLOYER, Phase.PRE)], [
        _ResponseData(None, b.participation.id, Language.EN, _between(rng, opens, starts - timedelta(days=1)),
                      _employer_pre_answers(rng, b, "it"))
        for b in booths if rng.random() < 0.85
    ])
    employer_post = []
    for booth in booths:
        if rng.random() >= 0.75:
            continue
        theirs = [row for row in interviews if row["participation_id"] == booth.participation.id]
        offers = sum(row["offer_wage_cents"] is not None for row in theirs)
        hires = sum(row["hire_status"] in (HireStatus.HIRED, HireStatus.PENDING) for row in theirs)
        answers = {
            "satisfaction": _weighted(rng, {3: 2, 4: 5, 5: 4}),
            "candidate_quality": _weighted(rng, {2: 1, 3: 4, 4: 5, 5: 2}),
            "offers_made": [_count_range(offers)],
            "hires_expected": [_count_range(hires)],
            "pain_points": sorted(rng.sample(["not_enough_applicants", "skills_gaps", "no_shows", "retention",
                                              "wage_competition"], rng.randint(1, 2))),
            "would_return": [_weighted(rng, {"yes": 15, "maybe": 4, "no": 1})],
        }
        if rng.random() < 0.4:
            answers["comments"] = rng.choice(EMPLOYER_COMMENTS)
        employer_post.append(_ResponseData(None, booth.participation.id, Language.EN,
                                           _between(rng, ends + timedelta(hours=3), ends + timedelta(days=10)),
                                           answers))
    load.add_responses(surveys[(Audience.EMPLOYER, Phase.POST)], employer_post)
    return event


def _express_slug(now: datetime) -> str:
    return f"techapalooza-express-{now.astimezone(CHICAGO).date().isoformat()}"


def _techapalooza_express(load: _DemoLoad) -> Event:
    """An IT fair happening now (relative to the clock): it began two hours ago and runs three more,
    so the door, the booths and the live dashboard can all be tried at once. People have arrived,
    lines have formed at booths, interviews are under way and a few outcomes are recorded. Its booth
    window covers the whole event whatever the hour, even across midnight."""
    session, now = load.session, load.now
    slug = _express_slug(now)
    rng = random.Random(f"{SEED}:{slug}")  # nosec B311
    local_now = now.astimezone(CHICAGO)
    starts = (now - timedelta(hours=2)).replace(second=0, microsecond=0)
    starts -= timedelta(minutes=starts.minute % 15)
    ends = starts + timedelta(hours=5)
    event = Event(
        slug=slug,
        name=f"Techapalooza Express · {local_now:%B} {local_now.day}",
        kind=EventKind.TECHAPALOOZA,
        series="techapalooza",
        sectors=[Sector.IT.value],
        status=EventStatus.PUBLISHED,
        description=(
            "A short IT hiring session with eight Chicago employers: help desk, networking, data and junior "
            "developer roles. Walk-ups welcome; join any booth's line from your phone."
        ),
        venue="Chicago Cook Workforce Partnership, Loop office",
        address="69 W. Washington St., Chicago, IL 60602",
        starts_at=starts,
        ends_at=ends,
        timezone="America/Chicago",
        booth_opens_at=starts - timedelta(hours=1),
        booth_closes_at=ends + timedelta(hours=1),
        registration_opens_at=starts - timedelta(days=21),
        capacity=120,
        max_bookings_per_candidate=2,
        created_at=starts - timedelta(days=28),
    )
    session.add(event)
    session.flush()
    role_counts = [2, 3, 2, 2, 3, 2, 2, 2]
    employers = [(name, rng.sample(IT_ROLES, count)) for name, count in zip(IT_EMPLOYERS[:8], role_counts, strict=True)]
    booths = load.add_booths(
        event, rng, employers, Sector.IT, minutes={15: 2, 20: 1}, interviewers={1: 1, 2: 1},
        windows=[(_minutes(0), _minutes(0)), (_minutes(15), _minutes(15))],
    )
    partners = load.add_partners(event, rng, TECH_PARTNERS)
    _surveys(session, event)

    registrants: list[_Registrant] = []
    people = _people(rng, 74, 7001, CITY_AREA_CODES)
    for person in people[:70]:
        reg = _Registrant(person, _between(rng, event.registration_opens_at, starts - timedelta(hours=1), skew=0.7))
        if rng.random() < 0.3:
            reg.partners = [rng.choices(partners, weights=[w for _, w in partners])[0][0].id]
        reg.how_heard = _how_heard(rng, None)
        reg.employment_status = _employment_status(rng)
        reg.sectors = [Sector.IT.value]
        reg.consent_email = rng.random() < 0.85
        arrival = starts + _minutes(rng.expovariate(1 / 45) - 5)
        if rng.random() < 0.75 and arrival <= now - _minutes(2):
            reg.arrived_at = arrival
        registrants.append(reg)
    for person in people[70:]:
        registrants.append(_it_walk_in(rng, person, _between(rng, starts + _minutes(15), now - _minutes(5))))
    load.register(event, registrants)
    attendees = sorted((r for r in registrants if r.arrived_at), key=lambda r: r.arrived_at)
    rows = [
        {"event_id": event.id, "registration_id": reg.id, "raw_code": None, "device_token_id": None,  # nosec B105
         "user_id": load.volunteer_id, "scanned_at": reg.arrived_at,
         "received_at": reg.arrived_at + timedelta(seconds=rng.randint(1, 4)), "nonce": _nonce(rng),
         "kind": CheckInKind.ENTRY, "successful": True, "error_code": None, "is_offline": False,
         "is_duplicate": False, "undoes_id": None}
        for reg in attendees
    ]
    session.execute(insert(CheckIn), rows)
    load.summary["checkins_created"] += len(rows)
    _techapalooza_interviews(load, rng, event, booths, registrants, attendees, cutoff=now)
    return event


def _techapalooza_checkins(
    load: _DemoLoad, rng: random.Random, event: Event, registrants: list[_Registrant], attendees: list[_Registrant]
) -> None:
    """One entry scan per attendee, a few scanned offline, one scanned twice by two offline
    devices, one cancelled badge and a handful of codes that match nothing."""
    rows = []

    def scan(scanned_at: datetime, **fields: object) -> dict:
        row = {"event_id": event.id, "registration_id": None, "raw_code": None, "device_token_id": None,  # nosec B105
               "user_id": load.volunteer_id, "scanned_at": scanned_at,
               "received_at": scanned_at + timedelta(seconds=rng.randint(1, 4)), "nonce": _nonce(rng),
               "kind": CheckInKind.ENTRY, "successful": True, "error_code": None, "is_offline": False,
               "is_duplicate": False, "undoes_id": None}
        row.update(fields)
        rows.append(row)
        return row

    offline = set(rng.sample(range(len(attendees)), 6))
    for i, reg in enumerate(attendees):
        if i in offline:
            scan(reg.arrived_at, registration_id=reg.id, is_offline=True,
                 received_at=reg.arrived_at + _minutes(rng.uniform(8, 25)))
        else:
            scan(reg.arrived_at, registration_id=reg.id)
    twice = attendees[sorted(offline)[0]]
    again = twice.arrived_at + timedelta(seconds=rng.randint(20, 90))
    scan(again, registration_id=twice.id, is_offline=True, is_duplicate=True,
         received_at=again + _minutes(rng.uniform(8, 25)))
    cancelled = next(r for r in registrants if r.status == RegistrationStatus.CANCELLED)
    scan(_between(rng, event.starts_at, event.ends_at), registration_id=cancelled.id, successful=False,
         error_code="cancelled")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    for _ in range(5):
        scan(_between(rng, event.starts_at, event.ends_at), successful=False, error_code="unknown_code",
             raw_code="".join(rng.choice(alphabet) for _ in range(22)))
    rows.sort(key=lambda row: row["received_at"])
    load.session.execute(insert(CheckIn), rows)
    load.summary["checkins_created"] += len(rows)


def _techapalooza_interviews(
    load: _DemoLoad,
    rng: random.Random,
    event: Event,
    booths: list[_Booth],
    registrants: list[_Registrant],
    attendees: list[_Registrant],
    *,
    cutoff: datetime | None = None,
) -> list[dict]:
    """Bookings made before the day, then the day itself: booked interviews (or no-shows) and
    walk-ups queued between them, each booth seeing one person per interviewer at a time.

    With a ``cutoff`` (an event under way), the day stops there: what had not happened yet is left
    out, people who joined a line are still waiting in it, interviews begun are under way, and
    offers made are still pending."""
    cutoff = cutoff or load.now

    def record(row: dict, booth: _Booth, began: datetime, done: datetime) -> None:
        row.update(started_at=began)
        if done + timedelta(minutes=3) <= cutoff:
            _record_outcome(rng, row, booth, done, day, load.now, event.ends_at, confirm_hires=cutoff >= event.ends_at)
    starts = event.starts_at
    day = starts.astimezone(CHICAGO).date()
    # Per booth, per interviewer, and per person: when they are busy.
    interviewer_busy = {id(b): [[] for _ in range(b.participation.interviewers)] for b in booths}
    person_busy: dict[int, list[tuple[datetime, datetime]]] = {r.id: [] for r in registrants}
    visited: dict[int, set[int]] = {r.id: set() for r in registrants}

    # Bookings: about a third of those registered booked one or two slots.
    booked: list[tuple[_Registrant, _Booth, _Slot, int]] = []
    for reg in registrants:
        if reg.source == RegistrationSource.WALK_IN or reg.cancelled_at or rng.random() >= 0.35:
            continue
        earliest = (reg.arrived_at or starts) + _minutes(5)
        for _ in range(_weighted(rng, {1: 7, 2: 3})):
            for _attempt in range(20):
                booth = rng.choice(booths)
                slot = rng.choice(booth.slots)
                if (not slot.is_blocked and slot.starts_at >= earliest
                        and slot.seats_taken < booth.participation.interviewers
                        and booth.participation.id not in visited[reg.id]
                        and not _overlaps(slot.starts_at, slot.ends_at, person_busy[reg.id])):
                    break
            else:
                continue
            slot.seats_taken += 1
            visited[reg.id].add(booth.participation.id)
            person_busy[reg.id].append((slot.starts_at, slot.ends_at))
            booked.append((reg, booth, slot, slot.seats_taken))
    booking_ids = load.add_bookings([
        {"slot_id": slot.id, "slot_capacity": slot.capacity, "participation_id": booth.participation.id,
         "registration_id": reg.id, "seat": seat,
         "created_at": _between(rng, reg.created_at, max(reg.created_at, starts - timedelta(hours=1))),
         "cancelled_at": None}
        for reg, booth, slot, seat in booked
    ])

    # From here on, busy means really talking to someone; booked interviews may start late.
    person_busy = {r.id: [] for r in registrants}
    rows = []
    in_order = sorted(zip(booked, booking_ids, strict=True), key=lambda item: item[0][2].starts_at)
    for (reg, booth, slot, seat), booking_id in in_order:
        if slot.starts_at > cutoff:
            continue  # still to come: the booth shows it under "Booked: now and next"
        row = _interview_row(reg, booth, InterviewSource.BOOKED, booking_id, queued_at=slot.starts_at)
        if reg.arrived_at is None:
            if slot.ends_at + _minutes(5) > cutoff:
                continue
            row.update(outcome=Outcome.NO_SHOW, recorded_at=slot.ends_at + _minutes(5))
        else:
            length = _minutes(booth.participation.interview_minutes)
            seat_busy = interviewer_busy[id(booth)][seat - 1]
            began = _first_gap(slot.starts_at + _minutes(rng.randint(0, 4)), length, seat_busy + person_busy[reg.id])
            done = began + length
            seat_busy.append((began, done))
            person_busy[reg.id].append((began, done))
            if began > cutoff:
                continue
            record(row, booth, began, done)
        rows.append(row)

    # Walk-ups: in order of arrival, each person queues at a few more booths.
    for reg in attendees:
        cursor = reg.arrived_at + _minutes(rng.uniform(2, 8))
        others = [b for b in booths if b.participation.id not in visited[reg.id]]
        for booth in rng.sample(others, min(len(others), _weighted(rng, {0: 2, 1: 4, 2: 3, 3: 2}))):
            p = booth.participation
            queued = max(cursor + _minutes(rng.uniform(1, 5)), p.interview_starts_at)
            if queued > cutoff:
                break
            length = _minutes(p.interview_minutes)
            if rng.random() < 0.04:  # gave up waiting
                left = queued + _minutes(rng.uniform(12, 25))
                row = _interview_row(reg, booth, InterviewSource.WALK_UP, None, queued_at=queued)
                if left > cutoff:
                    rows.append(row)  # still in the line, for now
                    break
                row.update(outcome=Outcome.NO_SHOW, recorded_at=left)
                rows.append(row)
                cursor = left
                continue
            options = [
                (_first_gap(queued + _minutes(1), length, busy + person_busy[reg.id]), n)
                for n, busy in enumerate(interviewer_busy[id(booth)])
            ]
            began, interviewer = min(options)
            done = began + length
            if done > p.interview_ends_at or began - queued > _minutes(35):
                continue  # the line was too long: they tried another booth
            interviewer_busy[id(booth)][interviewer].append((began, done))
            person_busy[reg.id].append((began, done))
            visited[reg.id].add(p.id)
            row = _interview_row(reg, booth, InterviewSource.WALK_UP, None, queued_at=queued)
            if began <= cutoff:
                record(row, booth, began, done)
            rows.append(row)  # begun after the cutoff: still waiting in the line
            cursor = done

    rows.sort(key=lambda row: row["queued_at"])
    load.session.execute(insert(Interview), rows)
    load.summary["interviews_created"] += len(rows)
    return rows


def _interview_row(
    reg: _Registrant, booth: _Booth, source: InterviewSource, booking_id: int | None, *, queued_at: datetime
) -> dict:
    return {
        "registration_id": reg.id, "participation_id": booth.participation.id, "position_id": None,
        "booking_id": booking_id, "source": source, "client_nonce": None, "queued_at": queued_at,
        "started_at": None, "outcome": None, "recorded_at": None, "recorded_by_token_id": None,  # nosec B105
        "recorded_by_user_id": None, "offer_wage_cents": None, "offer_wage_unit": None, "offer_start_date": None,
        "offer_conditions": [], "second_interview_at": None, "second_interview_place": None, "notes": "",
        "hire_status": None, "hired_start_date": None, "hire_confirmed_at": None, "created_at": queued_at,
    }


def _record_outcome(
    rng: random.Random, row: dict, booth: _Booth, done: datetime, day: date, now: datetime, event_end: datetime,
    *, confirm_hires: bool = True,
) -> None:
    """What the recruiter recorded after an interview, and (for offers) whether the person was hired
    (``confirm_hires``: the event is over and employers have answered; else offers are pending)."""
    outcome = _weighted(rng, {Outcome.NOT_SELECTED: 42, Outcome.SECOND_INTERVIEW: 30,
                              Outcome.CONDITIONAL_OFFER: 22, Outcome.HIRED_ON_THE_SPOT: 4})
    row.update(outcome=outcome, recorded_at=done + timedelta(seconds=rng.randint(20, 150)))
    if rng.random() < 0.8 or outcome.kind.needs_terms:
        row["position_id"] = rng.choice(booth.positions).id
    if rng.random() < 0.35:
        row["notes"] = rng.choice(INTERVIEW_NOTES)
    if outcome == Outcome.SECOND_INTERVIEW:
        row.update(second_interview_at=_local(day + timedelta(days=rng.randint(2, 9)), rng.choice((9, 10, 13, 14))),
                   second_interview_place=rng.choice(SECOND_INTERVIEW_PLACES))
        return
    if not outcome.kind.needs_terms:
        return
    position = next(p for p in booth.positions if p.id == row["position_id"])
    step = 25 if position.wage_unit == HOUR else 50_000
    wage = rng.randrange(position.wage_min_cents, position.wage_max_cents + 1, step)
    start_date = day + timedelta(days=rng.choice((7, 14, 14, 21, 28)))
    row.update(offer_wage_cents=wage, offer_wage_unit=position.wage_unit, offer_start_date=start_date)
    if outcome == Outcome.CONDITIONAL_OFFER:
        row["offer_conditions"] = _weighted(rng, {("background_check",): 6, ("background_check", "drug_screen"): 2,
                                                  ("background_check", "reference_check"): 1, (): 1})
        row["offer_conditions"] = list(row["offer_conditions"])
        status = _weighted(rng, {HireStatus.HIRED: 55, HireStatus.PENDING: 30, HireStatus.DECLINED: 15})
        if not confirm_hires:
            status = HireStatus.PENDING
    else:
        status = _weighted(rng, {HireStatus.HIRED: 9, HireStatus.DECLINED: 1}) if confirm_hires else HireStatus.HIRED
    row["hire_status"] = status
    if outcome.kind.hired and not confirm_hires:
        row["hire_confirmed_at"] = row["recorded_at"]
    elif status != HireStatus.PENDING:
        latest = max(event_end + timedelta(days=3), min(event_end + timedelta(days=25), now - timedelta(hours=1)))
        row["hire_confirmed_at"] = _between(rng, event_end + timedelta(days=3), latest)
    if status == HireStatus.HIRED:
        row["hired_start_date"] = start_date + timedelta(days=rng.choice((0, 0, 0, 7)))


# --- Entry point ----------------------------------------------------------------------------------


def load_demo(session: Session, *, now: datetime) -> dict[str, int | list[str]]:
    """Load the demo data, skipping whatever already exists; flushes, never commits.

    Returns counts of what was created and skipped (``events_created``, ``events_skipped``,
    ``registrations_created``, ``users_skipped``, …) and ``lines``: one sentence per event, for
    the command line."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    load = _DemoLoad(session, now.astimezone(UTC))
    load.ensure_users()
    lines = []
    # The past event first, so people who came to both keep their first registration's date.
    plans = ((_techapalooza_slug(_techapalooza_day(load.now)), _techapalooza),
             (HOSPITALITY_SLUG, _hospitality_hires),
             (_express_slug(load.now), _techapalooza_express))
    for slug, build in plans:
        if session.scalar(select(Event.id).where(Event.slug == slug)) is not None:
            load.summary["events_skipped"] += 1
            lines.append(f"Skipped {slug}: it already exists.")
            continue
        before = Counter(load.summary)
        event = build(load)
        audit.record(session, "demo.load", obj=event, event_id=event.id, slug=event.slug)
        load.summary["events_created"] += 1
        made = load.summary - before
        line = (f"Created {event.name} ({slug}): {made['registrations_created']:,} registrations, "
                f"{made['participations_created']} employers, {made['positions_created']} positions, "
                f"{made['partnerships_created']} partners")
        if made["interviews_created"]:
            line += f", {made['checkins_created']} check-in scans, {made['interviews_created']} interviews"
        lines.append(line + ".")
    session.flush()
    return {**load.summary, "lines": lines}
