"""MemberRegistry: registration, update, suspension, reinstatement and the isMember query."""

from tests.contracts.helpers import (
    ANY,
    BANK,
    CORE_ENTERPRISE,
    DAY,
    HOLDER,
    OPERATOR_ROLE,
    REGULATOR,
    SUPPLIER,
    deploy_contract,
    h,
)

ZERO = "0x0000000000000000000000000000000000000000"


def test_constructor_grants_admin_and_operator_roles(p):
    reg = p.registry.functions
    assert reg.hasRole(b"\x00" * 32, p.admin).call()
    assert reg.hasRole(OPERATOR_ROLE, p.admin).call()
    assert reg.OPERATOR_ROLE().call() == OPERATOR_ROLE
    assert [reg.CORE_ENTERPRISE().call(), reg.SUPPLIER().call(), reg.BANK().call(),
            reg.REGULATOR().call(), reg.OPERATOR().call()] == [1, 2, 4, 8, 16]


def test_constructor_rejects_zero_admin(p, compiled_contracts):
    factory = p.chain.w3.eth.contract(abi=compiled_contracts["MemberRegistry"]["abi"],
                                      bytecode=compiled_contracts["MemberRegistry"]["bytecode"])
    p.expect_revert(factory.constructor(ZERO), p.admin, "MemberRegistryZeroAddress")


def test_register_member_stores_and_emits(p):
    expiry = p.chain.now() + 365 * DAY
    r = p.send(p.registry.functions.registerMember(p["outsider"], SUPPLIER | BANK, expiry,
                                                   h("kyc-x")), p.admin)
    assert p.events(r, p.registry, "MemberRegistered") == [
        {"member": p["outsider"], "roles": 6, "kycExpiry": expiry, "ref": h("kyc-x")}]
    assert p.registry.functions.memberOf(p["outsider"]).call() == [True, 6, expiry, False,
                                                                  h("kyc-x")]
    is_member = p.registry.functions.isMember
    assert is_member(p["outsider"], SUPPLIER).call()
    assert is_member(p["outsider"], BANK).call()
    assert is_member(p["outsider"], HOLDER).call()
    assert not is_member(p["outsider"], CORE_ENTERPRISE).call()
    assert not is_member(p["outsider"], 0).call()


def test_register_member_reverts(p):
    reg = p.registry.functions
    now_plus = p.chain.now() + 1000
    p.expect_revert(reg.registerMember(ZERO, SUPPLIER, now_plus, h("r")), p.admin,
                    "MemberRegistryZeroAddress")
    p.expect_revert(reg.registerMember(p["sup1"], SUPPLIER, now_plus, h("r")), p.admin,
                    "MemberRegistryAlreadyRegistered", p["sup1"])
    p.expect_revert(reg.registerMember(p["outsider"], 0, now_plus, h("r")), p.admin,
                    "MemberRegistryInvalidRoles", 0)
    p.expect_revert(reg.registerMember(p["outsider"], 32, now_plus, h("r")), p.admin,
                    "MemberRegistryInvalidRoles", 32)
    p.expect_revert(reg.registerMember(p["outsider"], SUPPLIER, 5, h("r")), p.admin,
                    "MemberRegistryInvalidKycExpiry", 5, ANY)
    p.expect_revert(reg.registerMember(p["outsider"], SUPPLIER, now_plus, h("r")), p["sup1"],
                    "AccessControlUnauthorizedAccount", p["sup1"], OPERATOR_ROLE)


def test_update_member(p):
    expiry = p.chain.now() + 10 * DAY
    r = p.send(p.registry.functions.updateMember(p["sup1"], SUPPLIER | REGULATOR, expiry,
                                                 h("kyc-new")), p.admin)
    assert p.events(r, p.registry, "MemberUpdated") == [
        {"member": p["sup1"], "roles": 10, "kycExpiry": expiry, "ref": h("kyc-new")}]
    assert p.registry.functions.memberOf(p["sup1"]).call() == [True, 10, expiry, False,
                                                              h("kyc-new")]
    assert p.registry.functions.isMember(p["sup1"], REGULATOR).call()


def test_update_member_reverts(p):
    reg = p.registry.functions
    later = p.chain.now() + 1000
    p.expect_revert(reg.updateMember(p["outsider"], SUPPLIER, later, h("r")), p.admin,
                    "MemberRegistryNotRegistered", p["outsider"])
    p.expect_revert(reg.updateMember(p["sup1"], 64, later, h("r")), p.admin,
                    "MemberRegistryInvalidRoles", 64)
    p.expect_revert(reg.updateMember(p["sup1"], SUPPLIER, 1, h("r")), p.admin,
                    "MemberRegistryInvalidKycExpiry", 1, ANY)
    p.expect_revert(reg.updateMember(p["sup1"], SUPPLIER, later, h("r")), p["operator"],
                    "AccessControlUnauthorizedAccount", p["operator"], OPERATOR_ROLE)


def test_suspend_and_reinstate(p):
    reg = p.registry.functions
    r = p.send(reg.suspendMember(p["sup1"], h("court order")), p.admin)
    assert p.events(r, p.registry, "MemberSuspended") == [
        {"member": p["sup1"], "reasonHash": h("court order")}]
    assert not reg.isMember(p["sup1"], SUPPLIER).call()
    assert reg.memberOf(p["sup1"]).call()[3] is True
    p.expect_revert(reg.suspendMember(p["sup1"], h("again")), p.admin,
                    "MemberRegistryAlreadySuspended", p["sup1"])

    r = p.send(reg.reinstateMember(p["sup1"]), p.admin)
    assert p.events(r, p.registry, "MemberReinstated") == [{"member": p["sup1"]}]
    assert reg.isMember(p["sup1"], SUPPLIER).call()
    p.expect_revert(reg.reinstateMember(p["sup1"]), p.admin, "MemberRegistryNotSuspended",
                    p["sup1"])


def test_suspend_reinstate_reverts(p):
    reg = p.registry.functions
    p.expect_revert(reg.suspendMember(p["outsider"], h("x")), p.admin,
                    "MemberRegistryNotRegistered", p["outsider"])
    p.expect_revert(reg.reinstateMember(p["outsider"]), p.admin,
                    "MemberRegistryNotRegistered", p["outsider"])
    p.expect_revert(reg.suspendMember(p["sup2"], h("x")), p["sup1"],
                    "AccessControlUnauthorizedAccount", p["sup1"], OPERATOR_ROLE)
    p.expect_revert(reg.reinstateMember(p["sup2"]), p["sup1"],
                    "AccessControlUnauthorizedAccount", p["sup1"], OPERATOR_ROLE)


def test_is_member_false_after_kyc_expiry(p):
    expiry = p.chain.now() + 2 * DAY
    p.send(p.registry.functions.updateMember(p["sup1"], SUPPLIER, expiry, h("k")), p.admin)
    assert p.registry.functions.isMember(p["sup1"], SUPPLIER).call()
    p.chain.travel(2 * DAY + 60)
    assert not p.registry.functions.isMember(p["sup1"], SUPPLIER).call()


def test_unknown_account_is_no_member(p):
    assert not p.registry.functions.isMember(p["outsider"], SUPPLIER).call()
    assert p.registry.functions.memberOf(p["outsider"]).call() == [False, 0, 0, False,
                                                                  b"\x00" * 32]


def test_granted_operator_can_register(p, compiled_contracts):
    reg = deploy_contract(p.chain, compiled_contracts["MemberRegistry"], p.admin, p.admin)
    p.send(reg.functions.grantRole(OPERATOR_ROLE, p["operator"]), p.admin)
    p.send(reg.functions.registerMember(p["sup1"], SUPPLIER, p.chain.now() + DAY, h("k")),
           p["operator"])
    assert reg.functions.isMember(p["sup1"], SUPPLIER).call()
