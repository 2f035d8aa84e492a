"""crm: a personal networking CRM and outreach assistant for the terminal."""

__version__ = "0.1.0"
