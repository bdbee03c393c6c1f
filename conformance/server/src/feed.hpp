// Feed cursors (API.md, the change feed): a position in one organisation's own feed, bound to
// that organisation and to the feed's epoch by an HMAC.
//
// Positions are the organisation's own count of changes (changes.org_seq), so a cursor tells
// nothing of other organisations' activity; the HMAC (SHA-256, keyed by a secret kept in the
// database) makes a forged, altered or foreign cursor, or one of an earlier epoch, unknown.
// Positions are assigned by the single writer inside its transaction, and a read sees a
// snapshot holding a prefix of the commits; so every change at or below the last position a
// page delivered was already visible to that page, and a cursor "after N" can never skip a
// change that commits later.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace lfpse::server {

struct CursorScope {
  const std::string& key;    ///< the server's secret
  const std::string& org;    ///< the organisation reading
  const std::string& epoch;  ///< the feed's epoch
};

std::string encode_cursor(const CursorScope& scope, int64_t after);
/// The position, or nullopt for anything that is not a cursor this server wrote for this
/// organisation in this epoch.
std::optional<int64_t> decode_cursor(const CursorScope& scope, const std::string& text);

}  // namespace lfpse::server
