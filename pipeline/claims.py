"""Numeric claims: each number tied to its metric, relation, subject, sample size and sources.

A claim is built for every number in a sentence that states a quantity about something (dates and
ordinals are context, not claims). The metric is the nearest METRIC entity before the number in its
clause; the relation is the verb between them; the subject is the nearest group (治疗组), therapy,
drug or procedure before the metric; the sample size is a count of people in the sentence; sources
are the publications, trials and institutions named in the sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .analysis import Analysis
from .entities import Entity
from .sentences import clause_start

RELATIONS = [
    (re.compile(r"从[^,;。]{0,12}?(?:降至|降低到|下降到|减少到|减至)"), "decrease"),
    (re.compile(r"从[^,;。]{0,12}?(?:升至|提高到|增加到|增至|提升至|提升到)"), "increase"),
    (re.compile(r"(?:高于|低于|优于|劣于|vs\.?|VS|对比|相比|相较)"), "compare"),
    (re.compile(r"(?:提升|提高|增加|增长|上升|升高|增强|增至|升至)"), "increase"),
    (re.compile(r"(?:下降|降低|减少|缩小|衰减|减轻|减弱|降至|减至|缩短)"), "decrease"),
    (re.compile(r"(?:延长)"), "extend"),
    (re.compile(r"(?:突破|超过|超|逾|高达)"), "exceed"),
    (re.compile(r"(?:达到|达|为|是|约为|仅为|只有|在|实现|:)"), "reach"),
]
SUBJECT_LABELS = ("THERAPY", "DRUG")  # a procedure (CT, 回输) is how, not what, is measured
GROUP = re.compile(r"[^\s,;:。!?，；：、的]{1,14}?组(?![合织成建分别])")
PEOPLE_UNITS = {"例", "人"}
SOURCE_LABELS = ("PUBLICATION", "TRIAL", "ORG")
EVIDENCE = [
    (re.compile(r"荟萃分析|[Mm]eta分析|系统评价|汇总分析"), "meta_analysis"),
    (re.compile(r"随机对照|随机双盲|RCT"), "rct"),
    (re.compile(r"(?:Ⅲ|III|3|三)期(?:临床)?(?:试验|研究)"), "phase_3"),
    (re.compile(r"(?:Ⅱ|II|2|二)期(?:临床)?(?:试验|研究)"), "phase_2"),
    (re.compile(r"(?:Ⅰ|I|1|一)期(?:临床)?(?:试验|研究)"), "phase_1"),
    (re.compile(r"小鼠|大鼠|动物(?:实验|模型)|猴|犬|斑马鱼|模型鼠"), "preclinical_animal"),
    (re.compile(r"体外|细胞实验|细胞系|培养皿|试管"), "preclinical_in_vitro"),
    (re.compile(r"队列研究|前瞻性研究|回顾性研究|随访研究"), "cohort"),
    (re.compile(r"\d+例[^,;。]{0,10}(?:患者|病例)[^,;。]{0,8}(?:研究|分析)|病例系列"), "case_series"),
    (re.compile(r"\d+岁[^,;。]{0,12}患者|个案|病例报告|案例"), "case_report"),
    (re.compile(r"指南|共识|规范"), "guideline"),
    (re.compile(r"专家(?:表示|认为|指出|称)"), "expert_opinion"),
]
NOT_CLAIMS = {"date", "ordinal"}
LIST_BREAK = frozenset(",;:。!?，；：、")  # an enumeration comma ends a metric's reach too


@dataclass
class Claim:
    start: int
    end: int
    id: str
    kind: str = "numeric"
    subject: str | None = None
    metric: str | None = None
    relation: str | None = None
    numbers: list[str] = field(default_factory=list)
    evidence_level: str = "none_stated"
    sources: list[str] = field(default_factory=list)
    sample_size: int | None = None
    sentence: tuple[int, int] = (0, 0)

    def to_dict(self, text: str) -> dict:
        return {"id": self.id, "start": self.start, "end": self.end, "kind": self.kind, "subject": self.subject,
                "metric": self.metric, "relation": self.relation, "numbers": list(self.numbers),
                "evidence_level": self.evidence_level, "sources": list(self.sources),
                "sample_size": self.sample_size}


def evidence_level(text: str) -> str:
    for pattern, level in EVIDENCE:
        if pattern.search(text):
            return level
    return "none_stated"


def build_claims(a: Analysis) -> list[Claim]:
    """Claims for the numbers of an analysed document, sentence by sentence."""
    norm, text = a.norm, a.text
    claims: list[Claim] = []
    ents_by_sentence: dict[int, list[Entity]] = {}
    for e in a.entities:
        i = a.sentence_index(e.start)
        if i >= 0 and e.end <= a.sentences[i][1]:
            ents_by_sentence.setdefault(i, []).append(e)
    for i, (s_start, s_end) in enumerate(a.sentences):
        nums = a.numbers_in((s_start, s_end))
        if not nums:
            continue
        sent_ents = ents_by_sentence.get(i, [])
        sent_text = norm[s_start:s_end]
        people = [n for n in nums if n.kind == "count" and (n.label == "n" or (n.unit in PEOPLE_UNITS))]
        sources = sorted({text[e.start:e.end] for e in sent_ents if e.label in SOURCE_LABELS},
                         key=lambda s: sent_text.find(s))
        level = evidence_level(sent_text)
        for n in nums:
            if n.kind in NOT_CLAIMS or n in people:
                continue
            clause_begin = clause_start(norm, s_start, n.start, LIST_BREAK)
            in_clause = [e for e in sent_ents if e.end <= n.start and e.start >= clause_begin]
            # the measured thing: a metric (疾病控制率), else a biomarker whose level is given (CCL-18)
            metric_ent = _last(e for e in in_clause if e.label == "METRIC") or _last(
                e for e in in_clause if e.label == "BIOMARKER")
            anchor = metric_ent.start if metric_ent else n.start
            between = norm[(metric_ent.end if metric_ent else clause_begin):n.start]
            relation = next((rel for pat, rel in RELATIONS if pat.search(between)), None)
            if relation is None and metric_ent is not None:
                relation = "reach"  # 疾病控制率92.3: a metric followed by its value states it
            group = _last(GROUP.finditer(norm, s_start, anchor))
            subject_ent = _last(e for e in sent_ents if e.label in SUBJECT_LABELS and e.end <= anchor)
            subject = None
            if group and (not subject_ent or group.end() >= subject_ent.end):
                subject = text[group.start():group.end()]
            elif subject_ent:
                subject = text[subject_ent.start:subject_ent.end]
            kind = "comparative" if relation == "compare" else "numeric"
            start = min(anchor, n.start) if metric_ent else n.start
            claim = Claim(start=start, end=n.end, id=f"C{len(claims) + 1}", kind=kind, subject=subject,
                          metric=text[metric_ent.start:metric_ent.end] if metric_ent else None,
                          relation=relation, numbers=[n.id], evidence_level=level, sources=sources,
                          sample_size=int(people[0].value) if people and isinstance(people[0].value, (int, float)) else None,
                          sentence=(s_start, s_end))
            if relation == "compare":
                # 173.39 vs 188.54, 高于对照组的69.2: the claim holds the pair it compares
                partner = _last(m for m in nums if m.end <= n.start and m.kind not in NOT_CLAIMS and m not in people
                                and (m.unit == n.unit or m.kind == n.kind))
                if partner is not None:
                    claim.numbers.insert(0, partner.id)
                    claim.start = min(claim.start, partner.start)
            claims.append(claim)
    return claims


def _last(items):
    last = None
    for last in items:
        pass
    return last
