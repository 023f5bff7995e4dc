"""Rule packs: every rule's own examples, the loader's errors, ConText, configuration and the CLI."""
import io
import json

import pytest

from pipeline.rules.loader import load_config, load_rules
from pipeline.rules.model import Rule, RuleError
from pipeline.rules.testing import run_examples

from conftest import assert_valid_record

BUILTIN = load_rules()


@pytest.fixture(scope="module")
def example_results(auditor):
    return run_examples(BUILTIN, auditor)


@pytest.mark.parametrize("rule", BUILTIN, ids=lambda r: r.id)
def test_rule_examples(rule, example_results):
    mine = [r for r in example_results if r.rule == rule.id]
    assert any(r.kind == "positive" for r in mine) and any(r.kind == "negative" for r in mine), \
        "every rule needs positive and negative examples"
    failed = [f"{r.kind}: {r.text}" for r in mine if not r.ok]
    assert not failed, failed


def test_every_rule_cites_or_explains(example_results):
    for rule in BUILTIN:
        assert rule.description and set(rule.message) == {"zh", "en"}, rule.id
        if rule.id.startswith("AdLaw."):
            assert rule.reference and "广告法" in rule.reference, rule.id


def rule_file(tmp_path, pack, name, body):
    folder = tmp_path / pack
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.yml").write_text(body, encoding="utf-8")
    return folder


@pytest.mark.parametrize("body, message", [
    ("extends: existence\ncategory: absolute_term\nseverity: warning\nmessage: x\ntokens: [a]\ncolour: red\n",
     "unknown key 'colour'"),
    ("extends: existence\ncategory: hype\nseverity: warning\nmessage: x\ntokens: [a]\n", "key 'category'"),
    ("extends: existence\ncategory: absolute_term\nseverity: fatal\nmessage: x\ntokens: [a]\n", "key 'severity'"),
    ("extends: lookup\ncategory: absolute_term\nseverity: warning\nmessage: x\n", "key 'extends'"),
    ("extends: existence\ncategory: absolute_term\nseverity: warning\nmessage: x\npatterns: ['(']\n", "key 'patterns' item 1"),
    ("extends: existence\ncategory: absolute_term\nseverity: warning\nmessage: x\n", "key 'tokens'"),
    ("extends: script\ncategory: unsourced\nseverity: info\nmessage: x\nscript: nope\n", "key 'script'"),
    ("extends: existence\ncategory: absolute_term\nseverity: warning\nmessage: {fr: x}\ntokens: [a]\n", "key 'message'"),
    ("extends: existence\ncategory: absolute_term\nseverity: warning\nmessage: x\ntokens: [a]\nscope: page\n", "key 'scope'"),
    ("extends: existence\ncategory: absolute_term\nseverity: warning\nmessage: x\npatterns: ['能<<CLAIM>>']\n",
     "<<CLAIM>> is not in the rule's define"),
    ("extends: existence\ncategory: absolute_term\nseverity: warning\nmessage: x\ndefine: {claim: a}\npatterns: [a]\n",
     "key 'define'"),
    ("extends: existence\ncategory: absolute_term\nseverity: warning\nmessage: x\ndefine: {CLAIM: '('}\n"
     "patterns: ['<<CLAIM>>']\n", "key 'patterns' item 1"),
])
def test_bad_rules_name_file_and_key(tmp_path, body, message):
    rule_file(tmp_path, "House", "Bad", body)
    with pytest.raises(RuleError) as err:
        load_rules([str(tmp_path)], builtin=False)
    assert "Bad.yml" in str(err.value) and message in str(err.value)


def test_round_trip():
    for rule in BUILTIN:
        again = Rule.from_dict(rule.id, rule.to_dict(), rule.path)
        assert again.to_dict() == rule.to_dict()


def test_defined_fragments_are_used_in_patterns(tmp_path, auditor):
    rule_file(tmp_path, "House", "Claims", "extends: existence\ncategory: efficacy_guarantee\nseverity: warning\n"
              "message: 功效\ndefine: {CLAIM: '降血糖|降血压'}\npatterns: ['有效<<CLAIM>>', '<<CLAIM>>、<<CLAIM>>']\n")
    [rule] = load_rules([str(tmp_path)], builtin=False)
    assert rule.to_dict()["define"] == {"CLAIM": "降血糖|降血压"}  # kept as written
    from pipeline import Auditor
    found = Auditor(model=None, rules=[rule]).audit_text("每天两粒，有效降血压。降血糖、降血压。", id="t")["flags"]
    assert [f["text"] for f in found] == ["有效降血压", "降血糖、降血压"]


def test_user_pack_and_disable(tmp_path):
    rule_file(tmp_path, "House", "Miracle", "extends: existence\ncategory: efficacy_guarantee\nseverity: error\n"
              "message: 神奇\ntokens: [神奇胶囊]\nexamples: {positive: [服用神奇胶囊。], negative: [服用胶囊。]}\n")
    rules = load_rules([str(tmp_path)], disable=["AdLaw"])
    ids = {r.id for r in rules}
    assert "House.Miracle" in ids and not any(i.startswith("AdLaw.") for i in ids)
    with pytest.raises(RuleError, match="no such rule"):
        load_rules(disable=["AdLaw.Nothing"])


@pytest.mark.parametrize("text, code, severity, context", [
    ("该疗法可根治肝癌。", "AdLaw.Guarantee", "warning", None),
    ("目前糖尿病不能根治，需要长期管理。", "AdLaw.Guarantee", None, None),           # negated: no flag
    ("这并非唯一的办法。", "AdLaw.Absolute", None, None),
    ("医学界误导我们，让我们以为这是一种癌症，而且很难治愈。", "AdLaw.CureWord", None, None),  # 很难: negated
    ("服药一周后，呼吸困难完全消失，肺炎痊愈。", "AdLaw.CureWord", "warning", None),  # 困难 is no negation
    ("网传“某保健品能根治癌症”，专家指出该说法没有任何临床证据。", "AdLaw.Guarantee", "info", ["quoted"]),
    ("“最有效的抗癌食物”之类的说法都是谣言。", "AdLaw.Absolute", "info", ["quoted"]),
    ("号称总有效率高达98%的疗法，其实从未做过对照试验。", "AdLaw.CureRate", "info", ["quoted"]),
    ("该疗法有望根治肝癌。", "AdLaw.Guarantee", "info", ["hedged"]),              # hedging is evidence of non-promotion
    ("他说：“这是最有效的疗法。”", "AdLaw.Absolute", "warning", None),               # a quote, not a debunk
])
def test_context(auditor, validator, text, code, severity, context):
    record = auditor.audit_text(text, id="t")
    assert_valid_record(record, validator)
    found = [f for f in record["flags"] if f["code"] == code]
    if severity is None:
        assert found == []
    else:
        assert found and found[0]["severity"] == severity and found[0].get("context") == context


SEED_EXPECT = [
    ("absolute_term", "颠覆性"), ("absolute_term", "首创"), ("absolute_term", "持续领跑"),
    ("testimonial", "Top5专家"), ("price_solicitation", "1500-2000港币/次"),
    ("preclinical", "小鼠实验"), ("preclinical", "小鼠模型"),
    ("anecdotal", "59岁弥漫性肝癌患者"), ("anecdotal", "52岁多发转移患者"),
    ("forward_looking", "预计"), ("unsourced", "89.3"),
    ("text_corruption", "对癌的"), ("text_corruption", "获取化NK"),
]


@pytest.mark.parametrize("category, text", SEED_EXPECT)
def test_seed_language_flags(seed_record, category, text):
    assert any(f["category"] == category and text in f["text"] for f in seed_record["flags"]), (category, text)


def test_config_files(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.medclaim]\ndisable = ["Evidence.ForwardLooking"]\nlang = "en"\n',
                                            encoding="utf-8")
    config = load_config(cwd=tmp_path)
    assert config.disable == ["Evidence.ForwardLooking"] and config.lang == "en"
    (tmp_path / "medclaim.toml").write_text('disable = []\ncolour = "red"\n', encoding="utf-8")
    with pytest.raises(RuleError, match=r"medclaim\.toml: unknown key 'colour'"):
        load_config(cwd=tmp_path)


class Tty(io.StringIO):
    def isatty(self):
        return False


def test_cli_lang_disable_and_config(tmp_path, monkeypatch):
    from pipeline.cli import run_audit

    src = tmp_path / "a.txt"
    src.write_text("该疗法预计明年上市，可根治肝癌。", encoding="utf-8")
    out, err = Tty(), Tty()
    run_audit([str(src)], fmt="jsonl", lang="en", disable=["Evidence.ForwardLooking", "AdLaw.Advertorial", "AdLaw.ProductClaim"],
              stdout=out, stderr=err, fail_on="never")
    flags = json.loads(out.getvalue())["flags"]
    assert [f["code"] for f in flags] == ["AdLaw.Guarantee"]
    assert flags[0]["message"].startswith("“根治” asserts")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "medclaim.toml").write_text('disable = ["AdLaw.Guarantee", "AdLaw.Advertorial", "AdLaw.ProductClaim"]\n'
                                            'fail_on = "info"\n', encoding="utf-8")
    out = Tty()
    code = run_audit([str(src)], fmt="jsonl", stdout=out, stderr=Tty())
    codes = [f["code"] for f in json.loads(out.getvalue())["flags"]]
    assert codes == ["Evidence.ForwardLooking"] and code == 1


def test_rules_commands(tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import main

    runner = CliRunner()
    listing = runner.invoke(main, ["rules", "list"])
    assert listing.exit_code == 0 and "AdLaw.Absolute" in listing.output
    shown = runner.invoke(main, ["rules", "show", "AdLaw.Absolute"])
    assert shown.exit_code == 0 and "第九条" in shown.output
    rule_file(tmp_path, "House", "Wrong", "extends: existence\ncategory: absolute_term\nseverity: warning\n"
              "message: x\ntokens: [神奇]\nexamples: {positive: [普通的句子。], negative: []}\n")
    tested = runner.invoke(main, ["rules", "test", str(tmp_path)])
    assert tested.exit_code == 1 and "FAIL House.Wrong" in tested.output and "0 passed, 1 failed" in tested.output


def test_substitution_and_entity_placeholders(tmp_path):
    from pipeline import Auditor

    rule_file(tmp_path, "House", "Wording", "extends: substitution\ncategory: text_corruption\nseverity: info\n"
              "message: 用词不规范\nswap: {癌肿: 肿瘤}\n")
    rule_file(tmp_path, "House", "DrugCure", "extends: pattern\ncategory: efficacy_guarantee\nseverity: warning\n"
              "message: 药物治愈\npattern: '<DRUG>[^。]{0,6}治愈<DISEASE>'\n")
    auditor = Auditor(rules=load_rules([str(tmp_path)], builtin=False))
    flags = auditor.audit_text("切除癌肿后，帕博利珠单抗可治愈肺癌。", id="t")["flags"]
    by_code = {f["code"]: f for f in flags}
    assert by_code["House.Wording"]["suggestion"] == "肿瘤" and by_code["House.Wording"]["text"] == "癌肿"
    assert by_code["House.DrugCure"]["text"] == "帕博利珠单抗可治愈肺癌"
    # no <DRUG> entity in the sentence: the pattern cannot match
    assert "House.DrugCure" not in {f["code"] for f in auditor.audit_text("多喝水可治愈肺癌。", id="t")["flags"]}
