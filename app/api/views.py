from flask import Blueprint, jsonify, request

from app.api import openapi

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(openapi.document(request.host_url.rstrip("/")))
