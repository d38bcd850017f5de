"""A plural role noun shares its role with every country conjoined to its object."""

import pytest

from conftest import resolve_text

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("text,codes", [
    ("The leaders of China and Russia met in Beijing.", {"CHNGOV", "RUSGOV"}),
    ("The ambassadors of France, Italy and Spain presented their credentials.", {"FRAGOV", "ITAGOV", "ESPGOV"}),
])
def test_conjoined_countries_share_a_plural_role(nlp, kb, text, codes):
    assert codes <= {m.code for m in resolve_text(nlp, kb, text)}


def test_a_singular_role_is_not_shared(nlp, kb):
    ms = resolve_text(nlp, kb, "The president of Kenya and Uganda's army chief met.")
    assert "UGAGOV" not in {m.code for m in ms}
