from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from scf.chain.compiler import SHIM, compile_sources, solc_binary
from scf.chain.errors import CompilationError

FIXTURES = Path(__file__).parent / "fixtures"


def test_a_contract_importing_openzeppelin_compiles_offline():
    artifacts = compile_sources(FIXTURES)

    counter = artifacts["Counter"]
    functions = {item["name"] for item in counter["abi"] if item["type"] == "function"}
    assert {"count", "increment", "owner", "transferOwnership"} <= functions
    assert len(counter["bytecode"]) > 1000
    # Only the contracts of our sources are artefacts, not OpenZeppelin's.
    assert "Ownable" not in artifacts


def test_the_pinned_compiler_is_used_through_the_shim_when_no_native_solc(settings):
    binary = solc_binary()
    if binary != SHIM:
        pytest.skip(f"a native solc {settings.SCF_SOLC_VERSION} is installed at {binary}")
    from solcx.wrapper import get_solc_version

    assert str(get_solc_version(binary)) == settings.SCF_SOLC_VERSION


def test_a_syntax_error_reports_the_compilers_own_message(tmp_path):
    (tmp_path / "Broken.sol").write_text(
        "// SPDX-License-Identifier: MIT\npragma solidity 0.8.28;\ncontract Broken { uint x = }\n"
    )
    with pytest.raises(CompilationError) as caught:
        compile_sources(tmp_path)

    assert "ParserError" in caught.value.message
    assert "Broken.sol:3" in caught.value.message


def test_compile_contracts_command_fails_with_the_compiler_message(settings, tmp_path):
    (tmp_path / "Broken.sol").write_text("pragma solidity 0.8.28; contract Broken {")
    settings.SCF_CONTRACTS_DIR = tmp_path
    settings.SCF_ARTIFACTS_DIR = tmp_path / "out"

    with pytest.raises(CommandError, match="ParserError"):
        call_command("compile_contracts")


def test_compile_contracts_command_writes_artifacts_and_reuses_them(settings, tmp_path, capsys):
    settings.SCF_CONTRACTS_DIR = FIXTURES
    settings.SCF_ARTIFACTS_DIR = tmp_path

    call_command("compile_contracts")
    written = (tmp_path / "Counter.json").stat().st_mtime_ns
    call_command("compile_contracts")

    assert (tmp_path / "Counter.json").stat().st_mtime_ns == written
    assert "Counter" in capsys.readouterr().out
