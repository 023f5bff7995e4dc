"""Property tests: segmentation and the record hold up on arbitrary Unicode."""
from hypothesis import HealthCheck, given, settings, strategies as st

from pipeline.normalize import normalize
from pipeline.sentences import split_sentences

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
mixed = st.lists(st.sampled_from(["疾病控制率达89.3", "。", "!", "?", ";", "\n", "(", ")", "“", "”", "《", "》",
                                 "😀", "𠀀", "NK-92", " ", "...", "…", "e.g.", "2×10⁶/kg", "，", "\u2029"]),
                 max_size=40).map("".join)


def check_sentences(text):
    spans = split_sentences(normalize(text))
    last = 0
    covered = set()
    for s, e in spans:
        assert last <= s < e <= len(text)
        assert not text[s].isspace() and not text[e - 1].isspace()
        covered.update(range(s, e))
        last = e
    assert all(i in covered or text[i].isspace() for i in range(len(text)))


@given(texts)
def test_sentences_tile_arbitrary_text(text):
    check_sentences(text)


@given(mixed)
def test_sentences_tile_punctuation_soup(text):
    check_sentences(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(texts, mixed))
def test_pipeline_offsets_stay_valid(auditor, validator, text):
    from conftest import assert_valid_record

    record = auditor.audit_text(text, id="prop")
    if text.strip():
        assert_valid_record(record, validator)
    doc = auditor.nlp(text)
    assert doc.text == text
