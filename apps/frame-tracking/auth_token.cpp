// SPDX-License-Identifier: Apache-2.0
// Bearer token options of the CLI: the token file's rules and the two flags.
#include "auth_token.hpp"

#include <cctype>
#include <fstream>
#include <sstream>

namespace frame_tracking::cli {

Result<std::string> AuthTokenOptions::resolve() const {
  if (file.empty()) return token;
  return read_token_file(file);
}

Result<std::string> read_token_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ErrorCode::kInvalidInput, "--auth-token-file '" + path + "': cannot be read"};
  std::ostringstream text;
  text << in.rdbuf();
  std::string token = text.str();
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  if (token.empty()) return Error{ErrorCode::kInvalidInput, "--auth-token-file '" + path + "': the file holds no token"};
  if (token.find_first_of("\r\n") != std::string::npos)
    return Error{ErrorCode::kInvalidInput, "--auth-token-file '" + path + "': the token must be one line"};
  return token;
}

void add_auth_token_options(CLI::App& command, AuthTokenOptions& options, const std::string& token_help) {
  CLI::Option* token = command.add_option("--auth-token", options.token, token_help)->envname("FRAME_TRACKING_AUTH_TOKEN");
  command.add_option("--auth-token-file", options.file, "Like --auth-token, the token read from this file (trailing whitespace removed)")
      ->envname("FRAME_TRACKING_AUTH_TOKEN_FILE")
      ->excludes(token);
}

}  // namespace frame_tracking::cli
