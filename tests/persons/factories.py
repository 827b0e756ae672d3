import datetime

import factory
from django.utils import timezone
from stdnum.nl import bsn as stdnum_bsn

from persons.bsn import bag_pseudonym, bsn_encrypt, bsn_pseudonym
from persons.models import Youth

# Valid (elfproef) test BSNs that are not in the BRP test set, for youths made without the BRP.
_FREE_BSNS = (bsn for bsn in (f"{n:09d}" for n in range(100000000, 900000000)) if stdnum_bsn.is_valid(bsn))


# shared by every factory that needs a BSN of its own
FREE_BSNS = _FREE_BSNS


class YouthFactory(factory.django.DjangoModelFactory):
    """A youth as youth_by_bsn would store it. Pass `bsn=` to choose the BSN; parents/address by pseudonym."""

    class Meta:
        model = Youth
        exclude = ("bsn", "bag_id", "parent_bsns")

    bsn = factory.LazyFunction(lambda: next(_FREE_BSNS))
    bag_id = factory.Sequence(lambda n: f"0344010000{n:06d}")
    parent_bsns: tuple = ()

    pseudonym = factory.LazyAttribute(lambda o: bsn_pseudonym(o.bsn))
    bsn_encrypted = factory.LazyAttribute(lambda o: bsn_encrypt(o.bsn))
    first_names = factory.Sequence(lambda n: f"Kim{n} Anne")
    surname = "Jansen"
    birth_date = datetime.date(2015, 6, 1)
    birth_date_brp = factory.LazyAttribute(lambda o: o.birth_date.strftime("%Y%m%d"))
    sex = "V"
    street = "Teststraat"
    house_number = factory.Sequence(lambda n: n + 1)
    postcode = "3511AA"
    town = "Utrecht"
    bag_pseudonym = factory.LazyAttribute(lambda o: bag_pseudonym(o.bag_id) if o.bag_id else "")
    municipality_code = "0344"
    parent_pseudonyms = factory.LazyAttribute(lambda o: [bsn_pseudonym(b) for b in o.parent_bsns])
    refreshed_at = factory.LazyFunction(timezone.now)
