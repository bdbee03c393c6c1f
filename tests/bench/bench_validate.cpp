// Validation benchmark: 10,000 generated realistic v5 events (about half valid, median size
// 3-6 KB), on one core. Prints one JSON object of figures; tests/bench/run_validate.py adds
// the ajv and python-jsonschema baselines, callgrind's instruction count and the ratios.
//
// usage: bench_validate OUT_DIR [--rounds N] [--events N]
//        bench_validate OUT_DIR --callgrind N   (validates N events inside the collected
//                                                 function only, for valgrind --toggle-collect)
// The same SIMD scanning the library's parser uses, so that the baseline is RapidJSON at its best.
#if defined(__SSE2__) && !defined(RAPIDJSON_SSE2)
#define RAPIDJSON_SSE2
#endif
#include <rapidjson/document.h>
#include <sched.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "bench_events.hpp"
#include "taxonomy/event.hpp"
#include "taxonomy/fhir.hpp"
#include "taxonomy/schema.hpp"
#include "taxonomy/shown.hpp"

using namespace lfpse;
using Clock = std::chrono::steady_clock;

namespace {

const core::Clock kNow = core::Clock::fixed(1795694400000);  // 2026-11-26T12:00:00Z

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Counts every node: the floor that any DOM-based validator must pay.
std::size_t walk(const rapidjson::Value& v) {
  std::size_t n = 1;
  if (v.IsObject()) {
    for (auto m = v.MemberBegin(); m != v.MemberEnd(); ++m)
      n += walk(m->value) + m->name.GetStringLength();
  } else if (v.IsArray()) {
    for (const auto& item : v.GetArray()) n += walk(item);
  } else if (v.IsString()) {
    n += v.GetStringLength();
  }
  return n;
}

template <typename F>
double events_per_second(const std::vector<std::string>& events, int rounds, F&& one) {
  std::vector<double> rates;
  for (int r = 0; r < rounds; ++r) {
    auto start = Clock::now();
    for (const std::string& e : events) one(e);
    rates.push_back(static_cast<double>(events.size()) / seconds_since(start));
  }
  return median(rates);
}

volatile std::size_t sink;  // keeps the optimiser from dropping the measured work

}  // namespace

// Kept out of line and unmangled so that valgrind can collect exactly this function.
extern "C" __attribute__((noinline)) void lfpse_bench_validate_all(const taxonomy::TaxonomySet* set,
                                                                   const std::string* events,
                                                                   std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    sink = sink + taxonomy::validate_text(*set, events[i], kNow).issues.size();
}

// The floor, collected the same way: RapidJSON's DOM parse and walk of the same texts.
extern "C" __attribute__((noinline)) void lfpse_bench_rapidjson_all(const std::string* events,
                                                                    std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    rapidjson::Document d;
    d.Parse(events[i].data(), events[i].size());
    sink = sink + walk(d);
  }
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR [--rounds N] [--events N] [--callgrind N]\n", argv[0]);
    return 2;
  }
  std::string out_dir = argv[1];
  int rounds = 5;
  std::size_t count = 10000, callgrind = 0;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--rounds")) rounds = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--events")) count = std::strtoul(argv[i + 1], nullptr, 10);
    if (!std::strcmp(argv[i], "--callgrind")) callgrind = std::strtoul(argv[i + 1], nullptr, 10);
  }
  cpu_set_t one_core;  // "on one core": no migration noise between cores
  CPU_ZERO(&one_core);
  CPU_SET(0, &one_core);
  sched_setaffinity(0, sizeof one_core, &one_core);

  taxonomy::TaxonomySet set;
  std::vector<std::string> events = bench::generate_events(set, count, kNow);
  if (callgrind) {
    lfpse_bench_validate_all(&set, events.data(), std::min(callgrind, events.size()));
    lfpse_bench_rapidjson_all(events.data(), std::min(callgrind, events.size()));
    return 0;
  }

  {
    std::ofstream lines(out_dir + "/events.jsonl", std::ios::binary);
    for (const std::string& e : events) lines << e << "\n";
    std::ofstream(out_dir + "/schema-5.json", std::ios::binary)
        << taxonomy::json_schema(*set.find("5"));
  }
  std::vector<std::size_t> sizes;
  std::size_t valid = 0;
  for (const std::string& e : events) {
    sizes.push_back(e.size());
    valid += taxonomy::validate_text(set, e, kNow).valid;
  }
  std::sort(sizes.begin(), sizes.end());

  double rapidjson_rate = events_per_second(events, rounds, [](const std::string& e) {
    rapidjson::Document d;
    d.Parse(e.data(), e.size());
    sink = walk(d);
  });
  double rapidjson_insitu_rate = events_per_second(events, rounds, [](const std::string& e) {
    std::string copy = e;  // in situ parsing writes into its buffer
    rapidjson::Document d;
    d.ParseInsitu(copy.data());
    sink = walk(d);
  });
  double validate_rate = events_per_second(events, rounds, [&](const std::string& e) {
    sink = taxonomy::validate_text(set, e, kNow).issues.size();
  });
  double shown_rate = events_per_second(events, rounds, [&](const std::string& e) {
    taxonomy::ParsedEvent p = taxonomy::parse_event_text(e);
    auto tax = set.find("5");
    sink = taxonomy::compute_shown(*tax, p.doc.root()).top.shown.size();
  });
  std::vector<std::string> valid_events;
  for (const std::string& e : events) {
    if (taxonomy::validate_text(set, e, kNow).valid) valid_events.push_back(e);
  }
  double fhir_rate = events_per_second(valid_events, rounds, [&](const std::string& e) {
    taxonomy::ParsedEvent p = taxonomy::parse_event_text(e);
    sink = taxonomy::to_fhir(*set.find("5"), p.doc.root()).size();
  });

  std::vector<double> latencies;  // microseconds, one validation each
  for (const std::string& e : events) {
    auto start = Clock::now();
    sink = taxonomy::validate_text(set, e, kNow).issues.size();
    latencies.push_back(seconds_since(start) * 1e6);
  }
  std::sort(latencies.begin(), latencies.end());

  std::vector<double> loads;  // milliseconds to load both built-in taxonomies
  for (int i = 0; i < 21; ++i) {
    auto start = Clock::now();
    taxonomy::TaxonomySet fresh;
    loads.push_back(seconds_since(start) * 1e3);
  }

  std::printf(
      "{\"events\":%zu,\"valid\":%zu,\"size_p50\":%zu,\"size_p10\":%zu,\"size_p90\":%zu,"
      "\"rounds\":%d,\"rapidjson_parse_walk_per_s\":%.0f,\"rapidjson_insitu_parse_walk_per_s\":%."
      "0f,"
      "\"validate_per_s\":%.0f,\"shown_per_s\":%.0f,\"to_fhir_per_s\":%.0f,"
      "\"validate_p50_us\":%.2f,\"validate_p99_us\":%.2f,\"validate_max_us\":%.2f,"
      "\"load_builtin_ms_median\":%.3f}\n",
      events.size(), valid, sizes[sizes.size() / 2], sizes[sizes.size() / 10],
      sizes[sizes.size() * 9 / 10], rounds, rapidjson_rate, rapidjson_insitu_rate, validate_rate,
      shown_rate, fhir_rate, latencies[latencies.size() / 2],
      latencies[latencies.size() * 99 / 100], latencies.back(), median(loads));
  return 0;
}
