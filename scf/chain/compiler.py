"""Offline Solidity compilation: py-solc-x driving a native solc of the pinned version when one
is on PATH, otherwise the npm `solc` through our shim (solc_shim.mjs). Artefacts (ABI and
bytecode) are written under var/ and reused while the sources and settings are unchanged."""

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import solcx
from django.conf import settings
from solcx.exceptions import SolcError

from scf.chain.errors import CompilationError

SHIM = Path(__file__).with_name("solc_shim.mjs")
Artifacts = dict[str, dict]


def solc_binary() -> Path:
    """The native solc if it is the pinned version, else the shim around npm's solcjs."""
    native = shutil.which("solc")
    if native:
        try:
            out = subprocess.run([native, "--version"], capture_output=True, text=True, timeout=10)
            if f"Version: {settings.SCF_SOLC_VERSION}+" in out.stdout:
                return Path(native)
        except (OSError, subprocess.TimeoutExpired):
            pass
    if not shutil.which("node"):
        raise CompilationError("Node.js is not installed: the npm Solidity compiler needs it")
    return SHIM


def _sources(contracts_dir: Path, exclude: tuple[str, ...]) -> dict[str, dict]:
    files = sorted(
        p for p in contracts_dir.rglob("*.sol")
        if "node_modules" not in p.parts
        and not any(p.relative_to(contracts_dir).parts[0] == ex for ex in exclude)
    )
    return {p.relative_to(contracts_dir).as_posix(): {"content": p.read_text()} for p in files}


def _standard_input(sources: dict[str, dict]) -> dict:
    return {
        "language": "Solidity",
        "sources": sources,
        "settings": {
            "evmVersion": settings.SCF_EVM_VERSION,
            "optimizer": {"enabled": True, "runs": settings.SCF_SOLC_OPTIMIZER_RUNS},
            "outputSelection": {
                "*": {"*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"]}
            },
        },
    }


def compile_sources(contracts_dir: Path, *, exclude: tuple[str, ...] = ()) -> Artifacts:
    """Compile every .sol under contracts_dir; return {contract name: {abi, bytecode, ...}} for
    the contracts defined there (imported library contracts are left out)."""
    sources = _sources(contracts_dir, exclude)
    if not sources:
        raise CompilationError(f"No Solidity sources found under {contracts_dir}")
    standard_input = _standard_input(sources)
    try:
        output = solcx.compile_standard(
            standard_input, base_path=str(contracts_dir), solc_binary=solc_binary()
        )
    except SolcError as exc:
        raise CompilationError(exc.message.strip() or str(exc)) from exc

    artifacts: Artifacts = {}
    for source_name, contracts in output.get("contracts", {}).items():
        if source_name not in sources:
            continue
        for name, data in contracts.items():
            if name in artifacts:
                raise CompilationError(f"Two contracts are named {name}; names must be unique")
            artifacts[name] = {
                "source": source_name,
                "abi": data["abi"],
                "bytecode": "0x" + data["evm"]["bytecode"]["object"],
                "deployedBytecode": "0x" + data["evm"]["deployedBytecode"]["object"],
            }
    return artifacts


def _fingerprint(contracts_dir: Path, exclude: tuple[str, ...]) -> str:
    payload = json.dumps(
        [settings.SCF_SOLC_VERSION, _standard_input(_sources(contracts_dir, exclude))],
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def compile_contracts(*, force: bool = False) -> Artifacts:
    """The platform's contracts (contracts_sol/, without bench/), compiled once per change of
    source or settings and cached as JSON artefacts under SCF_ARTIFACTS_DIR."""
    contracts_dir = Path(settings.SCF_CONTRACTS_DIR)
    out_dir = Path(settings.SCF_ARTIFACTS_DIR)
    exclude = ("bench",)
    fingerprint = _fingerprint(contracts_dir, exclude)
    manifest_path = out_dir / "manifest.json"
    if not force and manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("fingerprint") == fingerprint:
            return {name: json.loads((out_dir / f"{name}.json").read_text())
                    for name in manifest["contracts"]}

    artifacts = compile_sources(contracts_dir, exclude=exclude)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, artifact in artifacts.items():
        (out_dir / f"{name}.json").write_text(json.dumps(artifact, indent=1))
    manifest_path.write_text(json.dumps(
        {"fingerprint": fingerprint, "solc": settings.SCF_SOLC_VERSION,
         "evm_version": settings.SCF_EVM_VERSION, "contracts": sorted(artifacts)}, indent=1))
    return artifacts
