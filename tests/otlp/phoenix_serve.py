#!/usr/bin/env python3
"""Runs `phoenix serve` (arize-phoenix, from the venv running this script) with
its OTLP gRPC server on loopback too: Phoenix binds that one to every interface
([::]:PORT) whatever PHOENIX_HOST says, so the address is rewritten here to
PHOENIX_HOST (default 127.0.0.1). Arguments go to Phoenix's own command line.
"""
import os
import sys

import grpc.aio._server as grpc_aio_server

HOST = os.environ.get("PHOENIX_HOST", "127.0.0.1")
_plain = grpc_aio_server.Server.add_insecure_port
_secure = grpc_aio_server.Server.add_secure_port


def _loopback(address):
    port = address.rsplit(":", 1)[-1]
    host = f"[{HOST}]" if ":" in HOST else HOST
    return f"{host}:{port}"


grpc_aio_server.Server.add_insecure_port = lambda self, address: _plain(self, _loopback(address))
grpc_aio_server.Server.add_secure_port = lambda self, address, creds: _secure(self, _loopback(address), creds)

from phoenix.server.main import main  # noqa: E402

if __name__ == "__main__":
    sys.argv[0] = "phoenix"
    sys.exit(main())
