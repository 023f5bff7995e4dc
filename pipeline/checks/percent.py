"""Percentages: a lost % sign, an ambiguous size of change, a value a percentage cannot take.

``percent_lost`` reads the context of every bare number (no unit, no %): a rate metric just before
it (疾病控制率达89.3), a relative change (活性提升300, 缩小肿瘤80), a comparison with a percentage
(显著高于对照组的69.2), a share of a group that did something (36实现肿瘤消退), or a threshold on a
rate or viability (活性阈值(>85)). Dates, counts, ages, doses and other quantities with units are
never candidates, and neither are digits in names (NK-92, IL-15), years, ordinals or citations.
"""
from __future__ import annotations

import re

import numpy as np

from ..analysis import Analysis
from ..flags import Flag
from ..numbers.model import Number
from ..resources import load_yaml
from .context import clause_before, fmt
from .percent_model import Item, PercentModel, features, is_candidate, load_model

# 率 of a rate that is not a share: heart and pulse rate, frequency, power, resolution, refraction,
# frame and bit rates, exchange rate (心率维持在152以内 is beats per minute)
RATE = r"(?:(?<![心脉频功帧码汇辨射室])率|比例|占比|比率|百分比|份额|可及性|灵敏度|敏感性|特异度|特异性|准确度|覆盖面|满意度|知晓度|认知度|依从性|降幅|增幅|涨幅|跌幅|升幅|减幅|相似度|纯度|概率|几率|上浮|下浮)"
CONNECT = r"(?:\s|[达为是约仅只有超过突破提升提高增降至到了在维持高近可占:]|高达|达到|约为|仅为|分别为|分别是|左右|不足|不到|低于|逾)"
RATE_BEFORE = re.compile(rf"{RATE}{CONNECT}{{0,6}}$")
INCREASE = r"(?:提升|提高|增加|增长|上升|升高|增强|改善|延长|高出|多出|超出)"
DECREASE = r"(?:下降|降低|减少|缩小|衰减|减轻|减弱|缩短|下跌|减低)"
CHANGE_BEFORE = re.compile(rf"({INCREASE}|{DECREASE}|[降减增升涨跌])了?(?:[^\d,;:。!?至到]{{0,6}})$")
COMPARE_BEFORE = re.compile(r"(?:高于|低于|优于|劣于|vs\.?|VS|对比|相比|相较|而|和|与|、|及|分别为|分别是|比)[^\d,;:。!?]{0,12}$")
SHARE_AFTER = re.compile(r"^(?:的[^\d,;。]|的?患者|患有|(?:实现|出现|获得|达到|发生|表现出?|显示|观察到|存在|取得|完全缓解|部分缓解|"
                         r"有效|缓解|死亡|复发|转移|好转|痊愈|治愈|病情稳定|肿瘤消退|无进展|生存))")
RATE_IN_CLAUSE = re.compile(RATE)
LINK_BEFORE = re.compile(r"(?:从|至|到|为|达|的|是|占|约|近|高达|仅|不足|在|超过|逾)\s?$")
SHARE_OF = re.compile(r"占(?:比)?(?:约|近|超过)?\s?$|占[^\d,;:。!?]{1,12}的(?:约|近)?\s?$")
# A bare number that starts its clause and is followed straight by a verb is a share of a group
# (36实现肿瘤消退, 已有86开展): Chinese counts need a classifier (36例实现…).
SHARE_LEAD = re.compile(r"^(?:\s|其中|约|近|有|已有|已|仅有|只有|仅|超过|高达|达|共|逾|将近|大约)*$")
NOT_SHARE_NEXT = set("或和与及至到余多来几万千百亿个年月日号岁分次元名人例位家项只条件台张本部所种点倍成折期代级届版页秒周天对亩以")
RANGE_TAIL = re.compile(r"^\s?(?:至|到|-|~|～|–)\s?\d+(?:\.\d+)?")
CI_AFTER = re.compile(r"^\s?(?:CI|置信区间|可信区间)")
RANGE_LINK = re.compile(r"^\s?(?:至|到|-|~|～|–)\s?$")
# What links the items of a list of bare numbers for list_heads: percent_model.LIST_GAP (a unit at the
# list's end is every item's) and commas too, since a list of shares is often written 75，67，61和51.
LIST_LINK = re.compile(r"\s?(?:[、，,/]|和|及|与|或|以及)\s?")
SHARE_BEFORE = re.compile(r"^(?:\s|其中|约|近|有|仅|超过|高达|达|共)*$")
THRESHOLD = re.compile(rf"(?:{RATE}|活性|阈值|纯度|存活|合格)[^,;。]{{0,10}}[(（]\s?[<>≤≥]=?\s?$")
NOT_BEFORE = re.compile(r"(?:第|No\.?|NO\.?|P|页|编号|代码|型号|版|[A-Za-z]-?)\s?$")
NOT_AFTER = re.compile(r"^\s?(?:[A-Za-z/]|页|号|版|期|届|代|款|型|级|分|段|楼|床|室|路|线|条|章|节|\]|】)")
ARABIC_DIGIT = re.compile(r"[0-9]")
CODE_LOST, CODE_MAGNITUDE, CODE_IMPOSSIBLE = "Numbers.PercentLost", "Numbers.AmbiguousMagnitude", "Numbers.ImpossiblePercent"


def is_year(n: Number) -> bool:
    return isinstance(n.value, int) and 1900 <= n.value <= 2100 and n.decimals == 0


def lost_percent_reason(a: Analysis, n: Number, earlier_percent: bool) -> str | None:
    """Why this bare number reads as a percentage, or None."""
    if n.kind != "number" or not isinstance(n.value, (int, float)) or n.value <= 0 or n.value > 1000:
        return None  # 0 reads the same with or without a % sign
    if not ARABIC_DIGIT.search(a.norm[n.start:n.end]):
        return None  # a % sign follows Arabic digits; 三十 would be written 百分之三十
    before = clause_before(a, n)
    after = a.norm[n.end:n.end + 8]
    if CI_AFTER.match(after) and n.value in (90, 95, 99):
        return "ci"
    if is_year(n) or NOT_BEFORE.search(before) or NOT_AFTER.match(after) or after.startswith(("倍", "%")):
        return None
    if a.norm[max(0, n.start - 1):n.start] in "[【" and a.norm[n.end:n.end + 1] in "]】":
        return None  # a citation mark [12]
    tail = RANGE_TAIL.match(after)
    if tail and NOT_AFTER.match(a.norm[n.end + tail.end():n.end + tail.end() + 4]):
        return None  # 1至2级: the range is of grades, not of a rate
    if THRESHOLD.search(a.norm[max(0, n.start - 24):n.start]):
        return "threshold"
    if SHARE_OF.search(before):
        return "share"
    if LINK_BEFORE.search(before) and RATE_IN_CLAUSE.search(a.norm[a.sentence_of(n.start)[0]:n.start]):
        return "rate"  # 2年无病生存率,试验组为76.4: the rate named earlier in the sentence
    if RATE_BEFORE.search(before):
        return "rate"
    if CHANGE_BEFORE.search(before):
        return "change"
    if earlier_percent and (COMPARE_BEFORE.search(before) or re.search(r"(?:为|是|达|占)\s?$", before)):
        return "compare"
    if SHARE_BEFORE.match(before) and SHARE_AFTER.match(after):
        return "share"
    if SHARE_LEAD.match(before) and after[:1] and "\u4e00" <= after[0] <= "\u9fff" and after[0] not in NOT_SHARE_NEXT:
        return "share"
    return None


def percent_candidates(a: Analysis):
    """Each bare number the lost-% detector reads, with the rules' reason and its features:
    ``(number, reason, features)``. A number's features do not depend on what is flagged before it."""
    first_percent: dict[tuple[int, int], int | None] = {}
    sentence_facts: dict[tuple[int, int], tuple[bool, int]] = {}
    candidates = [n for n in a.numbers if is_candidate(a, n)]
    signed = signed_count(a)
    sentences, reasons = [], []
    for n in candidates:
        sentence = a.sentence_of(n.start)
        if sentence not in first_percent:  # found once a sentence: per number it would be quadratic
            inside = a.numbers_in(sentence)
            first_percent[sentence] = min((m.start for m in inside if m.unit == "%"), default=None)
            sentence_facts[sentence] = (RATE_IN_CLAUSE.search(a.norm[sentence[0]:sentence[1]]) is not None,
                                        sum(1 for m in inside if m.kind == "number"))
        earlier = first_percent[sentence] is not None and first_percent[sentence] < n.start
        sentences.append(sentence)
        reasons.append(lost_percent_reason(a, n, earlier))
    heads = list_heads(a, candidates, reasons)
    for i, n in enumerate(candidates):
        sentence = sentences[i]
        rate, bare = sentence_facts[sentence]
        prev = candidates[i - 1] if i and candidates[i - 1].start >= sentence[0] else None
        nxt = candidates[i + 1] if i + 1 < len(candidates) and candidates[i + 1].end <= sentence[1] else None
        partner = (reasons[i - 1] if prev is not None and RANGE_LINK.match(a.norm[prev.end:n.start])
                   else reasons[i + 1] if nxt is not None and RANGE_LINK.match(a.norm[n.end:nxt.start]) else "none")
        yield n, reasons[i], features(a, n, reasons[i], rate, bare, prev, nxt, signed,
                                      structure=(heads[i], partner))


def list_heads(a: Analysis, candidates: list[Number], reasons: list) -> list:
    """For each candidate, the rules' reason of the first item of the enumeration it continues
    (分别为75、67、61和51: 67, 61 and 51 continue 75's list, read as a rate), ``"none"`` where it starts
    none or is not in one: the items of a list are the same kind of quantity."""
    heads: list = ["none"] * len(candidates)
    for i in range(1, len(candidates)):
        if LIST_LINK.fullmatch(a.norm[candidates[i - 1].end:candidates[i].start]):
            heads[i] = reasons[i - 1] if heads[i - 1] == "none" else heads[i - 1]
    return heads


def signed_count(a: Analysis) -> int:
    """How many numbers of the text are written with their % sign; counted once a text (the candidates,
    the document stage and the check all ask, and a sign this check infers is never counted)."""
    count = a.__dict__.get("_signed_count")
    if count is None:
        count = a.__dict__["_signed_count"] = sum(1 for m in a.numbers if m.unit == "%" and not m.unit_inferred)
    return count


# 95CI, 99 CI: a confidence level, and 活性阈值(>85): a threshold on a rate or a viability, are percentages
# whatever the model says (too rare in real text for the training data to teach them: none of the
# 8,067 bare numbers of the real-articles development part has the threshold reason)
ALWAYS_TRUSTED = {"ci", "threshold"}


class PercentLost:
    """The ``percent_lost`` check. With a model (the shipped one by default) a number is flagged when
    its probability reaches the model's threshold or a rule reason trusted alone holds (the model's
    ``trusted_reasons``, a confidence level, 95CI, and a threshold on a rate, 活性阈值(>85)); with
    ``model=None`` the rules alone decide."""

    def __init__(self, model: "str | PercentModel | None" = "default") -> None:
        self.model = model if isinstance(model, PercentModel) else load_model(model)

    def __call__(self, a: Analysis) -> list[Flag]:
        if self.model is None:
            return _rules_only(a)
        trusted = set(self.model.meta.get("trusted_reasons", [])) | ALWAYS_TRUSTED
        # A text that writes its other percentages with a sign seldom drops one: its flags are for checking.
        signed = signed_count(a) > 0
        candidates = list(percent_candidates(a))
        if not candidates:
            return []
        flags: list[Flag] = []
        for (n, reason, _), p in zip(candidates, candidate_probabilities(a, candidates, self.model).tolist()):
            if not (reason in trusted or p >= self.model.threshold):
                continue
            n.kind, n.unit, n.unit_inferred = "percent", "%", True
            shown = a.text[n.start:n.end]
            why = _REASONS.get(reason, "上下文像百分比") if reason else "上下文像百分比"
            # a rule's reason and the model agree: a warning; the model's score alone: for checking
            note = "；文中其他百分比带%号" if signed else ""
            flags.append(Flag(n.start, n.end, "percent_lost", CODE_LOST, "warning" if reason and not signed else "info",
                              f"“{shown}”按上下文是百分比，但缺少%号（{why}；模型概率{p:.2f}{note}）", suggestion=f"{shown}%"))
        return flags


def decimals_of(a: Analysis, n: Number) -> int:
    raw = a.norm[n.start:n.end]
    return min(len(raw.split(".")[1]), 3) if "." in raw else 0


def candidate_items(a: Analysis, candidates: list) -> list[Item]:
    """What the document stage reads of each candidate of :func:`percent_candidates`."""
    text = a.norm
    return [Item(n.start, n.end, reason, decimals_of(a, n), text[n.start:n.end],
                 text[max(0, n.start - 2):n.start] + "|" + text[n.end:n.end + 1])
            for n, reason, _ in candidates]


def candidate_probabilities(a: Analysis, candidates: list, model: PercentModel) -> np.ndarray:
    """The final probability of each candidate; :func:`percent_candidates` gives them in text order,
    the order the document stage reads them in."""
    logits = np.array([model.logit(feats) for _, _, feats in candidates], dtype=np.float64)
    return model.probabilities(candidate_items(a, candidates), logits, signed_count(a), a.norm)


def _rules_only(a: Analysis) -> list[Flag]:
    flags: list[Flag] = []
    flagged_sentences: set[tuple[int, int]] = set()
    first_percent: dict[tuple[int, int], int | None] = {}
    previous = None
    for n in a.numbers:
        if previous is not None and previous.unit_inferred and n.kind == "number" \
                and RANGE_LINK.match(a.norm[previous.end:n.start]):
            n.kind, n.unit, n.unit_inferred = "percent", "%", True  # 20至30: the range's end too
            shown = a.text[n.start:n.end]
            flags.append(Flag(n.start, n.end, "percent_lost", CODE_LOST, "warning",
                              f"“{shown}”按上下文是百分比，但缺少%号（范围的另一端）", suggestion=f"{shown}%"))
            previous = n
            continue
        previous = n
        sentence = a.sentence_of(n.start)
        if sentence not in first_percent:  # found once a sentence: per number it would be quadratic
            first_percent[sentence] = min((m.start for m in a.numbers_in(sentence) if m.unit == "%"), default=None)
        # (a unit this loop infers flags its sentence, so the sentence's first % need not be updated)
        earlier = sentence in flagged_sentences or (first_percent[sentence] is not None
                                                    and first_percent[sentence] < n.start)
        reason = lost_percent_reason(a, n, earlier)
        if reason is None:
            continue
        flagged_sentences.add(sentence)
        n.kind, n.unit, n.unit_inferred = "percent", "%", True
        shown = a.text[n.start:n.end]
        flags.append(Flag(n.start, n.end, "percent_lost", CODE_LOST, "warning",
                          f"“{shown}”按上下文是百分比，但缺少%号（{_REASONS[reason]}）", suggestion=f"{shown}%"))
    return flags


_REASONS = {"rate": "前面是一个比率指标", "change": "前面是相对变化", "compare": "与同句的百分比相比较",
            "share": "表示人群中的比例", "threshold": "比率或活性的阈值", "ci": "置信区间的水平"}

INCREASE_TIMES = re.compile(rf"(?:{INCREASE}了?|比[^,;。，；]{{1,20}}?(?:高|多|大|快|长)了?)\s?$")


def check_ambiguous_magnitude(a: Analysis) -> list[Flag]:
    flags = []
    for n in a.numbers:
        before = clause_before(a, n)
        shown = a.text[n.start:n.end]
        if n.kind == "multiple" and a.norm[n.start:n.end].startswith("翻"):
            continue  # 翻番 is ×2 and 翻两番 ×4 by convention; a base left implicit is no ambiguity of size
        elif n.kind == "multiple" and INCREASE_TIMES.search(before) and 1 < n.value < 10:
            # 增加一倍 is ×2 by convention; past ten times, ×N against ×(N+1) changes nothing a reader weighs
            v = n.value
            flags.append(Flag(n.start, n.end, "ambiguous_magnitude", CODE_MAGNITUDE, "warning",
                              f"“{a.text[a.word_edges(n.start - len(before[-4:]), n.start)[0]:n.start].strip()}{shown}”"
                              f"可理解为原来的{fmt(v)}倍或{fmt(v + 1)}倍",
                              suggestion=f"提高到原来的{fmt(v)}倍（或：提高了{fmt((v - 1) * 100)}%）"))
        elif n.unit_inferred and n.unit == "%" and n.value >= 100 and re.search(INCREASE, before):
            flags.append(Flag(n.start, n.end, "ambiguous_magnitude", CODE_MAGNITUDE, "warning",
                              f"“{shown}”没有单位，可能是{fmt(n.value)}%（原来的{fmt(n.value / 100 + 1)}倍），也可能是{fmt(n.value)}倍",
                              suggestion=f"{shown}%"))
    return flags


# A change, a swing or a difference: 体温波动超过0.5℃ is no reading of the body's temperature.
VITAL_CHANGE = re.compile(r"(?:波动|升高|降低|上升|下降|增加|减少|变化|相差|差|高出|低于|高于|超过|以上|以下|每)[^,;。，；]{0,6}$")
# A dash glued to a number-and-unit or a letter before it is a range or a name: 6月龄-5岁, D-两个.
SIGNED = re.compile(r"[+＋]\s?\d")
RANGE_DASH = re.compile(r"(?:[0-9A-Za-z]|\d[^\s\d,;。，；]{1,3})$")


def _uncapped() -> re.Pattern:
    """Quantities whose percentage can pass 100% (``bounds.yml``), anywhere in the clause before."""
    from importlib import resources

    data = load_yaml(resources.files("pipeline.checks").joinpath("bounds.yml").read_text("utf-8"))
    words = sorted({w for group in data.values() for w in group}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


UNCAPPED = _uncapped()
RATE_OR_SHARE = re.compile(rf"{RATE}|有效|治愈|缓解|控制|生存|阳性|发生|检出|占")
VITALS = [
    (re.compile(r"体温|发热|发烧|高烧|腋温|肛温|口温"), "temperature", "℃", 30, 44, "体温"),
    (re.compile(r"心率|脉搏|心跳"), "measurement", "bpm", 20, 300, "心率"),
    (re.compile(r"血氧|SpO2|氧饱和度"), "percent", "%", 40, 100, "血氧饱和度"),
]


def check_impossible(a: Analysis) -> list[Flag]:
    flags = []
    for n in a.numbers:
        shown = a.text[n.start:n.end]
        value = n.value
        before = clause_before(a, n)
        if n.unit == "%" and isinstance(value, (int, float)) and value > 100:
            if re.search(DECREASE + r"[^,;。\d]{0,8}$", before) and not re.search(r"至|到", before[-3:]):
                # (下降18%后仍高达300%: the decrease has its own number; this one is a level)
                flags.append(Flag(n.start, n.end, "impossible_value", CODE_IMPOSSIBLE, "error",
                                  f"下降幅度“{shown}”超过100%，数量不可能减少到负值", suggestion="核对原始数据；减少的幅度不超过100%"))
                continue
            if UNCAPPED.search(before):
                continue  # a share of a requirement, a limit or a plan can pass 100%
            to_level = re.search(INCREASE + r"(?:到|至)\s?$", before)  # 由60%提高到130%: a level, not a change
            if RATE_BEFORE.search(before) or (RATE_OR_SHARE.search(before) and (to_level or not re.search(INCREASE, before))):
                flags.append(Flag(n.start, n.end, "impossible_value", CODE_IMPOSSIBLE, "error",
                                  f"比率“{shown}”超过100%", suggestion="核对原始数据；比率不超过100%"))
                continue
        if n.kind in ("count", "duration", "age") and isinstance(value, (int, float)) and value < 0:
            if RANGE_DASH.search(a.text[max(0, n.start - 6):n.start]):
                continue
            if SIGNED.search(a.norm, *a.paragraph_of(n.start)):
                continue  # 肥胖 +4 岁；爱吃坚果 -2 岁: signed changes, not a negative age
            flags.append(Flag(n.start, n.end, "impossible_value", "Numbers.NegativeQuantity", "error",
                              f"“{shown}”是负的数量或时长", suggestion=None))
            continue
        if n.label == "blood_pressure":
            if VITAL_CHANGE.search(before):
                continue  # 每升高20/10mmHg: a change, not a reading
            sys_, dia = value
            if not (50 <= sys_ <= 300 and 20 <= dia <= 200 and dia < sys_):
                flags.append(Flag(n.start, n.end, "impossible_value", "Numbers.VitalSign", "error",
                                  f"血压“{shown}”超出可存活的范围或舒张压不低于收缩压", suggestion=None))
            continue
        for cue, kind, unit, low, high, name in VITALS:
            if n.unit == unit and isinstance(value, (int, float)) and cue.search(before):
                if VITAL_CHANGE.search(before) or value < low / 2:  # a change or a difference, not a reading
                    break
                if not low <= value <= high:
                    flags.append(Flag(n.start, n.end, "impossible_value", "Numbers.VitalSign", "error",
                                      f"{name}“{shown}”超出人能存活的范围（{low}–{high}{unit}）", suggestion=None))
                break
    return flags
