"""The portal's formats for its one language (LANGUAGE_CODE en-gb), over Django's own en_GB ones.

A moment rendered without the `when` filter (the admin site, a bare {{ moment }}) is written as
apps/core/times.py writes every moment people read.
"""

from apps.core.times import SHOWN_DAY_FORMAT, SHOWN_FORMAT

DATETIME_FORMAT = SHOWN_FORMAT
SHORT_DATETIME_FORMAT = SHOWN_FORMAT
DATE_FORMAT = SHOWN_DAY_FORMAT
SHORT_DATE_FORMAT = SHOWN_DAY_FORMAT
