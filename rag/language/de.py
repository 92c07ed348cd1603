"""German: the words the pipeline reads questions, answers and articles by, as data.

Each entry is a list of words or a regular-expression alternation; rag/language/__init__.py
builds the `Lexicon` from this module and from en.py. Nothing here names a topic: these
are function words, question words, verbs of saying and the like, true of any news text.
"""

CODE = "de"
NAME = "German"
STEMMER = "german"  # PyStemmer (Snowball)
SEGMENTER = "de"  # pysbd

# beyond bm25s's German stop words: words that carry no answer in a question or a claim
EXTRA_STOP_WORDS = (
    "wurde wurden worden wird werden konkret genau eigentlich laut zufolge nach angaben bisher bereits schon "
    "etwa rund insgesamt welche welcher welches welchen welchem wer wem wen wessen was wann wo wohin woher wie "
    "wieviel wieviele viele viel warum weshalb wieso ob artikel artikeln quelle quellen text texte beitrag "
    "bericht berichte autor autorin angabe angaben"
)
NEGATIONS = "nicht kein keine keinen keiner keinem keines nie niemals weder noch nein"

# articles, for a negation's object ("nicht die X")
DETERMINERS = "der die das den dem des ein eine einen einem einer eines"

# question words, by what they ask for (matched at a word boundary, case-insensitive)
ASKS_WHO = r"wer|wem|wen|wessen|von wem|welche[rsmn]? (?:person|politiker\w*|experte\w*|autor\w*)"
ASKS_WHEN = r"wann|an welchem (?:tag|datum)|in welchem (?:jahr|monat)|seit wann|bis wann|welches datum"
ASKS_WHERE = r"wo|wohin|woher|in welche[mnrs]? (?:stadt|land|region|ort|gebiet)|welche[rsmn]? (?:stadt|land|region|ort)"
# (not "wie groß": "Wie groß ist die Gefahr?" asks for no figure)
ASKS_HOW_MANY = r"wie ?viele?n?|wie hoch|welche (?:summe|zahl|anzahl)|wie lange|wie alt|wie weit"
ASKS_SHARE = r"welche[nrs]? (?:anteil|prozentsatz)|wie (?:hoch|groß) ist der anteil|wie ?viele? prozent"
ASKS_WHY = r"warum|weshalb|wieso|aus welchem grund"
ASKS_WHICH = r"welche[mnrs]?"
# a yes/no question starts with its verb
YES_NO_START = r"ist|sind|war|waren|hat|haben|hatte|hatten|gibt|gab|kann|können|konnte|wird|werden|wurde|wurden|soll|sollen|will|wollen|unterstützt|liefert|stimmt"
# the question asks what a person said
ASKS_SAID = r"sagte\w*|sagen|sagt|gesagt|antwortet\w*|geantwortet|äußerte\w*|geäußert|erklärte\w*|zitiert\w*|meint\w*|behauptet\w*|schreibt|schrieb"
# the question asks how the sources differ
ASKS_COMPARISON = (
    r"(?:wie )?unterschiedlich|unterscheid\w* sich|sich \w+ \w+ unterscheid\w*|widersprech\w*|widersprich\w*|widerspr[üu]ch\w*|"
    r"gehen auseinander|uneinig|einig|verschiedenen? (?:quellen|artikel|autoren|berichte|angaben)|im vergleich"
)
# the question asks over all the articles ("Welche Angaben machen die Artikel …?")
ASKS_ACROSS = (
    r"(?:in|laut|nach|machen|sagen|berichten|schreiben) (?:den |die |allen |diesen )(?:verschiedenen |vorliegenden |einzelnen )?(?:artikeln?|quellen)\b(?!\s*\d)|"
    r"(?:die) artikel (?:sagen|berichten|schreiben)|welche (?:artikel|quellen)\b(?! (?:des|der|\d))"
)
# "laut X", "nach Angaben von X", "X zufolge": a source named for what it says
ATTRIBUTION = r"laut|nach angaben (?:de[rsmn]|von)|zufolge|nach ansicht (?:de[rsmn]|von)|nach einschätzung (?:de[rsmn]|von)|gemäß"
# verbs and phrases of reported speech: a sentence with one reports what someone says
SAYING = (
    r"sag\w*|gesagt|erklär\w*|äußer\w*|geäußert|beton\w*|warn\w*|klagt\w*|meint\w*|sprach|spricht|schätz\w*|"
    r"bezeichn\w*|zitiert\w*|berichtet\w*|behauptet\w*|fordert\w*|kritisiert\w*|schreibt|schrieb|argumentiert\w*|"
    r"glaubt\w*|findet|fand|räumt\w* ein|bestätigt\w*|teilte\w* mit|laut|zufolge|so\s+[A-ZÄÖÜ]\w+"
)
# what a model writes when it finds no answer in the passages
REFUSAL = (
    r"keine (?:angaben|informationen|hinweise|antwort)|nicht (?:in den|aus den) (?:auszügen|artikeln|passagen|texten|quellen)|"
    r"(?:auszüge|artikel|passagen|quellen) (?:enthalten|geben|sagen|nennen) (?:dazu |darüber |hierzu )?(?:nichts|keine)|"
    r"nicht beantwort\w*|nicht erwähnt|nicht genannt|nicht angegeben"
)
MONTHS = ("januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "dezember")
# a moment in time ("im Oktober 2024", "Ende 2024", "bis November") versus a period ("seit Oktober")
AT_TIME = r"im|in|ende|anfang|mitte|bis|vor|nach"
SINCE_TIME = r"seit|zwischen|ab"
# cardinal words text2num leaves alone, and vague counts
NUMBER_WORDS = (
    "zwei drei vier fünf sechs sieben acht neun zehn elf zwölf zwanzig dreißig vierzig fünfzig hundert tausend "
    "dutzend dutzende hunderte tausende"
)
# scale words after a number ("3 Milliarden")
SCALES = {"tausend": 1e3, "million": 1e6, "millionen": 1e6, "mio": 1e6, "mio.": 1e6, "milliarde": 1e9, "milliarden": 1e9, "mrd": 1e9, "mrd.": 1e9, "billion": 1e12, "billionen": 1e12}
# number words that begin a compound ("Fünf-Punkte-Plan")
COMPOUND_NUMBERS = "zwei drei vier fünf sechs sieben acht neun zehn elf zwölf zwanzig dreißig vierzig fünfzig sechzig siebzig achtzig neunzig hundert tausend"
# what a number measures besides a count of things: a number before one of these is no count of the noun after it
UNITS = (
    "millionen million mio milliarden milliarde mrd billionen dollar euro rubel yuan pfund franken prozent prozentpunkte "
    "kilometer km meter tonnen jahre jahren jahr monate monaten monat wochen woche tage tagen tag stunden stunde minuten "
    "uhr grad mal"
)
# "die Zahl der X", "die Gesamtzahl an X": a number later in the sentence counts X
NUMBER_OF = r"\w*zahl\s+(?:der|an|von)"
# share words: a percentage or a fraction
SHARE = r"prozent\w*|hälfte|drittel|viertel|fünftel|zehntel"
# nouns that name the articles or sources themselves, not what they report
CORPUS_NOUNS = "artikel artikeln quelle quellen autor autoren autorin autorinnen angabe angaben beitrag beiträge beiträgen text texte texten medium medien bericht berichte berichten zeitung zeitungen"
# an answer's sentence that points at a passage instead of saying something
POINTER = (
    r"^(?:dies\w*|das|siehe|quelle)\b.{0,60}?\b(?:passage\w*|auszug\w*|quelle\w*|stammt|steht|text|ausgabe\w*)\b|"
    # "Dies wurde in der Ausgabe beschrieben." (not "Das wurde als Kriegsverbrechen beschrieben, weil …")
    r"^(?:dies\w*|das)\b.{0,60}?\bbeschrieben\s*[.!?]?$|"
    r"^(?:der|die|das)\s+(?:passage|text|quelle|auszug)\w*\b.{0,40}\b(?:dies|das|es|so)\s*[.!?]?$"
)
# an answer's sentence that only points at a passage: its nouns, and the words such a sentence has besides
POINTER_NOUNS = "quelle quellen auszug auszüge stelle stellen information informationen passage passagen"
POINTER_WORDS = (
    "dies diese dieser dieses diesem welche welcher welches findet finden sich steht stehen enthält enthalten "
    "nennt genannt erwähnt angegeben zeigt gezeigt belegt wird werden kann können dort darin hier"
)
# a marker used as a noun: after one of these prepositions ("In [1] wird deutlich", "laut [1] …")
MARKER_PREPOSITIONS = "in im aus laut nach von bei siehe"
# ... or at a sentence's end after one of these ("so steht es laut [1].") or after a reporting verb and "in"
MARKER_END_PREPOSITIONS = "laut siehe"
REPORTED_IN = "steht stehen heißt erwähnt beschrieben genannt berichtet nachzulesen"
PLURAL_SOURCE_NOUNS = "artikel quellen auszüge texte"
# "Dies wird in den drei gegebenen Passagen deutlich": a sentence about the passages given, not the articles
ABOUT_PASSAGES = r"^(?:dies\w*|das|es)\b.{0,60}?\b(?:in|aus)\s+(?:den|diesen|allen)\s+(?:\w+\s+){0,2}(?:passagen|auszügen)\b(?!.*\b(?:dass|wonach)\b)"
# a sentence that starts with a conjunction in lower case is the tail of one the model broke
HEADLESS = r"und|oder|aber|sowie|sondern"
YES = r"ja"
# a sentence in an article that addresses an AI assistant, not a reader (masked, never quoted)
INJECTION = r"ignor\w*\s+(?:alle\s+)?(?:vorherigen|bisherigen|obigen)\s+(?:anweisungen|befehle)|system\s*prompt|systemprompt|du bist (?:jetzt|ab sofort)|neue anweisung\w*|als ki-assistent"
# labels for kinds of article that are not plain reports (attribution of claims)
KIND_LABELS = {"opinion": "dem Meinungsbeitrag", "analysis": "der Analyse", "machine-translated": "dem maschinell übersetzten Beitrag"}
ATTRIBUTION_PREFIX = "Laut {label} von {who}: "
COMPARE_HEAD = "Was die einzelnen Quellen dazu sagen:"
FIGURES_HEAD = "Die Quellen nennen unterschiedliche Zahlen:"
