// Feed cursors (API.md, the change feed): an epoch and the last change sequence delivered.
//
// Change sequence numbers are assigned by the single writer inside its transaction, and a
// read sees a snapshot holding a prefix of the commits; so every change with a sequence at
// or below the last one a page delivered was already visible to that page, and a cursor
// "after N" can never skip a change that commits later.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace lfpse::server {

struct Cursor {
  std::string epoch;
  int64_t after_seq = 0;
};

std::string encode_cursor(const Cursor& c);
/// nullopt for anything that is not a cursor this server wrote.
std::optional<Cursor> decode_cursor(const std::string& text);

}  // namespace lfpse::server
