"""The referral detector's vocabulary as plain data: a new phrasing is a word added here, not a regex edited."""

# Lower case; a space stands for any run of whitespace. Texts are matched in their canonical form (lower case,
# curly quotes straightened, chat spellings and typos of the key words spelled out: see SPELLINGS and
# TYPO_KEYWORDS), so the words here are plain English. `crm.outreach.referral` joins each tuple into one
# alternation that must match a whole word, except where a comment says "word starts".

# --------------------------------------------------------------------------- canonical spelling
# "from to": a word typed as `from` is read as `to` ("u" is "you", "thru" is "through").
SPELLINGS = (
    "u you", "ya you", "yu you", "yr your", "urself yourself", "pls please", "plz please", "plss please",
    "pleasee please", "pleaseee please", "kindly kindly", "thx thanks", "thnx thanks", "thanx thanks", "tx thanks",
    "ty thanks", "tysm thanks", "abt about", "bout about", "thru through", "tho though", "altho although", "wld would",
    "wud would", "woud would", "cld could", "cud could", "coud could", "shld should", "wanna want to", "gonna going to",
    "lmk let me know", "kno know", "knw know", "rlly really", "rly really", "realy really", "bc because",
    "bcuz because", "cuz because", "mgr manager", "hm hiring manager", "hms hiring managers", "dept department",
    "im i'm", "ive i've", "dont don't", "cant can't", "wont won't", "wouldnt wouldn't", "couldnt couldn't",
    "shouldnt shouldn't", "didnt didn't", "doesnt doesn't", "isnt isn't", "wasnt wasn't", "arent aren't",
    "havent haven't", "hasnt hasn't", "youre you're", "youd you'd", "youll you'll", "ud you'd", "ref referral",
    "refs referrals", "reco recommendation", "recs recommendations", "interveiw interview", "cn can", "cna can",
    "fwd forward", "fwding forwarding", "fw forward", "opp opportunity", "opps opportunities", "convo conversation",
)  # fmt: skip
# "ur" is "you're" before these words ("if ur able to"), else "your" ("ur recruiter").
YOURE_BEFORE = (
    "able", "willing", "open", "ok", "okay", "comfortable", "happy", "up", "down", "free", "around", "still", "not",
    "busy", "so", "super", "right", "gonna", "going", "looking", "also", "really", "just", "the", "in", "on", "at",
    "allowed", "cool", "fine", "good", "a", "an", "too",
)  # fmt: skip
# "id" is "i'd" before these words ("id love"), else an ID ("req id 4471").
ID_BEFORE = ("love", "like", "appreciate", "be", "really", "so", "also", "rather", "truly", "totally", "welcome")
# Key words read through one typo ("recomend", "refferal", "intervew"): one letter missing, extra, wrong or
# swapped, when the first letter is right and the word is at least four letters long.
TYPO_KEYWORDS = (
    "refer", "refers", "referred", "referring", "referral", "referrals", "referrer", "recommend", "recommends",
    "recommended", "recommending", "recommendation", "endorse", "endorsed", "endorsing", "endorsement", "nominate",
    "nominated", "nominating", "nomination", "interview", "interviews", "interviewing", "resume", "resumes",
    "recruiter", "recruiters", "recruiting", "application", "applications", "portfolio", "candidacy", "forward",
    "forwarding", "forwarded", "mention", "mentioning", "mentioned", "consider", "considering", "considered", "vouch",
    "vouching", "opening", "openings", "position", "positions", "internship", "internships", "hiring", "please",
    "appreciate", "grateful",
)  # fmt: skip
# Real words one typo away from a key word: never corrected.
NOT_TYPOS = (
    "resumed", "resuming", "summit", "mentor", "mentors", "render", "reference", "references", "referee", "referees",
    "refers", "reform", "refuel", "refill", "refine", "deferred", "interviewee", "interviewer", "applicant",
    "applicants", "forwards", "positive", "portfolios", "considers", "openers", "opener", "hiking", "hiding", "hiring",
    "firing", "pleased", "pleaser", "pleas", "plead", "grate", "grated", "appreciated", "appreciates", "recruits",
    "recruited", "vouched", "vouches", "endorses", "nominates", "nominee", "candidate", "candidates", "candidly",
    "opened", "openly", "positional", "positioned", "graceful", "rescue", "rever", "revers", "opining", "positron",
    "pease", "confider", "recommender", "recommenders", "recommendee", "forwarder", "endorser", "endorsee", "recruitee",
    "considerer", "reefer", "mentions", "recommendations", "referrers", "endorsements", "nominations", "interviewers",
    "interviewees", "resumer",
)  # fmt: skip

# "my updated resume", "the attached CV", "this application"
DOCUMENT_OWNERS = ("my", "the attached", "this", "mine")
DOCUMENTS = (
    "resume", "cv", "application", "applications", "app", "apps", "name", "profile", "candidacy", "candidature",
    "portfolio", "materials", "info", "information", "details", "documents", "credentials", "blurb", "case study",
    "case studies", "work samples", "writing sample", "cover letter", "reel", "demo reel", "github", "website",
    "background", "summary", "one-pager", "packet",
)  # fmt: skip
# ... that are asks to pass on only towards the hiring side ("share my case study with your team" is not one).
WEAK_DOCUMENTS = (
    "name", "materials", "info", "information", "details", "documents", "credentials", "blurb", "case study",
    "case studies", "work samples", "writing sample", "cover letter", "reel", "demo reel", "github", "website",
    "background", "summary", "one-pager", "packet",
)  # fmt: skip
# What "pass it along" may refer back to, named earlier in the message ("my resume ... could you pass it on").
SENT_DOCUMENTS = (
    "resume", "cv", "application", "portfolio", "profile", "candidacy", "candidature", "materials", "blurb",
    "one-pager", "summary", "details",
)  # fmt: skip
ROLES = (
    "role", "roles", "position", "positions", "opening", "openings", "job", "jobs", "opportunity", "opportunities",
    "vacancy", "vacancies", "internship", "internships", "req", "reqs", "requisition", "spot", "spots", "headcount",
    "posting", "postings", "program", "programme", "fellowship", "slot", "cohort", "rotation", "seat",
)  # fmt: skip
# Up to three of these may stand before a role: "any relevant PM openings".
ROLE_MODIFIERS = (
    "any", "some", "the", "a", "an", "relevant", "open", "new", "good", "suitable", "upcoming", "pm", "apm", "product",
    "internship", "junior", "entry-level", "your", "team's", "possible", "future", "similar", "other", "intern",
    "analyst", "design", "data", "summer", "full-time", "this", "that",
)  # fmt: skip

# --------------------------------------------------------------------------- who does the hiring
# "the", "someone on the", "whoever is" ... before "recruiter" / "hiring manager" / "people team".
HIRING_DETERMINERS = (
    "the", "a", "an", "your", "their", "any", "someone", "somebody", "anyone", "one of the", "whoever", "person",
    "people", "the concerned", "concerned", "the right", "the relevant", "the responsible", "the appropriate", "right",
    "relevant", "responsible", "appropriate", "whoever's", "someone on the", "someone in", "someone on", "someone from",
    "the person", "the people", "his", "her", "our", "to the", "with the",
)  # fmt: skip
# Besides any word starting "recruit": "hiring manager", "talent partner", "search committee".
HIRING_TITLES = (
    "hiring manager", "hiring managers", "hiring mgr", "hiring lead", "hiring leads", "hiring team", "hiring teams",
    "hiring committee", "hiring side", "hiring panel", "hiring folks", "hiring people", "hiring person",
    "hiring director", "hiring partner", "hiring contact", "hr", "human resources", "talent", "talent acquisition",
    "right person", "right people", "relevant person", "relevant people", "appropriate person", "concerned person",
    "concerned people", "concerned team", "responsible person", "right team", "talent team", "talent partner",
    "talent acquisition team", "ta team", "ta", "ta partner", "ta lead", "people team", "people ops",
    "search committee", "screening committee", "selection committee", "selection panel", "interview panel",
    "admissions committee", "team lead", "team leads", "team leader", "design lead", "art director",
    "creative director", "design director", "design manager", "executive director", "ed", "department lead",
    "department head", "department chair", "program lead", "program director", "programme lead", "studio head",
    "engineering manager", "eng manager", "product lead", "head of product", "head of design", "head of engineering",
    "manager", "lead", "director", "search", "committee", "person hiring", "people hiring", "person in charge",
    "decision makers", "decision maker", "partner in charge", "hiring", "leading the search", "running the search",
    "running the process", "handling the role", "doing the hiring", "in charge of hiring", "in charge",
)  # fmt: skip
# "whoever is hiring", "the person leading the search": the hiring side named by what they do (word starts).
HIRING_DOERS = ("hiring", "leading", "running", "handling", "in charge", "doing the hiring", "making", "recruit")
# Words that mark a text as about hiring: "them" can be the hiring side ("if u know the HM, mention me to them"),
# "my details" can be passed on, "refer me to a colleague" is about a job.
HIRING_WORDS = (
    "hiring", "hire", "hires", "recruiter", "recruiters", "recruiting", "recruitment", "recruit", "talent", "hr", "ta",
    "search", "committee", "screen", "screening", "opening", "openings", "role", "roles", "position", "positions",
    "posting", "postings", "req", "reqs", "requisition", "vacancy", "vacancies", "job", "jobs", "internship",
    "internships", "program", "programme", "fellowship", "cohort", "scheme", "manager", "hm",
)  # fmt: skip

# --------------------------------------------------------------------------- what is not an ask
# "refer me to a good book": a pointer to reading, not to a job.
RESOURCES = (
    "resource", "resources", "book", "books", "article", "articles", "paper", "papers", "post", "posts", "blog",
    "blogs", "talk", "talks", "course", "courses", "reading", "readings", "docs", "documentation", "link", "links",
    "site", "sites", "website", "websites", "video", "videos", "podcast", "podcasts", "newsletter", "newsletters",
    "example", "examples", "tool", "tools", "framework", "frameworks", "guide", "guides", "title", "titles", "thread",
    "threads", "episode", "episodes", "channel", "channels", "class", "classes", "book's", "slides", "deck", "decks",
    "template", "templates", "piece", "essay", "essays", "study", "studies", "report", "reports", "book on", "textbook",
    "textbooks", "workshop", "workshops", "bootcamp", "bootcamps", "program for learning",
)  # fmt: skip
# "refer me to a colleague who wrote the post": an introduction, unless hiring is mentioned soon after.
PEERS = (
    "colleague", "colleagues", "friend", "friends", "teammate", "teammates", "co-worker", "coworker", "coworkers",
    "someone", "somebody", "anyone", "person", "people", "expert", "experts", "engineer", "engineers", "designer",
    "designers", "researcher", "researchers", "mentor", "mentors", "pm", "pms", "analyst", "analysts", "scientist",
    "scientists", "former colleague", "former colleagues", "alum", "alumni", "peer", "peers",
)  # fmt: skip
# "the referral process", "a referral bonus": a topic, not an ask (word starts: "programs" is one too).
REFERRAL_TOPICS = (
    "process", "program", "programme", "bonus", "bonuses", "system", "policy", "policies", "code", "rate", "rates",
    "pipeline", "network", "culture", "data", "stats", "numbers", "chain", "path", "route", "channel", "tracking",
    "portal", "hire", "hires", "hiring", "count", "counts", "quota", "quotas", "volume", "dashboard", "tool", "team",
    "model", "metric", "metrics", "funnel", "question", "questions", "norm", "norms", "etiquette", "rule", "rules",
    "scheme", "schemes", "thing", "game", "fee", "fees", "reward", "rewards", "incentive", "incentives",
)  # fmt: skip
# "an interview process", "interview tips" (word starts).
INTERVIEW_TOPICS = (
    "process", "loop", "question", "questions", "format", "prep", "tip", "tips", "guide", "round", "rounds", "rubric",
    "style", "structure", "stage", "stages", "experience", "practice", "skills", "advice", "invite", "invitation",
    "scheduled", "with your", "you had", "you did",
)  # fmt: skip
# "keep me in mind for a chat": not for a job.
NOT_JOBS = (
    "chat", "chats", "call", "calls", "coffee", "event", "events", "panel", "panels", "talk", "talks", "testing",
    "tester", "testers", "user", "users", "study", "studies", "beta", "feedback", "volunteer", "volunteers", "meetup",
    "meetups", "webinar", "webinars", "workshop", "workshops", "hackathon", "hackathons", "project", "projects", "club",
    "newsletter", "podcast", "interviews for your research", "research", "survey", "surveys",
)  # fmt: skip

# --------------------------------------------------------------------------- the asks' words
# Verbs whose object is me or my application: "refer me", "endorse my candidacy", "vouch for me".
REFER_VERBS = (
    "refer", "referring", "recommend", "recommending", "endorse", "endorsing", "nominate", "nominating", "champion",
    "championing", "shortlist", "shortlisting", "fast-track", "fast-tracking", "fast track", "fast tracking",
    "expedite", "expediting",
)  # fmt: skip
# Their past forms, asks only after "if you" ("I'd love it if you recommended me").
REFER_VERBS_PAST = ("referred", "recommended", "endorsed", "nominated", "championed", "backed")
# "(forward) my resume (along)"
HAND_OVER_VERBS = (
    "pass", "passing", "forward", "forwarding", "send", "sending", "share", "sharing", "submit", "submitting", "hand",
    "handing", "shoot", "shooting", "toss", "tossing", "throw", "throwing", "sneak", "sneaking", "flag", "flagging",
    "slip", "slipping", "circulate", "circulating", "email", "emailing", "mention", "mentioning", "nominate",
    "nominating", "push", "pushing", "route", "routing", "drop", "dropping", "float", "floating", "recommend",
    "recommending", "endorse", "endorsing", "refer", "referring", "highlight", "highlighting", "pitch", "pitching",
    "fast-track", "fast-tracking", "fast track", "expedite", "expediting", "escalate", "escalating", "bump", "bumping",
    "champion", "championing", "back", "backing", "present", "presenting", "walk", "walking", "run", "running", "give",
    "giving", "show", "showing", "get", "getting", "bring", "bringing", "put", "putting", "take", "taking", "dm",
    "text", "slack", "ping", "pinging", "loop", "looping", "pass along", "submit internally", "put through",
    "putting through", "move", "moving",
)  # fmt: skip
# ... that need a hiring target to be an ask ("get my CV to the recruiter", not "get my CV reviewed").
HAND_OVER_NEED_TARGET = (
    "give", "giving", "show", "showing", "get", "getting", "bring", "bringing", "put", "putting", "take", "taking",
    "walk", "walking", "run", "running", "present", "presenting", "dm", "text", "slack", "ping", "pinging", "loop",
    "looping", "email", "emailing", "back", "backing", "move", "moving",
)  # fmt: skip
# ... that are asks with "it" alone, when my resume was named before: "please submit it when you have time".
HAND_OVER_IT_VERBS = (
    "submit", "submitting", "forward", "forwarding", "route", "routing", "circulate", "circulating", "endorse",
    "endorsing", "fast-track", "fast-tracking", "expedite", "expediting",
)  # fmt: skip
# "drop my name in the pipeline", "put my application in the hat"
PIPELINES = ("pipeline", "process", "hat", "mix", "running", "system", "pile", "stack", "queue", "pool", "funnel")
# "submit my name through the referral form", "through your internal referral portal"
REFERRAL_CHANNELS = ("form", "portal", "system", "tool", "link", "channel", "program", "programme", "process")
# ... their past forms, asks only after "if you" ("I'd be grateful if you passed my CV on").
HAND_OVER_PAST = (
    "passed", "forwarded", "sent", "shared", "submitted", "handed", "flagged", "slipped", "circulated", "emailed",
    "mentioned", "pushed", "routed", "dropped", "floated", "got", "brought", "put", "gave", "showed",
)  # fmt: skip
HAND_OVER_PARTICLES = ("along", "on", "over", "forward", "through", "in", "up", "across", "ahead", "around", "out")
# "let the recruiter know about me", "tell your hiring manager I applied", "give the TA team a heads-up"
TELL_VERBS = (
    "mention to", "mentioning to", "say to", "explain to", "point out to", "note to", "pass on to", "pass along to",
    "make sure", "making sure", "ensure", "see if", "see whether", "check if", "check whether", "find out if",
    "find out whether", "ask if", "ask whether", "tell", "telling", "told", "inform", "informing", "informed", "notify",
    "notifying", "remind", "reminding", "nudge", "nudging", "ping", "pinging", "message", "messaging", "email",
    "emailing", "contact", "contacting", "reach out to", "reaching out to", "talk to", "talking to", "talk with",
    "speak to", "speaking to", "speak with", "speaking with", "chat with", "check with", "checking with",
    "follow up with", "following up with", "ask", "asking", "loop in", "looping in", "cc", "text", "slack", "alert",
    "alerting", "brief", "briefing", "write to", "writing to", "put in a word with", "vouch to", "mention it to",
    "mention that to", "mention this to", "mentioning it to", "bring it up with", "bring me up with", "bring me up to",
    "bringing me up with", "bring up my name with", "bring my name up with", "bring my name up to",
    "bring up my name to", "put in a call to", "drop a line to", "drop a note to", "send a note to", "send a line to",
    "write a note to", "shoot a note to", "shoot a message to", "send a message to", "send an email to",
    "drop a message to",
)  # fmt: skip
HEADS_UP = (
    "heads-up", "heads up", "headsup", "nudge", "ping", "shout", "shout-out", "shoutout", "note", "line", "word",
    "message", "email", "text", "dm", "mention",
)  # fmt: skip
# "introduce me to the recruiter", "connect me with someone about the APM role"
INTRODUCE_VERBS = (
    "connect", "connecting", "introduce", "introducing", "intro", "put", "putting", "link", "linking", "get", "getting",
    "present", "presenting",
)  # fmt: skip
# "introduce me as a candidate", "present me to the hiring manager as a candidate"
PUT_FORWARD_VERBS = (
    "introduce", "introducing", "present", "presenting", "recommend", "recommending", "propose", "proposing",
    "suggest", "suggesting", "put forward", "putting forward", "put", "putting", "submit", "submitting", "nominate",
    "nominating", "pitch", "pitching", "mention", "mentioning", "refer", "referring", "consider", "considering",
)  # fmt: skip
LOOP_VERBS = ("loop", "looping")  # "loop me in with the recruiter" (not "loop me with someone about a role")
# "be referred", "get fast-tracked", "my CV could be passed on"
PASSIVE_ASKS = (
    "referred", "recommended", "considered", "put forward", "flagged", "fast-tracked", "fast tracked", "submitted",
    "nominated", "endorsed", "shortlisted", "put up", "put in", "vouched for", "sponsored", "championed",
)  # fmt: skip
# An introduction or a word with the hiring side only to learn from them is not an ask (word starts).
LEARNING_PURPOSES = (
    "to learn", "to hear", "to understand", "to ask them", "to ask about", "to chat about their", "to chat about how",
    "to get their", "to get a sense", "to pick their", "so i can learn", "so i could learn", "so i can ask",
    "so i could ask", "so i can hear", "so i can understand", "so that i can learn", "purely", "just to learn",
    "just to chat", "just to hear", "informational", "not about a job", "not for a job", "for my research",
    "for my project", "for my thesis", "for a class", "for my class",
)  # fmt: skip
# "my resume could be [passed] to the hiring team", "my name could [get in front of] the recruiter"
DOCUMENT_PASSIVES = (
    "passed", "passed along", "passed on", "forwarded", "routed", "sent", "shared", "flagged", "submitted", "referred",
    "recommended", "endorsed", "nominated", "put forward", "fast-tracked", "handed", "mentioned", "pushed",
    "circulated", "put in front of", "brought to", "seen by", "looked at by", "reviewed by", "considered by",
)  # fmt: skip
# "that my CV be forwarded to the panel", "if my application will be forwarded by you"
SUBJUNCTIVE_PASSIVES = (
    "forwarded", "passed", "passed on", "passed along", "sent", "shared", "flagged", "submitted", "referred",
    "recommended", "endorsed", "nominated", "put forward", "fast-tracked", "routed", "presented", "handed",
    "circulated", "brought to", "considered by", "seen by",
)  # fmt: skip
# "so that my CV arrive to the hands of the person hiring", "for my resume to land with the recruiter"
DOCUMENT_ARRIVES = (
    "arrive", "arrives", "reach", "reaches", "get to", "gets to", "get into", "gets into", "land", "lands", "go to",
    "goes to", "end up", "ends up", "make its way", "makes its way", "find its way", "finds its way",
)  # fmt: skip
DOCUMENT_REACHES = (
    "reach", "reaches", "make its way to", "make their way to", "find its way to", "get to", "get in front of",
    "end up with", "end up in front of", "end up on", "land on", "land in front of", "land with", "go to", "go through",
    "get through to", "get passed", "get forwarded", "get flagged", "get seen by", "get looked at by",
)  # fmt: skip
# "a referral", "a warm referral", "an internal recommendation"
REFERRAL_ADJECTIVES = (
    "quick", "warm", "internal", "employee", "possible", "potential", "formal", "strong", "personal", "direct",
    "official", "small", "short", "informal", "positive", "kind", "good",
)  # fmt: skip
# "a good word", "put in a kind word"
KIND_WORDS = ("good", "kind", "positive", "quick", "strong", "nice")
GOOD_WORD_VERBS = ("put", "putting", "say", "saying", "drop", "dropping", "give", "giving", "slip", "slipping")
# "an internal route for my application", "a referral link"
INTERNAL_ROUTES = ("internal route", "internal path", "internal channel", "internal way", "internal option")
REFERRAL_LINKS = ("link", "links", "code", "url", "form")
LINK_VERBS = (
    "send", "sending", "share", "sharing", "drop", "dropping", "give", "giving", "pass", "passing", "forward",
    "forwarding", "dm", "email", "emailing", "text", "post", "paste", "get", "getting",
)  # fmt: skip
# "could I list you as my referrer"
REFERRER_NOUNS = ("referrer", "reference", "referee", "referral", "referral contact", "recommender", "sponsor")
LIST_VERBS = ("list", "listing", "put", "putting", "name", "naming", "use", "using", "include", "including", "add")

# --------------------------------------------------------------------------- request frames
# Addressed: the reader is the doer. "could you", "won't you"
MODALS = ("could", "would", "can", "will", "might", "may", "won't", "wouldn't", "couldn't", "can't")
PLEASE = ("please", "kindly")
# "are you willing to", "were you open to"
WILLING = (
    "willing", "open", "able", "comfortable", "happy", "up for", "okay", "ok", "down", "free", "in a position",
    "prepared", "keen", "glad",
)  # fmt: skip
# Wish: what I want. "I'd really love", "we would be so grateful"
WISH_INTENSIFIERS = (
    "really", "truly", "so", "very", "greatly", "super", "just", "also", "certainly", "definitely", "sincerely",
    "deeply", "incredibly", "hugely", "immensely", "most", "honestly", "genuinely", "forever", "extremely",
)  # fmt: skip
WISH_VERBS = ("love", "like", "appreciate", "welcome", "value", "want", "need", "prefer")
GRATEFUL_INTENSIFIERS = (
    "so", "very", "really", "super", "truly", "incredibly", "most", "forever", "extremely", "hugely", "immensely",
    "deeply", "highly", "eternally", "beyond", "ever", "genuinely", "honestly", "endlessly", "quite",
)  # fmt: skip
GRATEFUL = (
    "grateful", "thankful", "honored", "honoured", "indebted", "happy", "glad", "thrilled", "delighted", "obliged",
    "appreciative", "over the moon",
)  # fmt: skip
# "I was just writing to ask", "my humble request"
ASKING_FILLERS = (
    "just", "really", "also", "humbly", "actually", "quickly", "wanted", "want", "would", "like", "to", "writing",
    "reaching out", "here", "hoping", "politely", "respectfully", "kindly", "wanting",
)  # fmt: skip
ASKING = ("ask", "asking", "request", "requesting", "looking", "seeking", "after", "hoping", "wondering")
# "it would mean a lot", "that would be amazing"
WOULD_MEAN = (
    "a lot", "so much", "the world", "great", "amazing", "huge", "so helpful", "helpful", "wonderful", "awesome",
    "incredible", "fantastic", "a great deal", "everything", "a ton", "very kind", "so kind", "kind", "lovely",
    "a dream", "ideal", "perfect", "very helpful", "really helpful", "a big help", "a huge help", "a great help",
)  # fmt: skip
# After the ask: "a referral for the APM role would be amazing", "... would go a long way" (word starts).
WOULD_BE_PRAISE = (
    "amazing", "great", "huge", "wonderful", "awesome", "incredible", "fantastic", "appreciated", "a huge help",
    "a big help", "a great help", "so helpful", "a dream", "ideal", "a great favour", "a great favor", "a favour",
    "a favor", "a big favour", "a big favor", "a huge favour", "a huge favor", "helpful", "very helpful", "perfect",
    "lovely", "invaluable", "a game changer", "a game-changer", "life-changing", "so appreciated", "much appreciated",
    "greatly appreciated", "really appreciated", "hugely appreciated", "beyond helpful", "a lifesaver",
    "of great help", "of help", "of huge help", "of real help", "of great value", "a great boost", "a big boost",
)  # fmt: skip
WOULD_DO = (
    "mean", "help", "go a long way", "carry", "make a difference", "make a big difference", "make a huge difference",
    "make all the difference", "boost", "strengthen", "improve", "increase", "give me", "put me", "get me", "open",
    "matter", "count", "really help", "help me", "make my", "be the difference", "tip the scales", "give", "put my",
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
    "world", "honestly", "ideally", "willingly", "glad", "one", "day", "and", "had", "time", "moment", "sec", "your",
    "second", "minute", "whenever", "b", "trouble", "bother", "yourself", "internally", "formally", "officially",
    "keen", "prepared", "in", "position", "feeling", "felt", "alright", "fine", "cool", "good", "right", "appropriate",
    "doable", "comfy", "happen", "happened", "similarly", "likewise", "too", "both", "do", "needful", "try", "trying",
    "attempt", "make", "sure", "let", "take", "opportunity", "would've", "could've",
)  # fmt: skip
# What may stand right before a noun ask: "I'd love [a referral]", "any chance of", "help me with".
GOVERNORS = (
    "love", "like", "appreciate", "welcome", "value", "for", "get", "getting", "have", "receive", "receiving",
    "request", "requesting", "give me", "giving me", "offer me", "write me", "writing me", "provide me with",
    "provide me", "providing me with", "providing me", "of", "with", "secure", "securing", "land", "landing", "arrange",
    "arranging", "need", "want", "be", "about", "give", "giving", "offer", "write", "writing", "provide", "providing",
    "put in", "putting in", "submit", "submitting", "make", "making", "send", "sending", "consider", "considering",
    "do", "doing", "process", "file", "filing", "use", "through", "via", "thru",
)  # fmt: skip
GOVERNOR_SOFTENERS = ("possibly", "even", "just", "maybe", "perhaps", "me", "a", "kindly", "please", "somehow")
# What may open a clause before an imperative ask: "Please, if you can, refer me".
IMPERATIVE_LEADS = (
    "please", "kindly", "also", "and", "so", "just", "maybe", "perhaps", "now", "then", "oh", "ok", "okay", "hey", "hi",
    "hello", "if possible", "if you can", "when you get a chance", "when you get a minute", "when you get a moment",
    "when you get a sec", "when you have a chance", "when you have a minute", "when you have a moment",
    "when you have a sec", "ideally", "finally", "lastly", "honestly", "really", "one more thing", "and if you can",
    "otherwise", "alternatively", "or", "quick ask", "quick one", "quick question", "small ask", "tiny ask", "one ask",
    "my ask", "the ask", "do the needful and", "do needful and", "sir", "ma'am", "madam", "if possible please",
    "if convenient", "whenever convenient", "at your convenience", "again", "if you could", "if you would",
    "if you can please", "if you are able", "if you're able", "if you feel comfortable", "if you're comfortable",
    "if you are comfortable", "if it's okay", "if it's ok", "if that's okay", "if you don't mind", "if you do not mind",
    "if you will not mind", "if you won't mind", "by any chance", "could", "would", "can", "pretty please", "humbly",
    "respectfully", "gently", "feel free to",
)  # fmt: skip

# --------------------------------------------------------------------------- disclaimers
NEGATIONS = ("no", "not", "never", "without", "nor", "neither", "cannot", "none")
# "not [here] asking", "no [intention of] pressure", "not after a favour"
NEGATED_ASKS = (
    "ask", "asks", "asking", "asked", "request", "requests", "requesting", "requested", "look", "looking", "seek",
    "seeking", "want", "wanting", "need", "needing", "expect", "expecting", "hope", "hoping", "try", "trying", "going",
    "gonna", "plan", "planning", "fishing", "angling", "after", "here", "writing", "reaching", "intend", "intending",
    "mean", "meaning", "counting", "pushing", "pressuring", "pressure", "an ask", "a request", "a favor", "a favour",
    "obligation", "obligations", "obligated", "obliged", "have", "has", "feel", "worry", "worries", "expectation",
    "expectations", "necessary", "needed", "required", "requirement", "must", "should", "bother", "trouble",
)  # fmt: skip
# Before the frame: "thanks for [offering to] refer me", "you said you'd", "my friend asked you to" (word starts).
REPORTED = (
    "said", "says", "mentioned", "offered", "told me", "promised", "suggested", "agreed", "asked", "wrote", "replied",
    "explained",
)  # fmt: skip
# Before an ask, these make it hypothetical: "if I were bolder I'd ask you to refer me" (word starts).
HYPOTHETICALS = (
    "if i were", "if i was", "if i had", "normally i", "usually i", "some people", "most people", "other students",
    "others would", "a lot of people", "many people", "plenty of people", "lots of people", "in theory",
)  # fmt: skip
