"""The web server's access log records paths, never query strings.

A query string can carry search criteria (the API's GET /api/v1/reads/?vrm=...), and access
logs are kept, shipped and read far more widely than the audit trail. The portal posts its
searches; the API's GET form stays for existing clients, and this filter keeps what it asked
for out of the log (the audit trail has it, for those allowed to see it).
"""

import logging


class DropQueryStrings(logging.Filter):
    """Cut the query string off every path in an access log record (uvicorn's and gunicorn's)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_path_only(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _path_only(value) for key, value in record.args.items()}
        return True


def _path_only(value):
    if isinstance(value, str) and value.startswith("/") and "?" in value:
        return value.split("?", 1)[0]
    return value
