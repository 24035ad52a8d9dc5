#pragma once
// Runs handler bodies off gRPC's callback threads: reactions must not block, and database work
// does. A bounded queue turns overload into RESOURCE_EXHAUSTED instead of unbounded memory.
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace homevisit::api {

class CallGate;

class WorkerPool {
 public:
  WorkerPool(size_t threads, size_t max_queued);
  ~WorkerPool();  // finishes queued work, then joins
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // False when the queue is full or the pool is stopping.
  bool TrySubmit(std::function<void()> task);

  // Admits every call served on this pool (authentication and authorization); set once at start.
  void set_call_gate(const CallGate* gate) { gate_ = gate; }
  const CallGate* call_gate() const { return gate_; }
  // The bound on waiting calls: the writer's queue (ServeWrite) uses it too.
  size_t max_queued() const { return max_queued_; }
  // Calls waiting for a worker now (the metrics endpoint reads it).
  size_t queued() const;
  void Stop();

 private:
  void Loop();
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  size_t max_queued_;
  const CallGate* gate_ = nullptr;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace homevisit::api
