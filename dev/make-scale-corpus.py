#!/usr/bin/env python3
"""Makes N realistic variants of the dev corpus, to benchmark the store at 100k and 1M documents.

Each variant is a real EDGAR document from ../shared/corpus/dev/docs with its facts changed throughout: the
companies it names (in every case they are written: "Alnylam Pharmaceuticals, Inc.", "ALNYLAM PHARMACEUTICALS
INC", "Alnylam"), tickers, CIKs, the people named and quoted, every year (so every date), and every dollar amount.
The facts to change come from the document's labels, so the variants keep the documents' structure, layout and
vocabulary, and every variant's bytes differ.

    dev/make-scale-corpus.py --count 100000 --out /tmp/scale-100k
    dev/make-scale-corpus.py --count 1000 --out /tmp/scale-1k --max-bytes 50000 --seed 7

Variants are written in folders of 1,000 (00000/, 00001/, ...), named after their template and keeping its
extension. The corpus documents are third-party copies of public filings: keep the output out of the repository.
"""
import argparse
import json
import os
import random
import re
import sys

FIRST = """James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan Joseph
Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy Matthew Betty Anthony Margaret Mark Sandra Donald
Ashley Steven Kimberly Paul Emily Andrew Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Melissa George
Deborah Timothy Stephanie Ronald Rebecca Edward Sharon Jason Laura Jeffrey Cynthia Ryan Kathleen Jacob Amy Priya
Wei Carlos Aisha Hiroshi Olga Mateo Fatima Lars Ingrid Rahul""".split()
LAST = """Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson
Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson
Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell
Mitchell Carter Roberts Chen Patel Kowalski Lindqvist Okafor Tanaka Schmidt Novak Rossi Dubois Fischer Moreau
Haddad Ivanova Sato Kaur Morales Brennan Whitfield Ashworth Castellano""".split()
WORDS = """Apex Summit Harbor Cedar Northstar Meridian Pinnacle Bluewater Ironwood Silverline Redstone Crescent
Granite Horizon Keystone Lakeshore Maple Oakridge Pioneer Quantum Riverside Sterling Trident Vantage Westbrook
Zenith Aurora Beacon Cobalt Delta Evergreen Falcon Glacier Helix Indigo Juniper Kestrel Lumen Magnolia Nimbus Orion
Pacifica Quarry Radiant Sequoia Tidewater Unity Vertex Willow Xenon Yardley Atlas Borealis Cascade""".split()
TRADES = """Therapeutics Pharmaceuticals Energy Financial Bancorp Technologies Systems Industries Networks Semiconductor
Biosciences Resources Logistics Foods Brands Software Materials Capital Communications Devices Motors Realty
Holdings Minerals Robotics Analytics""".split()
SUFFIXES = ["Inc.", "Corp.", "Corporation", "Holdings, Inc.", "Ltd.", "Group, Inc.", "Co.", "plc", "N.V.", "L.P."]


def company_name(rng):
    return f"{rng.choice(WORDS)} {rng.choice(TRADES)} {rng.choice(SUFFIXES)}"


def person_name(rng):
    middle = f" {chr(65 + rng.randrange(26))}." if rng.random() < 0.3 else ""
    return f"{rng.choice(FIRST)}{middle} {rng.choice(LAST)}"


def ticker(rng):
    return "".join(chr(65 + rng.randrange(26)) for _ in range(rng.choice([3, 4, 4])))


def core(name):
    """A company name without its legal suffix and punctuation: 'Alnylam Pharmaceuticals'."""
    name = re.sub(r"[,.]?\s*\b(incorporated|inc|corp|corporation|co|company|ltd|limited|plc|llc|l\.?p|n\.?v|"
                  r"holdings?|group|trust)\b\.?", "", name, flags=re.I)
    return re.sub(r"[\s,]+$", "", name).strip()


def facts(label):
    """(companies, people, symbols, ciks) named in a document's labels."""
    companies, people, symbols, ciks = set(), set(), set(), set()
    submission = label.get("submission") or label.get("header") or {}
    for filer in submission.get("filers", []):
        if filer.get("companyName"):
            companies.add(filer["companyName"])
        if filer.get("cik"):
            ciks.add(filer["cik"])
    for document in label.get("documents", []):
        for security in [document.get("issuer") or {}] + document.get("securities", []):
            if security.get("name"):
                companies.add(security["name"])
            if security.get("symbol"):
                symbols.add(security["symbol"])
        late = document.get("lateFiling") or {}
        if late.get("registrantName"):
            companies.add(late["registrantName"])
        for key in ("contacts", "peopleIncludes", "people", "signatures"):
            for person in document.get(key, []):
                if person.get("name"):
                    people.add(person["name"])
        for quote in document.get("quotes", []):
            if quote.get("speaker"):
                people.add(quote["speaker"])
    return companies, people, symbols, ciks


def replacer(mapping):
    """One regex pass that replaces every key (longest first, case-insensitively) with its value, keeping an
    all-caps original in caps."""
    keys = sorted((k for k in mapping if len(k) >= 3), key=len, reverse=True)
    if not keys:
        return lambda text: text
    lowered = {k.lower(): v for k, v in mapping.items()}
    pattern = re.compile(r"(?<![A-Za-z0-9])(" + "|".join(re.escape(k) for k in keys) + r")(?![A-Za-z0-9])", re.I)

    def substitute(match):
        found = match.group(0)
        value = lowered.get(found.lower(), found)
        return value.upper() if found.isupper() and len(found) > 3 else value

    return lambda text: pattern.sub(substitute, text)


MONEY = re.compile(r"\$\s?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?")
YEAR = re.compile(r"(?<![0-9])(19[5-9][0-9]|20[0-2][0-9])(?![0-9])")
YEAR_IN_DATE = re.compile(r"(?<![0-9])(19[5-9][0-9]|20[0-2][0-9])((?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01]))(?![0-9])")


def variant(text, label, rng):
    companies, people, symbols, ciks = facts(label)
    mapping = {}
    for company in companies:
        new = company_name(rng)
        mapping[company] = new
        if core(company) and len(core(company)) >= 4:
            mapping[core(company)] = core(new)
            first = core(company).split()[0]
            if len(first) >= 5 and first.lower() not in {"first", "national", "american", "united", "general"}:
                mapping.setdefault(first, core(new).split()[0])
    for person in people:
        new = person_name(rng)
        mapping[person] = new
        parts, new_parts = person.split(), new.split()
        if len(parts) >= 2 and len(parts[-1]) >= 4:
            mapping.setdefault(parts[-1], new_parts[-1])  # "Ms. Greenstreet said"
    for symbol in symbols:
        mapping[symbol] = ticker(rng)
    text = replacer(mapping)(text)
    for cik in ciks:
        text = text.replace(cik, str(rng.randrange(10**6, 10**7)).zfill(len(cik)))
    shift = rng.randrange(-12, 3)
    text = YEAR_IN_DATE.sub(lambda m: f"{int(m.group(1)) + shift}{m.group(2)}", text)
    text = YEAR.sub(lambda m: str(int(m.group(1)) + shift), text)
    factor = rng.uniform(0.4, 2.5)

    def money(match):
        value = float(match.group(1).replace(",", "") + (match.group(2) or "")) * factor
        decimals = len(match.group(2) or "") - 1 if match.group(2) else 0
        body = f"{value:,.{decimals}f}" if "," in match.group(1) else f"{value:.{max(decimals, 0)}f}"
        return "$" + (" " if match.group(0)[1] == " " else "") + body

    return MONEY.sub(money, text)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, required=True, help="variants to write")
    parser.add_argument("--out", required=True, help="output directory")
    parser.add_argument("--corpus", default=os.path.join(here, "..", "..", "shared", "corpus", "dev"),
                        help="the corpus with docs/ and labels/ (default ../shared/corpus/dev)")
    parser.add_argument("--max-bytes", type=int, default=120_000,
                        help="use only templates up to this size (default 120000; 0 for all)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    docs, labels = os.path.join(args.corpus, "docs"), os.path.join(args.corpus, "labels")
    if not os.path.isdir(docs):
        sys.exit(f"no corpus at {args.corpus}: pass --corpus")
    templates = []
    for name in sorted(os.listdir(docs)):
        path = os.path.join(docs, name)
        if args.max_bytes and os.path.getsize(path) > args.max_bytes:
            continue
        label_path = os.path.join(labels, os.path.splitext(name)[0] + ".json")
        label = json.load(open(label_path)) if os.path.exists(label_path) else {}
        raw = open(path, "rb").read()
        templates.append((name, raw.decode("latin-1"), label))
    if not templates:
        sys.exit("no templates under --max-bytes")

    rng = random.Random(args.seed)
    total = 0
    for index in range(args.count):
        name, text, label = templates[index % len(templates)]
        folder = os.path.join(args.out, f"{index // 1000:05d}")
        if index % 1000 == 0:
            os.makedirs(folder, exist_ok=True)
        stem, extension = os.path.splitext(name)
        data = variant(text, label, rng).encode("latin-1", errors="replace")
        with open(os.path.join(folder, f"{index:07d}-{stem}{extension}"), "wb") as out:
            out.write(data)
        total += len(data)
        if index and index % 10_000 == 0:
            print(f"{index} variants, {total / 1e6:.0f} MB", file=sys.stderr)
    print(f"{args.count} variants of {len(templates)} templates, {total / 1e6:.1f} MB in {args.out}")


if __name__ == "__main__":
    main()
