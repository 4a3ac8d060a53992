import re
from pathlib import Path

from conftest import SEEDS

from retrieval.cleaning import clean_lines
from retrieval.loaders import load_file
from retrieval.text import normalize, sentences


def _dropped(name: str) -> list[str]:
    raw = normalize(next(SEEDS.glob(f"{name}_*.txt")).read_text())
    return clean_lines(raw.split("\n"))[1]


def test_furniture_in_the_seeds_is_removed():
    assert _dropped("001") == ["World News", "Leave a Reply", "four - 4 ="]
    assert _dropped("003") == ["All news"]
    dropped_004 = _dropped("004")
    assert any(d.startswith("We want our comments to be a lively") for d in dropped_004)
    assert any("pic.twitter.com" in d for d in dropped_004)
    assert _dropped("002") == ["SS"]
    assert _dropped("000") == []


def test_no_article_sentence_is_removed_from_the_seeds():
    furniture = ("World News", "All news", "Leave a Reply", "four - 4 =", "We want our comments", "SS")
    for path in sorted(SEEDS.glob("*.txt")):
        article = load_file(path).articles[0]
        for line in normalize(path.read_text()).split("\n"):
            line = re.sub(r"\s*12 pic\.twitter\.com\S*", "", line.removeprefix("NEW YORK, January 10. /TASS/. "))
            if not line.strip() or line.startswith(furniture) or line in (article.title, article.url, "20220122"):
                continue
            for sentence in sentences(line):
                assert sentence.text in article.text, f"{path.name}: lost {sentence.text!r}"


def test_captcha_and_labels_only_match_whole_lines():
    kept, dropped = clean_lines(["Four people died - 4 = too many.", "World News and more", "five + 3 = "])
    assert kept == ["Four people died - 4 = too many.", "World News and more"]
    assert dropped == ["five + 3 ="]


def test_tweet_picture_links_are_cut_from_the_line(tmp_path: Path):
    kept, _ = clean_lines(["The shipment arrived tonight. 12 pic.twitter.comYeYanK0Px6"])
    assert kept == ["The shipment arrived tonight."]


def test_only_the_last_line_can_be_an_agency_sign_off(tmp_path: Path):
    path = tmp_path / "vote.txt"
    path.write_text("Vote count\n\nThe vote went ahead on Monday.\n\nThe country that won:\n\nUK\n\nAP\n")
    article = load_file(path).articles[0]
    assert article.text.endswith("The country that won:\n\nUK")


def test_share_links_credit_lines_and_disclaimers_glued_to_sentences_are_cut():
    lines = [
        "The pill came on the market in 1960 and is still widely used today. E-mail to a friend",
        "The film opens November 2. E-mail to a friend  CNN's Mike Phelan and Catherine Callaway contributed to "
        "this report.",
        "Polls have been rising since 2008.      Al Goodman, CNN's Madrid bureau chief, contributed to this report",
        "Good luck, brother!    The opinions expressed in this commentary are solely those of Jamison Green.",
    ]
    kept, dropped = clean_lines(lines)
    assert kept == [
        "The pill came on the market in 1960 and is still widely used today.",
        "The film opens November 2.",
        "Polls have been rising since 2008.",
        "Good luck, brother!",
    ]
    assert len(dropped) == 4
    story = [  # the same words inside a story's own sentence stay
        "Several agencies contributed to this report, which found that 40 people died.",
        "He said the opinions expressed in this article are his own. Judy Fortin is with CNN Medical News.",
        "The audit was damning. Auditors from three firms contributed to this report. It was published Monday.",
    ]
    assert clean_lines(story) == (story, [])
    initials = [  # names with initials are cut whole, not left in pieces
        "It ended. CNN's Carol Cratty, Pat St. Claire and Joe Sterling contributed to this report.",
        "It ended. -- CNN's Joe Sterling and Catherine E. Shoichet contributed to this report from Atlanta.",
        "It ended.  Journalist Tawab Qurayshi contributed to this report",
        "Good luck!    The opinions expressed in this commentary are solely those of Dr. Ann Smith.",
    ]
    assert clean_lines(initials)[0] == ["It ended.", "It ended.", "It ended.", "Good luck!"]


def test_copyright_notices_and_shouted_promotions_glued_to_sentences_are_cut():
    line = (
        "The inn is at budgettravel.com.    Get the best travel deals and tips emailed to you FREE - CLICK HERE!    "
        "Copyright © 2009 Newsweek Budget Travel, Inc., all rights reserved."
    )
    assert clean_lines([line])[0] == ["The inn is at budgettravel.com."]
    story = ["Readers could click here to vote. Copyright 2004 rules changed, the court said."]
    assert clean_lines(story)[0] == story  # a story's own words stay
