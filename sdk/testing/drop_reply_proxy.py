#!/usr/bin/env python3
"""A gRPC proxy that loses the reply of every write once: the SDKs' retry test (sdk/README.md).

Every unary call is forwarded to the upstream server with its metadata (the bearer token). The
first time a given write (any method but Get*, List*, CheckAvailability, RenderScript) arrives
with given request bytes, the proxy lets the server execute it, throws the server's answer away
and answers UNAVAILABLE, as a mobile network that drops the connection after sending would. The
same bytes again (a retry that kept its request_id) pass through. So a client that retries
with the same request id ends with one effect and the server's first answer; one that does not
retry, or retries with a new id, does not.

    drop_reply_proxy.py UPSTREAM [--port-file FILE]

Prints "drop-reply proxy listening on 127.0.0.1:PORT" and, with --port-file, writes the address.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import signal
import sys
import threading

import grpc

_READS = ("Get", "List")
_READ_METHODS = {"CheckAvailability", "RenderScript"}


class DropReplyProxy(grpc.GenericRpcHandler):
    def __init__(self, upstream: grpc.Channel) -> None:
        self._upstream = upstream
        self._seen: set[tuple[str, bytes]] = set()
        self._lock = threading.Lock()
        self.dropped = 0

    def service(self, details: grpc.HandlerCallDetails):
        method = details.method
        name = method.rsplit("/", 1)[-1]
        if name == "WatchEvents":
            return None  # streams are not proxied
        forward = self._upstream.unary_unary(method)  # raw bytes both ways
        metadata = tuple((k, v) for k, v in details.invocation_metadata if k not in ("user-agent",) and not k.startswith(":"))
        is_write = not name.startswith(_READS) and name not in _READ_METHODS

        def handle(request: bytes, context: grpc.ServicerContext) -> bytes:
            remaining = context.time_remaining()  # huge when the caller set no deadline
            timeout = remaining if remaining is not None and remaining < 1e6 else None
            drop = False
            if is_write:
                with self._lock:
                    key = (method, request)
                    drop = key not in self._seen
                    self._seen.add(key)
            try:
                response, call = forward.with_call(request, metadata=metadata, timeout=timeout)
            except grpc.RpcError as error:
                context.set_trailing_metadata(error.trailing_metadata() or ())
                context.abort(error.code(), error.details() or "")
            if drop:
                with self._lock:
                    self.dropped += 1
                context.abort(grpc.StatusCode.UNAVAILABLE, "reply lost on the way (drop-reply proxy)")
            return response

        return grpc.unary_unary_rpc_method_handler(handle)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("upstream", help="host:port of homevisitd (plaintext)")
    parser.add_argument("--port-file", help="write the proxy's address here once listening")
    args = parser.parse_args()

    upstream = grpc.insecure_channel(args.upstream)
    server = grpc.server(concurrent.futures.ThreadPoolExecutor(max_workers=16))
    server.add_generic_rpc_handlers((DropReplyProxy(upstream),))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    address = f"127.0.0.1:{port}"
    if args.port_file:
        with open(args.port_file, "w", encoding="utf-8") as f:
            f.write(address + "\n")
    print(f"drop-reply proxy listening on {address}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    server.stop(grace=1).wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
