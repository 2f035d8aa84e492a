"""What the log form offers first: the kind of interaction most likely to come next with this contact.

My own messages mostly log themselves ("Mark sent" on a draft), so what I log by hand is mostly theirs and our
chats: after my message, their reply; after their reply, the chat; after a chat, an intro or a referral, the
message I sent outside crm. A wrong guess costs one change in the Kind menu; a right one saves it on nearly every
log.
"""

from __future__ import annotations

# last interaction's kind -> what usually follows it
_AFTER = {
    None: "message",  # never written to: the first message
    "message": "reply",  # I wrote: their reply is what comes
    "reply": "chat",  # they replied: my answer with times goes out as a draft; the chat is what I log next
    "chat": "message",  # the thank-you
    "intro": "message",  # thanks to the introducer
    "referral": "message",  # thanks for the referral
}


def likely_kind(conn, contact_id: int) -> str:
    """The kind to preselect for the contact's next log entry (a note counts for nothing: the one before it does)."""
    row = conn.execute(
        "SELECT kind FROM interaction WHERE contact_id = ? AND kind <> 'note' ORDER BY date DESC, id DESC LIMIT 1",
        (contact_id,),
    ).fetchone()
    kind = row[0] if row else None
    if kind == "message" and _chatted_after_last_reply(conn, contact_id):
        return "chat"  # we are at "times proposed": the chat is next
    return _AFTER.get(kind, "chat")


def _chatted_after_last_reply(conn, contact_id: int) -> bool:
    """My latest message answered a reply of theirs (proposing times), with no chat since that reply."""
    rows = conn.execute(
        "SELECT kind FROM interaction WHERE contact_id = ? AND kind IN ('message', 'reply', 'chat')"
        " ORDER BY date DESC, id DESC LIMIT 2",
        (contact_id,),
    ).fetchall()
    return [r[0] for r in rows] == ["message", "reply"]
