"""Reading and writing other tools' formats (iCalendar, vCard, CSV, JSON)."""
