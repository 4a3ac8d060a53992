import pytest

from retrieval.text import counted, listed, normalize, printable, sentences, terms


def test_sentences_keep_offsets_and_do_not_split_abbreviations():
    text = "Mr. Smith went to Washington. He met Dr. J. Doe at 3 p.m. on Jan. 5. Then he left! Did he?"
    spans = sentences(text)
    assert [s.text for s in spans] == [
        "Mr. Smith went to Washington.",
        "He met Dr. J. Doe at 3 p.m. on Jan. 5.",
        "Then he left!",
        "Did he?",
    ]
    assert all(text[s.start : s.end] == s.text for s in spans)


def test_ranks_and_titles_of_wire_copy_end_no_sentence():
    text = "Army Capt. John Smith and Sens. Obama and McCain spoke. The town had ca. 2 million people. It grew."
    assert [s.text for s in sentences(text)] == [
        "Army Capt. John Smith and Sens. Obama and McCain spoke.",
        "The town had ca. 2 million people.",
        "It grew.",
    ]
    assert [s.text for s in sentences("He did 50 reps. Then he rested.")] == ["He did 50 reps.", "Then he rested."]
    # "No." abbreviates only a number's: "The answer is no." ends its sentence
    assert [s.text for s in sentences("He lives at No. 10 Downing Street. The answer is no. The army stays.")] == [
        "He lives at No. 10 Downing Street.",
        "The answer is no.",
        "The army stays.",
    ]


def test_sentences_split_on_newlines_and_keep_quotes_with_their_sentence():
    spans = sentences('He said "no." She left.\nNew paragraph here')
    assert [s.text for s in spans] == ['He said "no."', "She left.", "New paragraph here"]


def test_terms_stem_drop_stopwords_and_join_numbers():
    assert terms("How many tanks did Germany send to the U.S.? 100,000 troops met") == [
        "tank",
        "germani",
        "send",
        "us",
        "100000",
        "troop",
        "meet",
    ]


@pytest.mark.parametrize(
    ("irregular", "base"),
    [
        ("countries", "country"),
        ("chose", "choose"),
        ("chosen", "chooses"),
        ("became", "become"),
        ("left", "leaving"),
        ("sued", "sues"),
        ("suing", "sue"),
        ("heard", "hears"),
        ("ate", "eat"),
        ("shot", "shooting"),
        ("shots", "shoot"),
        ("broken", "break"),
        ("caught", "catches"),
        ("terrorists", "terrorism"),
    ],
)
def test_an_irregular_form_and_its_base_are_one_term(irregular, base):
    """ "countries" was mapped to "country", which the stemmer writes "countri": the two never met. The stemmer
    writes "sued" and "suing" as "su" and "sues" as "sue": "Why is the shareholder suing?" missed "sues"."""
    assert terms(irregular) == terms(base)


def test_normalize_unifies_quotes_dashes_and_strips_control_characters():
    assert normalize("“Quoted” — text\u0007 with\u00a0space") == '"Quoted" - text with space'


def test_normalize_decodes_again_text_garbled_by_a_wrong_decoding_and_leaves_accents_alone():
    assert (
        normalize("Â£32.5 million, fiancÃ©, â‚¬80m, hurts â€” without")
        == "£32.5 million, fiancé, €80m, hurts - without"
    )
    assert (
        normalize("naïve café, Müller, déjà vu, São Paulo, Ã  la carte")
        == "naïve café, Müller, déjà vu, São Paulo, Ã la carte"
    )


def test_a_quoted_exclamation_followed_by_a_lower_case_word_ends_no_sentence():
    spans = sentences('"Stop!" he shouted at Mr. Jones. Then he left.')
    assert [s.text for s in spans] == ['"Stop!" he shouted at Mr. Jones.', "Then he left."]


def test_character_references_become_characters_and_invalid_ones_stay():
    assert normalize("communiqu&#233; &#163;5 AT&T &#0; &#xD800;") == "communiqué £5 AT&T &#0; &#xD800;"


def test_normalize_removes_terminal_escape_sequences_whole():
    link = "\x1b]8;;https://evil.example/\x07here\x1b]8;;\x1b\\"
    assert normalize(f"red \x1b[31mtext\x1b[0m and a {link} link") == "red text and a here link"


def test_printable_drops_control_characters_and_changes_nothing_printable():
    assert printable("Fresno,_California (ﬁnal) ＃1") == "Fresno,_California (ﬁnal) ＃1"
    assert printable("a\x1b[2Jb\tc\nd\u200be\x07") == "ab c de"


def test_counts_and_lists_read_as_a_sentence_says_them():
    assert counted(1, "article") == "1 article" and counted(3, "article") == "3 articles"
    assert listed(["a"]) == "a" and listed(["a", "b"]) == "a and b" and listed(["a", "b", "c"]) == "a, b and c"


def test_a_link_to_a_video_ends_its_own_sentence():
    text = "Watch footage of the plane at the crash site »    The plane was headed to Enid. It crashed."
    assert [s.text for s in sentences(text)] == [
        "Watch footage of the plane at the crash site »",
        "The plane was headed to Enid.",
        "It crashed.",
    ]
