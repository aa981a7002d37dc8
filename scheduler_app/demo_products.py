"""The demo's client programmes: a dozen products of six fictional clients (aliases), with the
figures a planner would recognise (12-16 day batches, 2-3 day turnarounds, 7-14 day changeovers;
conjugation batches are shorter)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from scheduler_app.ids import ProductCode, SiteCode
from scheduler_app.products import Product

SYR = SiteCode("SYR")
SDO = SiteCode("SDO")

# fmt: off
_PRODUCTS = [
    # code, name, client, modality, scales (L), batch, turnaround, changeover days, sites, colour
    ("ABX-201", "Abexumab", "Aurora", "mAb", (5000, 15000), 14, 2, 10, (SYR, SDO), "#4E79A7"),
    ("BLZ-310", "Belizatamab", "Aurora", "Bispecific", (5000,), 13, 2, 9, (SYR,), "#F28E2B"),
    ("ADC-415", "Tirazuvedotin", "Aurora", "ADC", (1000,), 5, 2, 8, (SYR,), "#D37295"),
    ("CRT-115", "Ceritumab", "Borealis", "mAb", (2000, 5000), 12, 3, 8, (SYR, SDO), "#59A14F"),
    ("DNV-420", "Denavercept", "Borealis", "Fc fusion", (5000, 15000), 15, 3, 12, (SYR, SDO),
     "#E15759"),
    ("EVT-505", "Evotuzumab", "Cedar", "mAb", (15000,), 14, 2, 10, (SDO,), "#76B7B2"),
    ("FLX-612", "Felixokine", "Cedar", "Cytokine-Fc", (2000,), 12, 2, 7, (SDO,), "#EDC948"),
    ("HGM-730", "한결맙 (Hangyeolmab)", "Hanul", "Biosimilar mAb", (2000, 15000), 16, 3, 14,
     (SDO,), "#B07AA1"),
    ("SRM-808", "새롬주맙 (Saeromzumab)", "Hanul", "mAb", (15000,), 14, 2, 11, (SDO,), "#FF9DA7"),
    ("GLN-902", "Galenumab", "Delta", "mAb", (5000,), 12, 2, 7, (SYR,), "#9C755F"),
    ("LMV-330", "Lumavedotin", "Delta", "ADC", (1000,), 4, 2, 7, (SYR,), "#79706E"),
    # Tech transfer to Songdo is pending: qualified at Syracuse only.
    ("KTX-150", "Kentuximab", "Everest", "mAb", (5000, 15000), 14, 3, 11, (SYR,), "#499894"),
]
# Process figures: seed days (N-1 before each batch), harvest days (purification after it) and
# the most batches cleaning validation allows back to back (0: no limit). Conjugation has no
# seed train and its own small purification, so ADC-415 and LMV-330 need neither.
_PROCESS = {
    "ABX-201": (5, 3, 6), "BLZ-310": (4, 3, 5), "ADC-415": (0, 0, 0), "CRT-115": (4, 3, 6),
    "DNV-420": (6, 4, 5), "EVT-505": (5, 4, 6), "FLX-612": (4, 3, 7), "HGM-730": (6, 5, 5),
    "SRM-808": (5, 4, 6), "GLN-902": (4, 3, 5), "LMV-330": (0, 0, 0), "KTX-150": (5, 3, 6),
}
# Tech transfer to Songdo completes on these days: qualified from then on.
_QUALIFIED_FROM = {"ABX-201": (SDO, date(2027, 4, 5)), "CRT-115": (SDO, date(2027, 2, 15))}
# Cleaning validated between particular products, longer than either default changeover.
CHANGEOVERS = {
    (ProductCode("GLN-902"), ProductCode("ABX-201")): 14,
    (ProductCode("DNV-420"), ProductCode("GLN-902")): 15,
    (ProductCode("EVT-505"), ProductCode("SRM-808")): 13,
}
# fmt: on


def demo_products() -> dict[ProductCode, Product]:
    out = {}
    for row in _PRODUCTS:
        product = Product(ProductCode(row[0]), *row[1:])
        seed, harvest, most = _PROCESS[product.code]
        dated = _QUALIFIED_FROM.get(product.code)
        out[product.code] = replace(
            product,
            seed_days=seed,
            harvest_days=harvest,
            max_batches=most,
            qualified_from=(dated,) if dated else (),
        )
    return out
