"""`crm demo`: a fictional MIT-to-Spotify network with two months of history, dated relative to today."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from sqlalchemy import select
from sqlmodel import Session

from crm import profile
from crm.contacts import hooks, interactions
from crm.contacts import writes as contacts
from crm.errors import CrmError
from crm.models import Contact, Me, Project

ME = {
    "name": "Alex Rivera",
    "school": "MIT",
    "year": "junior",
    "major": "Course 6-3 (Computer Science and Engineering)",
    "target": "Product Manager at Spotify",
}

PROJECTS = [
    {
        "name": "Campus music app API",
        "description": "Rebuilt the API behind a student music-sharing app used in 4 dorms",
        "result": "cut load time from 3.2s to 1.4s",
    },
    {
        "name": "Dorm food app onboarding A/B test",
        "description": "Ran an A/B test of two onboarding flows for my dorm's food-ordering app",
        "result": "increased signups by 40%",
    },
]

# Which contact shows which follow-up situation (SPEC "Follow-up rules", default cadence every 4 weeks):
#   Maya Chen     advocate: two chats and updates over two months, then yesterday a referral she offered
#                 -> referral thank-you due today
#   Priya Raman   advocate: the intro chain's A -- introduced me to Jonah Weiss, thanked the next day
#   Jonah Weiss   chatted: the intro chain's B -- introduced by Priya, messaged 2 days later, replied, I offered
#                 slots, we talked yesterday -> thank-you due today
#   Marcus Lee    advocate: introduced me to Olivia Grant yesterday -> thank-you to Marcus due today;
#                 also carries a `note` (startup acquired)
#   Olivia Grant  identified, introduced by Marcus -> first message due tomorrow
#   Grace Kim     chatted: keep-in-touch due later this week (or today), not yet overdue
#   Hannah Park   contacted: first message 7 business days ago -> nudge due today (next Monday on weekends)
#   Daniel Okafor chatted: thanked 5 weeks ago and nothing since -> keep-in-touch OVERDUE by a week
#   Lena Fischer  replied 3 days ago and I have not answered -> response OVERDUE
#   Tom Becker    contacted 12 business days ago, never nudged -> nudge OVERDUE
#   Sofia Alvarez contacted 2 days ago -> awaiting reply, nothing due yet
#   Ethan Brooks  contacted and nudged once, still no reply -> nothing more is scheduled (no pestering)
#   Arjun Mehta, Rachel Nguyen  identified: researched (hooks) but never contacted
CONTACTS = [
    dict(name="Maya Chen", company="Spotify", team="Personalization", role="Senior Product Manager",
         school="MIT", grad_year=2016, program="Course 6", location="New York",
         source="MIT Alumni Directory", cadence="monthly", tags=["mit", "personalization", "referrer"],
         notes="Co-wrote the playlist-latency post; likes concrete numbers; never ask for favours upfront."),
    dict(name="Daniel Okafor", company="Spotify", team="Personalization", role="Product Manager, ML Platform",
         school="MIT", grad_year=2019, program="Course 6-3, MEng", location="Boston",
         source="Spotify tech talk at MIT", tags=["mit", "personalization", "ml"]),
    dict(name="Priya Raman", company="Spotify", team="Discovery", role="Product Lead, Discover Weekly",
         school="MIT", grad_year=2017, program="Course 15 (Sloan MBA)", location="New York",
         source="MIT Alumni Directory", cadence="every 6 weeks", tags=["mit", "discovery", "sloan", "connector"]),
    dict(name="Sofia Alvarez", company="Spotify", team="Discovery", role="Associate Product Manager",
         school="MIT", grad_year=2022, program="Course 6-3", location="New York",
         source="Spotify tech talk at MIT", tags=["mit", "discovery", "apm"]),
    dict(name="Hannah Park", company="Spotify", team="Discovery", role="Data Scientist, Search & Discovery",
         school="MIT", grad_year=2020, program="Course 18", location="Boston",
         source="LinkedIn search", tags=["mit", "discovery", "data"]),
    dict(name="Grace Kim", company="Spotify", team="Home", role="Associate Product Manager",
         school="MIT", grad_year=2023, program="Course 6-3", location="New York",
         source="MIT Alumni Directory", tags=["mit", "home", "apm"]),
    dict(name="Ethan Brooks", company="Spotify", team="Home", role="Senior Product Manager",
         school="Northeastern University", grad_year=2015, program="Computer Science", location="Boston",
         source="LinkedIn search", tags=["home"]),
    dict(name="Olivia Grant", company="Spotify", team="Home", role="Product Manager, Home Feed",
         school="Berklee College of Music", grad_year=2018, program="Music Business", location="Boston",
         source="Intro from Marcus Lee (ex-Cadenza Audio)", tags=["home", "startup"]),
    dict(name="Jonah Weiss", company="Spotify", team="Podcasts", role="Senior Product Manager",
         school="MIT", grad_year=2014, program="Course 6", location="Boston",
         source="Intro from Priya Raman", tags=["mit", "podcasts"]),
    dict(name="Lena Fischer", company="Spotify", team="Podcasts", role="Product Manager, Podcast Discovery",
         school="MIT", grad_year=2015, program="Course 6", location="Boston",
         source="MIT Alumni Directory", tags=["mit", "podcasts"]),
    dict(name="Arjun Mehta", company="Spotify", team="Podcasts", role="Engineering Manager, Audio Models",
         school="MIT", grad_year=2012, program="Course 6", location="Stockholm",
         source="Spotify tech talk at MIT", tags=["mit", "podcasts", "ml"]),
    dict(name="Marcus Lee", company="Cadenza Audio", team="Product", role="Head of Product (co-founder)",
         school="MIT", grad_year=2017, program="Course 6 and Course 15", location="Cambridge, MA",
         source="MIT Alumni Directory", tags=["mit", "startup", "connector"]),
    dict(name="Rachel Nguyen", company="Netflix", team="Personalization", role="Senior Product Manager",
         school="MIT", grad_year=2018, program="Course 6-3", location="Los Gatos",
         source="LinkedIn search", tags=["mit", "personalization", "non-spotify"]),
    dict(name="Tom Becker", company="SoundCloud", team="Creator Tools", role="Product Manager",
         school="MIT", grad_year=2019, program="Course 6-14", location="New York",
         source="LinkedIn search", tags=["mit", "non-spotify"]),
]  # fmt: skip

# (contact, days before today, what to cite, where, the question it inspires)
HOOKS = [
    ("Maya Chen", 71, "post on reducing playlist-loading latency", "https://engineering.example.com/playlist-latency",
     "how does the team decide between short-term UX fixes and infrastructure investments?"),
    ("Maya Chen", 96, "panel at MIT on personalization vs. serendipity", "https://events.example.edu/mit-pm-panel",
     "how much serendipity can a personal playlist afford?"),
    ("Daniel Okafor", 63, "talk on feature stores for real-time recommendations", "https://talks.example.com/feature-stores",
     "when is a real-time feature worth what it costs to run?"),
    ("Priya Raman", 77, "podcast interview on how Discover Weekly measures success", "https://pod.example.com/ep-112",
     "which early signal told you Discover Weekly was working?"),
    ("Sofia Alvarez", 12, "answer on cold-start for new users at the Spotify tech talk at MIT", None,
     "what does the team trust first about a brand-new listener?"),
    ("Sofia Alvarez", 30, "LinkedIn post on her first year as an APM", "https://www.linkedin.com/posts/sofia-alvarez-apm",
     "what surprised you most in your first APM year?"),
    ("Hannah Park", 45, "blog post on query understanding for music search", "https://engineering.example.com/music-search",
     "how does search tell a typo from a new artist's name?"),
    ("Grace Kim", 55, "essay on the APM rotation between Home and Search", "https://medium.example.com/@gracekim/apm-year-one",
     "what did your second rotation teach you that the first did not?"),
    ("Ethan Brooks", 38, "launch post for the redesigned Home feed shortcuts", "https://newsroom.example.com/home-shortcuts",
     "how did the team pick which shortcuts earn a spot on Home?"),
    ("Olivia Grant", 20, "LinkedIn update on joining Spotify Home after Cadenza Audio's acqui-hire", None,
     "what carried over from Cadenza to Home, and what did not?"),
    ("Jonah Weiss", 70, "paper on cold-start recommendations for new podcasts", "https://research.example.com/podcast-cold-start",
     "which signal helps most when a podcast has no listens yet?"),
    ("Lena Fischer", 33, "talk on podcast discovery for non-English listeners", "https://talks.example.com/multilingual-podcasts",
     "how many non-English shows still lack transcripts?"),
    ("Arjun Mehta", 25, "team blog on audio embeddings for mood-based playlists", "https://engineering.example.com/audio-embeddings",
     "how do you check that a mood embedding matches how a song feels?"),
    ("Marcus Lee", 88, "post-mortem on why listeners did not trust Cadenza's recommendations", "https://blog.example.com/cadenza-post-mortem",
     "what would you measure first if you rebuilt those recommendations?"),
    ("Rachel Nguyen", 50, "talk on A/B testing personalized artwork", "https://talks.example.com/artwork-ab-tests",
     "how do you keep two artwork tests from skewing each other?"),
    ("Tom Becker", 60, "thread on creator analytics for independent artists", "https://www.linkedin.com/posts/tom-becker-creators",
     "how does SoundCloud decide which creator analytics to build?"),
]  # fmt: skip


class Event(NamedTuple):
    """One logged interaction; `on` is a real date, computed from today."""

    on: dt.date
    who: str
    kind: str
    notes: str | None = None
    takeaways: str | None = None
    next_step: str | None = None
    intro_to: str | None = None


def _business_days_before(day: dt.date, count: int) -> dt.date:
    """The weekday `count` business days (Mon-Fri) before `day`, so "3B7" nudges land on a chosen date."""
    while count:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def _business_days_after(day: dt.date, count: int) -> dt.date:
    while count:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def _history(today: dt.date) -> list[Event]:
    """Two months of outreach ending today; the few weekday-dependent dates are computed so the
    due/overdue situations listed above hold whatever day of the week `today` is."""

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    # Grace's keep-in-touch falls due up to 2 days ahead but never past Sunday (this week).
    ahead = min(2, 6 - today.weekday())
    # Hannah's nudge (7 business days after the first message) falls due today, or next Monday on a weekend.
    nudge_due = today if today.weekday() < 5 else today + dt.timedelta(days=7 - today.weekday())
    hannah_first = _business_days_before(nudge_due, 7)
    tom_first = _business_days_before(today, 12)
    ethan_first = ago(24)
    return [
        # Maya: the long relationship that ends in a referral.
        Event(ago(58), "Maya Chen", "message", "First message: cited her playlist-latency post and my campus "
              "music app API (3.2s -> 1.4s); asked how the team weighs UX fixes vs. infra work."),
        Event(ago(56), "Maya Chen", "reply", "Happy to chat; suggested 20 minutes next week."),
        Event(ago(55), "Maya Chen", "message", "Thanked her and booked Tuesday 4pm."),
        Event(ago(50), "Maya Chen", "chat", "20-minute call. Personalization squads own a metric each; "
              "latency work got funded because it moved session starts.",
              "Frame projects as metric -> decision -> result. Infra investments win when tied to retention.",
              "Send her my skip-rate analysis once the class presentation is done."),
        Event(ago(49), "Maya Chen", "message", "Thank-you note with one takeaway I am applying."),
        Event(ago(31), "Maya Chen", "message", "Shared my class analysis of skip-rate metrics, as promised."),
        Event(ago(30), "Maya Chen", "reply", "Liked the cannibalization check; offered a second call."),
        Event(ago(23), "Maya Chen", "chat", "Second call: walked through the APM interview loop and how "
              "Spotify reads A/B tests (engagement vs. retention).",
              "Data case: triage before fixes -- logging, segments, recent changes, then hypothesis.",
              "Apply to the APM program when it opens; tell Maya when I do."),
        Event(ago(22), "Maya Chen", "message", "Thank-you, and told her I will apply to the APM program."),
        Event(ago(6), "Maya Chen", "message", "Told her I applied to the APM program, as promised, with the "
              "skip-rate analysis as my case study."),
        Event(ago(1), "Maya Chen", "referral", "Referred me for the Associate PM program without my asking: "
              "'You are thinking like us. Let me get you into the loop.'", None,
              "Expect a recruiter email within two weeks."),
        # Priya introduces me to Jonah (the intro chain), then Jonah is messaged two days later.
        Event(ago(52), "Priya Raman", "message", "First message: cited her podcast interview on measuring "
              "Discover Weekly; asked how she balances personalization with serendipity."),
        Event(ago(51), "Priya Raman", "reply", "Said yes to a 15-minute call."),
        Event(ago(50), "Priya Raman", "message", "Confirmed Friday 11am."),
        Event(ago(45), "Priya Raman", "chat", "15-minute coffee chat at the Kendall Sq. cafe while she "
              "visited Boston.", "Discovery PMs live in experiment reviews; bring an opinion on a metric tradeoff.",
              "Ask who works on podcast recommendations."),
        Event(ago(44), "Priya Raman", "message", "Thank-you note."),
        Event(ago(14), "Priya Raman", "intro", "Email intro to Jonah Weiss on Podcasts: 'Alex asks good "
              "questions about cold-start.'", None, "Message Jonah within two days; thank Priya.",
              intro_to="Jonah Weiss"),
        Event(ago(13), "Priya Raman", "message", "Thanked her for the intro to Jonah."),
        Event(ago(12), "Jonah Weiss", "message", "Replied-all to Priya's intro (moved her to bcc); mentioned "
              "his podcast cold-start paper and asked for 15 minutes."),
        Event(ago(9), "Jonah Weiss", "reply", "Busy with a launch this week; free early next week."),
        Event(ago(8), "Jonah Weiss", "message", "Offered three slots early next week.", None,
              "Coffee chat once he confirms a slot."),
        Event(ago(1), "Jonah Weiss", "chat", "15-minute call on how Podcasts picks cold-start signals for shows "
              "with no listens yet.", "Start from what the show says about itself, then let early listens "
              "take over.", "Send him my notes on the podcast cold-start paper."),
        # Marcus: startup detour; a note, then yesterday's intro to Olivia (thank Marcus today, Olivia tomorrow).
        Event(ago(40), "Marcus Lee", "message", "First message: asked about his post-mortem on recommendation trust."),
        Event(ago(39), "Marcus Lee", "reply", "Suggested a call; loves talking to Course 6 students."),
        Event(ago(38), "Marcus Lee", "message", "Booked Thursday."),
        Event(ago(33), "Marcus Lee", "chat", "30 minutes on building a music-tech startup at The Engine.",
              "A failed product, analysed honestly, is a strong PM interview story.",
              "Ask later about ex-Cadenza people now at Spotify."),
        Event(ago(32), "Marcus Lee", "message", "Thank-you note."),
        Event(ago(18), "Marcus Lee", "note", "Cadenza Audio's team was acqui-hired by Spotify; Marcus stays "
              "on as an advisor. Several of his PMs moved to Spotify Home."),
        Event(ago(1), "Marcus Lee", "intro", "Introduced me to Olivia Grant, who moved from Cadenza to "
              "Spotify Home.", None, "Thank Marcus; message Olivia within two days.", intro_to="Olivia Grant"),
        # Grace: chatted; keep-in-touch falls due this week.
        Event(ago(40), "Grace Kim", "message", "First message: asked about her APM rotation post."),
        Event(ago(38), "Grace Kim", "reply", "Yes to a call; she remembers doing the same as a junior."),
        Event(ago(37), "Grace Kim", "message", "Sent times."),
        Event(ago(29 - ahead), "Grace Kim", "chat", "Call about the APM program: two rotations, a mentor PM, "
              "and a capstone launch.", "APM interviews weigh shipped projects with numbers over GPA.",
              "Check in after I apply."),
        Event(ago(28 - ahead), "Grace Kim", "message", "Thank-you note with the onboarding A/B test write-up."),
        # Daniel: chatted, thanked, then silence -> keep-in-touch overdue.
        Event(ago(47), "Daniel Okafor", "message", "First message after his tech talk at MIT on feature stores."),
        Event(ago(45), "Daniel Okafor", "reply", "Offered a slot after his next campus visit."),
        Event(ago(36), "Daniel Okafor", "chat", "Coffee at the Stata Center. He moved from ML engineer to PM "
              "via an internal transfer.", "SWE or data internships are the back door into PM at Spotify.",
              "Look at the data science internship on Recommendation Algorithms."),
        Event(ago(35), "Daniel Okafor", "message", "Thank-you note."),
        # Lena: replied, and my answer is overdue.
        Event(ago(9), "Lena Fischer", "message", "First message: cited her talk on multilingual podcast "
              "discovery; asked what % of non-English shows lack transcripts."),
        Event(ago(3), "Lena Fischer", "reply", "Would be glad to talk; asked what I am working on."),
        # Hannah: first message, nudge due now.
        Event(hannah_first, "Hannah Park", "message", "First message: cited her music-search post and my "
              "campus app's search; asked one question about query understanding."),
        # Tom: first message long unanswered, nudge overdue.
        Event(tom_first, "Tom Becker", "message", "First message: asked how SoundCloud decides what creator "
              "analytics to build."),
        # Ethan: messaged and nudged once, no reply -> nothing more scheduled.
        Event(ethan_first, "Ethan Brooks", "message", "First message: cited the Home shortcuts launch."),
        Event(_business_days_after(ethan_first, 7), "Ethan Brooks", "message",
              "One short nudge, as 3B7 suggests; no further follow-ups after this."),
        # Sofia: messaged two days ago, awaiting reply.
        Event(ago(2), "Sofia Alvarez", "message", "First message: followed up on my question at the Spotify "
              "tech talk at MIT about cold-start for new users."),
    ]  # fmt: skip


def load_demo(*, session: Session, today: dt.date) -> str:
    """Fill an empty database with the demo network inside the caller's transaction; return a summary."""
    me = session.get(Me, 1)
    has_profile = me is not None and any(getattr(me, field) for field in profile.ME_FIELDS)
    if has_profile or session.scalar(select(Contact.id).limit(1)) or session.scalar(select(Project.id).limit(1)):
        raise CrmError("the database is not empty: crm demo only fills an empty one (use --db to try it on a new file)")
    profile.update_me(session=session, **ME)
    for project in PROJECTS:
        profile.add_project(session=session, **project)
    people = {}
    for spec in CONTACTS:
        fields = dict(spec)
        slug = fields["name"].lower().replace(" ", "-")
        changes = contacts.ContactChanges(
            email=f"{slug.replace('-', '.')}@example.com",
            linkedin_url=f"https://www.linkedin.com/in/{slug}",
            add_tags=fields.pop("tags"),
            **fields,
        )
        people[spec["name"]] = contacts.create_contact(session=session, changes=changes, today=today)
    for name, days, text, url, question in HOOKS:
        when = today - dt.timedelta(days=days)
        hooks.add_hook(session=session, contact=people[name], text=text, url=url, date=when, question=question)
    history = sorted(_history(today), key=lambda event: event.on)
    for event in history:
        interactions.log_interaction(
            session=session,
            contact=people[event.who],
            kind=event.kind,
            date=event.on,
            today=today,
            notes=event.notes,
            takeaways=event.takeaways,
            next_step=event.next_step,
            follow_up=None,
            intro_to=event.intro_to,
        )
    return (
        f"Loaded {len(people)} contacts, {len(history)} interactions, {len(HOOKS)} hooks and "
        f"{len(PROJECTS)} projects. Try: crm contact list"
    )
