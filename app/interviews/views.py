from flask import Blueprint

bp = Blueprint("interviews", __name__)
