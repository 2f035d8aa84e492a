"""The referral detector's vocabulary as plain data: a new phrasing is a word added here, not a regex edited."""

# Lower case; a space stands for any run of whitespace. Texts are matched with curly quotes straightened, so
# apostrophes here are straight. `crm.outreach.referral` joins each tuple into one alternation that must match
# a whole word, except where a comment says "word starts".

# --------------------------------------------------------------------------- what is asked for
SELF = ("me", "myself")
# "my updated resume", "the attached CV", "this application"
DOCUMENT_OWNERS = ("my", "the attached", "this")
DOCUMENT_ADJECTIVES = ("updated", "latest", "attached", "current", "full", "new")
DOCUMENTS = (
    "resume", "résumé", "cv", "application", "app", "name", "profile", "candidacy", "portfolio", "materials", "info",
    "information", "details",
)  # fmt: skip
# What "pass it along" may refer back to, named earlier in the sentence ("my resume ... could you pass it on").
SENT_DOCUMENTS = ("resume", "résumé", "cv", "application", "portfolio")
ROLES = (
    "role", "roles", "position", "positions", "opening", "openings", "job", "jobs", "opportunity", "opportunities",
    "vacancy", "vacancies", "internship", "internships", "req", "reqs", "spot", "spots", "headcount",
)  # fmt: skip
# Up to three of these may stand before a role: "any relevant PM openings".
ROLE_MODIFIERS = (
    "any", "some", "the", "a", "an", "relevant", "open", "new", "good", "suitable", "upcoming", "pm", "apm", "product",
    "internship", "junior", "entry-level", "your", "team's", "possible", "future", "similar", "other",
)  # fmt: skip

# --------------------------------------------------------------------------- who does the hiring
# "one of the", "the", "someone" ... before "recruiter" / "hiring manager" / "people team".
HIRING_DETERMINERS = (
    "the", "a", "an", "your", "any", "someone", "somebody", "anyone", "one of the", "whoever", "person", "people",
)  # fmt: skip
HIRING_TEAM_WORDS = ("team's", "team", "spotify's", "technical", "university", "campus", "pm", "product", "apm", "lead")
# Besides any word starting "recruit".
HIRING_TITLES = ("hiring", "talent", "hr", "people team")

# --------------------------------------------------------------------------- what is not an ask
# "refer me to a good book": a pointer to reading, not to a job.
RESOURCE_DETERMINERS = ("a", "an", "the", "your", "any", "some", "good", "great", "useful", "helpful", "other", "more")
RESOURCES = (
    "resource", "resources", "book", "books", "article", "articles", "paper", "papers", "post", "posts", "blog",
    "blogs", "talk", "talks", "course", "courses", "reading", "readings", "docs", "documentation", "link", "links",
    "site", "sites", "website", "websites", "video", "videos", "podcast", "podcasts", "newsletter", "newsletters",
    "example", "examples", "tool", "tools", "framework", "frameworks", "guide", "guides",
)  # fmt: skip
# "refer me to a colleague who wrote the post": an introduction, unless hiring is mentioned soon after.
PEER_DETERMINERS = ("a", "an", "the", "your", "any", "some", "one of your", "other")
PEERS = (
    "colleague", "friend", "teammate", "co-worker", "coworker", "someone", "somebody", "anyone", "person", "people",
    "expert", "engineer", "designer", "researcher", "mentor",
)  # fmt: skip
HIRING_HINTS = ("recruit", "hiring", "role", "position", "opening", "job", "internship")  # word starts
# "the referral process", "a referral bonus": a topic, not an ask (word starts: "programs" is one too).
REFERRAL_TOPICS = (
    "process", "program", "programme", "bonus", "bonuses", "system", "policy", "policies", "link", "links", "code",
    "rate", "rates", "pipeline", "network", "culture", "data", "stats", "numbers", "chain", "path", "route", "channel",
    "tracking", "form", "portal", "hire", "hires", "hiring", "count", "counts", "quota", "quotas", "volume",
    "dashboard", "tool", "team", "model", "metric", "metrics", "funnel", "question", "questions",
)  # fmt: skip
# "an interview process", "interview tips" (word starts).
INTERVIEW_TOPICS = (
    "process", "loop", "question", "questions", "format", "prep", "tip", "tips", "guide", "round", "rounds", "rubric",
    "style",
)  # fmt: skip

# --------------------------------------------------------------------------- the asks' words
# "a referral", "a warm referral"
REFERRAL_ADJECTIVES = ("quick", "warm", "internal", "employee", "possible", "potential", "formal", "strong", "personal")
# "a good word", "put in a kind word"
KIND_WORDS = ("good", "kind", "positive")
GOOD_WORD_VERBS = ("put", "putting", "say", "saying", "drop", "dropping", "give", "giving")
# "... pass it along": the "it" must be my resume, named earlier in the sentence.
PASS_ON_VERBS = ("pass", "passing", "forward", "forwarding", "send", "sending", "share", "sharing", "hand", "handing")
# "... (along) my resume"
HAND_OVER_VERBS = (
    "pass", "passing", "forward", "forwarding", "send", "sending", "share", "sharing", "submit", "submitting", "hand",
    "handing", "flag", "flagging", "put", "putting", "get", "getting", "bring", "bringing", "walk", "walking",
    "circulate", "circulating", "slip", "slipping", "email", "emailing", "mention", "mentioning", "nominate",
    "nominating", "push", "pushing",
)  # fmt: skip
HAND_OVER_PARTICLES = ("along", "on", "over", "forward", "through", "in", "up")
# "connect me with the recruiter", "introduce me to someone about the APM role"
INTRODUCE_VERBS = ("connect", "connecting", "introduce", "introducing", "intro", "put", "putting", "link", "linking")
LOOP_VERBS = ("loop", "looping")  # "loop me in with the recruiter" (not "loop me with someone about a role")
# "be referred", "get fast-tracked"
PASSIVE_ASKS = (
    "referred", "recommended", "considered", "put forward", "flagged", "fast-tracked", "fast tracked", "submitted",
    "nominated",
)  # fmt: skip

# --------------------------------------------------------------------------- request frames
# Addressed: the reader is the doer. "could you", "won't you"
MODALS = ("could", "would", "can", "will", "might", "may", "won't", "wouldn't", "couldn't", "can't")
PLEASE = ("please", "pls", "plz", "kindly")
# "are you willing to", "were you open to"
WILLING = ("willing", "open", "able", "comfortable", "happy", "up for", "okay", "ok")
# Wish: what I want. "I'd really love", "we would be so grateful"
WISH_INTENSIFIERS = (
    "really", "truly", "so", "very", "greatly", "super", "just", "also", "certainly", "definitely", "sincerely",
    "deeply", "incredibly", "hugely", "immensely", "most",
)  # fmt: skip
WISH_VERBS = ("love", "like", "appreciate", "welcome", "value")
GRATEFUL_INTENSIFIERS = (
    "so", "very", "really", "super", "truly", "incredibly", "most", "forever", "extremely", "hugely", "immensely",
    "deeply",
)  # fmt: skip
GRATEFUL = (
    "grateful", "thankful", "honored", "honoured", "indebted", "happy", "glad", "thrilled", "delighted", "obliged",
)  # fmt: skip
# "I was just writing to ask", "my humble request"
ASKING_FILLERS = (
    "just", "really", "also", "humbly", "actually", "quickly", "wanted", "want", "would", "like", "to", "writing",
    "reaching out", "here",
)  # fmt: skip
ASKING = ("ask", "asking", "request", "requesting", "looking", "seeking", "after")
# "it would mean a lot", "that would be amazing"
WOULD_MEAN = (
    "a lot", "so much", "the world", "great", "amazing", "huge", "so helpful", "helpful", "wonderful", "awesome",
    "incredible", "fantastic",
)  # fmt: skip
# After the ask: "a referral for the APM role would be amazing" (word starts).
WOULD_BE_PRAISE = (
    "amazing", "great", "huge", "wonderful", "awesome", "incredible", "fantastic", "appreciated", "a huge help",
    "a big help", "a great help", "so helpful", "a dream", "ideal",
)  # fmt: skip
# Words that may sit between a frame and its ask ("could you [possibly be willing to] refer me").
GAP_WORDS = (
    "please", "possibly", "kindly", "maybe", "perhaps", "potentially", "just", "even", "ever", "still", "also",
    "actually", "really", "so", "then", "at", "some", "point", "soon", "sometime", "later", "be", "being", "willing",
    "open", "able", "comfortable", "happy", "okay", "ok", "up", "down", "for", "to", "mind", "consider", "considering",
    "think", "thinking", "about", "help", "helping", "me", "feel", "free", "kind", "enough", "as", "get", "getting",
    "have", "having", "receive", "receiving", "love", "like", "appreciate", "welcome", "value", "it", "if", "you",
    "could", "would", "can", "might", "may", "will", "ask", "asking", "request", "requesting", "give", "giving",
    "offer", "offering", "provide", "providing", "write", "writing", "with", "of", "grateful", "thankful", "chance",
    "there", "way", "is", "was", "possible", "hoping", "looking", "seeking", "secure", "securing", "land", "landing",
    "arrange", "arranging", "once", "when", "again", "quickly", "briefly", "somehow", "personally", "directly", "need",
    "want", "wanted", "go", "ahead", "any", "am", "are", "that", "much", "great", "lot", "mean", "means", "a", "the",
    "world", "honestly", "ideally", "willingly", "glad", "one", "day",
)  # fmt: skip
# What may stand right before a noun ask: "I'd love [a referral]", "any chance of", "help me with".
GOVERNORS = (
    "love", "like", "appreciate", "welcome", "value", "for", "get", "getting", "have", "receive", "receiving",
    "request", "requesting", "give me", "giving me", "offer me", "write me", "writing me", "provide me with",
    "provide me", "providing me with", "providing me", "of", "with", "secure", "securing", "land", "landing",
    "arrange", "arranging", "need", "want", "be", "about",
)  # fmt: skip
GOVERNOR_SOFTENERS = ("possibly", "even", "just", "maybe", "perhaps")
# What may open a clause before an imperative ask: "Please, if you can, refer me".
IMPERATIVE_LEADS = (
    "please", "kindly", "pls", "plz", "also", "and", "so", "just", "maybe", "perhaps", "now", "then", "oh", "ok",
    "okay", "hey", "hi", "hello", "if possible", "if you can", "when you get a chance", "when you get a minute",
    "when you get a moment", "when you get a sec", "when you have a chance", "when you have a minute",
    "when you have a moment", "when you have a sec", "ideally", "finally", "lastly", "honestly", "really",
    "one more thing", "and if you can", "otherwise", "alternatively", "or",
)  # fmt: skip

# --------------------------------------------------------------------------- disclaimers
NEGATIONS = ("no", "not", "never", "without", "nor", "neither", "cannot")
# "not [here] asking", "no [intention of] pressure", "not after a favour"
NEGATED_ASKS = (
    "ask", "asks", "asking", "asked", "request", "requests", "requesting", "requested", "look", "looking", "seek",
    "seeking", "want", "wanting", "need", "needing", "expect", "expecting", "hope", "hoping", "try", "trying", "going",
    "gonna", "plan", "planning", "fishing", "angling", "after", "here", "writing", "reaching", "intend", "intending",
    "mean", "meaning", "counting", "pushing", "pressuring", "pressure", "an ask", "a request", "a favor", "a favour",
)  # fmt: skip

# --------------------------------------------------------------------------- the prefilter
# Every ask pattern contains a word starting with one of these; a test holds the two together.
TRIGGER_STEMS = (
    "refer", "recommend", "vouch", "nominat", "consider", "pass", "forward", "send", "shar", "hand", "submit",
    "flag", "keep", "look", "put", "say", "drop", "giv", "connect", "introduc", "intro", "link", "loop", "get",
    "help", "find", "interview", "word", "role", "position", "opening", "job", "recruit", "hiring", "resume",
    "résumé", "cv", "application", "name", "candida",
)  # fmt: skip
