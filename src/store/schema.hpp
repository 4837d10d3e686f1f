// SPDX-License-Identifier: Apache-2.0
// The store's SQLite schema, versioned in PRAGMA user_version, and its forward migrations.
#pragma once

#include "sqlite.hpp"

#include <string>

namespace frame_tracking::store::detail {

/// The schema version this build writes.
inline constexpr int kSchemaVersion = 2;

/// Brings the database to kSchemaVersion, applying each missing migration in its own transaction.
/// Returns false with `error` set when a migration fails or the file is newer than this build.
bool migrate(Connection& db, std::string& error);

}  // namespace frame_tracking::store::detail
