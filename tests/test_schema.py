from django.core.management import call_command


def test_the_openapi_schema_is_valid_and_free_of_warnings(tmp_path):
    """Swagger UI and generated clients read this schema: a warning means a wrong contract."""
    target = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    text = target.read_text()
    assert "/api/vouchers/issue" in text and "/api/financing/applications" in text
