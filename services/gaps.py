"""The register of services needed but not delivered (issue 7 part 5), reached from the
directory's package because plans and reports call it as ``services.gaps``. The model and
the writes live with referrals, which feed most entries."""

from referrals.models import UnmetReason, UnmetSource
from referrals.selectors import GapFilters, gap_counts
from referrals.services import unmet_need_record

__all__ = ["GapFilters", "UnmetReason", "UnmetSource", "gap_counts", "unmet_need_record"]
