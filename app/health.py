"""``GET /healthz``: is the app up and can it reach its database?"""

import time

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    started = time.perf_counter()
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(
        status="ok",
        database=db.engine.dialect.name,
        database_ms=round((time.perf_counter() - started) * 1000, 2),
    )
