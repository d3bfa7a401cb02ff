"""The JSON API (``/api/v1``) used by scanner devices, described by ``/api/v1/openapi.json``."""
