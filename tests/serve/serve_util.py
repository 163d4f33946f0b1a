"""Starting and stopping `attn-explain serve` for the tests, on 127.0.0.1 only."""
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request


failures = []  # what check() found false, for the exit status


def check(ok, what):
    """Prints one line for a claim, and keeps it when it is false."""
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


class Server:
    """attn-explain serve ARGS, started on a free port of 127.0.0.1; stopped by stop()."""

    def __init__(self, binary, *args):
        self.proc = subprocess.Popen([binary, "serve", "--port", "0", *args], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http://127.0.0.1:"):
            self.proc.kill()
            raise RuntimeError(f"serve printed {self.url!r} on its first line; stderr: {self.proc.stderr.read()}")

    def get(self, path, params=None, timeout=60):
        """(status, headers, body bytes) of GET path?params."""
        url = self.url + path.lstrip("/") + ("?" + urllib.parse.urlencode(params) if params else "")
        return self._open(urllib.request.Request(url), timeout)

    def post(self, path, body, timeout=60, headers=None):
        """As the page posts: JSON, from this server's own Origin (unless `headers` say otherwise)."""
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        sent = {"Content-Type": "application/json", "Origin": self.url.rstrip("/")}
        sent.update(headers or {})
        request = urllib.request.Request(self.url + path.lstrip("/"), data=data, headers=sent)
        return self._open(request, timeout)

    def raw(self, data, timeout=10):
        """Sends `data` on a connection of its own; the first line of the answer (b"" when closed)."""
        host, port = self.url[len("http://"):].rstrip("/").rsplit(":", 1)
        with socket.create_connection((host, int(port)), timeout=timeout) as s:
            s.sendall(data)
            answer = b""
            while b"\r\n" not in answer:
                piece = s.recv(4096)
                if not piece:
                    break
                answer += piece
            return answer.split(b"\r\n")[0]

    @staticmethod
    def _open(request, timeout):
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                return answer.status, dict(answer.headers), answer.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def stop(self):
        """SIGTERM; (exit status, seconds it took, stderr)."""
        start = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = None
        return code, time.monotonic() - start, self.proc.stderr.read()
