"""The one chain-operation concept of every app: a business row that waits on a chain intent
(a piece operation, a voucher's issue or answer, a financing step, a clearing call, a credit
line change). Its transaction hash, block and decoded error are the intent's, read through
these properties, never copied into columns of its own: a copy can only fall behind."""

from django.db import models

from scf.chain.models import ChainIntent


def intent_error(intent: ChainIntent | None) -> dict | None:
    """{name, args, message, operation_id} of a failed intent, else None."""
    error = intent.error if intent is not None else None
    return None if error is None else {**error, "operation_id": intent.pk}


class ChainOperation(models.Model):
    """Abstract: a row whose chain facts come from `chain_intent` (its `intent` field unless the
    row says otherwise)."""

    class Meta:
        abstract = True

    @property
    def chain_intent(self) -> ChainIntent | None:
        return self.intent

    @property
    def tx_hash(self) -> str:
        intent = self.chain_intent
        return intent.tx_hash if intent is not None else ""

    @property
    def block_number(self) -> int | None:
        intent = self.chain_intent
        return intent.block_number if intent is not None else None

    @property
    def error(self) -> dict | None:
        """Why the row did not happen: the decoded error of its failed intent ({name, args,
        message}), else None. Rows with other causes (an approval) extend it."""
        intent = self.chain_intent
        return intent.error if intent is not None else None

    @property
    def error_name(self) -> str:
        return (self.error or {}).get("name", "")

    @property
    def error_args(self) -> dict:
        return (self.error or {}).get("args", {})

    @property
    def error_message(self) -> str:
        return (self.error or {}).get("message", "")
