"""Access tokens: random, stored hashed, scoped, expiring and revocable."""

import re
from datetime import timedelta

import pytest

from app.models import AccessToken, TokenScope
from app.services import tokens
from app.services.errors import DomainError
from tests import factories

NOW = factories.EVENT_START


def test_a_token_is_stored_only_as_its_hash(db):
    event = factories.make_event(db.session)
    token, secret = tokens.issue_token(db.session, TokenScope.DEVICE, "Door 2", event=event)
    assert len(secret) >= 43  # 256 bits, URL-safe
    assert token.token_hash == tokens.hash_secret(secret) and secret not in token.token_hash
    assert tokens.find_usable_token(db.session, secret, TokenScope.DEVICE, NOW) == token


def test_a_token_opens_only_its_own_scope(db):
    participation = factories.make_participation(db.session, factories.make_event(db.session))
    _, secret = tokens.issue_token(db.session, TokenScope.BOOTH, "Booth", participation=participation)
    assert tokens.find_usable_token(db.session, secret, TokenScope.BOOTH, NOW) is not None
    assert tokens.find_usable_token(db.session, secret, TokenScope.PARTNER, NOW) is None
    assert tokens.find_usable_token(db.session, secret, TokenScope.DEVICE, NOW) is None


def test_expired_and_revoked_tokens_stop_working(db):
    event = factories.make_event(db.session)
    _expiring, expiring_secret = tokens.issue_token(
        db.session, TokenScope.DEVICE, "Door 1", event=event, expires_at=NOW + timedelta(hours=1)
    )
    assert tokens.find_usable_token(db.session, expiring_secret, TokenScope.DEVICE, NOW) is not None
    assert (
        tokens.find_usable_token(db.session, expiring_secret, TokenScope.DEVICE, NOW + timedelta(hours=2))
        is None
    )

    revoked, revoked_secret = tokens.issue_token(db.session, TokenScope.DEVICE, "Door 3", event=event)
    tokens.revoke_token(db.session, revoked, NOW)
    tokens.revoke_token(db.session, revoked, NOW + timedelta(days=1))
    assert revoked.revoked_at == NOW  # the first revocation stands
    assert tokens.find_usable_token(db.session, revoked_secret, TokenScope.DEVICE, NOW) is None


@pytest.mark.parametrize("presented", ["", "x", "A" * 43, "A" * 5000])
def test_wrong_secrets_find_nothing(db, presented):
    tokens.issue_token(db.session, TokenScope.DEVICE, "Door", event=factories.make_event(db.session))
    assert tokens.find_usable_token(db.session, presented, TokenScope.DEVICE, NOW) is None


def test_a_token_must_name_what_it_opens(db):
    with pytest.raises(DomainError) as error:
        tokens.issue_token(db.session, TokenScope.BOOTH, "Booth")
    assert error.value.code == "participation_required"
    with pytest.raises(DomainError) as error:
        tokens.issue_token(db.session, TokenScope.DEVICE, "   ", event=factories.make_event(db.session))
    assert error.value.code == "name_required"
    assert db.session.query(AccessToken).count() == 0


def test_badge_codes_are_random_long_enough_and_the_same_in_any_case():
    codes = {tokens.new_badge_code() for _ in range(1000)}
    assert len(codes) == 1000
    # 26 base32 characters: 130 bits of room for 128 random ones, none of them carried by case.
    assert all(re.fullmatch(r"[a-z2-7]{26}", code) for code in codes)
    assert len({code.upper() for code in codes}) == 1000
