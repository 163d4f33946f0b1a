#include "serve.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <pthread.h>

#include "attn/util/error.hpp"
#include "attn/util/data_dir.hpp"
#include "attn/util/digest.hpp"
#include "attn/util/json_file.hpp"
#include "attn/render/render_html.hpp"
#include "output.hpp"
#include "service.hpp"
#include "attn/util/text_file.hpp"
#include "attn/trace_json.hpp"

namespace attn {

namespace {

constexpr std::size_t kMaxBody = 1 << 20;

// At most `limit` computations at once: a ticket, or none when all are taken.
class Tickets {
 public:
  explicit Tickets(std::size_t limit) : limit_(limit) {}
  bool take() {
    std::size_t now = taken_.load();
    while (now < limit_) {
      if (taken_.compare_exchange_weak(now, now + 1)) return true;
    }
    return false;
  }
  void give_back() { --taken_; }

 private:
  const std::size_t limit_;
  std::atomic<std::size_t> taken_{0};
};

// A ticket taken, given back by give_back() or else when its last holder lets go of it.
class Ticket {
 public:
  explicit Ticket(Tickets& tickets) : tickets_(tickets) {}
  Ticket(const Ticket&) = delete;
  Ticket& operator=(const Ticket&) = delete;
  ~Ticket() { give_back(); }
  void give_back() const {
    if (!given_.exchange(true)) tickets_.give_back();
  }

 private:
  Tickets& tickets_;
  mutable std::atomic<bool> given_{false};
};

// The query's parameters as the run plan's options, in order.
RawOptions options_of(const httplib::Params& params) {
  RawOptions raw;
  for (const auto& [key, value] : params) raw.emplace_back(key, value);
  return raw;
}

// Deeper than any body the page sends ({"table": {"weights": {"W_query": [[...]]}}} is 5).
constexpr int kBodyDepth = 16;

// {"options": {...}, "table": {...}}: the options (each value a string, number or
// boolean, as text) and the table as JSON text; nothing for a body that is not such an object.
bool read_body(const std::string& body, RawOptions& options, std::string& table, std::string& problem) {
  // As a table file is read: where malformed JSON goes wrong, numbers no double holds, and no key
  // given twice (an option, or a token of the edited table, which a plain parse keeps the last of).
  nlohmann::json j;
  try {
    j = parse_json_document(body, "the body", kBodyDepth);
  } catch (const DataError& e) {
    return problem = e.message(), false;
  }
  if (!j.is_object()) return problem = "the body is not a JSON object", false;
  if (j.contains("options")) {
    if (!j["options"].is_object()) return problem = "\"options\" is not an object", false;
    for (const auto& [key, value] : j["options"].items()) {
      if (value.is_string()) options.emplace_back(key, value.get<std::string>());
      else if (value.is_boolean()) options.emplace_back(key, value.get<bool>() ? "true" : "false");
      else if (value.is_number_unsigned()) options.emplace_back(key, std::to_string(value.get<std::uint64_t>()));
      else if (value.is_number()) options.emplace_back(key, value.dump());
      else return problem = fmt::format("\"options\".\"{}\" is not a string, number or boolean", key), false;
    }
  }
  if (j.contains("table")) table = j["table"].dump();
  return true;
}

// An answer with its length, sent as it is. httplib compresses a plain body with brotli when
// the browser accepts it, at brotli's slowest setting: 170 ms for a 100 KB report, 17 times
// the time it takes to compute. A body given by a sized content provider is sent unencoded,
// which on the loopback costs nothing.
void send(httplib::Response& res, Reply answer) {
  res.status = answer.status;
  auto body = std::make_shared<std::string>(std::move(answer.body));
  const std::size_t length = body->size();
  res.set_content_provider(length, answer.content_type.c_str(),
                           [body](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                             return sink.write(body->data() + offset, length);
                           });
}

// A trace's JSON, written as it is sent (chunked: its length is known only at
// the end). Writing it is the run's work too, so the ticket is held until the
// text is written (before its last chunk: a client asking again at once finds it
// free) or the answer dropped; a client that goes away stops the writing.
void send_trace(httplib::Response& res, const Reply& answer, std::shared_ptr<const Ticket> ticket) {
  res.status = answer.status;
  res.set_chunked_content_provider(answer.content_type, [trace = answer.trace, ticket](std::size_t, httplib::DataSink& sink) {
    struct Gone {};
    try {
      write_trace_json(*trace, [&sink](std::string_view piece) {
        if (!sink.write(piece.data(), piece.size())) throw Gone{};
      });
    } catch (const Gone&) {
      return false;
    }
    ticket->give_back();
    sink.done();
    return true;
  });
}

void send_error(httplib::Response& res, int status, const std::string& message) {
  send(res, {status, "application/json", nlohmann::json({{"error", message}, {"key", nullptr}}).dump() + "\n", nullptr});
}

// The page: data/html/explorer.html with its script and style put in.
std::string explorer_page() {
  std::string page = read_text_file(find_data_file("html/explorer.html"));
  const auto put = [&](const std::string& mark, const std::string& text) {
    const std::size_t at = page.find(mark);
    if (at != std::string::npos) page.replace(at, mark.size(), text);
  };
  put("/*EXPLORER_CSS*/", read_text_file(find_data_file("html/explorer.css")));
  put("/*EXPLORER_JS*/", read_text_file(find_data_file("html/explorer.js")));
  return page;
}

// The text of every classic inline script of `page` (a bare <script> element), in order.
std::vector<std::string> inline_scripts(const std::string& page) {
  std::vector<std::string> scripts;
  const std::string open = "<script>", close = "</script>";
  for (std::size_t at = page.find(open); at != std::string::npos; at = page.find(open, at + open.size())) {
    const std::size_t start = at + open.size(), end = page.find(close, start);
    if (end == std::string::npos) break;
    scripts.push_back(page.substr(start, end - start));
  }
  return scripts;
}

// The page's own policy: nothing from elsewhere, and no script but the page's own
// and a report's, named by their SHA-256 (so no injected <script>, nor an
// onclick="..." attribute, could run). A report is shown in a frame of the page
// (srcdoc), which keeps the page's policy; its pictures are data: addresses.
std::string policy(const std::string& page, const HtmlAssets& report) {
  std::string scripts;
  for (const std::string& script : inline_scripts(page)) scripts += " " + csp_script_hash(script);
  return fmt::format(
      "default-src 'self'; script-src 'self'{} {}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
      "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      scripts, report.script_hash);
}

// The names a browser may give this server in Host (a DNS-rebinding defence) and,
// as http://NAME, in Origin.
std::vector<std::string> own_names(const std::string& host, int port) {
  const bool v6 = host.find(':') != std::string::npos;
  std::vector<std::string> names = {fmt::format("{}:{}", v6 ? "[" + host + "]" : host, port), fmt::format("localhost:{}", port)};
  if (host == "127.0.0.1" || host == "::1") names.push_back(fmt::format("[::1]:{}", port));
  return names;
}

// Before any route: a Host that is not this server's gets 421; a POST must come
// from the page itself (its Origin) and say it sends JSON.
void guard(httplib::Server& server, const std::vector<std::string>& names) {
  server.set_pre_routing_handler([names](const httplib::Request& req, httplib::Response& res) {
    const auto known = [&](const std::string& name) { return std::find(names.begin(), names.end(), name) != names.end(); };
    if (!known(req.get_header_value("Host"))) {
      send_error(res, 421, "the Host header names another server; open the address serve printed");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.method == "POST") {
      const std::string origin = req.get_header_value("Origin");
      if (origin.rfind("http://", 0) != 0 || !known(origin.substr(7))) {
        send_error(res, 403, "a POST must come from this server's own page (its Origin)");
        return httplib::Server::HandlerResponse::Handled;
      }
      if (req.get_header_value("Content-Type").rfind("application/json", 0) != 0) {
        send_error(res, 415, "a POST sends JSON: Content-Type: application/json");
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
}

void add_routes(httplib::Server& server, const Service& service, Tickets& tickets, const std::string& page) {
  server.Get("/", [page](const httplib::Request&, httplib::Response& res) { res.set_content(page, "text/html; charset=utf-8"); });
  server.Get("/api/catalogue", [&service](const httplib::Request&, httplib::Response& res) {
    res.set_content(service.catalogue_json(), "application/json");
  });
  server.Get("/api/table", [&service](const httplib::Request& req, httplib::Response& res) {
    if (req.get_param_value_count("name") > 1) return send_error(res, 400, "name: given more than once");
    const std::optional<std::string> file = service.table_file(req.get_param_value("name"));
    if (!file) return send_error(res, 404, fmt::format("no JSON table named \"{}\"", req.get_param_value("name")));
    res.set_content(*file, "application/json");
  });
  const std::pair<const char*, Product> products[] = {
      {"trace", Product::trace}, {"report", Product::report}, {"svg", Product::svg}, {"heads", Product::heads}};
  for (const auto& [name, product] : products) {
    const Product p = product;
    const auto run = [&service, &tickets, p](const RawOptions& options, const std::string* table, httplib::Response& res) {
      if (!tickets.take()) {
        res.set_header("Retry-After", "1");
        return send_error(res, 503, "every worker is busy; try again in a second");
      }
      auto ticket = std::make_shared<const Ticket>(tickets);  // given back however the answer ends
      Reply answer = service.answer(p, options, table);
      if (answer.trace) return send_trace(res, answer, std::move(ticket));
      send(res, std::move(answer));
    };
    server.Get(fmt::format("/api/{}", name), [run](const httplib::Request& req, httplib::Response& res) {
      run(options_of(req.params), nullptr, res);
    });
    server.Post(fmt::format("/api/{}", name), [run](const httplib::Request& req, httplib::Response& res) {
      RawOptions options;
      std::string table, problem;
      if (!read_body(req.body, options, table, problem)) return send_error(res, 400, problem);
      run(options, table.empty() ? nullptr : &table, res);
    });
  }
}

// SIGINT and SIGTERM, waited for by a thread of their own, stop the server.
std::thread stop_on_signals(httplib::Server& server, sigset_t signals) {
  return std::thread([&server, signals] {
    int signal = 0;
    sigwait(&signals, &signal);
    server.stop();
  });
}

}  // namespace

int serve(const ServeCommand& command) {
  const Service service(command.tables, command.models);
  const std::size_t jobs = command.jobs ? command.jobs : std::max(1u, std::thread::hardware_concurrency());
  Tickets tickets(jobs);
  httplib::Server server;
  server.new_task_queue = [jobs] { return new httplib::ThreadPool(jobs + 2); };
  server.set_payload_max_length(kMaxBody);
  const std::string page = explorer_page();
  server.set_default_headers({{"Content-Security-Policy", policy(page, load_html_assets())},
                              {"X-Content-Type-Options", "nosniff"},
                              {"Referrer-Policy", "no-referrer"}});
  server.set_read_timeout(5, 0);
  server.set_write_timeout(5, 0);
  server.set_keep_alive_timeout(5);
  // The headers and the body are two writes: without TCP_NODELAY the body of a small answer
  // waited for the client's delayed acknowledgement of the headers (40 ms).
  server.set_tcp_nodelay(true);
  server.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    // The bytes sent: the body's, the sized provider's, or "-" for a trace sent in chunks.
    const std::string bytes = res.is_chunked_content_provider_ ? "-"
                              : res.content_provider_          ? std::to_string(res.content_length_)
                                                               : std::to_string(res.body.size());
    std::fputs(fmt::format("{} {} {} {}\n", req.method, req.path, res.status, bytes).c_str(), stderr);
  });
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    send_error(res, 500, "internal error; please report this as a bug");
  });
  add_routes(server, service, tickets, page);

  // Every thread started from here on blocks SIGINT and SIGTERM; one waits for them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const int port = command.port == 0 ? server.bind_to_any_port(command.host)
                                     : (server.bind_to_port(command.host, static_cast<int>(command.port)) ? static_cast<int>(command.port) : -1);
  if (port < 0) {
    throw UsageError(fmt::format("serve: cannot listen on {}:{}", command.host, command.port),
                     "give another --port (0: a free one) or --host");
  }
  guard(server, own_names(command.host, port));
  const bool v6 = command.host.find(':') != std::string::npos;
  if (command.host != "127.0.0.1" && command.host != "::1" && command.host != "localhost") {
    std::fputs(fmt::format("attn-explain: warning: serve listens on {}: anyone who can reach this machine on port {} can "
                           "use it (--host 127.0.0.1 keeps it to this machine)\n",
                           command.host, port)
                   .c_str(),
               stderr);
  }
  write_stdout(fmt::format("http://{}:{}/\n", v6 ? "[" + command.host + "]" : command.host, port));
  std::fflush(stdout);
  std::thread watcher = stop_on_signals(server, signals);
  server.listen_after_bind();
  pthread_kill(watcher.native_handle(), SIGTERM);  // a watcher still waiting ends (blocked, the signal is only waited for)
  watcher.join();
  return 0;
}

}  // namespace attn
