// Preparing events ahead of the write transaction: parsing, validation, the FHIR mapping and
// sealing. This is most of a record's CPU time, so it never runs under the write lock; a large
// batch spreads it over several threads.
#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "core/error.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"
#include "store/event_writes.hpp"
#include "taxonomy/event.hpp"
#include "taxonomy/fhir.hpp"

namespace lfpse::store {

using core::Error;
using core::ErrorCode;

namespace {

bool valid_local_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

PreparedEvent prepare_with(const Store::Impl& impl, std::string_view text, bool draft,
                           const std::string* op_id, const std::string* key) {
  PreparedEvent p;
  p.draft = draft;
  taxonomy::ParsedEvent parsed = taxonomy::parse_event_text(text);
  if (!parsed.document_ok) {
    p.validation.valid = false;
    p.validation.issues = std::move(parsed.issues);
    return p;
  }
  const core::JsonValue& root = parsed.doc.root();
  p.validation = taxonomy::validate(*impl.taxonomies, root, impl.options.clock);
  const core::JsonValue* id = root.find("local_id");
  if (id && id->is_string() && valid_local_id(id->text())) p.local_id = std::string(id->text());
  const core::JsonValue* ver = root.find("taxonomy_version");
  if (ver && ver->is_string()) p.taxonomy_version = std::string(ver->text());
  if (p.local_id.empty() || (!draft && !p.validation.valid)) return p;

  p.acceptable = true;
  std::string snapshot;
  core::json_append_value(snapshot, root);
  if (op_id) {
    p.op_id = *op_id;
    p.idempotency_key = *key;
  } else {
    core::UnixMillis now = impl.now();
    p.op_id = core::uuid_v7(now);
    p.idempotency_key = core::uuid_v7(now);
  }
  p.sealed_snapshot = impl.seal("events", "snapshot", p.local_id, snapshot);
  if (!draft) {
    taxonomy::TaxonomyPtr tax = impl.taxonomies->find(p.taxonomy_version);
    if (!tax) throw Error(ErrorCode::Internal, "validated event names no loaded taxonomy");
    p.sealed_body = impl.seal("operations", "body", p.op_id, taxonomy::to_fhir(*tax, root));
  }
  return p;
}

// Below this many events a second thread costs more than it saves.
constexpr std::size_t kParallelFrom = 64;
constexpr unsigned kMaxThreads = 8;

}  // namespace

PreparedEvent prepare_event(const Store::Impl& impl, std::string_view text, bool draft) {
  return prepare_with(impl, text, draft, nullptr, nullptr);
}

std::vector<PreparedEvent> prepare_events(const Store::Impl& impl,
                                          const std::vector<std::string>& events, bool draft) {
  const std::size_t n = events.size();
  // Ids are made here, in batch order, so that the UNIQUE index on op_id is appended to
  // rather than split, whichever thread prepares which event.
  core::UnixMillis now = impl.now();
  std::vector<std::string> ids(2 * n);
  for (auto& id : ids) id = core::uuid_v7(now);
  std::vector<PreparedEvent> out(n);
  auto one = [&](std::size_t i) {
    out[i] = prepare_with(impl, events[i], draft, &ids[2 * i], &ids[2 * i + 1]);
  };
  unsigned threads = std::min({std::max(1u, std::thread::hardware_concurrency()), kMaxThreads,
                               static_cast<unsigned>(n / (kParallelFrom / 2) + 1)});
  if (n < kParallelFrom || threads < 2) {
    for (std::size_t i = 0; i < n; ++i) one(i);
    return out;
  }
  // Small chunks taken from a shared counter: the threads finish together even when one of
  // them is descheduled.
  constexpr std::size_t kChunk = 16;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&] {
    try {
      for (std::size_t at; !failed && (at = next.fetch_add(kChunk)) < n;)
        for (std::size_t i = at; i < std::min(at + kChunk, n); ++i) one(i);
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
      failed = true;
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& th : pool) th.join();
  if (error) std::rethrow_exception(error);
  return out;
}

}  // namespace lfpse::store
