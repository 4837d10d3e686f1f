// SPDX-License-Identifier: Apache-2.0
// An httplib::Server that stops reading a request's header section once it exceeds a byte limit.
#pragma once

#include <httplib.h>

#include <cstddef>

namespace frame_tracking::service {

/// cpp-httplib 0.11 caps each header line (8192 bytes) but reads any number of them before a
/// handler can look, so a client could make it buffer headers until the read timeout. This server
/// reads each connection through its own stream, which counts the bytes of the header lines after
/// the request line (CR LF included, the final empty line not) and fails the read as soon as they
/// exceed `max_header_bytes`: httplib then answers 400, which the error handler turns into 431
/// when header_limit_hit() says so, and the connection is closed. A request line longer than
/// 64 KiB closes the connection without an answer (httplib answers 414 above 8 KiB, but only after
/// buffering the whole line). Keep-alive, timeouts and stop() behave as in httplib::Server
/// (stop() no longer waits for idle kept-alive connections). Set the limit before listening.
class HeaderBoundedServer : public httplib::Server {
 public:
  /// The limit on the header lines of one request, bytes (`--max-header-size`).
  void set_max_header_bytes(std::size_t bytes) { max_header_bytes_ = bytes; }

  /// True on a request-handling thread whose current request broke the header limit while being
  /// read (for the error handler, which sees only the request and the response).
  static bool header_limit_hit() noexcept;

 private:
  bool process_and_close_socket(socket_t sock) override;

  std::size_t max_header_bytes_ = 16 * 1024;
};

}  // namespace frame_tracking::service
