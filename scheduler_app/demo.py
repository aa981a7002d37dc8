"""The demo schedule: both sites with their real structure (seed bioreactors and downstream trains
included), a dozen products of six fictional clients, 2026 through 2028. Syracuse is busy and its
ADC suite conjugates antibodies made next door; Songdo Plant 1 starts in 2027 with engineering and
PPQ runs. A handful of bookings break a rule on purpose, one of each kind (overlap, changeover,
turnaround, maintenance, scale, unavailable, qualification, late, seed, downstream,
campaign-length, material), and a Cancelled campaign sits where it would clash, so that a first
look shows what the app does. Deterministic: no randomness."""

from __future__ import annotations

from datetime import date

from scheduler_app.campaigns import Purpose, Status
from scheduler_app.demo_campaigns import Booking, book, conjugations, eng, lane, ppq
from scheduler_app.demo_equipment import demo_plants
from scheduler_app.demo_products import CHANGEOVERS, demo_products
from scheduler_app.schedule import Schedule

PULLED_IN = Booking("KTX-150", 3, gap=-8, note="Client asked to pull in; overlaps the one before")
SQUEEZED = Booking("KTX-150", 4, gap=4, note="Changeover from GLN-902 squeezed to four days")
BACK_TO_BACK = Booking("BLZ-310", 2, gap=1, note="Follows the previous BLZ-310 after one day")
DURING_REQUALIFICATION = Booking(
    "GLN-902", 2, start=date(2027, 2, 22), note="Booked before the suite requalification was set"
)
TOO_BIG = Booking("CRT-115", 3, note="Client asked for Songdo; validated at 2,000 and 5,000 L only")
TOO_EARLY = Booking("EVT-505", 2, start=date(2027, 6, 7), note="Pulled forward at client request")
NOT_TRANSFERRED = Booking("KTX-150", 4, note="Tech transfer from Syracuse not complete yet")
LATE = Booking("DNV-420", 5, due_in=-6, note="Client needs the drug substance by the due date")
NO_SEED = Booking(
    "GLN-902", 1, breaks="seed", note="Added at short notice while both seed bioreactors were busy"
)
NO_TRAIN = Booking(
    "FLX-612",
    1,
    breaks="downstream",
    purpose=Purpose.CLINICAL,
    note="Clinical batch added; its harvest lands while all three trains are busy",
)
TOO_LONG = Booking(
    "SRM-808", 7, note="Client asked for seven batches in one run; cleaning is validated for six"
)
ANTIBODY_NEEDS = {"ADC-415": "ABX-201", "LMV-330": "GLN-902"}
RELEASE_LAGS = (30, 35, 40, 45)
BEFORE_RELEASE = Booking(
    "ADC-415",
    4,
    needs="ABX-201",
    lag=30,
    early=9,
    note="Booked to start before QC releases the antibody it conjugates",
)
POSTPONED = Booking(
    "BLZ-310", 4, gap=12, status=Status.CANCELLED, note="Client postponed; kept for the record"
)

_LANES = [
    lane(
        "SYR-BR501",
        "2026-01-05",
        "ABX-201:5 BLZ-310:4 ABX-201:6 DNV-420:4 ABX-201:6 KTX-150:4 ABX-201:6 BLZ-310:5",
        "ABX-201:6 DNV-420:4 ABX-201:5 KTX-150:4 ABX-201:5",
    ),
    lane(
        "SYR-BR502",
        "2026-01-12",
        "KTX-150:4 GLN-902:5 KTX-150:5 CRT-115:4 KTX-150:6",
        PULLED_IN,
        "GLN-902:5 KTX-150:6 CRT-115:4 KTX-150:5 GLN-902:5 KTX-150:5",
    ),
    lane(
        "SYR-BR503",
        "2026-01-19",
        "DNV-420:4 ABX-201:5 GLN-902:5 DNV-420:4 GLN-902:4",
        SQUEEZED,
        NO_SEED,
        "DNV-420:4 ABX-201:5 DNV-420:5 GLN-902:4 DNV-420:5 ABX-201:4",
    ),
    lane(
        "SYR-BR504",
        "2026-02-02",
        "CRT-115:5 DNV-420:4 CRT-115:5 ABX-201:5",
        LATE,
        "CRT-115:5 ABX-201:5 DNV-420:4 CRT-115:5 ABX-201:4",
    ),
    lane(
        "SYR-BR505",
        "2026-01-26",
        "BLZ-310:4 GLN-902:5 BLZ-310:3 GLN-902:5 BLZ-310:4+45",
        BACK_TO_BACK,
        "GLN-902:5 BLZ-310:5 KTX-150:4 BLZ-310:5 GLN-902:4 BLZ-310:5 KTX-150:4",
    ),
    lane(
        "SYR-BR506",
        "2026-02-09",
        "GLN-902:5 CRT-115:4 GLN-902:5+10",
        DURING_REQUALIFICATION,
        "ABX-201:5 GLN-902:5 ABX-201:5 CRT-115:5 ABX-201:4 GLN-902:5",
    ),
    lane(
        "SYR-BR507",
        "2026-03-02",
        "DNV-420:4 KTX-150:5 DNV-420:4",
        POSTPONED,
        "KTX-150:5+30 DNV-420:5 BLZ-310:4 DNV-420:5 KTX-150:4 DNV-420:4",
    ),
    lane(
        "SYR-ADC01",
        "2026-01-12",
        *conjugations(
            "LMV-330:8 ADC-415:6 LMV-330:8 ADC-415:6 LMV-330:8 ADC-415:6",
            ANTIBODY_NEEDS,
            RELEASE_LAGS,
        ),
        BEFORE_RELEASE,
        *conjugations(
            "LMV-330:8 ADC-415:6 LMV-330:8 ADC-415:6 LMV-330:8 ADC-415:6 LMV-330:8 ADC-415:6",
            ANTIBODY_NEEDS,
            RELEASE_LAGS,
        ),
    ),
    lane(
        "SDO-BR1501",
        "2027-01-11",
        eng("EVT-505"),
        ppq("EVT-505"),
        "EVT-505:6 SRM-808:4 EVT-505:6 ABX-201:5 EVT-505:6 SRM-808:4",
    ),
    lane(
        "SDO-BR1502",
        "2027-02-15",
        eng("SRM-808"),
        ppq("SRM-808"),
        "SRM-808:6 DNV-420:4",
        NOT_TRANSFERRED,
        "SRM-808:5 DNV-420:4 SRM-808:5",
    ),
    lane(
        "SDO-BR1503",
        "2027-03-15",
        eng("HGM-730"),
        ppq("HGM-730"),
        "HGM-730:5 EVT-505:5 HGM-730:5 SRM-808:4 HGM-730:4",
    ),
    lane(
        "SDO-BR1504",
        "2027-04-12",
        ppq("ABX-201", "PPQ after tech transfer from Syracuse"),
        "ABX-201:5",
        TOO_BIG,
        "ABX-201:5 DNV-420:4 ABX-201:5 EVT-505:4",
    ),
    lane(
        "SDO-BR1505",
        "2027-07-05",
        ppq("DNV-420"),
        "DNV-420:5 EVT-505:5 DNV-420:5 EVT-505:4",
    ),
    lane("SDO-BR1506", "2027-07-01", TOO_EARLY, "EVT-505:5 SRM-808:4 EVT-505:5 HGM-730:4"),
    lane("SDO-BR1507", "2027-09-06", "SRM-808:4 HGM-730:4", TOO_LONG, "EVT-505:4 SRM-808:4"),
    lane("SDO-BR1508", "2028-01-10", "EVT-505:4 ABX-201:4 EVT-505:5 DNV-420:3"),
    lane(
        "SDO-SU01",
        "2027-01-18",
        eng("FLX-612"),
        ppq("FLX-612"),
        "FLX-612:6 CRT-115:4 FLX-612:6 CRT-115:4 FLX-612:6 HGM-730:4 FLX-612:5",
    ),
    lane(
        "SDO-SU02",
        "2027-02-22",
        ppq("CRT-115", "PPQ after tech transfer from Syracuse"),
        "CRT-115:5 FLX-612:5 HGM-730:4 CRT-115:5 FLX-612:5 CRT-115:4 FLX-612:4",
    ),
    lane(
        "SDO-SU03",
        "2027-05-03",
        "HGM-730:3@cln FLX-612:5 HGM-730:4",
        NO_TRAIN,
        "FLX-612:5 HGM-730:4 CRT-115:4",
    ),
    lane(
        "SDO-SU04",
        "2027-06-07",
        "FLX-612:2@cln CRT-115:5 FLX-612:5 CRT-115:4 FLX-612:5 CRT-115:4 FLX-612:4",
    ),
]


def demo_schedule() -> Schedule:
    """A fresh demo schedule; every call builds the same one."""
    schedule = demo_plants()
    schedule.products.update(demo_products())
    schedule.changeovers = dict(CHANGEOVERS)
    book(schedule, _LANES)
    return schedule
