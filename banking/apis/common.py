"""Shared by the banking API: its permissions (fields and reference shapes are scf/api's, the
202 body is scf/chain's)."""


from scf.accounts import permissions as perms
from scf.accounts.models import OrganisationKind, Role

K = OrganisationKind
CanReadLines = perms.member_with(kinds=[K.BANK, K.CORE_ENTERPRISE, K.PLATFORM, K.REGULATOR])
CanProposeLine = perms.member_with(kinds=[K.BANK], roles=[Role.OPERATOR], write=True)
CanDecideLine = perms.member_with(kinds=[K.BANK], roles=[Role.APPROVER], write=True)
CanReadFinancing = perms.member_with(kinds=[K.SUPPLIER, K.BANK, K.PLATFORM, K.REGULATOR])
CanApply = perms.member_with(kinds=[K.SUPPLIER], roles=[Role.OPERATOR], write=True)
CanQuote = perms.member_with(kinds=[K.BANK], roles=[Role.OPERATOR], write=True)
CanDecideFinancing = perms.member_with(kinds=[K.BANK], roles=[Role.APPROVER], write=True)
CanDisburse = perms.member_with(kinds=[K.BANK], roles=[Role.OPERATOR, Role.APPROVER],
                                write=True)
CanConfirmClearing = perms.member_with(kinds=[K.CORE_ENTERPRISE], roles=[Role.APPROVER],
                                       write=True)

