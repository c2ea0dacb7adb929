from tests.factories import (  # noqa: F401  (fixtures)
    fast_password_hasher,
    other_supplier_operator,
    platform_admin,
    platform_approver,
    platform_org,
    regulator_user,
    supplier_admin,
    supplier_approver,
    supplier_operator,
    supplier_org,
    supplier_viewer,
)
