#include "observability/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>

#include <array>
#include <map>
#include <atomic>
#include <mutex>
#include <unordered_map>

#include "observability/status_code_names.h"

namespace homevisit::observability {
namespace {

// Latency buckets from 100 µs (a cached read) to 10 s (a call queued behind a stalled database).
const prometheus::Histogram::BucketBoundaries kCallBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                              0.025,  0.05,    0.1,    0.25,  0.5,    1,     2.5,
                                                              5,      10};

struct Families {
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
  prometheus::Family<prometheus::Counter>& handled =
      prometheus::BuildCounter()
          .Name("grpc_server_handled_total")
          .Help("Calls completed on the server, by method and status code.")
          .Register(*registry);
  prometheus::Family<prometheus::Histogram>& handling =
      prometheus::BuildHistogram()
          .Name("grpc_server_handling_seconds")
          .Help("Time from a call's arrival to its status being sent (for streams: the stream's life).")
          .Register(*registry);
  prometheus::Histogram& session_wait =
      prometheus::BuildHistogram()
          .Name("homevisit_db_session_wait_seconds")
          .Help("Time a unit of work waited for a pooled database session.")
          .Register(*registry)
          .Add({}, prometheus::Histogram::BucketBoundaries{0.00001, 0.0001, 0.001, 0.01, 0.1, 1, 5});
  prometheus::Family<prometheus::Counter>& retries =
      prometheus::BuildCounter()
          .Name("homevisit_db_transaction_retries_total")
          .Help("Transactions run again, by the error that ended the previous attempt "
                "(SERIALIZATION_FAILURE, DATABASE_BUSY for SQLITE_BUSY, DATABASE_UNAVAILABLE, ...).")
          .Register(*registry);
  prometheus::Histogram& write_batch =
      prometheus::BuildHistogram()
          .Name("homevisit_write_batch_units")
          .Help("Units of work committed together in one SQLite group-commit transaction.")
          .Register(*registry)
          .Add({}, prometheus::Histogram::BucketBoundaries{1, 2, 4, 8, 16, 32, 64, 128});
  prometheus::Family<prometheus::Counter>& rejected =
      prometheus::BuildCounter()
          .Name("homevisit_rejected_calls_total")
          .Help("Calls answered RESOURCE_EXHAUSTED because a queue was full (workers: the worker pool; "
                "writer: SQLite's group-commit queue).")
          .Register(*registry);
  prometheus::Counter& late_alerts = prometheus::BuildCounter()
                                         .Name("homevisit_late_alerts_total")
                                         .Help("Late-technician alerts raised by this replica's sweep.")
                                         .Register(*registry)
                                         .Add({});
};

Families& F() {
  static Families* families = new Families();  // never destroyed: threads may record at exit
  return *families;
}

// A method's series: its histogram, and its counters by code, created on first use.
struct MethodSeries {
  prometheus::Histogram* latency = nullptr;
  std::array<std::atomic<prometheus::Counter*>, kStatusCodeNames.size()> handled{};
  std::map<std::string, std::string> labels;
};

MethodSeries& SeriesOf(const char* method) {
  // gRPC hands every call of one method the same string, so the pointer is a fine cache key;
  // the shared map (by content) backs it up for any other caller.
  thread_local std::unordered_map<const char*, MethodSeries*> local;
  if (auto it = local.find(method); it != local.end()) return *it->second;
  static std::mutex mutex;
  static auto* shared = new std::unordered_map<std::string, std::unique_ptr<MethodSeries>>();
  std::lock_guard<std::mutex> lock(mutex);
  std::unique_ptr<MethodSeries>& series = (*shared)[method];
  if (!series) {
    series = std::make_unique<MethodSeries>();
    std::string_view path(method);
    if (!path.empty() && path.front() == '/') path.remove_prefix(1);
    size_t slash = path.find('/');
    series->labels = {{"grpc_service", std::string(path.substr(0, slash))},
                      {"grpc_method", slash == std::string_view::npos ? "" : std::string(path.substr(slash + 1))}};
    series->latency = &F().handling.Add(series->labels, kCallBuckets);
  }
  local.emplace(method, series.get());
  return *series;
}

}  // namespace

std::shared_ptr<prometheus::Registry> MetricsRegistry() { return F().registry; }

void ObserveCall(const char* method, int code, double seconds) {
  MethodSeries& series = SeriesOf(method);
  size_t index = StatusCodeIndex(code);
  prometheus::Counter* counter = series.handled[index].load(std::memory_order_acquire);
  if (!counter) {
    // Family::Add is idempotent and thread-safe: racing threads get the same counter.
    auto labels = series.labels;
    labels["grpc_code"] = kStatusCodeNames[index];
    counter = &F().handled.Add(labels);
    series.handled[index].store(counter, std::memory_order_release);
  }
  counter->Increment();
  series.latency->Observe(seconds);
}

void ObserveSessionWait(double seconds) { F().session_wait.Observe(seconds); }

void CountTransactionRetry(std::string_view reason) { F().retries.Add({{"reason", std::string(reason)}}).Increment(); }

void ObserveWriteBatch(size_t units) { F().write_batch.Observe(static_cast<double>(units)); }

void CountRejectedCall(std::string_view queue) { F().rejected.Add({{"queue", std::string(queue)}}).Increment(); }

void CountLateAlerts(int alerts) {
  if (alerts > 0) F().late_alerts.Increment(alerts);
}

std::vector<prometheus::MetricFamily> ServerStateCollector::Collect() const {
  std::vector<prometheus::MetricFamily> families;
  families.reserve(probes_.size());
  for (const Probe& probe : probes_) {
    prometheus::MetricFamily family;
    family.name = probe.name;
    family.help = probe.help;
    family.type = prometheus::MetricType::Gauge;
    prometheus::ClientMetric metric;
    metric.gauge.value = probe.read();
    family.metric.push_back(std::move(metric));
    families.push_back(std::move(family));
  }
  return families;
}

}  // namespace homevisit::observability
