"""Question understanding: framing, markup and typos do not change what a question asks."""

import pytest

from bot.understanding import Vocabulary, clean, names, social, strip_framing, understand
from retrieval.bm25 import Bm25Index, written_as_names

TEXTS = [
    "In February the foreign ministry spokeswoman said talks in Moscow would go on.",
    "The spokeswoman for the ministry declined to comment on the negotiations.",
    "Russian troops gathered near the border in February, officials said.",
]


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    index = Bm25Index.build([f"p{i}" for i in range(len(TEXTS))], TEXTS, "g1")
    return Vocabulary.of(index)


@pytest.mark.parametrize(
    "typed",
    [
        "Hey bot, who spoke for the ministry? Thanks!",
        "hi there! who spoke for the ministry?? thank you so much",
        "Quick question: who spoke for the ministry?",
        "Can you tell me who spoke for the ministry?",
        "@newsbot please, who spoke for the ministry?",
        "Good morning. Do you know who spoke for the ministry? Cheers :)",
        "<p><b>Who spoke for the ministry?</b></p>",
        "**Who** spoke for the [ministry](https://example.org)?",
        "Who spoke for the min\u200bistry?",
        "Who   spoke\nfor the ministry? Thanks in advance!",
    ],
)
def test_framing_and_markup_leave_the_question_itself(typed):
    assert understand(typed).text == "Who spoke for the ministry?"


def test_a_message_that_is_only_framing_is_kept_as_it_is():
    assert understand("Thanks!").text == "Thanks!"
    assert strip_framing("Hello") == "Hello"


def test_words_inside_the_question_are_not_framing():
    assert understand("What did the spokeswoman say about the thank-you letter?").text == (
        "What did the spokeswoman say about the thank-you letter?"
    )
    assert understand("Who is Yo-Yo Ma?").text == "Who is Yo-Yo Ma?"


def test_clean_removes_format_characters_instead_of_splitting_words():
    assert clean("Blin\u200bken met\u00a0Lavrov &amp; others") == "Blinken met Lavrov & others"


def test_misspellings_are_corrected_to_the_corpus_spelling(vocabulary):
    understood = understand("What did the spoksewoman say in Feburary about Mocsow?", vocabulary)
    assert understood.query == "What did the spokeswoman say in February about Moscow?"
    assert understood.corrections == {"spoksewoman": "spokeswoman", "Feburary": "February", "Mocsow": "Moscow"}
    assert understood.text == "What did the spoksewoman say in Feburary about Mocsow?"


def test_an_inflected_misspelling_keeps_its_ending(vocabulary):
    assert understand("Where were the negotaitions?", vocabulary).query == "Where were the negotiations?"


def test_known_short_and_distant_words_are_left_alone(vocabulary):
    for question in ["Who said it in February?", "What is the boiling point of mercury?", "Who is Bob?"]:
        understood = understand(question, vocabulary)
        assert understood.query == question and understood.corrections == {}


def test_vocabulary_is_built_once_per_index():
    index = Bm25Index.build(["p0"], TEXTS[:1], "g1")
    assert Vocabulary.of(index) is Vocabulary.of(index)
    assert "februari" in Vocabulary.of(index) and "negoti" not in Vocabulary.of(index)


def test_names_are_capitalised_words_that_are_not_function_or_chat_words():
    assert names("Who did Blinken meet in Geneva?") == ["Blinken", "Geneva"]
    assert names("Describe the talks in Geneva and Brussels.") == ["Geneva", "Brussels"]
    assert names("NATO met where? Thanks Bot") == ["NATO"]
    assert names("Lavrov met Blinken. Lavrov said no.") == ["Lavrov", "Blinken"]
    assert names("What did Apple announce about the iPhone?") == ["Apple", "iPhone"]
    assert names("eBay bought Skype, said Meg Whitman.") == ["eBay", "Skype", "Meg", "Whitman"]


def test_a_first_word_that_is_no_english_word_is_a_name():
    """A caption's "Pavlyuchenkova celebrates ..." names her; "Describe ..." and "Biking ..." are words."""
    assert names("Pavlyuchenkova celebrates her victory over Jelena Jankovic.") == [
        "Pavlyuchenkova",
        "Jelena",
        "Jankovic",
    ]
    assert names("Describe the talks. Biking is fun.") == []
    assert names("Paramedics rushed him in. Unveiling it, she smiled. Smartphones sell.") == []


def test_an_office_written_in_capitals_is_no_name():
    """ "What did the CEO say about sales?" asks for whoever holds the office; taken for a name, it had to be written
    by the quotes the conversation continued, and was asked of the story that wrote "CEO"."""
    assert names("What did the CEO say about sales?") == []
    assert names("Which MPs voted, said NATO?") == ["NATO"]


def test_ok_is_chat_not_a_name():
    assert names("Is the trainer OK?") == []
    assert names("Is the trainer Okay?") == []


def test_the_word_after_a_news_agency_dateline_begins_a_sentence():
    assert names("(CNN) -- Law enforcement officials in California searched on Wednesday.") == [
        "CNN",
        "California",
        "Wednesday",
    ]
    assert names("WASHINGTON (CNN) -- Every day, five U.S. soldiers try.") == ["WASHINGTON", "CNN", "U.S"]


def test_case_alone_does_not_make_names():
    assert names("who did blinken meet in geneva") == []
    assert names("WHO DID BLINKEN MEET IN GENEVA") == []


def test_names_get_the_corpus_capitals_in_the_query_whatever_the_reader_typed(vocabulary):
    assert understand("who spoke in moscow?", vocabulary).query == "who spoke in Moscow?"
    assert understand("WHO SPOKE IN MOSCOW?", vocabulary).query == "who spoke in Moscow?"
    assert understand("Who spoke in moscow?", vocabulary).query == "Who spoke in moscow?"


def test_in_a_question_without_capitals_a_word_the_corpus_never_uses_is_taken_for_a_name(vocabulary):
    assert understand("did germany send troops", vocabulary).query == "did Germany send troops"
    assert understand("Did the troops carry weapons?", vocabulary).query == "Did the troops carry weapons?"


def test_the_corpus_decides_which_words_are_names():
    found = written_as_names(
        [
            "Talks in Moscow went on, said Ryabkov.",
            "Russian state media said the talks in Moscow would resume.",
            "The State Department said nothing.",
        ]
    )
    assert {"moscow", "ryabkov"} <= found
    assert "talk" not in found and "state" not in found and "said" not in found


def test_a_saved_index_keeps_its_names_and_one_saved_without_them_is_rebuilt(tmp_path):
    index = Bm25Index.build(["p0", "p1"], TEXTS[:2], "g1")
    index.save(tmp_path / "bm25")
    loaded = Bm25Index.load(tmp_path / "bm25")
    assert loaded is not None and loaded.names == index.names and "moscow" in loaded.names
    (tmp_path / "bm25" / "names.json").unlink()
    assert Bm25Index.load(tmp_path / "bm25") is None


def test_short_words_and_function_words_are_corrected_only_for_swapped_letters(vocabulary):
    assert understand("Whree did the tlaks go on?", vocabulary).query == "Where did the talks go on?"
    assert understand("Where did the talkz go on?", vocabulary).corrections == {}


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("hi", "greeting"),
        ("Hello there?", "greeting"),
        ("thanks!", "thanks"),
        ("Hey bot, thank you so much!", "thanks"),
        ("ok cool", "ack"),
        ("Cheers mate", "thanks"),
        ("and thanks!", "thanks"),
        ("oh, thanks", "thanks"),  # not "And best film?": the last question asked of "thanks"
        ("and Lavrov?", None),
        ("bye", "bye"),
        ("good night", "bye"),
        ("great, who won?", None),
        ("ok 👍", "ack"),
        ("so?", None),  # asks something of the last answer
        ("Later?", None),
        ("why?", None),  # a follow-up, not chat
        ("Hi, who is Blinken?", None),
        ("\u200b", None),  # empty once cleaned: the front ends ask for a question
        ("?", "wordless"),
        ("😀😀", "wordless"),
    ],
)
def test_a_message_that_is_only_chat_is_told_from_a_question(message, kind):
    assert social(message) == kind


def test_an_english_word_the_corpus_does_not_use_is_not_corrected_into_another(vocabulary):
    # one edit from the corpus's "spokeswoman" and "declined", but words of their own (the packaged MiniLM
    # tokenizer's vocabulary says so): "corrected", the question would ask something else
    for word in ("spokesman", "declared", "latest"):
        assert vocabulary.correct(word) is None, word
    assert vocabulary.correct("Feburary") == "February"  # a typo still is one
    assert understand("Who declared the talks over?", vocabulary).corrections == {}


def test_a_british_spelling_is_read_as_the_american_one_the_corpus_uses_and_back():
    texts = ["Channel 4 was criticized for the show.", "The defence minister travelled to the centre of Kabul."]
    vocabulary = Vocabulary.of(Bm25Index.build(["a", "b"], texts, "g-spellings"))
    assert understand("why was channel 4 criticised", vocabulary).query == "why was channel 4 criticized"
    assert understand("Who traveled to the center?", vocabulary).query == "Who traveled to the centre?"  # one stem
    assert understand("Who is the defense minister?", vocabulary).query == "Who is the defence minister?"
    # an English word the corpus never uses and has no other spelling of stays what it is; with no capitals it
    # is then taken for a name, as any such word is
    assert vocabulary.correct("honoured") is None


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("whos the guy that shot reagan", "who's the guy that shot reagan"),
        ("wat happened to the snowmobilers", "what happened to the snowmobilers"),
        ("can u tell me how many troops", "How many troops"),  # framing, as "can you tell me" is
        ("Whats up with Apple", "What's up with Apple"),
        ("wher did the raiders go", "where did the raiders go"),
        ("What did not violate U.S. laws?", "What did not violate U.S. laws?"),
        ("what did Wen say in Ur", "what did Wen say in Ur"),
        ("Wen Jiabao met whom?", "Wen Jiabao met whom?"),
        ("whos the pm? Whats his party?", "who's the pm? What's his party?"),
        ("what happened in 44 BC", "what happened in 44 BC"),
    ],
)
def test_chat_shorthand_is_written_out_and_names_are_not(typed, read):
    """The spelling corrector mends only words the articles use, so "whos", "wat" and "u" were read as unknown words
    (and "whos" asked for no person)."""
    assert understand(typed).text == read


def test_a_letter_typed_twice_or_once_is_corrected_to_the_word_it_was_meant_for():
    texts = [
        "Greyhound buses will run from London, business leaders said.",
        "The government said business was good and business would grow.",
        "The business park opened until late, a business owner said.",
    ]
    vocabulary = Vocabulary.of(Bm25Index.build(["a", "b", "c"], texts, "g-doubled"))
    assert vocabulary.correct("busses") == "buses"  # not "busies", of the commoner business's stem
    assert vocabulary.correct("goverment") == "government"  # an English word, not "governent"
    assert vocabulary.correct("untill") == "until"  # a function word the index leaves out
    assert vocabulary.correct("booth") is None  # a word of its own, not "both"
    assert vocabulary.correct("three") is None  # an English word the articles happen not to use, not "there"


def test_chat_shorthand_for_people_is_written_out():
    assert understand("how many ppl did it kill?").text == "how many people did it kill?"


def test_a_word_the_corpus_knows_or_that_another_spelling_would_change_is_left_alone():
    texts = ["Erich Fromm wrote on freedom in this form.", "The tank was filled and the score was high."]
    vocabulary = Vocabulary.of(Bm25Index.build(["a", "b"], texts, "g-known"))
    assert vocabulary.correct("Fromm") is None and vocabulary.correct("form") is None  # not "From", "from"
    assert vocabulary.correct("filed") is None  # not "filled": a word of its own, not a spelling


def test_a_word_before_a_surname_is_corrected_only_to_a_first_name():
    """ "who is stetson kennedy" was read as "who is stepson Kennedy" and answered about Charles Kennedy: before a
    surname alone, as the corpus writes names, a word is a first name; one the corpus never mentions stays as typed
    (and so declines). A title or a function word may stand there too, and is still corrected."""
    texts = [
        "Charles Kennedy said his stepson would not stand. Mr Kennedy leads the party.",
        "Chancellor Gordon Brown met Charles Kennedy. The chancellor and Mr Brown spoke of the chancellor's plans.",
        "Gordon Brown, the chancellor, spoke.",
    ]
    vocabulary = Vocabulary.of(Bm25Index.build(["a", "b", "c"], texts, "g-first-names"))
    assert vocabulary.correct("stetson") == "stepson"  # alone, a typo of a word the corpus uses
    assert understand("who is stetson kennedy", vocabulary).corrections == {}
    assert understand("who is charels kennedy", vocabulary).corrections == {"charels": "charles"}
    assert understand("what did the chancelor gordon brown say", vocabulary).corrections == {"chancelor": "chancellor"}
    assert understand("what did the chancelor brown say", vocabulary).corrections == {"chancelor": "chancellor"}
    # after a name, a word before a surname is a verb, not a first name
    assert understand("did charles kennedy spoke of brown", vocabulary).corrections == {}
    assert understand("did brown leadss kennedy", vocabulary).corrections == {"leadss": "leads"}


def test_a_contraction_typed_without_its_apostrophe_is_written_out_not_read_as_a_name():
    """ "who shouldnt take it" was declined as asking about "Shouldnt", a name no article mentions: a contraction
    typed without its apostrophe is the contraction. "its", "were", "well" and "lets" are words of their own."""
    assert understand("who shouldnt take it").text == "who shouldn't take it"
    assert understand("why isnt he in the england team anymore").text == "why isn't he in the england team anymore"
    assert understand("why wont bath just pay him more, hes good").text == "why won't bath just pay him more, he's good"
    assert understand("were its sales well up").text == "were its sales well up"
