#!/usr/bin/env python3
"""Makes N documents of made-up words whose lengths and word frequencies vary as a real archive's do, and a query
set for them: the case the scale corpus lacks for ranking.

The scale corpus (dev/make-scale-corpus.py) varies 39 templates, so its matches for a word have nearly the same
length and term frequency, and nearly the same score. Here each document's length is drawn log-uniformly from 50 to
20,000 words (a short release to a long report), its words from a Zipf vocabulary of 5,000, and each document
favours three words of its own; so scores spread as they do over real filings, and what skips the hits that cannot
enter a page (filings_rank in Sources/CFilingsSQLite) can be measured.

    dev/make-varied-corpus.py --count 20000 --out /tmp/varied
    filings store /tmp/varied/docs
    filings-bench --rpc query --queries /tmp/varied/queries.txt --connections 1 --duration 8
"""
import argparse
import bisect
import math
import os
import random


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, required=True, help="documents to write")
    parser.add_argument("--out", required=True, help="output directory (docs/ and queries.txt)")
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    vocabulary = []
    consonants, vowels = "bcdfghklmnprstvz", "aeiou"
    while len(vocabulary) < 5000:
        word = "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(rng.randint(2, 4)))
        if word not in vocabulary:
            vocabulary.append(word)
    cumulative, total = [], 0.0
    for rank in range(len(vocabulary)):
        total += 1 / (rank + 1)
        cumulative.append(total)

    def word():
        return vocabulary[min(bisect.bisect(cumulative, rng.random() * total), len(vocabulary) - 1)]

    docs = os.path.join(args.out, "docs")
    os.makedirs(docs, exist_ok=True)
    for n in range(args.count):
        length = int(math.exp(rng.uniform(math.log(50), math.log(20000))))
        favoured = [vocabulary[rng.randint(50, 2000)] for _ in range(3)]
        body = [rng.choice(favoured) if rng.random() < 0.02 else word() for _ in range(length)]
        headline = " ".join(word() if rng.random() < 0.7 else rng.choice(favoured) for _ in range(rng.randint(3, 8)))
        text = f"Acme {headline}\n\nSPRINGFIELD, March {n % 28 + 1}, {1995 + n % 30} -- Acme Corp. {' '.join(body)}.\n"
        with open(os.path.join(docs, f"{n:06d}.txt"), "w") as out:
            out.write(text)
    # Words of falling frequency, two-word queries, OR, a prefix.
    v = vocabulary
    queries = [v[100], v[300], f"{v[100]} {v[800]}", f"{v[300]} OR {v[1500]}", v[200][:4] + "*", f"{v[60]} OR {v[90]}"]
    with open(os.path.join(args.out, "queries.txt"), "w") as out:
        out.write("\n".join(queries) + "\n")


if __name__ == "__main__":
    main()
