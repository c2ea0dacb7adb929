from scf.accounts.models import OrganisationKind, Role
from scf.chain.contracts import platform_contract


def test_onboarded_organisations_are_members_on_chain(onboard):
    bank = onboard(OrganisationKind.BANK)
    supplier = onboard(OrganisationKind.SUPPLIER, Role.OPERATOR)

    registry = platform_contract("MemberRegistry")
    assert registry.functions.isMember(bank.chain_account.address, 4).call()
    assert registry.functions.isMember(supplier.chain_account.address, 2).call()
    assert set(bank.users_by_role) == {Role.OPERATOR, Role.APPROVER}
    assert supplier.users_by_role[Role.OPERATOR].organisation == supplier
