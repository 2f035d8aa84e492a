"""The follow-up defaults the spec names, in one place and free of imports (settings load on every command)."""

DEFAULT_CADENCE = "every 4 weeks"  # keep-in-touch for contacts without a cadence of their own
NUDGE_BUSINESS_DAYS = 7  # the "3B7" rule: a nudge 7 business days after an unanswered first message
OTHER_ALUM_AFTER_BUSINESS_DAYS = 3  # ...and after 3, the idea of writing to another alum at the same company
IDEAS_SHOWN = 3  # "write to another alum" ideas, in the CLI's due list and the app's This week alike

PROMISE_REASON_PREFIX = "promise: "  # a dated promise's reason in `crm due` and This week: "promise: send the deck"
