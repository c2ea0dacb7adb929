"""Bank financing over HTTP: credit lines, financing applications and quotes, clearing batches.

One view per operation; each fetches through a selector and makes one service call. Chain-backed
actions answer 202 with {operation_id, status, operation_url, error} and the domain object (in
eager mode the operation is already final); amounts are integer fen plus a yuan string."""

from .clearing import (  # noqa: F401
    ClearingBatchAcceptedSerializer,
    ClearingBatchConfirmApi,
    ClearingBatchDetailApi,
    ClearingBatchDetailOutputSerializer,
    ClearingBatchListApi,
    ClearingBatchOutputSerializer,
    ClearingItemOutputSerializer,
    ClearingOperationSerializer,
)
from .common import (  # noqa: F401
    CanApply,
    CanConfirmClearing,
    CanDecideFinancing,
    CanDecideLine,
    CanDisburse,
    CanProposeLine,
    CanQuote,
    CanReadFinancing,
    CanReadLines,
    K,
)
from .credit_lines import (  # noqa: F401
    CreditLineChangeAcceptedSerializer,
    CreditLineChangeApproveApi,
    CreditLineChangeCreateApi,
    CreditLineChangeDetailApi,
    CreditLineChangeListApi,
    CreditLineChangeOutputSerializer,
    CreditLineChangeRejectApi,
    CreditLineDetailApi,
    CreditLineFreezeApi,
    CreditLineListApi,
    CreditLineOutputSerializer,
    CreditLineUnfreezeApi,
    CreditLineUseSerializer,
)
from .financing import (  # noqa: F401
    FinancingApplicationCreateApi,
    FinancingApplicationDeclineApi,
    FinancingApplicationDetailApi,
    FinancingApplicationDisburseApi,
    FinancingApplicationListApi,
    FinancingApplicationQuoteApi,
    FinancingApplicationWithdrawApi,
    FinancingQuoteAcceptApi,
    FinancingQuoteApproveApi,
    FinancingQuoteDetailApi,
    FinancingQuoteListApi,
    FinancingQuoteRejectApi,
)
from .financing_shapes import (  # noqa: F401
    FinancingAddresseeSerializer,
    FinancingApplicantKycSerializer,
    FinancingApplicationAcceptedSerializer,
    FinancingApplicationDetailOutputSerializer,
    FinancingApplicationOutputSerializer,
    FinancingLineageStepSerializer,
    FinancingOperationSerializer,
    FinancingQuoteAcceptedSerializer,
    FinancingQuoteOutputSerializer,
    FinancingRootSummarySerializer,
)
