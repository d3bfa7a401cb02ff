"""A recruiter at a booth tablet (1024×768): finds a candidate by name, records a conditional offer
through a dropped connection, reloads and still sees it; axe finds nothing serious on the pages."""

from datetime import timedelta

from playwright.sync_api import Browser, Route, expect
from sqlalchemy import select

from app.models import Interview, Outcome, TokenScope, utcnow
from app.services.tokens import issue_token
from tests import factories
from tests.e2e.conftest import axe_violations


def test_search_a_candidate_and_record_a_conditional_offer(browser: Browser, live_server: str, committed):
    session = committed.session
    now = utcnow()
    event = factories.make_event(session, name="Techapalooza", starts_at=now - timedelta(hours=1),
                                 ends_at=now + timedelta(hours=3), timezone="UTC")
    booth = factories.make_participation(
        session, event, factories.make_organization(session, name="Loop Logic Software")
    )
    factories.make_position(
        session, booth, title="Help Desk Analyst", wage_min_cents=2200, wage_max_cents=2600
    )
    factories.make_registration(
        session,
        event,
        factories.make_candidate(session, first_name="Darnell", last_name="Washington"),
        sectors_of_interest=["it"],
    )
    factories.make_registration(
        session, event, factories.make_candidate(session, first_name="Dana", last_name="Kowalski")
    )
    _, secret = issue_token(session, TokenScope.BOOTH, "Loop Logic", participation=booth,
                            expires_at=event.ends_at + timedelta(days=30))
    session.commit()

    context = browser.new_context(
        base_url=live_server, viewport={"width": 1024, "height": 768}, has_touch=True
    )
    page = context.new_page()
    page.goto(f"/booth/{secret}")
    expect(page.get_by_role("heading", name="Loop Logic Software")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label("Scan a badge or type a name").fill("washing")
    page.get_by_role("button", name="Find").click()
    expect(page.locator(".booth-results strong", has_text="Darnell Washington")).to_be_visible()
    expect(page.locator(".booth-results strong", has_text="Dana Kowalski")).to_have_count(0)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Start interview with Darnell Washington").click()

    expect(page.get_by_role("heading", name="Darnell Washington")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Conditional offer…").click()
    # The job order's wage shows beside it, but the unit is the recruiter's to choose: never filled in.
    page.get_by_label("Position").select_option(label="Help Desk Analyst (job order: $22.00–$26.00 an hour)")
    expect(page.get_by_label("per hour")).not_to_be_checked()
    page.get_by_label("per hour").check()
    page.get_by_label("Wage offered ($)").fill("24.50")
    page.get_by_label("Start date").fill("2027-01-11")
    page.get_by_label("Background check").check()
    page.get_by_label("Notes (only your booth sees them)").fill("Strong on ticketing systems")
    assert axe_violations(page) == []

    # The tablet reloads (or its battery dies) before saving: what was typed comes back.
    page.reload()
    expect(page.get_by_text("We kept what you typed before")).to_be_visible()
    expect(page.get_by_label("Wage offered ($)")).to_have_value("24.50")
    expect(page.get_by_label("Background check")).to_be_checked()
    expect(page.get_by_label("Notes (only your booth sees them)")).to_have_value(
        "Strong on ticketing systems"
    )

    # The Wi-Fi drops on the first save: the tablet says so, keeps what was typed and retries.
    dropped: list[str] = []

    def drop_first_save(route):
        if route.request.method == "POST" and not dropped:
            dropped.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/interviews/*", drop_first_save)
    page.get_by_role("button", name="Save conditional offer").click()
    expect(page.get_by_role("status")).to_contain_text("Not saved")
    expect(page.get_by_label("Wage offered ($)")).to_have_value("24.50")
    expect(page.get_by_role("heading", name="Finished")).to_be_visible(timeout=10_000)
    assert dropped

    finished = page.locator("#finished")
    expect(finished).to_contain_text("Darnell Washington")
    expect(finished).to_contain_text("Conditional offer")
    expect(finished).to_contain_text("$24.50")
    page.reload()
    expect(page.locator("#finished")).to_contain_text("Help Desk Analyst")
    expect(page.locator("#finished")).to_contain_text("$24.50 an hour")
    expect(page.locator("#finished").get_by_text("Conditional offer")).to_have_count(1)
    assert axe_violations(page) == []

    # Portrait works too: nothing sticks out sideways.
    page.set_viewport_size({"width": 768, "height": 1024})
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    context.close()


def test_an_offline_correction_saves_the_last_choice(browser: Browser, live_server: str, committed):
    session = committed.session
    now = utcnow()
    event = factories.make_event(session, name="Techapalooza", starts_at=now - timedelta(hours=1),
                                 ends_at=now + timedelta(hours=3), timezone="UTC")
    booth = factories.make_participation(
        session, event, factories.make_organization(session, name="Loop Logic Software")
    )
    person = factories.make_registration(
        session, event, factories.make_candidate(session, first_name="Darnell", last_name="Washington")
    )
    _, secret = issue_token(session, TokenScope.BOOTH, "Loop Logic", participation=booth,
                            expires_at=event.ends_at + timedelta(days=30))
    session.commit()
    context = browser.new_context(
        base_url=live_server, viewport={"width": 1024, "height": 768}, has_touch=True
    )
    page = context.new_page()
    page.goto(f"/booth/{secret}?find=washing")
    page.get_by_role("button", name="Start interview with Darnell Washington").click()
    expect(page.get_by_role("heading", name="Darnell Washington")).to_be_visible()

    # The Wi-Fi is gone: "Not selected", then a correction to "No-show", both wait on the tablet.
    held: list[str] = []
    def hold_the_first_four_saves(route: Route) -> None:
        if route.request.method == "POST" and len(held) < 4:
            held.append(route.request.post_data or "")
            route.abort()
        else:
            route.continue_()

    page.route("**/interviews/*", hold_the_first_four_saves)
    page.get_by_role("button", name="Not selected").click()
    expect(page.get_by_role("status")).to_contain_text("Not saved")
    page.get_by_role("button", name="No-show").click()
    # Back online, the tablet's last choice is what is saved.
    expect(page.get_by_role("heading", name="Finished")).to_be_visible(timeout=30_000)
    expect(page.locator("#finished")).to_contain_text("No-show")
    committed.session.expire_all()
    interview = committed.session.scalars(
        select(Interview).where(Interview.registration_id == person.id)
    ).one()
    assert interview.outcome == Outcome.NO_SHOW
    assert len(held) >= 2  # both taps waited offline (a late older one is refused: test_booth_routes)
    context.close()
