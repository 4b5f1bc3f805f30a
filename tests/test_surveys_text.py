from io import BytesIO

from PIL import Image

from ancrage.surveys.text import lemmas, sentiment, summarise, word_cloud_png


def test_words_are_lemmatised_and_elisions_split():
    assert lemmas("J'ai appris plein de choses sur les émotions") == [
        "j",
        "avoir",
        "apprendre",
        "plein",
        "de",
        "chose",
        "sur",
        "le",
        "émotion",
    ]


def test_each_answer_gets_a_tone_and_negation_flips_it():
    assert sentiment("J'ai adoré les ateliers, c'était super") == "positive"
    assert sentiment("Je n'ai pas aimé, trop long") == "negative"
    assert sentiment("On a fait des dessins") == "neutral"
    assert sentiment("pas difficile du tout") == "positive"


def test_an_emotion_named_to_learn_to_handle_it_is_not_a_complaint():
    assert sentiment("j'ai apris a me calmé quand je suis en colère") == "neutral"
    assert sentiment("ça ma aidé a dire quand je suis triste") == "positive"
    assert sentiment("je suis triste") == "negative"


def test_frequent_terms_count_answers_and_keep_verbatims_and_bigrams():
    texts = [
        "Le moment calme était génial",
        "j'ai adoré le moment calme",
        "Les jeux et le moment calme",
        "",
        "trop de bruit",
    ]
    summary = summarise(texts)
    assert summary.answers == 4
    terms = {t["term"]: t for t in summary.terms}
    assert terms["moment"]["count"] == 3
    assert "le" not in terms and "de" not in terms  # stop words are removed
    assert terms["moment"]["verbatims"][:2] == texts[:2]
    assert [b["term"] for b in summary.bigrams] == ["moment calme"]
    # génial, adoré, calme are positive words; bruit is negative.
    assert dict(summary.sentiment) == {"positive": 3, "neutral": 0, "negative": 1}


def test_the_sentiment_cloud_is_a_png_image():
    image = Image.open(BytesIO(word_cloud_png(summarise(["super atelier", "atelier calme"]))))
    assert image.format == "PNG" and image.size == (800, 400)
