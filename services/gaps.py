"""The register of services needed but not delivered (issue 7 part 5), reached from the
directory's package because plans and reports call it as ``services.gaps``. The model and
the writes live with referrals, which feed most entries; the counts are statistics and live
in ``reports.gaps``, suppressed like every other."""

from referrals.models import UnmetReason, UnmetSource
from referrals.services import unmet_need_record
from reports.gaps import GapFilters, gap_counts

__all__ = ["GapFilters", "UnmetReason", "UnmetSource", "gap_counts", "unmet_need_record"]
