"""Event templates: what a new Hospitality Hires, Techapalooza or regional hiring event starts with.

A template only pre-fills the new-event form (staff change anything before saving) and sets the
event's ``kind`` and ``series``, which reports use to compare the events of one series."""

from dataclasses import dataclass
from datetime import time

from app.models import EventKind, Sector


@dataclass(frozen=True)
class EventTemplate:
    kind: EventKind
    #: What staff pick from ("Techapalooza").
    label: str
    #: One line under the label on the template chooser.
    summary: str
    #: Events of one series are compared in reports; None for one-offs.
    series: str | None
    name: str = ""
    sectors: tuple[Sector, ...] = ()
    description: str = ""
    description_es: str = ""
    #: Local wall-clock times in the event's time zone.
    start: time | None = None
    end: time | None = None
    capacity: int | None = None
    max_bookings_per_candidate: int = 3


#: Also the demo's Hospitality Hires Chicago description on Spanish pages.
HOSPITALITY_DESCRIPTION_ES = (
    "El día de contratación de hotelería más grande de Chicago. Conozca hoteles, restaurantes, empresas de "
    "catering, de servicio de comida en estadios y aeropuertos, y casinos con puestos por cubrir: "
    "camaristas, "
    "cocineros de línea, meseros de banquetes, recepcionistas, bartenders, supervisores y gerentes. Muchos "
    "empleadores entrevistan en el momento y hacen ofertas condicionales el mismo día.\n\n"
    "Regístrese con anticipación para recibir su gafete y reservar entrevistas; también puede llegar sin "
    "registro. Traiga algunas copias de su currículum si tiene uno (no es obligatorio). Es gratis; habrá "
    "personal de los centros de empleo para ayudarle. Habrá intérpretes de español."
)

TEMPLATES: dict[EventKind, EventTemplate] = {
    template.kind: template
    for template in (
        EventTemplate(
            kind=EventKind.HOSPITALITY_HIRES,
            label="Hospitality Hires",
            summary="The big hospitality and tourism hiring day: hotels, restaurants, caterers, venues.",
            series="hospitality-hires",
            name="Hospitality Hires Chicago",
            sectors=(Sector.HOSPITALITY,),
            description=(
                "Chicago's biggest hospitality hiring day. Meet hotels, restaurants, caterers, stadium and "
                "airport food-service companies and casinos with positions to fill — room attendants, line "
                "cooks, banquet servers, front desk agents, bartenders, supervisors and managers. Many "
                "employers interview on the spot and make conditional offers the same day.\n\n"
                "Register ahead to get your badge and book interviews; walk-ins are welcome too. Bring a few "
                "copies of your resume if you have one (not required). Free; job center staff on site to "
                "help. "
                "Habrá intérpretes de español."
            ),
            description_es=HOSPITALITY_DESCRIPTION_ES,
            start=time(10, 0),
            end=time(15, 0),
            capacity=3000,
        ),
        EventTemplate(
            kind=EventKind.TECHAPALOOZA,
            label="Techapalooza",
            summary="The evening IT job fair, three times a year: about 100 career seekers, a dozen "
                    "employers.",
            series="techapalooza",
            name="Techapalooza",
            sectors=(Sector.IT,),
            description=(
                "An evening IT job fair: help desk, networking, cloud, data, QA, security and junior "
                "developer "
                "roles with a dozen Chicago-area employers, many of them open to career changers, bootcamp "
                "and "
                "community college graduates. Book an interview ahead, or queue at the booths."
            ),
            description_es=(
                "Una feria de empleo de tecnología por la tarde: puestos de mesa de ayuda, redes, nube, "
                "datos, "
                "control de calidad, seguridad y desarrollo para principiantes con una docena de empleadores "
                "del "
                "área de Chicago, muchos abiertos a personas que cambian de carrera y a egresados de "
                "bootcamps y "
                "colegios comunitarios. Reserve una entrevista con anticipación o haga fila en los stands."
            ),
            start=time(16, 0),
            end=time(19, 0),
            capacity=150,
        ),
        EventTemplate(
            kind=EventKind.REGIONAL,
            label="Regional hiring event",
            summary="Transportation, distribution and logistics employers in one region.",
            series=None,
            name="Regional Hiring Event",
            sectors=(Sector.TDL,),
            description=(
                "Warehouses, distribution centers, trucking, transit and delivery companies hiring now: "
                "material handlers, forklift operators, CDL drivers, dispatchers, mechanics and supervisors. "
                "Many employers interview on the spot. Register ahead to get your badge; walk-ins welcome."
            ),
            description_es=(
                "Almacenes, centros de distribución, empresas de camiones, transporte público y entregas que "
                "contratan ahora: manejadores de materiales, operadores de montacargas, choferes con "
                "licencia CDL, "
                "despachadores, mecánicos y supervisores. Muchos empleadores entrevistan en el momento. "
                "Regístrese "
                "con anticipación para recibir su gafete; también puede llegar sin registro."
            ),
            start=time(10, 0),
            end=time(14, 0),
            capacity=800,
        ),
        EventTemplate(
            kind=EventKind.BLANK,
            label="Blank event",
            summary="Start from an empty form.",
            series=None,
        ),
    )
}


def template_for(kind: EventKind | str | None) -> EventTemplate:
    """The template of ``kind``; an unknown or missing kind gets the blank one."""
    try:
        return TEMPLATES[EventKind(kind or EventKind.BLANK)]
    except ValueError:
        return TEMPLATES[EventKind.BLANK]
