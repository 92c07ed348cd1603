"""English: the words the pipeline reads questions, answers and articles by, as data.

The same entries as de.py (see there); nothing here names a topic.
"""

CODE = "en"
NAME = "English"
STEMMER = "english"
SEGMENTER = "en"

EXTRA_STOP_WORDS = (
    "according named called exactly actually which who whom whose what when where how many much why whether "
    "article articles source sources text texts report reports author authors figure figures number numbers "
    "does did do is are was were been being say says said"
)
NEGATIONS = "not no never nor neither none"
# articles, for a negation's object ("not the X")
DETERMINERS = "the a an"

ASKS_WHO = r"who|whom|whose|which (?:person|politician|expert|author)"
ASKS_WHEN = r"when|on what (?:day|date)|in what (?:year|month)|in which (?:year|month)|what (?:year|date|day|month)|since when|until when"
ASKS_WHERE = r"where|in (?:what|which) (?:city|country|region|town|place|area|state)|(?:what|which) (?:city|country|region|town|place)"
# (not "how large"/"how big": "How big is the risk?" asks for no figure)
ASKS_HOW_MANY = r"how many|how much|how high|how long|how old|how far|what (?:amount|number|sum)"
ASKS_SHARE = r"what (?:share|percentage|proportion|fraction|percent)|how many percent"
ASKS_WHY = r"why|for what reason"
ASKS_WHICH = r"which|what"
YES_NO_START = r"is|are|was|were|has|have|had|does|do|did|can|could|will|would|should|may"
ASKS_SAID = r"says?|said|stated?|quoted|remarked|claims?|claimed|wrote|writes|argues?|argued"
ASKS_COMPARISON = (
    r"differ|differs|differed|disagree\w*|contradict\w*|compare|compared|comparison|"
    r"different (?:views|sources|articles|numbers|figures|accounts)"
)
ASKS_ACROSS = (
    r"(?:across|in|according to) (?:the |all (?:the )?|these )(?:different |five |various )?(?:articles|sources)\b(?!\s*\d)|"
    r"the articles (?:say|report|write)|which (?:articles|sources)"
)
ATTRIBUTION = r"according to|as reported by|in the view of|per"
SAYING = (
    r"says?|said|stated?|states|warned|warns|told|tells|according|claims?|claimed|reported|reports|estimates?|estimated|"
    r"argues?|argued|believes?|wrote|writes|called|calls|described|confirmed|announced|noted|added"
)
REFUSAL = (
    r"no information|not (?:mentioned|stated|specified|provided|given)|do(?:es)? not (?:say|mention|contain|specify|provide|state)|"
    r"cannot be answered|can't be answered|unable to (?:answer|determine)|none of the (?:passages|sources|articles)|"
    r"(?:do not|don't) (?:know|have (?:enough )?information)"
)
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december")
AT_TIME = r"in|by|during|early|late|end of|mid|before|after|until|at the end of"
SINCE_TIME = r"since|between|from"
NUMBER_WORDS = "two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred thousand dozen dozens hundreds thousands"
# scale words after a number ("3 billion")
SCALES = {"thousand": 1e3, "million": 1e6, "millions": 1e6, "billion": 1e9, "billions": 1e9, "bn": 1e9, "trillion": 1e12}
# number words that begin a compound ("five-point plan")
COMPOUND_NUMBERS = "two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty sixty seventy eighty ninety hundred thousand"
# what a number measures besides a count of things
UNITS = (
    "million millions billion billions trillion dollars dollar euros euro rubles yuan pounds francs percent percentage "
    "kilometres kilometers km miles metres meters tons tonnes years year months month weeks week days day hours hour "
    "minutes degrees times"
)
# "the number of X", "the total of X": a number later in the sentence counts X
NUMBER_OF = r"(?:number|total|count)\s+of"
SHARE = r"percent\w*|per cent|half|thirds?|quarters?|fifths?|tenths?"
CORPUS_NOUNS = "article articles source sources author authors report reports text texts outlet outlets medium media newspaper"
POINTER = (
    r"^(?:this|that|these|see|source)\b.{0,60}?\b(?:stated|mentioned|found|passage\w*|source\w*|text)\b|"
    # "This is described in the passage." (not "This was described as a war crime.")
    r"^(?:this|that)\b.{0,60}?\bdescribed\s*[.!?]?$|"
    r"^(?:the)\s+(?:passage|excerpt|text|source)\w*\b.{0,40}\b(?:this|that|so)\s*[.!?]?$"
)
# an answer's sentence that only points at a passage: its nouns, and the words such a sentence has besides
POINTER_NOUNS = "passage passages source sources information excerpt excerpts"
POINTER_WORDS = (
    "provides provided contains contained gives given mentions mentioned states stated found shows shown "
    "this that these those which here there"
)
# a marker used as a noun: after one of these prepositions ("according to [2], …")
MARKER_PREPOSITIONS = "in to of from see"
# ... or at a sentence's end after one of these ("This is stated in [2].")
MARKER_END_PREPOSITIONS = "of from see according to"
REPORTED_IN = "reported stated mentioned found described shown given cited noted written explained referred"
PLURAL_SOURCE_NOUNS = "articles sources passages texts"
ABOUT_PASSAGES = r"^(?:this|that|these|it)\b.{0,60}?\b(?:in|from|across)\s+(?:the|these|all)\s+(?:\w+\s+){0,2}(?:passages|excerpts)\b(?!.*\bthat\b)"
HEADLESS = r"and|or|but"
YES = r"yes"
# a sentence in an article that addresses an AI assistant, not a reader (masked, never quoted)
INJECTION = r"ignor\w*\s+(?:all\s+)?(?:previous|above|prior)\s+instructions|system\s*prompt|you are now|new instructions|as an ai"
KIND_LABELS = {"opinion": "the opinion piece", "analysis": "the analysis", "machine-translated": "the machine-translated article"}
ATTRIBUTION_PREFIX = "According to {label} by {who}: "
COMPARE_HEAD = "What each source says (quoted in the article's language):"
FIGURES_HEAD = "The sources give different figures:"
