"""bot/roles.py: who holds a role, as the articles name it."""

from __future__ import annotations

import pytest
from conftest import open_test_store

from bot.factory import build_answerer
from bot.roles import asks_who_holds, names_beside
from retrieval.ingest import ingest


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("Who is the chancellor?", ("chancellor", "")),
        ("who is the prime minister", ("prime minister", "")),
        ("Who is the chief executive of Yukos?", ("chief executive", "Yukos")),
        ("Who was acquitted?", None),
        ("Who met Lavrov in Geneva?", None),
        # the article itself is no organisation: this answered "None of the articles I found names the Google exec
        # quoted of Article."
        ("who's the Google exec quoted in the article", None),
    ],
)
def test_a_question_about_who_holds_a_role_names_the_role(question, role):
    assert asks_who_holds(question) == role


def test_the_names_beside_a_role_are_its_holders_not_another_roles():
    assert names_beside("chancellor", "Chancellor Gordon Brown will deliver his Budget.") == ["Brown"]
    assert names_beside("chancellor", "Gordon Brown, the chancellor, said growth would slow.") == ["Brown"]
    assert names_beside("chancellor", "The current Lord Chancellor Lord Falconer disagreed.") == []
    assert names_beside("prime minister", "Deputy Prime Minister John Prescott backed it.") == []
    assert names_beside("prime minister", "Prime Minister Tony Blair's plan.") == ["Blair"]


def test_who_holds_a_role_is_answered_with_the_name_the_articles_give_it(tmp_path, embeddings):
    articles = {
        # "chancellor" four times over, none of them the chancellor asked about
        "lords": "Lords reform vote\n\nThe lord chancellor should be appointed on merit, the courts minister said. "
        "The lord chancellor has the role of Lords speaker, and peers voted that the lord chancellor must sit in the "
        "Lords. Former lord chancellors said the office of lord chancellor cannot be frozen.",
        "budget": "Budget date set\n\nChancellor Gordon Brown will deliver his Budget on 16 March. The Treasury said "
        "the statement would focus on families.",
        "growth": "Growth forecast cut\n\nGordon Brown, the chancellor, said growth would slow next year. Economists "
        "expected the cut after weak retail sales.",
    }
    for name, text in articles.items():
        (tmp_path / f"{name}.txt").write_text(text)
    store = open_test_store(tmp_path / "store", embeddings)
    assert ingest([tmp_path / f"{name}.txt" for name in articles], store).ok
    answer = build_answerer(store).answer("Who is the chancellor?")
    assert answer.answer.startswith("Chancellor Gordon Brown will deliver his Budget"), answer.answer
    assert "lord chancellor" not in answer.answer and {c.source for c in answer.citations} == {"budget", "growth"}


def _answerer(tmp_path, embeddings, articles):
    tmp_path.mkdir(exist_ok=True)
    for name, text in articles.items():
        (tmp_path / f"{name}.txt").write_text(text)
    store = open_test_store(tmp_path / "store", embeddings)
    assert ingest([tmp_path / f"{name}.txt" for name in articles], store).ok
    return build_answerer(store)


def test_the_holder_of_a_role_of_a_country_is_the_one_its_stories_name(tmp_path, embeddings):
    """ "Who is the president of Brazil?" was answered with Venezuela's Chavez: the oil-deal story names him beside
    "president" (and Brazil) as often as Brazil's own stories name Lula, so the count tied and no holder was found.
    A name counts by the share of the passages naming it that also name Brazil."""
    answerer = _answerer(
        tmp_path,
        embeddings,
        {
            "oil": "Oil deal signed\n\nPresident Chavez wants a South American oil company, with Brazil and Bolivia. "
            "President Chavez signed the deal with Argentina, and Brazil may join.",
            "chavez": "Chavez visits Cuba\n\nPresident Chavez flew to Havana on Friday. Venezuela's oil exports to "
            "Cuba will rise, President Chavez said.",
            "growth": "Brazil's economy grows\n\nPresident Lula da Silva welcomed the growth figures for Brazil. "
            "Exports of soya drove the rise.",
            "jobs": "Brazil jobs plan\n\nPresident Lula promised Brazil more jobs when he was elected in 2002. "
            "Unemployment has fallen since.",
        },
    )
    answer = answerer.answer("Who is the president of Brazil?")
    assert "Lula" in answer.answer.split(".")[0] and "Chavez" not in answer.answer, answer.answer


def test_a_role_of_a_country_no_article_names_is_declined_not_answered_with_another(tmp_path, embeddings):
    """ "Who is the prime minister of Japan?" over an archive that names Britain's prime minister and mentions
    Japan, but never Japan's prime minister, was answered with Tony Blair."""
    articles = {
        "blair": "Blair's record\n\nTony Blair has become the Labour Party's longest-serving prime minister. The prime "
        "minister marked the day quietly.",
        "yen": "Yen rises\n\nJapan's currency rose against the dollar as exports to China grew. Japan's central bank "
        "held rates.",
    }
    answerer = _answerer(tmp_path, embeddings, articles)
    answer = answerer.answer("Who is the prime minister of Japan?")
    assert answer.abstained and "Blair" not in answer.answer, answer.answer
    assert answer.answer.startswith("None of the articles I found names the prime minister of Japan.")
    # what the role is of, named in the cited story, answers it without the role's word ("host")
    articles["show"] = (
        "Shatner's new show\n\nWilliam Shatner has a new talk show, Shatner's Raw Nerve, on the Biography channel. "
        "It is billed as an edgy celebrity interview series."
    )
    answer = _answerer(tmp_path / "more", embeddings, articles).answer("Who is the host of Shatner's Raw Nerve?")
    assert not answer.abstained and "William Shatner" in answer.answer, answer.answer
