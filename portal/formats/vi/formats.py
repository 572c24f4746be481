"""Date input the Vietnamese way: 05/10/2024 is 5 October, never 10 May.

Django's `vi` locale sets no input formats, so the admin would fall back to the
American %m/%d/%Y and silently swap day and month. Everything not set here comes
from Django's own `vi` formats.
"""

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
FIRST_DAY_OF_WEEK = 1  # Thứ hai

# Shown dates the portal's way, 01/12/2026 14:54, in the admin too (Django's `vi` says "Ngày 01 tháng 12 năm 2026").
DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
MONTH_DAY_FORMAT = "d/m"
YEAR_MONTH_FORMAT = "m/Y"
