// The canonical JSON writer of TAXONOMY.md section 6.
#include "core/json.hpp"

namespace lfpse::core {

void json_append_string(std::string& out, std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

void json_append_value(std::string& out, const JsonValue& v) {
  switch (v.kind()) {
    case JsonKind::Null:
      out += "null";
      break;
    case JsonKind::Bool:
      out += v.as_bool() ? "true" : "false";
      break;
    case JsonKind::Number:
      out += v.text();
      break;
    case JsonKind::String:
      json_append_string(out, v.text());
      break;
    case JsonKind::Array: {
      out += '[';
      bool first = true;
      for (const JsonValue& item : v) {
        if (!first) out += ',';
        first = false;
        json_append_value(out, item);
      }
      out += ']';
      break;
    }
    case JsonKind::Object: {
      out += '{';
      bool first = true;
      for (const JsonMember* m = v.members_begin(); m != v.members_end(); ++m) {
        if (!first) out += ',';
        first = false;
        json_append_string(out, m->name);
        out += ':';
        json_append_value(out, m->value);
      }
      out += '}';
      break;
    }
  }
}

void json_pointer_append(std::string& pointer, std::string_view token) {
  pointer += '/';
  for (char c : token) {
    if (c == '~') {
      pointer += "~0";
    } else if (c == '/') {
      pointer += "~1";
    } else {
      pointer += c;
    }
  }
}

}  // namespace lfpse::core
