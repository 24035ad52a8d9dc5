#pragma once
// The server's Prometheus metrics, process-wide (one registry, as Prometheus clients keep by
// convention: several Server objects in one test process add to the same series).
//
// Call metrics follow the names go-grpc-prometheus made common, so existing gRPC dashboards read
// them: grpc_server_handled_total{grpc_service,grpc_method,grpc_code} and the latency histogram
// grpc_server_handling_seconds{grpc_service,grpc_method}. The rest are homevisit_*; gauges that
// describe a running server (queue depth, open watches) are read at scrape time by a collector
// the server registers (ServerStateCollector below).
//
// Recording is cheap enough for every call: a call's series are found through a per-thread cache
// keyed by gRPC's method string (no shared lock after the first call of a method on a thread),
// and each update is an atomic add (a histogram's takes its own short mutex).
#include <prometheus/collectable.h>
#include <prometheus/registry.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace homevisit::observability {

// The registry every homevisit metric lives in.
std::shared_ptr<prometheus::Registry> MetricsRegistry();

// One finished call: `method` is gRPC's "/package.Service/Method" path, `code` its grpc::StatusCode.
void ObserveCall(const char* method, int code, double seconds);
// Time a unit of work waited for a pooled database session.
void ObserveSessionWait(double seconds);
// A transaction ran again after `reason` (the storage error class: SERIALIZATION_FAILURE,
// DATABASE_BUSY, DATABASE_UNAVAILABLE, ...).
void CountTransactionRetry(std::string_view reason);
// How many units of work one SQLite group-commit transaction held.
void ObserveWriteBatch(size_t units);
// A call refused with RESOURCE_EXHAUSTED because `queue` ("workers" or "writer") was full.
void CountRejectedCall(std::string_view queue);
// Late-technician alerts raised by this replica's sweep.
void CountLateAlerts(int alerts);

// Gauges read when Prometheus scrapes: each probe is called then, on the scraping thread.
class ServerStateCollector : public prometheus::Collectable {
 public:
  struct Probe {
    std::string name;  // e.g. homevisit_worker_queue_depth
    std::string help;
    std::function<double()> read;
  };
  explicit ServerStateCollector(std::vector<Probe> probes) : probes_(std::move(probes)) {}
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  std::vector<Probe> probes_;
};

}  // namespace homevisit::observability
