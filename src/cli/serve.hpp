// serve.hpp: attn-explain serve: the explorer as a local web page, recomputed as you type.
//
// serve() starts an HTTP server (cpp-httplib, Debian's libcpp-httplib-dev) on
// --host (127.0.0.1 unless asked) and --port (0: a free one), prints
// "http://HOST:PORT/" alone on the first line of stdout, then one line per
// request on stderr, until SIGINT or SIGTERM: then it finishes the requests in
// flight and returns 0. It serves:
//   GET  /                  the explorer page (data/html/explorer.*)
//   GET  /api/trace?KEY=V&… the bytes of `attn-explain --json` for those options
//   GET  /api/report?…      those of `--html -`;  GET /api/svg?… those of `--svg -`
//   POST /api/{trace,report,svg}  {"options": {KEY: V, …}, "table": {…}}: the same, on
//                           the table given (an edited copy; the table file's schema and limits)
//   GET  /api/catalogue     the tables and models it serves; GET /api/table?name=N their JSON
// Limits: at most --jobs computations at once (more get 503 with Retry-After: 1);
// a request line or header over 8 KiB (cpp-httplib's) is refused, a body over
// 1 MiB gets 413; a client silent for 5 s is dropped; each run has the command
// line's memory budget (1 GiB). A bad request is an answer, never the end of the server.
// Security: a client never names a file (tables and models by the names known at
// start); a Host other than this server's (HOST:PORT, localhost:PORT) gets 421, a
// DNS-rebinding defence; a POST needs this server's Origin (403) and JSON (415);
// every answer carries a Content-Security-Policy (default-src 'self'),
// X-Content-Type-Options: nosniff and Referrer-Policy: no-referrer. A --host that is
// not loopback is warned about on stderr.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace attn {

struct ServeCommand {
  std::string host = "127.0.0.1";
  unsigned port = 0;
  std::vector<std::string> tables;  // -e FILE, repeatable
  std::vector<std::string> models;  // --model DIR|NAME, repeatable
  std::size_t jobs = 0;             // 0: the number of cores
};

// Throws DataError for a table or model that cannot be read, UsageError for an
// address it cannot listen on.
int serve(const ServeCommand& command);

}  // namespace attn
