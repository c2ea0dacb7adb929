from django.db import models


class ContractDeployment(models.Model):
    """Where a contract was deployed on a chain. One row per (chain, contract, init-code hash):
    the same code on the same chain is never deployed twice."""

    chain_id = models.PositiveBigIntegerField()
    name = models.CharField(max_length=100)
    code_hash = models.CharField(max_length=66, help_text="keccak256 of init code + arguments")
    address = models.CharField(max_length=42)
    tx_hash = models.CharField(max_length=66)
    block_number = models.PositiveBigIntegerField()
    deployed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["chain_id", "name", "code_hash"], name="uniq_deployment_per_chain_code"
            )
        ]
        ordering = ["chain_id", "name", "-deployed_at"]

    def __str__(self) -> str:
        return f"{self.name}@{self.address} (chain {self.chain_id})"
