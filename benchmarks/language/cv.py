"""Five-fold cross-validation of the advertising-register model on its training sentences.

    python benchmarks/language/cv.py

Prints, for each threshold on the per-character log-odds, the share of neutral sentences flagged
and of promotional sentences caught, over held-out folds of ``seeds/register/``. The rule's
threshold (0.5) was chosen from this table, never from the held-out benchmark sets.
"""
import random

from pipeline.rules.register import RegisterModel, training_examples


def main() -> None:
    examples = training_examples()
    random.Random(0).shuffle(examples)
    k = 5
    margins = []
    for fold in range(k):
        test = examples[fold::k]
        model = RegisterModel.train([e for i, e in enumerate(examples) if i % k != fold])
        margins += [(model.margin(text), label) for text, label in test]
    neutral = [m for m, label in margins if label == "neutral"]
    promo = [m for m, label in margins if label == "promotional"]
    print(f"{len(neutral)} neutral and {len(promo)} promotional sentences, {k}-fold")
    for threshold in (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0):
        fp = sum(m > threshold for m in neutral) / len(neutral)
        recall = sum(m > threshold for m in promo) / len(promo)
        print(f"threshold {threshold:.1f}: neutral flagged {fp:.3f}, promotional caught {recall:.3f}")


if __name__ == "__main__":
    main()
