// Preparing events for the write transaction: parsing, validation, the FHIR mapping and
// sealing. This is most of a record's CPU time: a single record (and by default a batch) does
// it before joining the group commit; a large batch, when the store is given preparing
// threads, does it on them while the transaction writes the events already prepared.
#include <algorithm>
#include <atomic>
#include <condition_variable>
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
  taxonomy::CheckedEvent checked =
      taxonomy::check_event(*impl.taxonomies, text, impl.options.clock);
  p.validation = std::move(checked.validation);
  if (!checked.parsed.document_ok) return p;
  const core::JsonValue& root = checked.parsed.doc.root();
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
    if (!checked.taxonomy)
      throw Error(ErrorCode::Internal, "validated event names no loaded taxonomy");
    p.sealed_body =
        impl.seal("operations", "body", p.op_id, taxonomy::to_fhir(*checked.taxonomy, root));
  }
  return p;
}

// Below this many events a second thread costs more than it saves.
constexpr std::size_t kParallelFrom = 64;
// Events per unit of work: small enough that the writer starts soon after the transaction
// does, large enough that handing chunks over costs nothing.
constexpr std::size_t kChunk = 32;

}  // namespace

PreparedEvent prepare_event(const Store::Impl& impl, std::string_view text, bool draft) {
  return prepare_with(impl, text, draft, nullptr, nullptr);
}

struct PreparedBatch::State {
  const Store::Impl& impl;
  const std::vector<std::string>& events;
  bool draft;
  std::vector<std::string> ids;  // op_id and idempotency key of event i at 2i, 2i + 1
  std::vector<PreparedEvent> out;
  std::size_t chunks = 0;
  std::atomic<std::size_t> next{0};  // the next chunk nobody has claimed
  std::atomic<bool> stop{false};
  std::mutex mutex;  // guards done and errors
  std::condition_variable cv;
  std::vector<char> done;
  std::vector<std::exception_ptr> errors;
  std::vector<std::thread> workers;

  State(const Store::Impl& i, const std::vector<std::string>& e, bool d)
      : impl(i), events(e), draft(d) {}

  void prepare_chunk(std::size_t c) {
    std::exception_ptr error;
    try {
      for (std::size_t i = c * kChunk; i < std::min((c + 1) * kChunk, out.size()); ++i)
        out[i] = prepare_with(impl, events[i], draft, &ids[2 * i], &ids[2 * i + 1]);
    } catch (...) {
      error = std::current_exception();
      stop = true;  // the call fails as a whole: no use preparing the rest
    }
    std::lock_guard<std::mutex> lock(mutex);
    errors[c] = error;
    done[c] = 1;
    cv.notify_all();
  }
  // Claims and prepares the next chunk in batch order; false when all are claimed.
  bool claim_one() {
    std::size_t c = next.fetch_add(1);
    if (c >= chunks) return false;
    prepare_chunk(c);
    return true;
  }
};

PreparedBatch::PreparedBatch(const Store::Impl& impl, const std::vector<std::string>& events,
                             bool draft, unsigned threads)
    : s_(std::make_unique<State>(impl, events, draft)) {
  const std::size_t n = events.size();
  // Ids are made here, in batch order, so that the UNIQUE index on op_id is appended to
  // rather than split, whichever thread prepares which event.
  core::UnixMillis now = impl.now();
  s_->ids.resize(2 * n);
  for (auto& id : s_->ids) id = core::uuid_v7(now);
  s_->out.resize(n);
  s_->chunks = (n + kChunk - 1) / kChunk;
  s_->done.assign(s_->chunks, 0);
  s_->errors.resize(s_->chunks);
  if (threads == 0 || n < kParallelFrom) {
    for (std::size_t i = 0; i < n; ++i)
      s_->out[i] = prepare_with(impl, events[i], draft, &s_->ids[2 * i], &s_->ids[2 * i + 1]);
    s_->next = s_->chunks;
    s_->done.assign(s_->chunks, 1);
    return;
  }
  // The writer is busy on one core; the workers prepare ahead of it.
  std::size_t workers = std::min<std::size_t>(threads, s_->chunks);
  for (std::size_t t = 0; t < workers; ++t)
    s_->workers.emplace_back([st = s_.get()] {
      while (!st->stop && st->claim_one()) {
      }
    });
}

PreparedBatch::~PreparedBatch() {
  s_->stop = true;
  for (auto& th : s_->workers) th.join();
}

bool PreparedBatch::ready() const { return s_->workers.empty(); }

const PreparedEvent& PreparedBatch::get(std::size_t i) {
  const std::size_t c = i / kChunk;
  std::unique_lock<std::mutex> lock(s_->mutex);
  while (!s_->done[c]) {
    lock.unlock();
    // Rather than wait, help with the next unclaimed chunk (this one, or one needed soon).
    bool helped = s_->claim_one();
    lock.lock();
    if (!helped) s_->cv.wait(lock, [&] { return s_->done[c] != 0; });
  }
  if (s_->errors[c]) std::rethrow_exception(s_->errors[c]);
  return s_->out[i];
}

}  // namespace lfpse::store
