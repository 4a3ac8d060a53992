import json
from pathlib import Path

from conftest import SEEDS

from retrieval.loaders import discover, load_file


def test_seed_metadata_lines_become_date_and_url():
    article = load_file(next(SEEDS.glob("004_*.txt"))).articles[0]
    assert article.id == "004_104f296de9b5b871"
    assert article.title == "US and Russia agree to keep talking amid tensions over Ukraine"
    assert article.date == "2022-01-22"
    assert article.url.startswith("https://www.thenorthernecho.co.uk/news/19867393")
    assert not article.text.startswith(("20220122", "https://"))


def test_seed_dateline_becomes_metadata_and_leaves_the_text():
    article = load_file(next(SEEDS.glob("003_*.txt"))).articles[0]
    assert article.title.startswith("Blinken says talks unlikely")  # "All news" above it is furniture
    assert article.date == "2022-01-10"
    assert article.dateline == "New York, January 10 (TASS)"
    assert "/TASS/" not in article.text
    assert "US Secretary of State Antony Blinken on Sunday said" in article.text


def test_markdown_title_loses_its_hashes(tmp_path: Path):
    path = tmp_path / "story.md"
    path.write_text("# Big news\n\n2021-03-04\n\nSomething happened today in the town.\n")
    article = load_file(path).articles[0]
    assert (article.id, article.title, article.date) == ("story", "Big news", "2021-03-04")


def test_html_gives_title_date_url_and_text_without_scripts_or_navigation(tmp_path: Path):
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Site | Story</title><meta property='og:title' content='Floods hit the coast'>"
        "<meta property='article:published_time' content='2023-05-06T08:00:00Z'>"
        "<link rel='canonical' href='https://example.org/floods'><script>var x = 1;</script></head>"
        "<body><nav>Home | World</nav><article><h1>Floods hit the coast</h1><p>Rain fell for three days.</p>"
        "<p>Thousands were evacuated &amp; rescued.</p></article><footer>(c) Site</footer></body></html>"
    )
    article = load_file(path).articles[0]
    assert article.title == "Floods hit the coast"
    assert article.date == "2023-05-06"
    assert article.url == "https://example.org/floods"
    assert article.text == "Rain fell for three days.\n\nThousands were evacuated & rescued."


def test_jsonl_records_with_ids_and_a_malformed_line_reported_by_number(tmp_path: Path):
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps(
            {"id": "a1", "title": "First", "text": "Alpha text here.", "date": "2020-01-02", "url": "https://x/a"}
        ),
        "{not json",
        json.dumps({"title": "No text"}),
        json.dumps({"title": "Second", "text": "Beta text here."}),
    ]
    path.write_text("\n".join(lines) + "\n")
    result = load_file(path)
    assert [(a.id, a.title, a.date) for a in result.articles] == [
        ("a1", "First", "2020-01-02"),
        ("feed-4", "Second", None),
    ]
    assert len(result.errors) == 2
    assert result.errors[0].startswith(f"{path}:2: malformed JSON")
    assert result.errors[1].startswith(f'{path}:3: missing "text" (or "body", "content"')


def test_binary_empty_and_undecodable_files(tmp_path: Path):
    (tmp_path / "bin.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "empty.txt").write_bytes(b"  \n")
    (tmp_path / "latin.txt").write_bytes("Caf\u00e9 news\n\nThe caf\u00e9 opened.".encode("cp1252"))
    assert "binary file" in load_file(tmp_path / "bin.txt").errors[0]
    assert "empty file" in load_file(tmp_path / "empty.txt").errors[0]
    latin = load_file(tmp_path / "latin.txt")
    assert latin.articles[0].title == "Café news"
    assert "decoded as cp1252" in latin.notes[0]


def test_missing_file_is_an_error_line_not_an_exception(tmp_path: Path):
    result = load_file(tmp_path / "gone.txt")
    assert result.errors == [f"{tmp_path / 'gone.txt'}: file vanished before it could be read"]


def test_discover_recurses_and_skips_hidden_and_unknown_files(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("t\n\nbody")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "y.txt").write_text("t\n\nbody")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    assert list(discover([tmp_path])) == [tmp_path / "a" / "x.txt"]


def test_character_references_left_in_plain_text_become_characters(tmp_path: Path):
    # Scraped corpora (the BBC set among them) keep "&#163;" and "&#233;" in plain text, and a lossy code page
    # turned apostrophes into "¿". Readers should see "£1.8m" and "communiqué"; "AT&T" and "R&D" are text.
    path = tmp_path / "scraped.jsonl"
    record = {
        "id": "viacom",
        "title": "&#163;1.8m indecency fine for Viacom",
        "text": "The G7 communiqu&#233; was signed. Mr Blair&#191;s government, AT&T and R&D &amp; more &bogus;.",
    }
    path.write_text(json.dumps(record) + "\n")
    article = load_file(path).articles[0]
    assert article.title == "£1.8m indecency fine for Viacom"
    assert article.text == "The G7 communiqué was signed. Mr Blair's government, AT&T and R&D & more &bogus;."


def test_text_garbled_by_a_wrong_decoding_is_decoded_again(tmp_path: Path):
    # UTF-8 read as Windows-1252 somewhere upstream (14 of the NewsQA half's CNN stories): "Â£5" must be "£5", or
    # "how much is the discount?" finds no money and "Â" is taken for a name; "Â»" must end a link line as "»" does.
    path = tmp_path / "garbled.jsonl"
    record = {
        "id": "dungeon",
        "title": "Hex your ex at the DungeonÂ®",
        "text": "Hexing your ex will earn you Â£5 ($7.20) off. Watch the hexing Â» Her fiancÃ© said: â€œNo.â€ "
        "Ã‰lodie, naïve café and Müller stay as written.",
    }
    path.write_text(json.dumps(record) + "\n")
    article = load_file(path).articles[0]
    assert article.title == "Hex your ex at the Dungeon®"
    assert article.text == (
        'Hexing your ex will earn you £5 ($7.20) off. Watch the hexing » Her fiancé said: "No." '
        "Élodie, naïve café and Müller stay as written."
    )


def test_jsonl_records_in_other_datasets_layouts_are_read_by_their_own_field_names(tmp_path: Path):
    path = tmp_path / "newsapi.jsonl"
    records = [
        {  # newsapi.org
            "source": {"name": "Example"},
            "title": "Storm closes the port",
            "description": "Short summary.",
            "content": "A storm closed the port on Friday.",
            "url": "https://example.org/storm",
            "publishedAt": "2022-01-21T08:00:00Z",
        },
        {"Headline": "Council meets", "Link": "https://example.org/council", "Body": "The council met."},
        {"headline": "Only a summary", "content": 123, "summary": "The summary is the text."},
        {"headline": "Nothing to read", "content": "   "},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    result = load_file(path)
    assert [(a.id, a.title, a.date, a.url, a.text) for a in result.articles] == [
        (
            "newsapi-1",
            "Storm closes the port",
            "2022-01-21",
            "https://example.org/storm",
            "A storm closed the port on Friday.",
        ),
        ("newsapi-2", "Council meets", None, "https://example.org/council", "The council met."),
        ("newsapi-3", "Only a summary", None, None, "The summary is the text."),
    ]
    assert result.errors == [f'{path}:4: empty "content"']


def test_csv_rows_are_articles_and_a_bad_row_is_reported_by_its_line(tmp_path: Path):
    # The Kaggle BBC layout: a header row, quoted multi-line bodies, no id column (ids come from the line numbers).
    path = tmp_path / "bbc.csv"
    path.write_text(
        "category,filename,title,content\n"
        'business,001.txt,Ad sales boost profits,"Quarterly profits rose 76%.\n\nSales grew, too."\n'
        "sport,002.txt,Empty one,\n"
        'tech,003.txt,"Phones, again",Phones sold well.\n'
    )
    result = load_file(path)
    assert [(a.id, a.title, a.text) for a in result.articles] == [
        ("bbc-2", "Ad sales boost profits", "Quarterly profits rose 76%.\n\nSales grew, too."),
        ("bbc-6", "Phones, again", "Phones sold well."),
    ]
    assert result.errors == [f'{path}:5: empty "content"']
    semicolons = tmp_path / "excel.csv"
    semicolons.write_text("Title;Body\nSemicolons;Excel in Europe separates fields this way, doesn't it.\n")
    assert [(a.title, a.text) for a in load_file(semicolons).articles] == [
        ("Semicolons", "Excel in Europe separates fields this way, doesn't it.")
    ]
    tabs = tmp_path / "export.tsv"
    tabs.write_text("ID\tHeadline\tText\tDate\na7\tTabbed\tTabs separate these fields.\t2020-05-06\n")
    assert [(a.id, a.title, a.date) for a in load_file(tabs).articles] == [("a7", "Tabbed", "2020-05-06")]


def test_a_csv_without_a_text_column_is_one_error_naming_its_columns(tmp_path: Path):
    path = tmp_path / "questions.csv"
    path.write_text("question,answer\nWho?,Me\n")
    result = load_file(path)
    assert result.articles == []
    assert result.errors == [
        f'{path}: no text column ("text", "body", "content", "article", "story", "maintext", "description", '
        '"summary"); its columns are "question", "answer"'
    ]


def test_json_files_of_articles_from_scrapers_and_apis_are_read(tmp_path: Path):
    one = tmp_path / "page.json"  # trafilatura --json: one object per page, its address under "source"
    one.write_text(
        json.dumps(
            {
                "title": "Port reopens",
                "text": "The port reopened on Monday.",
                "date": "2022-01-24",
                "source": "https://example.org/port",
                "hostname": "example.org",
            }
        )
    )
    assert [(a.id, a.title, a.date, a.url) for a in load_file(one).articles] == [
        ("page", "Port reopens", "2022-01-24", "https://example.org/port")
    ]
    api = tmp_path / "everything.json"  # newsapi.org: {"articles": [...]}, "source" an object, "content" null
    api.write_text(
        json.dumps(
            {
                "status": "ok",
                "articles": [
                    {
                        "source": {"id": None, "name": "BBC"},
                        "title": "Storm",
                        "description": "A storm hit.",
                        "content": None,
                        "url": "https://example.org/storm",
                        "publishedAt": "2022-01-21T08:00:00Z",
                    },
                    {"source": {"name": "BBC"}, "title": "No text at all", "content": None},
                ],
            }
        )
    )
    result = load_file(api)
    assert [(a.id, a.text, a.url) for a in result.articles] == [
        ("everything-1", "A storm hit.", "https://example.org/storm")
    ]
    assert result.errors == [
        f'{api}: article 2: missing "text" (or "body", "content", "article", "story", '
        '"maintext", "description", "summary")'
    ]


def test_a_json_file_of_questions_beside_the_articles_is_skipped_with_a_note(tmp_path: Path):
    squad = tmp_path / "dev.json"
    squad.write_text(json.dumps({"version": "1.1", "data": [{"title": "T", "paragraphs": []}]}))
    result = load_file(squad)
    assert result.articles == [] and result.errors == []
    assert result.notes[0].startswith(f"{squad}: skipped, it holds no articles")
    broken = tmp_path / "broken.json"
    broken.write_text('{"title": "T",\n "text": }')
    assert load_file(broken).errors == [f"{broken}:2: malformed JSON (Expecting value at column 10)"]


def test_rss_dates_are_read_a_date_that_is_not_is_said_and_a_publisher_is_no_link(tmp_path: Path):
    path = tmp_path / "feed.jsonl"
    records = [
        {"title": "A", "text": "Alpha.", "pubDate": "Wed, 16 Mar 2005 10:00:00 GMT", "source": "Reuters"},
        {"title": "B", "text": "Beta.", "date": "last Tuesday"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    result = load_file(path)
    assert [(a.date, a.url) for a in result.articles] == [("2005-03-16", None), (None, None)]
    assert result.notes == [f"{path}:2: \"date\" 'last Tuesday' is no date I can read; the article is undated"]


def test_json_lines_in_a_json_file_are_named_as_such(tmp_path: Path):
    path = tmp_path / "lines.json"
    path.write_text('{"title": "A", "text": "Alpha."}\n{"title": "B", "text": "Beta."}\n')
    assert load_file(path).errors == [
        f"{path}:2: malformed JSON (Extra data at column 1) (one object per line is JSON Lines: name the file .jsonl)"
    ]
