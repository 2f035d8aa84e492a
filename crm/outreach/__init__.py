"""Outreach: drafting and checking messages to alumni."""
