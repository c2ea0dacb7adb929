"""Django serves the built single-page application (scf/spa.py): index.html for any page path,
the hashed assets, a page saying how to build when there is no build; never the API's paths."""

import pytest


@pytest.fixture
def dist(settings, tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><div id=root></div>", encoding="utf-8")
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log(1)", encoding="utf-8")
    settings.SCF_FRONTEND_DIST = tmp_path
    return tmp_path


@pytest.mark.parametrize("path", ["/", "/login", "/bank/applications/12", "/lineage/7"])
def test_pages_get_the_index_with_a_csrf_cookie(client, dist, path):
    response = client.get(path)
    assert response.status_code == 200
    assert b'<div id=root>' in response.content
    assert response["Cache-Control"] == "no-cache"
    assert "csrftoken" in response.cookies


def test_assets_are_served_with_a_long_cache_life(client, dist):
    response = client.get("/assets/index-abc123.js")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"console.log(1)"
    assert "immutable" in response["Cache-Control"]
    assert client.get("/assets/missing.js").status_code == 404


def test_api_and_admin_paths_are_not_the_spa(client, dist):
    assert client.get("/api/no-such-endpoint").status_code == 404
    assert b"id=root" not in client.get("/api/no-such-endpoint").content
    # The admin is off by default (SCF_ADMIN_ENABLED; tests/test_production_defaults.py turns
    # it on): its path is then not found, and still not the SPA.
    admin = client.get("/admin/")
    assert admin.status_code == 404
    assert b"id=root" not in admin.content and b'id="root"' not in admin.content


def test_without_a_build_a_page_says_how_to_make_one(client, settings, tmp_path):
    settings.SCF_FRONTEND_DIST = tmp_path / "nothing-here"
    response = client.get("/holdings")
    assert response.status_code == 503
    assert "npm run build" in response.content.decode()


def test_no_escape_from_the_build_folder(client, dist):
    response = client.get("/..%2Fsettings.py")
    assert response.status_code == 200  # the index: not a file outside the build
    assert b"id=root" in response.content
