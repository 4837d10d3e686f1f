// SPDX-License-Identifier: Apache-2.0
// HeaderBoundedServer: httplib's keep-alive connection loop over a stream that bounds the header section.
#include "header_bounded_server.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace frame_tracking::service {
namespace {

thread_local bool limit_hit = false;

/// A longer request line closes the connection without an answer (httplib's 414 covers 8 KiB..64 KiB).
constexpr std::size_t kMaxRequestLineBytes = 64 * 1024;
/// Input still read (and discarded) after a 431 before the connection is closed.
constexpr std::size_t kMaxDiscardBytes = 256 * 1024;

int timeout_ms(time_t sec, time_t usec) { return static_cast<int>(sec * 1000 + usec / 1000); }

bool wait_for(socket_t sock, short events, int milliseconds) {
  pollfd p{sock, events, 0};
  int n = 0;
  do n = ::poll(&p, 1, milliseconds);
  while (n < 0 && errno == EINTR);
  return n > 0 && (p.revents & (events | POLLHUP | POLLERR)) != 0;
}

void address_of(socket_t sock, bool peer, std::string& ip, int& port) {
  sockaddr_storage addr{};
  socklen_t length = sizeof addr;
  auto* a = reinterpret_cast<sockaddr*>(&addr);
  if ((peer ? ::getpeername(sock, a, &length) : ::getsockname(sock, a, &length)) != 0) return;
  std::array<char, NI_MAXHOST> host{};
  std::array<char, NI_MAXSERV> service{};
  if (::getnameinfo(a, length, host.data(), host.size(), service.data(), service.size(),
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
    return;
  ip = host.data();
  port = std::atoi(service.data());
}

/// One connection's socket, read through a buffer; counts the header lines of each request.
class BoundedStream final : public httplib::Stream {
 public:
  BoundedStream(socket_t sock, int read_ms, int write_ms, std::size_t max_header_bytes)
      : sock_(sock), read_ms_(read_ms), write_ms_(write_ms), max_header_bytes_(max_header_bytes) {}

  /// Resets the header accounting: the next byte read starts a request line.
  void start_request() {
    phase_ = Phase::kRequestLine;
    header_bytes_ = 0;
    line_bytes_ = 0;
    line_empty_ = true;
    limit_hit = false;
  }
  bool has_buffered() const noexcept { return begin_ < end_; }

  bool is_readable() const override { return has_buffered() || wait_for(sock_, POLLIN, read_ms_); }
  bool is_writable() const override { return wait_for(sock_, POLLOUT, write_ms_); }

  ssize_t read(char* ptr, size_t size) override {
    if (limit_hit) return -1;
    if (!has_buffered()) {
      if (!wait_for(sock_, POLLIN, read_ms_)) return -1;
      ssize_t n = 0;
      do n = ::recv(sock_, buffer_.data(), buffer_.size(), 0);
      while (n < 0 && errno == EINTR);
      if (n <= 0) return n;
      begin_ = 0;
      end_ = static_cast<std::size_t>(n);
    }
    std::size_t n = std::min(size, end_ - begin_);
    if (phase_ != Phase::kBody) n = account(buffer_.data() + begin_, n);
    if (limit_hit) return -1;
    std::memcpy(ptr, buffer_.data() + begin_, n);
    begin_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) return -1;
    ssize_t n = 0;
    do n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    return n;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override { address_of(sock_, true, ip, port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { address_of(sock_, false, ip, port); }
  socket_t socket() const override { return sock_; }

 private:
  enum class Phase : std::uint8_t { kRequestLine, kHeaders, kBody };

  /// Counts the first `n` bytes at `data` as request text; returns how many of them to deliver
  /// (up to the end of the header section, after which the bytes are body). Sets limit_hit.
  std::size_t account(const char* data, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      const char c = data[i];
      if (phase_ == Phase::kRequestLine) {
        // httplib answers 414 above 8192 bytes, but only once the whole line is in memory.
        if (c == '\n') {
          phase_ = Phase::kHeaders;
          line_bytes_ = 0;
        } else if (++line_bytes_ > kMaxRequestLineBytes) {
          limit_hit = true;
          return 0;
        }
        continue;
      }
      ++line_bytes_;
      if (c != '\r' && c != '\n') line_empty_ = false;
      if (c != '\n') continue;
      if (line_empty_) {  // the empty line that ends the header section
        phase_ = Phase::kBody;
        return i + 1;
      }
      header_bytes_ += line_bytes_;
      line_bytes_ = 0;
      line_empty_ = true;
      if (header_bytes_ > max_header_bytes_) {
        limit_hit = true;
        return 0;
      }
    }
    // A long header line still arriving.
    if (phase_ == Phase::kHeaders && header_bytes_ + line_bytes_ > max_header_bytes_) limit_hit = true;
    return n;
  }

  socket_t sock_;
  int read_ms_;
  int write_ms_;
  std::size_t max_header_bytes_;
  std::array<char, 4096> buffer_{};
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  Phase phase_ = Phase::kRequestLine;
  std::size_t header_bytes_ = 0;
  std::size_t line_bytes_ = 0;
  bool line_empty_ = true;
};

}  // namespace

bool HeaderBoundedServer::header_limit_hit() noexcept { return limit_hit; }

bool HeaderBoundedServer::process_and_close_socket(socket_t sock) {
  BoundedStream stream(sock, timeout_ms(read_timeout_sec_, read_timeout_usec_),
                       timeout_ms(write_timeout_sec_, write_timeout_usec_), max_header_bytes_);
  // Wait for the next request of a kept-alive connection, checking for stop() every 50 ms.
  auto next_request = [&] {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(keep_alive_timeout_sec_);
    while (svr_sock_ != INVALID_SOCKET) {
      if (stream.has_buffered() || wait_for(sock, POLLIN, 50)) return true;
      if (std::chrono::steady_clock::now() >= deadline) return false;
    }
    return false;
  };
  bool ok = false;
  for (std::size_t left = keep_alive_max_count_; left > 0 && next_request(); --left) {
    stream.start_request();
    bool connection_closed = false;
    ok = process_request(stream, left == 1, connection_closed, nullptr);
    if (!ok || connection_closed || limit_hit) break;
  }
  if (limit_hit) {
    // Closing with unread input would reset the connection and could destroy the 431 before the
    // client reads it: stop sending, then discard a bounded amount of what is still arriving.
    ::shutdown(sock, SHUT_WR);
    std::array<char, 4096> discard{};
    std::size_t discarded = 0;
    while (discarded < kMaxDiscardBytes && wait_for(sock, POLLIN, 200)) {
      ssize_t n = ::recv(sock, discard.data(), discard.size(), 0);
      if (n <= 0) break;
      discarded += static_cast<std::size_t>(n);
    }
    limit_hit = false;
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

}  // namespace frame_tracking::service
