"""Build the medclaim-news corpus: template sentences in news and promotion styles, annotated by
construction with character spans.

    python corpora/medclaim-news/build.py    # writes train.jsonl and dev.jsonl beside this file

The templates and slot fillers below are the whole source; the output is deterministic (seed 2026).
"""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILL = {
    "DISEASE": ["肝癌", "胃癌", "肺癌", "乳腺癌", "结直肠癌", "2型糖尿病", "高血压", "冠心病", "阿尔茨海默病", "帕金森病", "类风湿关节炎",
                "慢阻肺", "哮喘", "慢性肾病", "脂肪肝", "骨质疏松", "抑郁症", "银屑病", "乙型肝炎", "白血病", "淋巴瘤", "卵巢癌",
                "宫颈癌", "鼻咽癌", "甲状腺癌", "胰腺癌", "多发性骨髓瘤", "痛风", "心力衰竭", "脑卒中"],
    "SYMPTOM": ["发热", "咳嗽", "乏力", "恶心", "腹泻", "头痛", "胸闷", "皮疹", "失眠", "水肿", "疼痛", "呼吸困难", "食欲不振",
                "中性粒细胞减少", "转氨酶升高", "神经毒性", "脱发", "黄疸", "便血", "咯血"],
    "DRUG": ["帕博利珠单抗", "二甲双胍", "阿托伐他汀", "奥希替尼", "顺铂", "紫杉醇", "司美格鲁肽", "阿司匹林", "利妥昔单抗", "仑伐替尼",
             "胰岛素", "氯吡格雷", "布洛芬", "奥司他韦", "曲妥珠单抗", "卡瑞利珠单抗", "PD-1抑制剂", "流感疫苗", "HPV疫苗", "达格列净"],
    "THERAPY": ["免疫治疗", "靶向治疗", "化疗", "放疗", "CAR-T细胞疗法", "NK细胞疗法", "质子治疗", "射频消融", "造血干细胞移植",
                "基因治疗", "同步放化疗", "新辅助化疗", "介入治疗", "针灸", "康复治疗", "干细胞疗法", "联合治疗", "内分泌治疗"],
    "PROCEDURE": ["胃镜", "肠镜", "CT", "PET-CT", "核磁共振", "穿刺活检", "基因检测", "超声检查", "核酸检测", "病理检查",
                  "腹腔镜手术", "冠脉造影", "骨髓穿刺", "液体活检", "眼底检查"],
    "BIOMARKER": ["血糖", "糖化血红蛋白", "低密度脂蛋白", "PD-L1", "EGFR", "CEA", "甲胎蛋白", "肌酐", "尿酸", "C反应蛋白",
                  "CCL-18", "IL-6", "血红蛋白", "PSA", "HER2", "转氨酶", "D-二聚体", "NK细胞", "T细胞", "血小板"],
    "BODY": ["肝脏", "肺部", "淋巴结", "骨髓", "胃黏膜", "肾脏", "心脏", "大脑", "皮肤", "血管", "关节", "视网膜", "甲状腺", "乳腺"],
    "DEVICE": ["呼吸机", "心脏支架", "胰岛素泵", "人工关节", "起搏器", "血糖仪", "助听器", "人工耳蜗", "透析机", "手术机器人",
               "血压计", "ECMO", "内镜", "人工晶体"],
    "MICROBE": ["幽门螺杆菌", "流感病毒", "乙肝病毒", "新冠病毒", "HPV", "结核分枝杆菌", "肺炎支原体", "金黄色葡萄球菌", "诺如病毒",
                "呼吸道合胞病毒", "大肠杆菌", "EB病毒"],
    "ORG": ["北京协和医院", "四川大学华西医院", "复旦大学附属中山医院", "中国疾控中心", "国家药监局", "国家卫健委", "中山大学肿瘤防治中心",
            "浙江大学医学院附属第一医院", "上海瑞金医院", "中国医学科学院肿瘤医院", "世界卫生组织", "中华医学会", "武汉协和医院",
            "南通大学附属肿瘤医院", "某生物科技公司", "省人民医院", "市疾控中心", "湘雅医院"],
    "PERSON": ["张伟", "李明", "王芳", "刘强", "陈红", "杨静", "赵磊", "黄敏", "周杰", "吴丽", "孙建国", "马晓东", "朱慧", "胡斌"],
    "LOC": ["北京", "上海", "广东", "四川", "江苏", "浙江", "湖北", "日本", "美国", "德国", "长三角", "粤港澳大湾区", "南通", "成都"],
    "PUBLICATION": ["《柳叶刀》", "《新英格兰医学杂志》", "《中华医学杂志》", "《自然·医学》", "《美国医学会杂志》", "《中国2型糖尿病防治指南》",
                    "《中华肿瘤杂志》", "《英国医学杂志》", "《细胞》", "《临床肿瘤学杂志》"],
    "TRIAL": ["Ⅲ期临床试验", "Ⅱ期临床试验", "Ⅰ期临床试验", "随机对照试验", "前瞻性队列研究", "多中心研究", "荟萃分析",
              "真实世界研究", "NCT04567890", "ChiCTR2000031234", "双盲试验"],
    "METRIC": ["客观缓解率", "疾病控制率", "无进展生存期", "总生存期", "五年生存率", "有效率", "复发率", "死亡风险", "不良反应发生率",
               "完全缓解率", "住院时间", "治愈率", "阳性率", "检出率"],
}
TEMPLATES = [
    "{ORG}的研究团队在{PUBLICATION}发表了一项关于{DISEASE}的{TRIAL}。",
    "该{TRIAL}显示，{DRUG}组的{METRIC}为{P}%，对照组为{P2}%。",
    "{ORG}{PERSON}教授介绍，{THERAPY}可使{DISEASE}患者的{METRIC}提高{P}%。",
    "{PERSON}医生提醒，{DISEASE}患者出现{SYMPTOM}时应及时就医。",
    "服用{DRUG}后，部分患者出现{SYMPTOM}和{SYMPTOM2}。",
    "{LOC}一项研究发现，{MICROBE}感染与{DISEASE}的发生有关。",
    "医生建议{DISEASE}患者定期进行{PROCEDURE}，监测{BIOMARKER}水平。",
    "{ORG}于{Y}年引进{DEVICE}，已为{N}名患者提供服务。",
    "我院采用{THERAPY}治疗{DISEASE}，{METRIC}高达{P}%。",
    "据{ORG}通报，{LOC}今年报告{MICROBE}感染病例{N}例。",
    "{DRUG}联合{THERAPY}治疗{DISEASE}的{TRIAL}已完成入组。",
    "{PROCEDURE}显示，患者{BODY}病灶明显缩小。",
    "{ORG}在{LOC}开展了{DISEASE}早期筛查，共完成{PROCEDURE}{N}例。",
    "该患者的{BIOMARKER}为{V}，{BODY}功能正常。",
    "专家{PERSON}表示，{DEVICE}可以帮助{DISEASE}患者改善生活质量。",
    "{PUBLICATION}刊登的{TRIAL}纳入了{N}名{DISEASE}患者。",
    "{THERAPY}后出现{SYMPTOM}的患者，应检查{BIOMARKER}。",
    "{LOC}的{ORG}首创{THERAPY}新方案，{METRIC}显著提升。",
    "接种{DRUG}可以预防{MICROBE}感染。",
    "{DISEASE}常累及{BODY}，典型表现为{SYMPTOM}。",
    "{ORG}发布的数据显示，{DISEASE}的{METRIC}为{P}%。",
    "{PERSON}主任说，{DEVICE}的使用让{PROCEDURE}更加安全。",
    "{TRIAL}的注册号为{TRIAL2}，主要终点为{METRIC}。",
    "针对{BIOMARKER}阳性的{DISEASE}，{DRUG}是常用的{THERAPY}药物。",
    "{MICROBE}是引起{DISEASE}的常见病原体之一。",
    "日前，{ORG}完成了{LOC}首例{DEVICE}植入手术。",
    "本品能有效降低{BIOMARKER}，让{DISEASE}患者告别{SYMPTOM}。",
    "{PERSON}在{ORG}接受{THERAPY}后，{BODY}的肿瘤完全消失。",
    "{DISEASE}患者的{BIOMARKER}水平通常高于健康人。",
    "{ORG}联合{ORG2}开展{DRUG}的{TRIAL}。",
]
SLOT = re.compile(r"\{([A-Z]+)(2?)\}")


def render(template: str, rng: random.Random) -> dict:
    text, spans, pos, used = "", [], 0, {}
    for m in SLOT.finditer(template):
        text += template[pos:m.start()]
        kind, second = m.group(1), m.group(2)
        if kind == "P":
            value = f"{rng.randint(10, 95)}.{rng.randint(0, 9)}"
        elif kind == "N":
            value = str(rng.randint(12, 3000))
        elif kind == "Y":
            value = str(rng.randint(2015, 2024))
        elif kind == "V":
            value = f"{rng.randint(3, 200)}.{rng.randint(0, 9)}"
        else:
            choices = [c for c in FILL[kind] if c != used.get(kind)]
            value = rng.choice(choices)
            used[kind] = value
            spans.append({"start": len(text), "end": len(text) + len(value), "label": kind})
        text += value
        pos = m.end()
    text += template[pos:]
    return {"text": text, "spans": spans}


def main() -> None:
    rng = random.Random(2026)
    seen, records = set(), []
    while len(records) < 1200:
        record = render(rng.choice(TEMPLATES), rng)
        if record["text"] not in seen:
            seen.add(record["text"])
            records.append(record)
    for name, part in (("train.jsonl", records[:1000]), ("dev.jsonl", records[1000:])):
        with open(HERE / name, "w", encoding="utf-8") as fh:
            for r in part:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {len(records)} sentences")


if __name__ == "__main__":
    main()
