"""The embedded chain: a local anvil node (npm @foundry-rs/anvil) run as a child process, its
state dumped under var/ on exit and every few seconds, so stopping and starting keeps the ledger."""

import ctypes
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings

from scf.chain.errors import ChainNodeError

NPM_HINT = "run `npm ci` in the repository root (it installs @foundry-rs/anvil)"


def anvil_binary() -> str:
    """The anvil executable shipped inside the npm package for this platform, else one on PATH."""
    system = {"Linux": "linux", "Darwin": "darwin", "Windows": "win32"}.get(platform.system(), "")
    arch = {"x86_64": "amd64", "AMD64": "amd64", "arm64": "arm64", "aarch64": "arm64"}.get(
        platform.machine(), ""
    )
    modules = Path(settings.BASE_DIR) / "node_modules" / "@foundry-rs"
    for candidate in (modules / f"anvil-{system}-{arch}" / "bin" / "anvil",
                      Path(settings.BASE_DIR) / "node_modules" / ".bin" / "anvil"):
        if candidate.exists():
            return str(candidate)
    found = shutil.which("anvil")
    if found:
        return found
    raise ChainNodeError(f"anvil is not installed: {NPM_HINT}")


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _stop_with_parent(parent_pid: int):
    """A preexec_fn (Linux): the child gets SIGTERM when the process that started it dies, by
    whatever means (SIGKILL and crashes included, which no `finally` sees), so the embedded node
    never outlives the web process. SIGTERM lets anvil dump its state before it exits."""

    libc = ctypes.CDLL(None, use_errno=True)  # loaded here: the child only calls it

    def preexec() -> None:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent_pid:  # the parent died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)

    return preexec


def port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rpc_call(url: str, method: str, params: list | None = None, timeout: float = 2.0):
    """A bare JSON-RPC call, used to probe a node before web3 is wired to it."""
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or []})
    request = urllib.request.Request(  # noqa: S310 (an http URL of our own node)
        url, data=body.encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        reply = json.loads(response.read())
    if "error" in reply:
        raise ChainNodeError(f"{method} failed: {reply['error']}")
    return reply["result"]


def chain_travel(seconds: int, rpc_url: str | None = None) -> None:
    """Move a development node's clock forward by `seconds` and mine a block stamped with it
    (anvil's evm_increaseTime; the demo uses it to reach a maturity)."""
    url = rpc_url or settings.SCF_CHAIN_RPC_URL
    rpc_call(url, "evm_increaseTime", [int(seconds)])
    rpc_call(url, "evm_mine")
    if url == settings.SCF_CHAIN_RPC_URL:  # the platform's own node: its pre-flight clock moved
        from scf.chain.projection import record_chain_clock

        record_chain_clock()


class AnvilNode:
    """One anvil process. `state_path=None` gives a throw-away chain (tests, benchmarks)."""

    def __init__(self, *, host: str = "127.0.0.1", port: int | None = None,
                 chain_id: int = 31337, state_path: Path | None = None,
                 log_path: Path | None = None, state_interval: int = 5):
        self.host = host
        self.port = port or free_port()
        self.chain_id = chain_id
        self.state_path = Path(state_path) if state_path else None
        self.log_path = Path(log_path) if log_path else None
        self.state_interval = state_interval
        self.process: subprocess.Popen | None = None
        self._log_file = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def command(self) -> list[str]:
        cmd = [anvil_binary(), "--host", self.host, "--port", str(self.port),
               "--chain-id", str(self.chain_id), "--gas-price", "0", "--base-fee", "0"]
        if self.state_path:
            # --state loads the file if present and dumps on exit; the interval bounds what a
            # crash (kill -9, power loss) can lose.
            cmd += ["--state", str(self.state_path), "--state-interval", str(self.state_interval)]
        return cmd

    def start(self, timeout: float = 30.0) -> "AnvilNode":
        if port_in_use(self.host, self.port):
            raise ChainNodeError(
                f"port {self.port} on {self.host} is already in use: stop whatever listens there "
                "(another scf or anvil?) or choose another port with SCF_ANVIL_PORT"
            )
        if self.state_path:
            self.state_path.parent.mkdir(parents=True, exist_ok=True)
        output = subprocess.DEVNULL
        if self.log_path:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            self._log_file = open(self.log_path, "ab")  # noqa: SIM115 (closed in stop())
            output = self._log_file
        # A session of its own: Ctrl-C in the terminal reaches us, and we stop anvil cleanly so
        # it dumps its state, instead of the signal killing it mid-write.
        # On Linux it also stops when we die without a chance to stop it (kill -9, a crash).
        preexec = _stop_with_parent(os.getpid()) if platform.system() == "Linux" else None
        self.process = subprocess.Popen(self.command(), stdout=output, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True,
                                        preexec_fn=preexec)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ChainNodeError(
                    f"anvil exited at start with code {self.process.returncode}"
                    + (f"; see {self.log_path}" if self.log_path else "")
                )
            try:
                rpc_call(self.url, "eth_chainId", timeout=0.5)
                return self
            except (OSError, urllib.error.URLError, ChainNodeError):
                time.sleep(0.1)
        self.stop()
        raise ChainNodeError(f"anvil did not answer on {self.url} within {timeout:.0f}s")

    def stop(self, timeout: float = 20.0) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM if os.name != "nt" else signal.CTRL_BREAK_EVENT)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._log_file:
            self._log_file.close()
            self._log_file = None

    def __enter__(self) -> "AnvilNode":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def embedded_node() -> AnvilNode:
    """The node the run command starts when SCF_CHAIN_RPC_URL is unset."""
    return AnvilNode(host=settings.SCF_ANVIL_HOST, port=settings.SCF_ANVIL_PORT,
                     chain_id=settings.SCF_CHAIN_ID or 31337,
                     state_path=settings.SCF_ANVIL_STATE_PATH,
                     state_interval=settings.SCF_ANVIL_STATE_INTERVAL,
                     log_path=Path(settings.VAR_DIR) / "log" / "anvil.log")
