"""The chain gateway: the only package of scf that imports web3. Everything the platform does on
chain goes through here: compiling, the embedded node, deployment and (later) the outbox."""
