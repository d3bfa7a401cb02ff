"""011_partner_view adds the offer-sharing consent and interviews' last change in place: going back and forth
keeps every referral and interview, and every referral made before starts without consent."""

from datetime import timedelta

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from app import create_app
from app.extensions import db as _db
from app.models import Interview, Outcome, Referral, utcnow
from app.services import interviews
from tests import factories


def test_back_and_forth_keeps_referrals_and_interviews(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.sqlite3'}"})
    with app.app_context():
        upgrade()
        now = utcnow()
        event = factories.make_event(
            _db.session, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=3)
        )
        booth = factories.make_participation(_db.session, event)
        registration = factories.make_registration(_db.session, event)
        _db.session.add(
            Referral(
                registration=registration,
                partnership_id=factories.make_partnership(_db.session, event).id,
                shares_offers=True,
            )
        )
        interview = interviews.start(_db.session, booth, registration, now)
        interviews.record_outcome(
            _db.session, interview, interviews.OutcomeDetails(Outcome.NOT_SELECTED), now
        )
        _db.session.commit()
        downgrade(revision="010_people")
        assert [
            _db.session.execute(text(f"SELECT count(*) FROM {t}")).scalar()
            for t in ("referrals", "interviews")
        ] == [1, 1]
        _db.session.rollback()
        upgrade()
        assert _db.session.scalar(select(Referral.shares_offers)) is False
        # Filled from the interview's own times, not from the moment of the migration.
        assert abs(_db.session.scalar(select(Interview.updated_at)) - now) < timedelta(seconds=5)
        _db.session.remove()
        _db.engine.dispose()
