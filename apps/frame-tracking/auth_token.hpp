// SPDX-License-Identifier: Apache-2.0
// Bearer token options of the CLI: `--auth-token` and `--auth-token-file`, shared by `serve` and the query tools.
#pragma once

#include "frame_tracking/result.hpp"

#include <CLI/CLI.hpp>

#include <string>

namespace frame_tracking::cli {

/// `--auth-token`'s help in the commands that call a Jaeger query API (journey, analyze, search).
inline constexpr const char* kAuthTokenHelp =
    "Send 'Authorization: Bearer TOKEN' (what serve --auth-token-file requires; visible in the process list: prefer "
    "--auth-token-file or the variable)";

/// Where a command's bearer token comes from: `--auth-token TOKEN` (variable FRAME_TRACKING_AUTH_TOKEN)
/// or `--auth-token-file PATH` (variable FRAME_TRACKING_AUTH_TOKEN_FILE), never both. Value type.
struct AuthTokenOptions {
  std::string token;
  std::string file;

  /// The token: read from `file` when given (read_token_file), else `token` ("" = none).
  /// Errors: read_token_file's.
  Result<std::string> resolve() const;
};

/// The token in `path`: the whole file without trailing whitespace (a final newline is usual).
/// Errors (kInvalidInput) name --auth-token-file and the file: unreadable, no token (an empty token
/// would disable the check), or more than one line.
Result<std::string> read_token_file(const std::string& path);

/// Adds `--auth-token` (described by `token_help`) and `--auth-token-file` to `command`, storing into
/// `options` (which must outlive the parse); the two exclude each other.
void add_auth_token_options(CLI::App& command, AuthTokenOptions& options, const std::string& token_help);

}  // namespace frame_tracking::cli
