"""Demo scenario built from public reporting on real forums (facts only, our own words).

Dates, places, organisers and OPD names come from news coverage of: Festival HAM 2021 in
Semarang; Komnas HAM's SNP training in Semarang (22-24 Aug 2022); Kota Pekalongan's KKP
HAM FGD (21 Jun 2023); the ASN human-rights session in Kota Blitar (11 Jun 2025); and the
Rakernas Pemda bidang HAM in Singkawang (13 Nov 2025). Which regions signed the
Singkawang commitment, and every progress figure, are illustrative.
"""

from __future__ import annotations

from adapters.eventstore import EventStore
from tracker.demo.blitar_singkawang import blitar_and_singkawang
from tracker.demo.builder import Demo
from tracker.demo.central_java import pekalongan, semarang


def load(store: EventStore) -> None:
    demo = Demo(store)
    semarang(demo)
    pekalongan(demo)
    blitar_and_singkawang(demo)
