"""Free text in French: frequent terms (lemmatised, stop words removed, meaningful bigrams kept)
with their verbatims, a positive/neutral/negative tag per answer, and a word cloud image.

Text analysis is the one place where rows are read in Python: words cannot be counted in SQL.
Answers arrive already scrubbed of e-mails and phone numbers (services.answer_rows).
"""

import io
import itertools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import simplemma

from ancrage.core.privacy import without_placeholders

WORD_RE = re.compile(r"[a-zàâäçéèêëîïôöùûüÿœæ]+", re.IGNORECASE)
# Words that carry no meaning on their own (and lemmas of common verbs that say little here).
STOP_WORDS = set(
    """
a à afin ai aie aient aies ait alors as au aucun aucune aussi autre autres aux avec avoir avais
avait avant bah beaucoup bien c ça car ce ceci cela celle celles celui cependant certain ces cet
cette ceux chaque chez ci comme comment d dans de des donc dont du elle elles en encore entre es
est et étaient était été être eu eux fait faire fois font ici il ils j je jusqu l la là le les
leur leurs lui m ma mais me même mes moi mon n ne ni non nos notre nous on ont ou où par parce
pas peu peut plus plutôt pour pourquoi qu quand que quel quelle quelles quels qui quoi s sa sans
se ses si sien sien son sont sous sur t ta te tes toi ton tous tout toute toutes tr très tu un
une vos votre vous y être avoir aller faire dire pouvoir vouloir falloir devoir mettre voir ben
oui non ok etc trop vraiment chose choses truc trucs
""".split()
)
NEGATIONS = {"pas", "jamais", "plus", "rien", "aucun", "aucune", "ni", "sans"}
# A small French lexicon of lemmas, written for what children, parents and professionals say
# about sessions (users may extend it); a negation in the three words before flips a word.
POSITIVE = set(
    """
aimer adorer content contente heureux heureuse super génial géniale bien bon bonne top cool
chouette rigolo rigolote drôle amusant amusante calme apaisé apaisée sereine serein confiance
plaisir plaisant plaisante intéressant intéressante enrichissant enrichissante utile pratique
concret concrète clair claire bienveillant bienveillante bienveillance merci mieux progrès
progresser apprendre comprendre partager partage écoute écouter respect respecter fier fière
motivé motivée motivation ravi ravie agréable joie joyeux joyeuse sourire rire ouvert ouverte
dynamique adapté adaptée riche pertinent pertinente satisfait satisfaite facile réussi réussir
soulagé soulagée gentil gentille aider aide entraide ensemble copain copine ami amie beau belle
""".split()
)
NEGATIVE = set(
    """
nul nulle ennuyer ennui ennuyeux ennuyeuse triste colère peur difficile dur dure long longue
fatigant fatigante fatigue stress stressé stressée stressant angoisse angoissé inutile dommage
manque manquer regretter regret compliqué compliquée énerver énervé énervée méchant méchante
déçu déçue décevant décevante mal problème frustrant frustration bruit bruyant gêne gêné gênée
pénible lourd lourde court courte insuffisant insuffisante confus confuse flou floue seul seule
pleurer honte rejet rejeter bagarre disputer dispute moquer
""".split()
)


def tokens(text: str) -> list[str]:
    """Lower-cased words, elisions split (l'atelier → atelier)."""
    return [w.lower() for w in WORD_RE.findall(text.replace("’", "'"))]


def lemmas(text: str) -> list[str]:
    return [simplemma.lemmatize(t, lang="fr").lower() for t in tokens(text)]


CLAUSE_RE = re.compile(r"[,.;:!?()]+")
# In CPS sessions children name hard emotions to learn to handle them: after one of these verbs
# ("apprendre à me calmer quand je suis en colère"), an emotion is a topic, not a complaint.
COPING = set(
    """
calmer gérer dire reconnaître exprimer aider comprendre identifier nommer accueillir apprendre
parler consoler rassurer
""".split()
)
EMOTIONS = set(
    "colère triste peur stress stressé stressée angoisse angoissé honte seul seule".split()
)


def sentiment(text: str) -> str:
    """Positive, neutral or negative, from the lexicon; a negation flips the next opinion word
    of its clause only ("pas aimé, trop long": two negatives)."""
    score = 0
    for clause in CLAUSE_RE.split(text):
        negated = coping = False
        for word in tokens(clause):
            if word in NEGATIONS:
                negated = True
                continue
            lemma = simplemma.lemmatize(word, lang="fr").lower()
            coping = coping or lemma in COPING or word in COPING
            if coping and (lemma in EMOTIONS or word in EMOTIONS):
                continue
            polarity = (lemma in POSITIVE or word in POSITIVE) - (
                lemma in NEGATIVE or word in NEGATIVE
            )
            if polarity:
                score += -polarity if negated else polarity
                negated = False
    return "positive" if score > 0 else "negative" if score < 0 else "neutral"


@dataclass
class TextSummary:
    answers: int = 0
    sentiment: Counter = field(default_factory=Counter)
    terms: list[dict] = field(default_factory=list)
    bigrams: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "answers": self.answers,
            "sentiment": dict(self.sentiment),
            "terms": self.terms,
            "bigrams": self.bigrams,
        }


def summarise(texts, *, top: int = 30, verbatims: int = 3) -> TextSummary:
    """Terms counted once per answer (how many people said it), with a few verbatims each."""
    summary = TextSummary()
    term_count: Counter = Counter()
    bigram_count: Counter = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    term_tone: dict[str, Counter] = defaultdict(Counter)
    for text in texts:
        text = text.strip()
        if not text:
            continue
        summary.answers += 1
        tone = sentiment(without_placeholders(text))
        summary.sentiment[tone] += 1
        # The scrubber's placeholders ([courriel masqué]…) are not words anyone said.
        said = lemmas(without_placeholders(text))
        content = [lemma for lemma in said if lemma not in STOP_WORDS and len(lemma) > 2]
        seen = set(content)
        pairs = {f"{a} {b}" for a, b in itertools.pairwise(content) if a != b}
        for term in seen | pairs:
            (bigram_count if " " in term else term_count)[term] += 1
            term_tone[term][tone] += 1
            if len(examples[term]) < verbatims:
                examples[term].append(text)
    summary.sentiment = Counter(
        {k: summary.sentiment.get(k, 0) for k in ("positive", "neutral", "negative")}
    )

    def listing(counter: Counter, minimum: int) -> list[dict]:
        return [
            {
                "term": term,
                "count": count,
                "tone": term_tone[term].most_common(1)[0][0],
                "verbatims": examples[term],
            }
            for term, count in counter.most_common(top)
            if count >= minimum
        ]

    summary.terms = listing(term_count, 1)
    summary.bigrams = listing(bigram_count, 2)  # a pair said once is chance, not a theme
    return summary


TONE_COLOURS = {"positive": "#1b7a3d", "neutral": "#5a5a5a", "negative": "#b3261e"}


def word_cloud_png(summary: TextSummary, *, width: int = 800, height: int = 400) -> bytes:
    """A sentiment cloud: size = how many said it, colour = the tone of the answers using it."""
    from wordcloud import WordCloud

    frequencies = {t["term"]: t["count"] for t in summary.terms + summary.bigrams}
    tones = {t["term"]: t["tone"] for t in summary.terms + summary.bigrams}
    if not frequencies:
        frequencies, tones = {"—": 1}, {"—": "neutral"}
    cloud = WordCloud(
        width=width,
        height=height,
        background_color="white",
        prefer_horizontal=0.95,
        random_state=7,
        color_func=lambda word, **_: TONE_COLOURS[tones.get(word, "neutral")],
    ).generate_from_frequencies(frequencies)
    out = io.BytesIO()
    cloud.to_image().save(out, format="PNG")
    return out.getvalue()
