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
