import pytest

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


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded documents go to a temporary MEDIA_ROOT, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
