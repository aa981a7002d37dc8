"""The demo's client programmes: a dozen products of six fictional clients (aliases), with the
figures a planner would recognise (12-16 day batches, 2-3 day turnarounds, 7-14 day changeovers;
conjugation batches are shorter)."""

from __future__ import annotations

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
    ("GLN-902", "Galenotide", "Delta", "Peptide-Fc", (5000,), 12, 2, 7, (SYR,), "#9C755F"),
    ("LMV-330", "Lumavedotin", "Delta", "ADC", (1000,), 4, 2, 7, (SYR,), "#79706E"),
    # Tech transfer to Songdo is pending: qualified at Syracuse only.
    ("KTX-150", "Kentuximab", "Everest", "mAb", (5000, 15000), 14, 3, 11, (SYR,), "#499894"),
]
# fmt: on


def demo_products() -> dict[ProductCode, Product]:
    products = (Product(ProductCode(row[0]), *row[1:]) for row in _PRODUCTS)
    return {product.code: product for product in products}
