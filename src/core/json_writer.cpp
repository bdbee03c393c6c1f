#include "core/json_writer.hpp"

#include "core/error.hpp"

namespace lfpse::core {

namespace {

[[noreturn]] void misuse(const char* what) {
  throw Error(ErrorCode::Internal, std::string("JsonWriter: ") + what);
}

}  // namespace

void JsonWriter::before_value() {
  if (levels_.empty()) {
    if (done_) misuse("a second top-level value");
    done_ = true;
    return;
  }
  Level& l = levels_.back();
  if (l.object) {
    if (!l.after_key) misuse("a member value without its key");
    l.after_key = false;
    return;
  }
  if (!l.empty) out_ += ',';
  l.empty = false;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  if (levels_.empty() || !levels_.back().object || levels_.back().after_key)
    misuse("a key outside an object, or two keys in a row");
  Level& l = levels_.back();
  if (!l.empty) out_ += ',';
  l.empty = false;
  l.after_key = true;
  json_append_string(out_, name);
  out_ += ':';
  return *this;
}

void JsonWriter::open(char c, bool object) {
  before_value();
  out_ += c;
  levels_.push_back(Level{object});
}

void JsonWriter::close(char c, bool object) {
  if (levels_.empty() || levels_.back().object != object || levels_.back().after_key)
    misuse("an end that does not match its beginning");
  levels_.pop_back();
  out_ += c;
}

JsonWriter& JsonWriter::begin_object() {
  open('{', true);
  return *this;
}
JsonWriter& JsonWriter::end_object() {
  close('}', true);
  return *this;
}
JsonWriter& JsonWriter::begin_array() {
  open('[', false);
  return *this;
}
JsonWriter& JsonWriter::end_array() {
  close(']', false);
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view s) {
  before_value();
  json_append_string(out_, s);
  return *this;
}

JsonWriter& JsonWriter::value(int64_t n) {
  before_value();
  out_ += std::to_string(n);
  return *this;
}

JsonWriter& JsonWriter::value(bool b) {
  before_value();
  out_ += b ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::value(const std::optional<std::string>& s) {
  return s ? value(std::string_view(*s)) : null();
}

JsonWriter& JsonWriter::value(const JsonValue& v) {
  before_value();
  json_append_value(out_, v);
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  before_value();
  out_ += json;
  return *this;
}

std::string JsonWriter::take() {
  if (!levels_.empty() || !done_) misuse("take() before the value is complete");
  done_ = false;
  return std::move(out_);
}

}  // namespace lfpse::core
