from retrieval.text import normalize, sentences, terms


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


def test_normalize_unifies_quotes_dashes_and_strips_control_characters():
    assert normalize("“Quoted” — text\u0007 with\u00a0space") == '"Quoted" - text with space'
