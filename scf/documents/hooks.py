"""Chain outcome hooks of the documents app (registered in DocumentsConfig.ready)."""

from scf.chain.hooks import on_intent_outcome
from scf.chain.models import ChainIntent


@on_intent_outcome("VoucherLedger", "anchorDocument")
def document_anchored(intent: ChainIntent) -> None:
    from scf.documents.services import document_anchor_outcome

    document_anchor_outcome(intent=intent)
